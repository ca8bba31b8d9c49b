#!/bin/bash
# The onshi-sandbox command line: argument errors, up with 2 readers, insert/remove seen by
# PC/SC, card behaviour through the stack, journal format and masking, status, the fault
# switches (remove --after-apdus, restart-pcscd), down.
. "$(dirname "$0")/common.sh"

step "bad arguments exit 2"
expect_rc 2 "$SANDBOX"
expect_rc 2 "$SANDBOX" frobnicate
expect_rc 2 "$SANDBOX" up
expect_rc 2 "$SANDBOX" up --dir "$DIR" --readers 0
expect_rc 2 "$SANDBOX" up --dir "$DIR" --readers 2 --card 2=valid-honnin
expect_rc 2 "$SANDBOX" up --dir "$DIR" --card 0=nobody
expect_rc 2 "$SANDBOX" up --dir "$DIR" --bogus
expect_rc 2 "$SANDBOX" insert --dir "$DIR" --slot x --persona valid-honnin
expect_rc 2 "$SANDBOX" remove --dir "$DIR"
expect_rc 2 "$SANDBOX" remove --dir "$DIR" --slot 0 --after-apdus 0
expect_rc 2 "$SANDBOX" restart-pcscd --dir "$DIR" --down-ms 99999
expect_rc 3 "$SANDBOX" status --dir "$DIR"
expect_rc 0 "$SANDBOX" down --dir "$DIR"

step "personas"
"$SANDBOX" personas --json | python3 -c '
import json, sys
ps = json.load(sys.stdin)["personas"]
ids = {p["id"] for p in ps}
need = {"valid-honnin","valid-kazoku","elderly-70","koki-39","limit-cert","lost-qualification",
        "new-qualification","no-record","revoked-cert","cert-expired","cert-grace","cert-expiring",
        "blocked-pin","last-try","phone-android","phone-android-blocked","phone-android-last-try",
        "phone-iphone","seikatsu-hogo",
        "juki-card","not-mynumber"}
assert need <= ids, need - ids
for p in ps:
    assert p["description_ja"] and p["description_en"], p["id"]
    if p["card"] == "my_number":
        assert len(p["pin"]) == 4 and len(p["collation_number_b"]) == 14, p["id"]
' || fail "personas --json"

step "up with 2 readers"
t0=$(date +%s%N)
check "$SANDBOX" up --dir "$DIR" --readers 2 --card 0=valid-honnin
echo "up took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
expect_rc 1 "$SANDBOX" up --dir "$DIR"   # already up
for f in env plugin.json personas.json ca/crl.pem ca/ca.cert.pem apdu.jsonl; do
  [ -s "$DIR/$f" ] || [ "$f" = apdu.jsonl -a -e "$DIR/$f" ] || fail "missing $DIR/$f"
done
grep -qx "PCSCLITE_CSOCK_NAME=$DIR/run/pcscd.comm" "$DIR/env" || fail "env: $(cat "$DIR/env")"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); assert c["locale"]=="ja" and "pcsc" in c' \
  "$DIR/plugin.json" || fail "plugin.json"
python3 - "$DIR" <<'PY' || fail "personas.json / crl.pem"
import json, subprocess, sys
d = sys.argv[1]
ps = {p["id"]: p for p in json.load(open(d + "/personas.json"))["personas"]}
crl = subprocess.run(["openssl", "crl", "-in", d + "/ca/crl.pem", "-noout", "-text"],
                     capture_output=True, text=True, check=True).stdout.replace(":", "").upper()
assert ps["revoked-cert"]["auth_cert"]["serial"] in crl, "revoked serial not in the CRL"
assert ps["valid-honnin"]["auth_cert"]["serial"] not in crl
assert ps["not-mynumber"]["auth_cert"] is None
for pid in ("valid-honnin", "cert-expired", "revoked-cert", "phone-android"):
    pem = d + "/" + ps[pid]["auth_cert"]["pem"]
    subj = subprocess.run(["openssl", "x509", "-in", pem, "-noout", "-subject"],
                          capture_output=True, text=True, check=True).stdout
    assert ps[pid]["name"] not in subj, "auth cert must carry no name"
