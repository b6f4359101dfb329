#!/usr/bin/env bash
# Stoplight Prism (npm @stoplight/prism-cli) as a validating proxy in a folder of its own, on a free loopback port: every
# request and answer between a test and a backend is checked against the API's OpenAPI document, and with --errors a
# violation is answered as Prism's own problem instead of passing through.
#   prism.sh start DIR DOCUMENT UPSTREAM   start it in front of UPSTREAM (a URL), print its URL
#   prism.sh stop DIR                      stop it
#   prism.sh remove DIR                    stop it if running and delete DIR
set -euo pipefail

command=${1:?usage: prism.sh start DIR DOCUMENT UPSTREAM | stop DIR | remove DIR}
dir=${2:?usage: prism.sh start DIR DOCUMENT UPSTREAM | stop DIR | remove DIR}

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=background-server.sh
source "$(dirname "$0")/background-server.sh"

# Prism answers only once it has read the document: any HTTP answer (its own 404 for "/") means it is ready.
answers() { curl --silent --output /dev/null --max-time 1 "http://127.0.0.1:$1/"; }

case "$command" in
  start)
    document=${3:?usage: prism.sh start DIR DOCUMENT UPSTREAM}
    upstream=${4:?usage: prism.sh start DIR DOCUMENT UPSTREAM}
    prism="$root/node_modules/@stoplight/prism-cli/dist/index.js"
    [ -f "$prism" ] || { echo "Prism is not installed: run tests/scripts/install-prerequisites.sh" >&2; exit 1; }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ -f "$dir/port" ] || free_port >"$dir/port"
    port=$(cat "$dir/port")
    if ! server_running "$dir"; then
      # No CORS headers of Prism's own: the backend's are the ones under test. Violations are logged as errors.
      SCARF_ANALYTICS=false nohup node "$prism" proxy "$document" "$upstream" --errors --cors=false \
        --host 127.0.0.1 --port "$port" --verboseLevel warn >>"$dir/prism.log" 2>&1 &
      echo $! >"$dir/pid"
      for _ in $(seq 1 1200); do answers "$port" && break; server_running "$dir" || break; sleep 0.05; done
      answers "$port" || { echo "Prism did not start; see $dir/prism.log" >&2; cat "$dir/prism.log" >&2; exit 1; }
    fi
    echo "http://127.0.0.1:$port"
    ;;
  stop)
    stop_server "$dir"
    ;;
  remove)
    stop_server "$dir"
    rm -rf "$dir"
    ;;
  *)
    echo "usage: prism.sh start DIR DOCUMENT UPSTREAM | stop DIR | remove DIR" >&2
    exit 2
    ;;
esac
