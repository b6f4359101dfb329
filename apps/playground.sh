#!/usr/bin/env bash
# The main job: installs what is missing (as the tests do), synthesizes every environment's templates, then runs the
# local playground until Ctrl-C:
# a throwaway PostgreSQL and the container API, a throwaway DynamoDB-API server (DynamoDB Local) and the local
# serverless host, and the web page that switches between the two. Nothing is left running or behind.
# Ports: API_PORT (default 5080), SERVERLESS_PORT (5090), WEB_PORT (5173).
# The serverless host runs the functions' JIT builds, which build in seconds; --aot publishes them Native AOT first,
# as the CDK ships them (a few minutes the first time), and runs those.
set -euo pipefail
cd "$(dirname "$0")/.."

functions=jit
case "${1:-}" in
  --aot) functions=aot ;;
  "") ;;
  *) echo "usage: bash apps/playground.sh [--aot]" >&2; exit 2 ;;
esac

api_port=${API_PORT:-5080}
serverless_port=${SERVERLESS_PORT:-5090}
web_port=${WEB_PORT:-5173}
web_origin="http://127.0.0.1:$web_port"
grafana=${GRAFANA_BASE_URL:-http://127.0.0.1:3000}
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  trap - EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash tests/scripts/postgres.sh remove "$work/postgres" || true
  bash tests/scripts/dynamodb-local.sh remove "$work/dynamodb" || true
  rm -rf "$work"
  echo "Playground stopped; nothing left behind."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() {
  local url=$1 pid=$2 what=$3
  for _ in $(seq 1 240); do
    curl -fs "$url" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$what failed to start." >&2; exit 1; }
    sleep 0.5
  done
  echo "$what did not answer $url." >&2
  exit 1
}

bash tests/scripts/install-prerequisites.sh

echo "Synthesizing every environment's CloudFormation templates into cdk.out (templates only)..."
JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 npx cdk synth --quiet -c bundling=false >/dev/null
echo "Building..."
dotnet build apps/IotPlayground.Api --configuration Release --verbosity quiet --nologo >/dev/null
dotnet build apps/IotPlayground.LambdaHost --configuration Release --verbosity quiet --nologo >/dev/null
lambda_host=apps/IotPlayground.LambdaHost/bin/Release/net10.0/IotPlayground.LambdaHost.dll
function_builds=()
if [ "$functions" = aot ]; then
  echo "Publishing the Lambda functions Native AOT, as the CDK ships them..."
  dotnet "$lambda_host" publish "$work/functions" >/dev/null
  function_builds=(--LambdaHost:RunApiBootstrap="$work/functions/RunApi/bootstrap"
    --LambdaHost:SensorApiBootstrap="$work/functions/SensorApi/bootstrap")
fi

postgres=$(bash tests/scripts/postgres.sh start "$work/postgres")
ConnectionStrings__Postgres="$postgres" Grafana__BaseUrl="$grafana" Cors__AllowedOrigins__0="$web_origin" \
  Logging__Console__FormatterName=simple Logging__LogLevel__Default=Warning \
  dotnet apps/IotPlayground.Api/bin/Release/net10.0/IotPlayground.Api.dll --urls "http://127.0.0.1:$api_port" &
pids+=($!)
wait_for "http://127.0.0.1:$api_port/health" "${pids[-1]}" "The container API"

dynamodb=$(bash tests/scripts/dynamodb-local.sh start "$work/dynamodb")
AWS_ENDPOINT_URL_DYNAMODB="$dynamodb" CORS_ALLOWED_ORIGIN="$web_origin" \
  dotnet "$lambda_host" "${function_builds[@]}" \
  --urls "http://127.0.0.1:$serverless_port" --LambdaHost:GrafanaBaseUrl="$grafana" --Logging:LogLevel:Default=Warning &
pids+=($!)
wait_for "http://127.0.0.1:$serverless_port/health" "${pids[-1]}" "The local serverless host"

node apps/web/serve.mjs --port "$web_port" \
  --backend "ecs=Container (ECS)=http://127.0.0.1:$api_port" \
  --backend "serverless=Serverless=http://127.0.0.1:$serverless_port" &
pids+=($!)
wait_for "$web_origin/" "${pids[-1]}" "The web page"

cat <<MSG

Open the web page: $web_origin
  Container API (ECS, PostgreSQL):              http://127.0.0.1:$api_port   (OpenAPI: /openapi/v1.json, metrics: /metrics)
  Serverless API (Lambda host, DynamoDB Local): http://127.0.0.1:$serverless_port   (functions: $functions builds)
Ctrl-C stops everything.
MSG
wait "${pids[@]}"