r = subprocess.run(["openssl", "verify", "-CAfile", d + "/ca/ca.cert.pem",
                    d + "/" + ps["cert-expired"]["auth_cert"]["pem"]], capture_output=True, text=True)
assert r.returncode != 0 and "expired" in r.stdout + r.stderr, r
for pid, p in ps.items():
    if p["card"] == "my_number":
        jp2 = open(d + "/" + p["face_photo"], "rb").read()
        assert jp2[4:8] == b"jP  " and len(jp2) > 200, pid
PY
set -a; . "$DIR/env"; set +a
readers=$(opensc-tool -l 2>/dev/null)
echo "$readers" | grep -q "Yes .*Virtual PCD 00 00" || fail "slot 0 not present: $readers"
echo "$readers" | grep -q "No .*Virtual PCD 00 01" || fail "slot 1 not empty: $readers"

step "insert / remove"
check "$SANDBOX" insert --dir "$DIR" --slot 1 --persona blocked-pin
opensc-tool -l 2>/dev/null | grep -q "Yes .*Virtual PCD 00 01" || fail "slot 1 not present after insert"
expect_rc 1 "$SANDBOX" insert --dir "$DIR" --slot 1 --persona valid-kazoku   # occupied
expect_rc 2 "$SANDBOX" insert --dir "$DIR" --slot 5 --persona valid-kazoku   # no such slot
"$SANDBOX" status --dir "$DIR" | grep -q "blocked-pin" || fail "status does not show blocked-pin"

step "card behaviour through pcscd"
JPKI=00A4040C0AD392F000260100000001
apdus() { opensc-tool -r "$1" $(shift; for a in "$@"; do printf -- '-s %s ' "$a"; done) 2>&1 |
          sed -n 's/.*Received (SW1=0x\(..\), SW2=0x\(..\)).*/\1\2/p' | tr '\n' ' '; }
got=$(apdus 1 $JPKI 00A4020C020018 00200080 002000800431313131)
[ "$got" = "9000 9000 63C0 6984 " ] || fail "blocked PIN: got '$got'"
got=$(apdus 0 $JPKI 00A4020C020017 802A008003010203 00A4020C020018 00200080 002000800439393939 00200080 002000800431323334 00200080 00A4020C020017 802A008003010203)
[ "$got" = "9000 9000 6982 9000 63C3 63C2 63C2 9000 63C3 9000 9000 " ] || fail "PIN/sign: got '$got'"
got=$(apdus 0 00A4040008A000000003000000 $JPKI 00A4020C020001 00B0000004 00A4020C02000A 00B0000004 00B07F0000 00CA000000)
[ "$got" = "6A82 9000 9000 6982 9000 9000 6B00 6D00 " ] || fail "EFs: got '$got'"
# 券面事項確認AP: card face with 照合番号B
B=$("$SANDBOX" personas --json | python3 -c 'import json,sys; print([p for p in json.load(sys.stdin)["personas"] if p["id"]=="valid-honnin"][0]["collation_number_b"])')
BHEX=$(printf '%s' "$B" | od -An -tx1 | tr -d ' \n')
got=$(apdus 0 00A4040C0AD3921000310001010402 00A4020C020002 00B0000004 00A4020C020012 00200080 002000800E$BHEX 00A4020C020002 00B0000004)
[ "$got" = "9000 9000 6982 9000 63CA 9000 9000 9000 " ] || fail "Kenkaku: got '$got'"

step "remove, then other kinds of card"
check "$SANDBOX" remove --dir "$DIR" --slot 1
check "$SANDBOX" insert --dir "$DIR" --slot 1 --persona juki-card
got=$(opensc-tool -r 1 -s $JPKI -s 00A4020C020006 -s 00B0000010 -s 00A4040C0AD3921000310001010402 2>&1 | tr -d '\n')
echo "$got" | grep -q "JPKIAPICCTOKEN " || fail "juki-card token: $got"
echo "$got" | grep -q "SW1=0x6A, SW2=0x82" || fail "juki-card must have no Kenkaku AP: $got"
check "$SANDBOX" remove --dir "$DIR" --slot 1
check "$SANDBOX" insert --dir "$DIR" --slot 1 --persona not-mynumber
opensc-tool -r 1 -a 2>/dev/null | grep -qi "3b:8f:80:01" || fail "not-mynumber ATR"
got=$(apdus 1 $JPKI)
[ "$got" = "6A82 " ] || fail "not-mynumber must have no JPKI AP: got '$got'"
check "$SANDBOX" remove --dir "$DIR" --slot 1
opensc-tool -l 2>/dev/null | grep -q "No .*Virtual PCD 00 01" || fail "slot 1 not empty after remove"
check "$SANDBOX" remove --dir "$DIR" --slot 1   # idempotent

