#!/usr/bin/env bash
# The two local backends, for the playground and the compare tool:
#   bash apps/backends.sh start DIR [--aot | --functions FOLDER] [--no-build]
#                                            builds and starts them, writes DIR/backends.env, returns once both answer
#   bash apps/backends.sh stop DIR            stops them and removes their throwaway stores
# start: a throwaway PostgreSQL cluster and the container API; a throwaway DynamoDB-API server (DynamoDB Local) and the
# local serverless host, whose functions are JIT builds (seconds to build) or, with --aot, Native AOT builds as the CDK
# ships them (minutes the first time); --functions runs Native AOT builds already published into FOLDER (by
# `IotPlayground.LambdaHost publish FOLDER`). Ports: API_PORT (default 5080), SERVERLESS_PORT (5090); CORS allows WEB_ORIGIN.
# DIR/backends.env holds ECS_URL, SERVERLESS_URL, POSTGRES (a connection string), DYNAMODB (an endpoint), FUNCTIONS.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: bash apps/backends.sh start DIR [--aot | --functions FOLDER] [--no-build] | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
verb=$1 dir=$2
shift 2

stop() {
  if [ -f "$dir/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$dir/pids"
    while read -r pid; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done <"$dir/pids"
    rm -f "$dir/pids"
  fi
  bash tests/scripts/postgres.sh remove "$dir/postgres" || true
  bash tests/scripts/dynamodb-local.sh remove "$dir/dynamodb" || true
}

wait_for() {
  local url=$1 pid=$2 what=$3 log=$4
  for _ in $(seq 1 240); do
    curl -fs "$url" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$what failed to start; its log ($log):" >&2; tail -n 30 "$log" >&2; return 1; }
    sleep 0.5
  done
  echo "$what did not answer $url." >&2
  return 1
}

start() {
  local functions=jit build=yes published=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --aot) functions=aot ;;
      --functions) [ $# -ge 2 ] || usage; functions=aot published=$2; shift ;;
      --no-build) build=no ;;
      *) usage ;;
    esac
    shift
  done
  local api_port=${API_PORT:-5080} serverless_port=${SERVERLESS_PORT:-5090}
  local web_origin=${WEB_ORIGIN:-http://127.0.0.1:5173} grafana=${GRAFANA_BASE_URL:-http://127.0.0.1:3000}
  mkdir -p "$dir"
  chmod 755 "$dir"
  : >"$dir/pids"
  trap 'stop' ERR

  if [ "$build" = yes ]; then
    dotnet build apps/IotPlayground.Api --configuration Release --verbosity quiet --nologo >/dev/null
    dotnet build apps/IotPlayground.LambdaHost --configuration Release --verbosity quiet --nologo >/dev/null
  fi
  local lambda_host=apps/IotPlayground.LambdaHost/bin/Release/net10.0/IotPlayground.LambdaHost.dll
  local function_builds=()
  if [ "$functions" = aot ]; then
    if [ -z "$published" ]; then
      echo "Publishing the Lambda functions Native AOT, as the CDK ships them..." >&2
      published="$dir/functions"
      dotnet "$lambda_host" publish "$published" >/dev/null
    fi
    function_builds=(--LambdaHost:RunApiBootstrap="$published/RunApi/bootstrap"
      --LambdaHost:SensorApiBootstrap="$published/SensorApi/bootstrap")
  fi

  local postgres
  postgres=$(bash tests/scripts/postgres.sh start "$dir/postgres")
  ConnectionStrings__Postgres="$postgres" Grafana__BaseUrl="$grafana" Cors__AllowedOrigins__0="$web_origin" \
    Logging__Console__FormatterName=simple Logging__LogLevel__Default=Warning \
    dotnet apps/IotPlayground.Api/bin/Release/net10.0/IotPlayground.Api.dll --urls "http://127.0.0.1:$api_port" \
    >"$dir/api.log" 2>&1 &
  echo $! >>"$dir/pids"
  wait_for "http://127.0.0.1:$api_port/health" "$!" "The container API" "$dir/api.log"

  local dynamodb
  dynamodb=$(bash tests/scripts/dynamodb-local.sh start "$dir/dynamodb")
  AWS_ENDPOINT_URL_DYNAMODB="$dynamodb" CORS_ALLOWED_ORIGIN="$web_origin" \
    dotnet "$lambda_host" "${function_builds[@]}" \
    --urls "http://127.0.0.1:$serverless_port" --LambdaHost:GrafanaBaseUrl="$grafana" --Logging:LogLevel:Default=Warning \
    >"$dir/serverless.log" 2>&1 &
  echo $! >>"$dir/pids"
  wait_for "http://127.0.0.1:$serverless_port/health" "$!" "The local serverless host" "$dir/serverless.log"

  cat >"$dir/backends.env" <<ENV
ECS_URL=http://127.0.0.1:$api_port
SERVERLESS_URL=http://127.0.0.1:$serverless_port
POSTGRES=$postgres
DYNAMODB=$dynamodb
FUNCTIONS=$functions
ENV
  trap - ERR
}

case "$verb" in
  start) start "$@" ;;
  stop) stop ;;
  *) usage ;;
esac
