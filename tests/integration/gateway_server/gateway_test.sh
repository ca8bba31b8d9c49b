#!/bin/bash
# The reference gateway (sandbox/gateway) against docs/gateway-protocol.md, with curl
# and the openssl CLI: TLS and mTLS, enrollment, every check of POST /v1/confirmations, result
# data per persona, the request log and every fault switch. Usage: gateway_test.sh SANDBOX DIR
set -u
SANDBOX=$1
DIR=$2
if [ "$(id -u)" != 0 ]; then echo "SKIP: the sandbox needs root (namespaces)"; exit 77; fi
for tool in /usr/sbin/pcscd /usr/lib/pcsc/drivers/serial/libifdvpcd.so python3 curl openssl; do
  command -v "$tool" >/dev/null 2>&1 || [ -e "$tool" ] || { echo "SKIP: $tool missing"; exit 77; }
done

cleanup() {
  rc=$?
  "$SANDBOX" down --dir "$DIR" >/dev/null 2>&1
  if [ "$rc" != 0 ] && [ -f "$DIR/gateway/gateway.log" ]; then
    echo "== gateway.log"; tail -20 "$DIR/gateway/gateway.log"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$SANDBOX" down --dir "$DIR" >/dev/null 2>&1   # a previous run killed hard
mkdir -p "$DIR"
rm -rf "$DIR/gateway" "$DIR/terminal" "$DIR/work"  # fresh registry: no terminals enrolled yet
"$SANDBOX" up --dir "$DIR" --terminals-allowed 2 || { echo "FAIL: up"; exit 1; }
python3 "$(dirname "$0")/gateway_test.py" "$SANDBOX" "$DIR"