step "journal"
python3 - "$DIR/apdu.jsonl" "$BHEX" <<'PY' || fail "journal"
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) >= 20, len(lines)
hexre = re.compile(r"^[0-9A-F]*$")
verify_data = 0
for l in lines:
    j = json.loads(l)
    assert set(j) == {"t_us", "slot", "c", "r"}, j
    assert isinstance(j["t_us"], int) and j["slot"] in (0, 1)
    c, r = j["c"], j["r"]
    assert hexre.match(r) and len(r) >= 4 and len(r) % 2 == 0, j
    if c.startswith("0020") and len(c) > 8:
        assert c == c[:8] + "*", j   # VERIFY data masked
        verify_data += 1
    else:
        assert hexre.match(c) and len(c) >= 8 and len(c) % 2 == 0, j
text = open(sys.argv[1]).read().upper()
assert verify_data >= 4, verify_data
for secret in ("31323334", "31313131", sys.argv[2].upper()):
    assert secret not in text, secret
PY

step "fault switches"
expect_rc 1 "$SANDBOX" remove --dir "$DIR" --slot 1 --after-apdus 1   # empty slot
check "$SANDBOX" remove --dir "$DIR" --slot 0 --after-apdus 1           # returns at once
got=$(apdus 0 $JPKI)
[ -z "$got" ] || fail "the card answered after its removal point: '$got'"
last=$(grep '"slot":0' "$DIR/apdu.jsonl" | tail -1)
case "$last" in *'"r":""}') ;; *) fail "the pulled APDU must be journaled unanswered: $last";; esac
"$SANDBOX" status --dir "$DIR" --json | python3 -c 'import json,sys; assert json.load(sys.stdin)["slots"][0]["persona"] is None' ||
  fail "slot 0 must be empty after the pull"
check "$SANDBOX" insert --dir "$DIR" --slot 0 --persona valid-honnin  # waits until pcscd saw it empty
got=$(apdus 0 $JPKI)
[ "$got" = "9000 " ] || fail "re-inserted card: got '$got'"
pid_before=$("$SANDBOX" status --dir "$DIR" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pcscd_pid"])')
check "$SANDBOX" restart-pcscd --dir "$DIR" --down-ms 200
pid_after=$("$SANDBOX" status --dir "$DIR" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pcscd_pid"])')
[ "$pid_before" != "$pid_after" ] || fail "pcscd pid unchanged after restart-pcscd"
readers=$(opensc-tool -l 2>/dev/null)
echo "$readers" | grep -q "Yes .*Virtual PCD 00 00" || fail "slot 0 not present after restart: $readers"
echo "$readers" | grep -q "No .*Virtual PCD 00 01" || fail "slot 1 not empty after restart: $readers"
got=$(apdus 0 $JPKI 00A4020C020018 00200080)
[ "$got" = "9000 9000 63C3 " ] || fail "card after the restart: got '$got'"

step "down leaves no process"
check "$SANDBOX" down --dir "$DIR"
expect_rc 0 "$SANDBOX" down --dir "$DIR"   # idempotent
expect_rc 3 "$SANDBOX" status --dir "$DIR"
left=""
for p in /proc/[0-9]*; do
  [ "${p#/proc/}" = $$ ] && continue
  cmd=$(tr '\0' ' ' 2>/dev/null < "$p/cmdline") || continue
  case "$cmd" in *"$DIR"*) state=$(awk '{print $3}' "$p/stat" 2>/dev/null); [ "$state" != Z ] && left="$left ${p#/proc/}:$cmd";; esac
done
[ -z "$left" ] || fail "processes left:$left"
[ ! -e "$DIR/control.sock" ] || fail "control.sock left behind"
[ ! -e "$DIR/run/pcscd.comm" ] || fail "pcscd.comm left behind"
exit $FAILED
