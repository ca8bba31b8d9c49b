#!/usr/bin/env bash
# onshi.dll under Wine against the sandbox on Linux, compared with libonshi on Linux.
#
#   end_to_end.sh LINUX_BUILD_DIR WINDOWS_BIN_DIR TEST_WINSCARD_DIR WORK_DIR
#
# 1. `onshi-sandbox up`: the reference gateway (mutual TLS, its own CA) and a private pcscd with
#    valid-honnin in slot 0 ("Virtual PCD 00 00").
# 2. Linux: onshi-check registers a terminal and runs a PIN check on slot 0 (--json).
# 3. Windows: `onshi-sandbox card` puts another valid-honnin card on a vpcd port in this network
#    namespace; onshi-check.exe + onshi.dll under Wine reach it through the test winscard.dll
#    (copied beside them in a scratch directory, WINEDLLOVERRIDES=winscard=n), register a second terminal (its key sealed with DPAPI) and run
#    the same PIN check over mutual TLS to the same gateway.
# 4. The two result JSONs must be equal but for per-check ids and timestamps.
# 5. Under Wine a gateway whose certificate does not chain to the configured CA is refused
#    (ONSHI_E_TLS): proof that curl+OpenSSL verify inside onshi.dll under Wine too, and plain
#    http:// is refused before any connection.
# Needs root (the sandbox's namespaces): otherwise exit 77 (skipped). Expects WINEPREFIX etc.
# from scripts/windows/test-windows.sh (a throw-away prefix with a running wineserver).
set -uo pipefail
linux=${ONSHI_E2E_LINUX_BUILD_DIR:-$1} winbin=$2 fake=$3 work=$4  # the env var: another Linux tree
sandbox=$linux/bin/onshi-sandbox
check=$linux/bin/onshi-check
if [ "$(id -u)" -ne 0 ]; then
  echo "needs root for the sandbox's namespaces: skipped"
  exit 77
fi
for f in "$sandbox" "$check"; do
  [ -x "$f" ] || { echo "FAIL: $f is missing: build the Linux tree first (cmake --preset default)"; exit 1; }
done

