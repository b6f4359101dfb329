#!/usr/bin/env bash
# A throwaway DynamoDB-API server (npm dynalite) in a folder of its own, on a free loopback port.
#   dynalite.sh start DIR   start it on DIR's port (chosen on the first start), print its endpoint URL;
#                           data lives in DIR (LevelDB), so it survives a stop and a start
#   dynalite.sh stop DIR    stop it
#   dynalite.sh remove DIR  stop it if running and delete DIR
set -euo pipefail

command=${1:?usage: dynalite.sh start|stop|remove DIR}
dir=${2:?usage: dynalite.sh start|stop|remove DIR}

root=$(cd "$(dirname "$0")/../.." && pwd)
cli="$root/node_modules/dynalite/cli.js"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

is_running() { [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; }

accepts() { python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$1" 2>/dev/null; }

stop() {
  if is_running; then
    local pid
    pid=$(cat "$dir/pid")
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  fi
  rm -f "$dir/pid"
}

case "$command" in
  start)
    [ -f "$cli" ] || { echo "dynalite is not installed: run tests/scripts/install-prerequisites.sh" >&2; exit 1; }
    mkdir -p "$dir"
    [ -f "$dir/port" ] || free_port >"$dir/port"
    port=$(cat "$dir/port")
    if ! is_running; then
      # Tables are ACTIVE at once: the 500 ms dynalite waits by default only slow the tests down.
      nohup node "$cli" --host 127.0.0.1 --port "$port" --path "$dir/data" \
        --createTableMs 0 --deleteTableMs 0 --updateTableMs 0 >>"$dir/server.log" 2>&1 &
      echo $! >"$dir/pid"
      for _ in $(seq 1 200); do accepts "$port" && break; sleep 0.05; done
      accepts "$port" || { echo "dynalite did not start; see $dir/server.log" >&2; cat "$dir/server.log" >&2; exit 1; }
    fi
    echo "http://127.0.0.1:$port"
    ;;
  stop)
    stop
    ;;
  remove)
    stop
    rm -rf "$dir"
    ;;
  *)
    echo "usage: dynalite.sh start|stop|remove DIR" >&2
    exit 2
    ;;
esac
