#!/bin/sh
# Picks the provisioning of the architecture this Grafana watches, checks that the settings its
# datasources read are there, then starts Grafana (the command given, /run.sh in the image).
# Refusing to start beats a Grafana whose panels all fail, or one with the default admin password.
set -eu

home=$(cd "$(dirname "$0")" && pwd)

missing=""
require() {
  for name in "$@"; do
    eval "value=\${$name:-}"
    [ -n "$value" ] || missing="$missing $name"
  done
}

require GF_SECURITY_ADMIN_PASSWORD
case "${IOT_ARCHITECTURE:-}" in
  ecs) require PROMETHEUS_URL POSTGRES_HOST POSTGRES_DB POSTGRES_USER POSTGRES_PASSWORD ;;
  serverless) require AWS_REGION ;;
  *)
    echo "IOT_ARCHITECTURE must be 'ecs' or 'serverless', not '${IOT_ARCHITECTURE:-}'." >&2
    exit 64
    ;;
esac
if [ -n "$missing" ]; then
  echo "Grafana for the $IOT_ARCHITECTURE architecture needs these environment variables:$missing" >&2
  exit 64
fi

GF_PATHS_PROVISIONING="$home/provisioning/$IOT_ARCHITECTURE"
# Where the dashboard providers of that folder read the dashboard files.
IOT_DASHBOARDS="$home/dashboards/$IOT_ARCHITECTURE"
GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH="$IOT_DASHBOARDS/user.json"
export GF_PATHS_PROVISIONING IOT_DASHBOARDS GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH

exec "$@"
