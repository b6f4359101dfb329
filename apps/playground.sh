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

case "${1:-}" in
  --aot | "") ;;
  *) echo "usage: bash apps/playground.sh [--aot]" >&2; exit 2 ;;
esac

web_port=${WEB_PORT:-5173}
export WEB_ORIGIN="http://127.0.0.1:$web_port"
work=$(mktemp -d)
chmod 755 "$work"
web=""
cleanup() {
  trap - EXIT
  [ -n "$web" ] && kill "$web" 2>/dev/null || true
  bash apps/backends.sh stop "$work/backends" || true
  rm -rf "$work"
  echo "Playground stopped; nothing left behind."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash tests/scripts/install-prerequisites.sh

echo "Synthesizing every environment's CloudFormation templates into cdk.out (templates only)..."
JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 npx cdk synth --quiet -c bundling=false >/dev/null
echo "Building and starting both backends..."
bash apps/backends.sh start "$work/backends" "$@"
# shellcheck disable=SC1091
source "$work/backends/backends.env"

# Without GRAFANA_BASE_URL no Grafana runs here, and the page says so rather than link to one.
web_options=(--comparison .local/compare/compare.json)
[ -n "${GRAFANA_BASE_URL:-}" ] || web_options+=(--no-grafana)
node apps/web/serve.mjs --port "$web_port" \
  --backend "ecs=Container (ECS)=$ECS_URL" \
  --backend "serverless=Serverless=$SERVERLESS_URL" "${web_options[@]}" &
web=$!
for _ in $(seq 1 60); do curl -fs "$WEB_ORIGIN/" >/dev/null 2>&1 && break; sleep 0.5; done

cat <<MSG

Open the web page: $WEB_ORIGIN
  Container API (ECS, PostgreSQL):              $ECS_URL   (OpenAPI: /openapi/v1.json, metrics: /metrics)
  Serverless API (Lambda host, DynamoDB Local): $SERVERLESS_URL   (functions: $FUNCTIONS builds)
Ctrl-C stops everything.
MSG
wait "$web"
