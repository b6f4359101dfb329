#!/usr/bin/env bash
# Runs every test of the solution against real servers: installs what is missing, starts a throwaway
# PostgreSQL cluster and a DynamoDB-API server (DynamoDB Local) on free loopback ports, runs the tests, and
# removes both whatever happens.
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

# One summary line over every test project: "N passed, N failed, N skipped".
# The browser tests run last, alone: they watch timings through a real browser, which the other test
# projects' load (200 concurrent starts and more) would distort.
status=0
dotnet test IotPlayground.sln --configuration Release --no-build --verbosity quiet --logger "console;verbosity=minimal" \
  --filter "FullyQualifiedName!~IotPlayground.Web.Tests" "$@" | tee "$work/test.log" || status=$?
dotnet test tests/IotPlayground.Web.Tests --configuration Release --no-build --verbosity quiet --logger "console;verbosity=minimal" \
  "$@" | tee -a "$work/test.log" || status=$?
grep -E '^(Passed|Failed)! ' "$work/test.log" | awk -F'[:,]' '
  { for (i = 1; i < NF; i++) { if ($i ~ /Failed$/) f += $(i+1); if ($i ~ /Passed$/) p += $(i+1); if ($i ~ /Skipped$/) s += $(i+1) } }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }'
exit "$status"
