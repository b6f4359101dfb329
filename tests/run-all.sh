#!/usr/bin/env bash
# Runs every test of the solution against real servers: installs what is missing, starts a throwaway
# PostgreSQL cluster and a DynamoDB-API server (DynamoDB Local) on free loopback ports, publishes the Lambda
# functions Native AOT, runs the tests, and removes both servers whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash tests/scripts/install-prerequisites.sh

work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
  bash tests/scripts/postgres.sh remove "$work/postgres" || true
  bash tests/scripts/dynamodb-local.sh remove "$work/dynamodb" || true
  rm -rf "$work"
}
trap cleanup EXIT

IOTPLAYGROUND_TEST_POSTGRES=$(bash tests/scripts/postgres.sh start "$work/postgres")
export IOTPLAYGROUND_TEST_POSTGRES
IOTPLAYGROUND_TEST_DYNAMODB=$(bash tests/scripts/dynamodb-local.sh start "$work/dynamodb")
export IOTPLAYGROUND_TEST_DYNAMODB

dotnet build IotPlayground.sln --configuration Release --verbosity quiet --no-restore

# The Lambda functions as AWS runs them, published once for the whole run (a Native AOT compile takes minutes) with
# the CDK's own arguments: the contract and browser tests run them behind the local host; the arm64 build (cross-
# compiled) runs under qemu-user. The compiler's output is shown only if it fails.
publish_functions() {
  dotnet apps/IotPlayground.LambdaHost/bin/Release/net10.0/IotPlayground.LambdaHost.dll publish "$1" "$2" \
    >/dev/null 2>"$work/publish.log" || { cat "$work/publish.log" >&2; exit 1; }
}
export IOTPLAYGROUND_TEST_FUNCTIONS="$work/functions" IOTPLAYGROUND_TEST_FUNCTIONS_ARM64="$work/functions-arm64"
publish_functions "$IOTPLAYGROUND_TEST_FUNCTIONS" x86_64
publish_functions "$IOTPLAYGROUND_TEST_FUNCTIONS_ARM64" arm64

# One summary line over every test project: "N passed, N failed, N skipped".
# The browser tests run last, alone: they watch timings through a real browser, which the other test
# projects' load (200 concurrent starts and more) would distort.
# A --filter given on the command line narrows both runs (dotnet test keeps only the last --filter it is given).
user_filter=""
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--filter" ] && [ $# -ge 2 ]; then user_filter="$2"; shift 2; else args+=("$1"); shift; fi
done
narrow() { if [ -n "$user_filter" ]; then echo "($1)&($user_filter)"; else echo "$1"; fi; }
status=0
dotnet test IotPlayground.sln --configuration Release --no-build --verbosity quiet --logger "console;verbosity=minimal" \
  --filter "$(narrow "FullyQualifiedName!~IotPlayground.Web.Tests")" "${args[@]}" | tee "$work/test.log" || status=$?
dotnet test tests/IotPlayground.Web.Tests --configuration Release --no-build --verbosity quiet --logger "console;verbosity=minimal" \
  --filter "$(narrow "FullyQualifiedName~IotPlayground.Web.Tests")" "${args[@]}" | tee -a "$work/test.log" || status=$?
grep -E '^(Passed|Failed)! ' "$work/test.log" | awk -F'[:,]' '
  { for (i = 1; i < NF; i++) { if ($i ~ /Failed$/) f += $(i+1); if ($i ~ /Passed$/) p += $(i+1); if ($i ~ /Skipped$/) s += $(i+1) } }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }'
exit "$status"
