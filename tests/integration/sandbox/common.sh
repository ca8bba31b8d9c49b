# Shared helpers of the sandbox integration tests (sourced by *_test.sh).
# Usage of a test: <test>.sh /path/to/onshi-sandbox /path/to/own/work/dir
set -u
SANDBOX=$1
DIR=$2
FAILED=0
STEP=""

step() { STEP=$*; echo "--- $*"; }
fail() { echo "FAIL [$STEP]: $*" >&2; FAILED=1; }
check() { "$@" || fail "command failed: $*"; }
expect_rc() {  # expect_rc RC command...
  local want=$1; shift
  "$@" >/tmp/sandbox-test-out.$$ 2>&1; local rc=$?
  [ "$rc" = "$want" ] || { fail "expected exit $want, got $rc: $*"; cat /tmp/sandbox-test-out.$$ >&2; }
  rm -f /tmp/sandbox-test-out.$$
}

if [ "$(id -u)" != 0 ]; then echo "SKIP: the sandbox needs root (namespaces)"; exit 77; fi
for tool in /usr/sbin/pcscd /usr/lib/pcsc/drivers/serial/libifdvpcd.so python3; do
  command -v "$tool" >/dev/null 2>&1 || [ -e "$tool" ] || { echo "SKIP: $tool missing"; exit 77; }
done

cleanup() {
  "$SANDBOX" down --dir "$DIR" >/dev/null 2>&1
  if [ "$FAILED" != 0 ]; then
    for f in sandbox.log pcscd.log; do [ -f "$DIR/$f" ] && { echo "== $f"; tail -20 "$DIR/$f"; }; done
  fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$SANDBOX" down --dir "$DIR" >/dev/null 2>&1   # a previous run killed hard
rm -f "$DIR/apdu.jsonl"
mkdir -p "$DIR"