rm -rf "$work"
mkdir -p "$work"
# The sandbox dir holds a unix socket path: keep it short, whatever the checkout's path is.
dir=$(mktemp -d /tmp/onshi-win-e2e.XXXXXX)
card_pid=""
cleanup() {
  [ -n "$card_pid" ] && kill "$card_pid" 2>/dev/null && wait "$card_pid" 2>/dev/null
  "$sandbox" down --dir "$dir" >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

if ! "$sandbox" up --dir "$dir" --readers 1 --card 0=valid-honnin --terminals-allowed 3 >"$work/up.log" 2>&1; then
  cat "$work/up.log"; tail -n 30 "$dir/sandbox.log" 2>/dev/null
  exit 1
fi

# ---- Linux: libonshi.so through the sandbox's pcscd.
(
  set -a; . "$dir/env"; set +a
  "$check" --config "$dir/plugin.json" --register --setup "$dir/setup.json" --json >"$work/linux-register.json" 2>&1 \
    || { echo "Linux registration failed:"; cat "$work/linux-register.json"; exit 1; }
  echo 1234 | timeout 120 "$check" --config "$dir/plugin.json" --pin-stdin --reader "Virtual PCD 00 00" --json \
    >"$work/linux-check.json" 2>"$work/linux-check.err"
  echo "Linux onshi-check exit status $?"
) || bad "Linux run"

# ---- Windows: onshi.dll under Wine; a card of the same persona on the test winscard.dll's port.
port=""
for _ in $(seq 1 50); do
  p=$((36100 + RANDOM % 20000))
  ss -Hltn "sport = :$p" | grep -q . || { port=$p; break; }
done
[ -n "$port" ] || { echo "FAIL: no free TCP port"; exit 1; }
"$sandbox" card --dir "$dir" --persona valid-honnin --port "$port" >"$work/card.log" 2>&1 &
card_pid=$!

# The Windows configs: the same gateway and CA as Linux's plugin.json, as Windows paths (Z: is
# the root of the Linux file system under Wine), a credential_dir of its own.
winpath() { echo "Z:${1//\//\\}"; }
python3 - "$dir/plugin.json" "$work" "$(winpath "$dir/terminal-win")" "$(winpath "$dir/gateway/ca.pem")" \
          "$(winpath "$dir/ca/ca.cert.pem")" <<'EOF'
import json, sys
src, work, cred, ca, wrong_ca = sys.argv[1:]
cfg = json.load(open(src))
cfg["credential_dir"] = cred
cfg["gateway"]["ca_file"] = ca
json.dump(cfg, open(work + "/plugin-win.json", "w"), ensure_ascii=False)
# A CA that did not sign the gateway's certificate (the sandbox's card CA).
cfg["gateway"]["ca_file"] = wrong_ca
json.dump(cfg, open(work + "/plugin-win-wrong-ca.json", "w"), ensure_ascii=False)
# Plain HTTP to the same port.
cfg["gateway"]["ca_file"] = ca
cfg["gateway"]["url"] = cfg["gateway"]["url"].replace("https://", "http://")
json.dump(cfg, open(work + "/plugin-win-http.json", "w"), ensure_ascii=False)
EOF
cp "$dir/setup.json" "$work/setup.json"

# A scratch application directory: onshi-check.exe, onshi.dll and the test winscard.dll side by
# side (the loader prefers the application's directory; WINEDLLOVERRIDES=winscard=n makes Wine
# take the native one there instead of its builtin stub). Never the build's bin/ nor an install.
app=$work/app
mkdir -p "$app"
cp "$winbin/onshi-check.exe" "$winbin/onshi.dll" "$fake/winscard.dll" "$app/"
wine_check() {  # wine_check OUT [ARGS...]: onshi-check.exe beside onshi.dll, under Wine
  local out=$1; shift
  ( cd "$app" && WINEDLLOVERRIDES="winscard=n;mscoree,mshtml=" ONSHI_TEST_VPCD_PORT=$port \
      timeout 120 wine ./onshi-check.exe "$@" ) >"$out" 2>"$out.err"
}

wine_check "$work/win-register.json" --config "$(winpath "$work/plugin-win.json")" --register \
  --setup "$(winpath "$work/setup.json")" --json
rc=$?
[ $rc -eq 0 ] || { bad "Windows registration exited $rc"; cat "$work/win-register.json" "$work/win-register.json.err"; }

wine_check "$work/win-readers.json" --config "$(winpath "$work/plugin-win.json")" --readers --json
grep -q '"Virtual PCD 00 00"' "$work/win-readers.json" || { bad "the test reader is not listed"; cat "$work/win-readers.json"*; }

echo 1234 | wine_check "$work/win-check.json" --config "$(winpath "$work/plugin-win.json")" --pin-stdin \
  --reader "Virtual PCD 00 00" --json
echo "Windows onshi-check.exe exit status $?"

# The key of the Windows terminal is sealed with DPAPI, never a PEM key in clear.
key=$dir/terminal-win/terminal.key
if [ ! -f "$key" ]; then bad "no $key"
elif ! head -n1 "$key" | grep -q '^-----BEGIN ONSHI DPAPI PRIVATE KEY-----'; then bad "terminal.key is not DPAPI-sealed"
elif grep -q 'BEGIN PRIVATE KEY' "$key"; then bad "terminal.key holds a clear PEM key"
else echo "terminal.key under Wine: DPAPI-sealed"
fi

# ---- Same answer on both platforms, but for per-check ids and timestamps.
python3 - "$work/linux-check.json" "$work/win-check.json" <<'EOF' || fail=1
import json, re, sys
# Per-check ids and timestamps (and the timing measurements), nothing else: the insurance data,
# its dates included, must be identical.
VOLATILE = {"/confirmation/id", "/confirmation/time", "/XmlMsg/MessageHeader/ProcessExecutionTime",
            "/XmlMsg/MessageHeader/QualificationConfirmationDate", "/timing"}
def load(p):
    text = open(p, encoding="utf-8", errors="replace").read().replace("\r\n", "\n")
    try:
        return json.loads(text)
    except ValueError:
        print(f"FAIL: {p} is not JSON:\n{text[:2000]}")
        sys.exit(1)
dropped = set()
def strip(v, path=""):
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if path + "/" + k in VOLATILE:
                dropped.add(path + "/" + k)
                continue
            out[k] = strip(x, path + "/" + k)
        return out
    if isinstance(v, list):
        return [strip(x, path) for x in v]
    return v
a, b = load(sys.argv[1]), load(sys.argv[2])
sa, sb = strip(a), strip(b)
print("ignored (ids, timestamps):", ", ".join(sorted(dropped)) or "nothing")
if sa != sb:
    print("FAIL: the Windows result differs from the Linux result")
    print("linux:  ", json.dumps(sa, ensure_ascii=False, sort_keys=True)[:3000])
    print("windows:", json.dumps(sb, ensure_ascii=False, sort_keys=True)[:3000])
    sys.exit(1)
flat = json.dumps(sa, ensure_ascii=False)
if sa.get("verdict") != "eligible":
    print("FAIL: the verdict is not eligible")
    sys.exit(1)
print(f"same result JSON on Linux and under Wine ({len(flat)} bytes compared)")
EOF

# ---- TLS verification really happens under Wine.
wine_check "$work/win-wrong-ca.json" --config "$(winpath "$work/plugin-win-wrong-ca.json")" --status --json
rc=$?
if [ $rc -eq 0 ]; then bad "a gateway certificate from a CA that is not configured was accepted"
elif ! grep -q "ONSHI_E_TLS\|TLS" "$work/win-wrong-ca.json" "$work/win-wrong-ca.json.err"; then
  bad "wrong CA: failed, but not with a TLS error"; cat "$work/win-wrong-ca.json"*
else echo "wrong CA refused under Wine: $(grep -ho 'ONSHI_E_TLS[^"]*\|TLS[^"]*' "$work/win-wrong-ca.json"* | head -n1)"
fi
wine_check "$work/win-http.json" --config "$(winpath "$work/plugin-win-http.json")" --status --json
rc=$?
if [ $rc -eq 0 ]; then bad "plain http:// was accepted"
else echo "plain http refused under Wine: $(head -c 200 "$work/win-http.json.err" "$work/win-http.json" | tr '\n' ' ')"
fi

[ $fail -eq 0 ] || {
  for f in "$work"/*.json "$work"/*.err "$work/card.log"; do echo "== $f"; head -c 3000 "$f"; echo; done
}
exit $fail
