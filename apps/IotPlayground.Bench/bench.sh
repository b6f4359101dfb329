#!/usr/bin/env bash
# Sensor ingestion benchmark: HTTP at 1, 8 and 32 connections, one reading a request and batches of 25, next to
# PostgreSQL's own insert rate, in one run.
# Starts a throwaway PostgreSQL cluster and the API (Release build) on free loopback ports; removes both after.
# Extra arguments go to the benchmark, e.g. --seconds 20 --connections 1,8,32,64
set -euo pipefail
cd "$(dirname "$0")/../.."

# The benchmark references the store only; the API it measures is built, and run, as its own process.
dotnet build apps/IotPlayground.Bench --configuration Release --verbosity quiet --nologo >/dev/null
dotnet build apps/IotPlayground.Api --configuration Release --verbosity quiet --nologo >/dev/null
work=$(mktemp -d)
chmod 755 "$work"
trap 'bash tests/scripts/postgres.sh remove "$work/postgres"; rm -rf "$work"' EXIT
postgres=$(bash tests/scripts/postgres.sh start "$work/postgres")

dotnet apps/IotPlayground.Bench/bin/Release/net10.0/IotPlayground.Bench.dll \
  --postgres "$postgres" --api apps/IotPlayground.Api/bin/Release/net10.0/IotPlayground.Api.dll "$@"
