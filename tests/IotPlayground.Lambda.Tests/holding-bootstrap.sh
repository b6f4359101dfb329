#!/usr/bin/env bash
# A custom runtime's bootstrap in a few lines of shell, for the instance pool's tests: it takes invocations through the
# Runtime API one at a time, marks each it holds with a file in $HOLDING named after its request id, and answers only
# once the file $RELEASE exists, so that the test decides when instances are free again.
set -u
api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
while true; do
  # A 500 ("exit now") or an emulator that is gone leaves no request id: the instance is done.
  id=$(curl --silent --fail --dump-header - --output /dev/null "$api/invocation/next" | tr -d '\r' |
    sed -n 's/^lambda-runtime-aws-request-id: //Ip')
  [ -n "$id" ] || exit 0
  touch "$HOLDING/$id"
  until [ -e "$RELEASE" ]; do sleep 0.02; done
  curl --silent --fail --output /dev/null --data "{\"pid\":$$}" "$api/invocation/$id/response" || exit 1
done
