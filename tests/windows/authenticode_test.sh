#!/usr/bin/env bash
# Authenticode for onshi.dll (docs/windows.md §Signing): makes a throw-away test root CA and a
# code-signing certificate with openssl, signs copies of the x64 and x86 DLLs with osslsigncode
# (SHA-256) and verifies each against that root. Also shows that the check can fail: the signed
# DLL does not verify against another root, a byte changed after signing breaks it, and the
# unsigned DLL has no signature. Each DLL must carry its version resource (VERSIONINFO) with the
# fields hosts and support staff read, unchanged by signing.
#
#   authenticode_test.sh WORK_DIR VERSION DLL...
#
# Writes WORK_DIR/<n>/onshi.dll (signed copies, in the order given) and WORK_DIR/pki/. The key is
# a test key made here and never leaves WORK_DIR: a vendor signs with its own certificate.
set -uo pipefail
work=$1 version=$2
shift 2
rm -rf "$work"
mkdir -p "$work/pki"
pki=$work/pki
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# The test root and the code-signing certificate it issues (the usage Windows checks for
# Authenticode: extendedKeyUsage codeSigning).
make_root() {  # make_root NAME
  openssl req -x509 -new -newkey rsa:3072 -nodes -sha256 -days 2 -subj "/O=onshi test/CN=$1" \
    -keyout "$pki/$1.key" -out "$pki/$1.pem" \
    -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}
make_root onshi-test-root || { echo "openssl could not make the test root"; exit 1; }
make_root other-root || { echo "openssl could not make the second root"; exit 1; }
openssl req -new -newkey rsa:3072 -nodes -subj "/O=onshi test/CN=onshi test code signing" \
  -keyout "$pki/signer.key" -out "$pki/signer.csr" 2>/dev/null
cat >"$pki/signer.ext" <<'EOF'
basicConstraints=critical,CA:false
keyUsage=critical,digitalSignature
extendedKeyUsage=codeSigning
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
openssl x509 -req -in "$pki/signer.csr" -CA "$pki/onshi-test-root.pem" -CAkey "$pki/onshi-test-root.key" \
  -CAcreateserial -days 2 -sha256 -extfile "$pki/signer.ext" -out "$pki/signer.pem" 2>/dev/null \
  || { echo "openssl could not issue the code-signing certificate"; exit 1; }

# The version resource: VS_FIXEDFILEINFO's file version and the StringFileInfo values Explorer's
# Details tab shows (read from the PE bytes, UTF-16LE as Windows stores them).
check_version_resource() {  # check_version_resource DLL
  python3 - "$1" "$version" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
version = sys.argv[2]
fixed = data.find(struct.pack("<I", 0xFEEF04BD))
if data.find("VS_VERSION_INFO".encode("utf-16-le")) < 0 or fixed < 0:
    sys.exit("no VERSIONINFO resource")
ms, ls = struct.unpack_from("<II", data, fixed + 8)
got = "%d.%d.%d.%d" % (ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF)
if got != version + ".0":
    sys.exit("FILEVERSION is %s, expected %s.0" % (got, version))
for key, value in [("FileVersion", version), ("ProductVersion", version), ("ProductName", "onshi"),
                   ("OriginalFilename", "onshi.dll"), ("CompanyName", None), ("FileDescription", None)]:
    k = key.encode("utf-16-le") + b"\0\0"
    at = data.find(k)
    if at < 0:
        sys.exit("no %s in the version resource" % key)
    if value is not None:
        at += len(k)
        at += (4 - at % 4) % 4  # the value starts on a 32-bit boundary
        if not data[at:].startswith(value.encode("utf-16-le") + b"\0\0"):
            sys.exit("%s is not %s" % (key, value))
print("version resource: FILEVERSION " + got)
EOF
}

n=0
for dll in "$@"; do
  n=$((n + 1))
  out=$work/$n
  mkdir -p "$out"
  check_version_resource "$dll" || bad "$dll: version resource"
  if osslsigncode verify -CAfile "$pki/onshi-test-root.pem" -in "$dll" >"$out/unsigned-verify.log" 2>&1; then
    bad "$dll: an unsigned DLL verified"
  fi
  if ! osslsigncode sign -certs "$pki/signer.pem" -key "$pki/signer.key" -h sha256 \
       -n "onshi" -i "https://github.com/" -in "$dll" -out "$out/onshi.dll" >"$out/sign.log" 2>&1; then
    bad "$dll: osslsigncode sign failed: $(cat "$out/sign.log")"
    continue
  fi
  if osslsigncode verify -CAfile "$pki/onshi-test-root.pem" -in "$out/onshi.dll" >"$out/verify.log" 2>&1; then
    echo "$dll: signed, $(grep -m1 -o 'Signature verification: ok' "$out/verify.log" || echo 'verified')"
  else
    bad "$dll: the signature does not verify against the test root: $(tail -n 20 "$out/verify.log")"
  fi
  check_version_resource "$out/onshi.dll" || bad "$dll: the signed copy lost its version resource"
  # Negative cases: another root, and one byte of the code changed after signing.
  if osslsigncode verify -CAfile "$pki/other-root.pem" -in "$out/onshi.dll" >"$out/other-root.log" 2>&1; then
    bad "$dll: verified against a root that did not issue the signer"
  fi
  cp "$out/onshi.dll" "$out/tampered.dll"
  printf '\x90' | dd of="$out/tampered.dll" bs=1 seek=4096 conv=notrunc status=none
  if osslsigncode verify -CAfile "$pki/onshi-test-root.pem" -in "$out/tampered.dll" >"$out/tampered.log" 2>&1; then
    bad "$dll: a DLL changed after signing still verified"
  fi
  rm -f "$out/tampered.dll"
done
[ "$n" -gt 0 ] || bad "no DLL given"
[ $fail -eq 0 ] && echo "authenticode: $n DLLs signed and verified against the test root"
exit $fail
