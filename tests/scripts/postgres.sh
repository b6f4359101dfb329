#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in a folder of its own, on a free loopback port.
#   postgres.sh start DIR   create the cluster if DIR has none, start it, print its connection string
#   postgres.sh stop DIR    stop it (fast shutdown: committed data is kept)
#   postgres.sh remove DIR  stop it if running and delete DIR
# PostgreSQL refuses to run as root: as root, the cluster belongs to the 'postgres' user.
set -euo pipefail

command=${1:?usage: postgres.sh start|stop|remove DIR}
dir=${2:?usage: postgres.sh start|stop|remove DIR}

bin=$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1)")
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed: run tests/scripts/install-prerequisites.sh" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# shellcheck source=background-server.sh
source "$(dirname "$0")/background-server.sh"

is_running() { [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

case "$command" in
  start)
    if [ ! -d "$dir/data" ]; then
      mkdir -p "$dir/socket"
      if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres:postgres "$dir"
        runuser -u postgres -- test -x "$dir" ||
          { echo "The postgres user cannot reach $dir: make its parent folders traversable (chmod o+x)." >&2; exit 1; }
      fi
      as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
      # The superuser that administers the cluster needs no password; every other role logs in with its own, as on
      # RDS, so that the tests of the roles the migrations create prove their passwords too.
      printf '%s\n' 'local all all trust' 'host all postgres 127.0.0.1/32 trust' 'host all all 127.0.0.1/32 scram-sha-256' |
        as_owner tee "$dir/data/pg_hba.conf" >/dev/null
      free_port >"$dir/port"
    fi
    port=$(cat "$dir/port")
    if ! is_running; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start -o \
        "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c max_connections=400" >/dev/null
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    if is_running; then as_owner "$bin/pg_ctl" -D "$dir/data" -w -m fast stop >/dev/null; fi
    ;;
  remove)
    if is_running; then as_owner "$bin/pg_ctl" -D "$dir/data" -w -m immediate stop >/dev/null; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres.sh start|stop|remove DIR" >&2
    exit 2
    ;;
esac
