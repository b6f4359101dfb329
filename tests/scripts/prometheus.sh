#!/usr/bin/env bash
# A throwaway Prometheus (the Debian package's binary) in a folder of its own, on a free loopback port.
#   prometheus.sh start DIR CONFIG   start it with the scrape configuration CONFIG, print its base URL
#   prometheus.sh stop DIR           stop it and delete DIR
set -euo pipefail

command=${1:?usage: prometheus.sh start DIR CONFIG | stop DIR}
dir=${2:?usage: prometheus.sh start DIR CONFIG | stop DIR}

bin=$(command -v prometheus || true)
[ -n "$bin" ] || { echo "Prometheus is not installed: run tests/scripts/install-prerequisites.sh" >&2; exit 1; }

# shellcheck source=background-server.sh
source "$(dirname "$0")/background-server.sh"

case "$command" in
  start)
    config=${3:?usage: prometheus.sh start DIR CONFIG}
    [ -f "$config" ] || { echo "No scrape configuration at $config" >&2; exit 1; }
    if server_running "$dir"; then echo "Prometheus already runs from $dir" >&2; exit 1; fi
    mkdir -p "$dir/data"
    port=$(free_port)
    # Detached, with its output in a file: the caller waits for this script's output to end.
    setsid "$bin" \
      --config.file="$config" \
      --storage.tsdb.path="$dir/data" \
      --storage.tsdb.retention.time=1d \
      --web.listen-address="127.0.0.1:$port" \
      </dev/null >"$dir/prometheus.log" 2>&1 &
    echo $! >"$dir/pid"
    url="http://127.0.0.1:$port"
    for _ in $(seq 1 300); do
      if curl --silent --fail --max-time 1 "$url/-/ready" >/dev/null 2>&1; then
        echo "$url"
        exit 0
      fi
      if ! server_running "$dir"; then
        echo "Prometheus exited at start:" >&2
        tail -n 20 "$dir/prometheus.log" >&2
        exit 1
      fi
      sleep 0.1
    done
    echo "Prometheus was not ready within 30 s:" >&2
    tail -n 20 "$dir/prometheus.log" >&2
    kill "$(cat "$dir/pid")" 2>/dev/null || true
    exit 1
    ;;
  stop)
    stop_server "$dir"
    rm -rf "$dir"
    ;;
  *)
    echo "usage: prometheus.sh start DIR CONFIG | stop DIR" >&2
    exit 2
    ;;
esac
