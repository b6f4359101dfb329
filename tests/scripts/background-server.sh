# Sourced by the scripts that run a throwaway server from a folder of its own: a free loopback port, and, for a server
# started in the background with its process id written to DIR/pid, whether it runs and how it stops. (postgres.sh
# takes only the port: pg_ctl keeps PostgreSQL's pid file and stops it.)

# A loopback port that nothing listens on now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# server_running DIR: whether the process DIR/pid names is alive.
server_running() { [ -f "$1/pid" ] && kill -0 "$(cat "$1/pid")" 2>/dev/null; }

# stop_server DIR: asks the server to stop (SIGTERM), gives it 10 s to shut down cleanly, then kills it, and forgets
# its pid.
stop_server() {
  if server_running "$1"; then
    local pid
    pid=$(cat "$1/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$1/pid"
}
