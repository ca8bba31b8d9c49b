#!/bin/bash
# OpenSC 0.23's jpki driver, an independent client, reads the persona's auth certificate from the
# virtual card and signs with its key; the signature verifies against the certificate.
. "$(dirname "$0")/common.sh"
MODULE=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so
command -v pkcs15-tool >/dev/null && [ -e $MODULE ] || { echo "SKIP: opensc missing"; exit 77; }

step "up"
check "$SANDBOX" up --dir "$DIR" --card 0=valid-honnin
set -a; . "$DIR/env"; set +a
export OPENSC_DRIVER=jpki
PIN=$(python3 -c "import json,sys; print([p for p in json.load(open(sys.argv[1]))['personas'] if p['id']=='valid-honnin'][0]['pin'])" "$DIR/personas.json")
CERT=$DIR/personas/valid-honnin/auth.cert.pem

step "pkcs15-tool --read-certificate 01"
pkcs15-tool --reader 0 --read-certificate 01 > "$DIR/read.pem" || fail "pkcs15-tool failed"
cmp <(openssl x509 -in "$DIR/read.pem" -outform DER) <(openssl x509 -in "$CERT" -outform DER) \
  || fail "certificate read by OpenSC differs from $CERT"

step "pkcs11-tool --sign (SHA256-RSA-PKCS) and openssl verify"
printf 'onshi sandbox challenge %s\n' "$(date +%s%N)" > "$DIR/in"
pkcs11-tool --module $MODULE --slot-index 0 --login --pin "$PIN" --sign --id 01 \
  -m SHA256-RSA-PKCS -i "$DIR/in" -o "$DIR/sig" || fail "pkcs11-tool sign failed"
openssl x509 -in "$CERT" -pubkey -noout > "$DIR/pub.pem"
openssl dgst -sha256 -verify "$DIR/pub.pem" -signature "$DIR/sig" "$DIR/in" || fail "signature does not verify"

step "wrong PIN is reported as CKR_PIN_INCORRECT"
out=$(pkcs11-tool --module $MODULE --slot-index 0 --login --pin 9999 --sign --id 01 \
  -m SHA256-RSA-PKCS -i "$DIR/in" -o "$DIR/sig2" 2>&1)
echo "$out" | grep -q CKR_PIN_INCORRECT || fail "expected CKR_PIN_INCORRECT, got: $out"

step "journal: the PIN never appears, VERIFY data masked, no 個人番号 files touched"
PINHEX=$(printf '%s' "$PIN" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
grep -q "$PINHEX" "$DIR/apdu.jsonl" && fail "PIN bytes in the journal"
grep -q '"c":"00200080\*"' "$DIR/apdu.jsonl" || fail "no masked VERIFY in the journal"
grep -q '"c":"802A0080' "$DIR/apdu.jsonl" || fail "no SIGN in the journal"

step "down"
check "$SANDBOX" down --dir "$DIR"
exit $FAILED
