#!/usr/bin/env bash
# The main job: synthesizes every environment's templates, then runs the local playground (a throwaway
# PostgreSQL, the container API and the web page on loopback) until Ctrl-C.
# Nothing is left running or behind when it stops. Ports: API_PORT (default 5080), WEB_PORT (default 5173).
set -euo pipefail
cd "$(dirname "$0")/.."

api_port=${API_PORT:-5080}
web_port=${WEB_PORT:-5173}
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  trap - EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash tests/scripts/postgres.sh remove "$work/postgres" || true
  rm -rf "$work"
  echo "Playground stopped; nothing left behind."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "Synthesizing every environment's CloudFormation templates into cdk.out (templates only)..."
JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 npx cdk synth --quiet -c bundling=false >/dev/null
echo "Building..."
dotnet build apps/IotPlayground.Api --configuration Release --verbosity quiet --nologo >/dev/null
postgres=$(bash tests/scripts/postgres.sh start "$work/postgres")

ConnectionStrings__Postgres="$postgres" Grafana__BaseUrl="${GRAFANA_BASE_URL:-http://127.0.0.1:3000}" \
  Cors__AllowedOrigins__0="http://127.0.0.1:$web_port" Logging__Console__FormatterName=simple \
  dotnet apps/IotPlayground.Api/bin/Release/net10.0/IotPlayground.Api.dll --urls "http://127.0.0.1:$api_port" &
pids+=($!)

for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$api_port/health" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "The container API failed to start." >&2; exit 1; }
  sleep 0.5
done

node apps/web/serve.mjs --port "$web_port" --backend "ecs=Container (ECS)=http://127.0.0.1:$api_port" &
pids+=($!)

cat <<MSG

Web page:                   http://127.0.0.1:$web_port
Container API (PostgreSQL): http://127.0.0.1:$api_port
  try: curl -s -X POST -H 'X-User: alice' -d '{"duration":60,"interval":5}' http://127.0.0.1:$api_port/api/runs/start
  OpenAPI: http://127.0.0.1:$api_port/openapi/v1.json   metrics: http://127.0.0.1:$api_port/metrics
Ctrl-C stops everything.
MSG
wait "${pids[@]}"
