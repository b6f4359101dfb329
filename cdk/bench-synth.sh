#!/usr/bin/env bash
# Wall time (median of 3) of: a full `cdk synth` of this app, the CDK test project, and the synth of
# an empty C# CDK app with the same Amazon.CDK.Lib (the jsii floor every C# CDK app pays).
# Run from anywhere inside the repository after `npm ci`:  bash cdk/bench-synth.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
cdk="$root/node_modules/.bin/cdk"
cdk_lib_version=$(sed -n 's/.*Include="Amazon.CDK.Lib" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")

median_of_3() { # label, command...
  local label=$1; shift
  local times=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "$label: command failed: $*" >&2; exit 1; }
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
  printf '%-44s median %6.1f s   (runs: %s)\n' "$label" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)" "$sorted"
}

synth_flags=()
synth_label="full cdk synth"
if [ ! -f "$root/lambdas/IotPlayground.RunApi/IotPlayground.RunApi.csproj" ] \
   || [ ! -f "$root/lambdas/IotPlayground.SensorApi/IotPlayground.SensorApi.csproj" ]; then
  synth_flags=(-c bundling=false)
  synth_label="full cdk synth (Lambda bundling skipped)"
fi

empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
mkdir -p "$empty/app"
cat >"$empty/app/EmptyApp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  <ItemGroup><PackageReference Include="Amazon.CDK.Lib" Version="$cdk_lib_version" /></ItemGroup>
</Project>
XML
echo 'var app = new Amazon.CDK.App(); _ = new Amazon.CDK.Stack(app, "Empty"); app.Synth();' >"$empty/app/Program.cs"
echo '{ "app": "dotnet run --project app/EmptyApp.csproj" }' >"$empty/cdk.json"

# Warm-up: restore and build once, so every timed run pays the same incremental build check.
(cd "$root" && dotnet build cdk/IotPlayground.Cdk -v q >/dev/null && dotnet build tests/IotPlayground.Cdk.Tests -v q >/dev/null)
(cd "$empty" && dotnet build app/EmptyApp.csproj -v q >/dev/null)

echo "Amazon.CDK.Lib $cdk_lib_version, aws-cdk CLI $("$cdk" --version 2>/dev/null | cut -d' ' -f1), $(nproc) CPUs"
median_of_3 "$synth_label" bash -c "cd '$root' && rm -rf cdk.out && '$cdk' synth -q ${synth_flags[*]:-}"
median_of_3 "dotnet test tests/IotPlayground.Cdk.Tests" bash -c "cd '$root' && dotnet test tests/IotPlayground.Cdk.Tests --no-build"
median_of_3 "empty C# CDK app synth (jsii floor)" bash -c "cd '$empty' && rm -rf cdk.out && '$cdk' synth -q"
