#!/usr/bin/env bash
# Capacity per reading: the store's own write (and its read of the run) against BatchWriteItem, in one run on a throwaway
# DynamoDB Local (tests/scripts/dynamodb-local.sh) on a free loopback port; removed after.
# Extra arguments go to the tool, e.g. --repetitions 31 --sizes 1,25
set -euo pipefail
cd "$(dirname "$0")/../.."

dotnet build apps/IotPlayground.CapacityBench --configuration Release --verbosity quiet --nologo >/dev/null
work=$(mktemp -d)
trap 'bash tests/scripts/dynamodb-local.sh remove "$work/dynamodb"; rm -rf "$work"' EXIT
endpoint=$(bash tests/scripts/dynamodb-local.sh start "$work/dynamodb")

dotnet apps/IotPlayground.CapacityBench/bin/Release/net10.0/IotPlayground.CapacityBench.dll --endpoint "$endpoint" "$@"
