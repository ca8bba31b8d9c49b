"""The reference gateway over real TLS, with curl and the openssl CLI (run by gateway_test.sh).

argv: SANDBOX DIR, with `onshi-sandbox up --dir DIR --terminals-allowed 2` already running and
no terminal enrolled yet.
"""
import base64
import json
import os
import re
import secrets
import socket
import stat
import subprocess
import sys
import time

SANDBOX, DIR = sys.argv[1], sys.argv[2]
WORK = os.path.join(DIR, "work")
os.makedirs(WORK, exist_ok=True)
FAILED = []
STEP = [""]


def step(name):
    STEP[0] = name
    print("---", name, flush=True)


def check(cond, what):
    if not cond:
        FAILED.append(f"[{STEP[0]}] {what}")
        print(f"FAIL [{STEP[0]}]: {what}", file=sys.stderr, flush=True)
    return cond


def run(*args, input=None):
    return subprocess.run(list(args), input=input, capture_output=True)


SETUP = json.load(open(os.path.join(DIR, "setup.json")))
URL = SETUP["gateway_url"]
CA = os.path.join(DIR, "gateway", "ca.pem")
PERSONAS = {p["id"]: p for p in json.load(open(os.path.join(DIR, "personas.json")))["personas"]}


def curl(method, path, body=None, cert=None, key=None, cacert=CA, timeout=20, extra=()):
    """-> (curl exit code, HTTP status, body text, seconds)"""
    out = os.path.join(WORK, "resp")
    if os.path.exists(out):
        os.unlink(out)
    cmd = ["curl", "-sS", "-X", method, "--cacert", cacert, "-o", out, "-w", "%{http_code}",
           "-m", str(timeout), *extra]
    if cert:
        cmd += ["--cert", cert, "--key", key]
    if body is not None:
        data = os.path.join(WORK, "req")
        with open(data, "wb") as f:
            f.write(body if isinstance(body, bytes) else body.encode())
        cmd += ["-H", "Content-Type: application/json", "--data-binary", "@" + data]
    t0 = time.monotonic()
    r = subprocess.run(cmd + [URL + path], capture_output=True, text=True)
    dt = time.monotonic() - t0
    text = open(out, encoding="utf-8", errors="replace").read() if os.path.exists(out) else ""
    status = int(r.stdout) if r.stdout.strip().isdigit() else 0
    return r.returncode, status, text, dt


def error_code(text):
    try:
        return json.loads(text)["error"]["code"]
    except Exception:
        return None


def expect_error(res, status, code):
    rc, st, text, _ = res
    check(rc == 0 and st == status and error_code(text) == code,
          f"expected {status} {code}, got curl rc {rc}, HTTP {st}: {text[:300]}")
    if error_code(text):
        e = json.loads(text)["error"]
        check(e.get("message_ja") and e.get("message_en"), "error messages ja/en")


def make_csr(name, kind="ec"):
    key = os.path.join(WORK, name + ".key.pem")
    csr = os.path.join(WORK, name + ".csr.pem")
    if kind == "ec":
        newkey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
    else:
        newkey = ["-newkey", kind]
    r = run("openssl", "req", "-new", *newkey, "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=ignored")
    assert r.returncode == 0, r.stderr
    return key, open(csr).read()


def enroll_body(csr, password=None, name="受付1"):
    return json.dumps({"facility_code": SETUP["facility_code"], "enrollment_id": SETUP["enrollment_id"],
                       "setup_password": SETUP["setup_password"] if password is None else password,
                       "terminal_name": name, "csr_pem": csr}, ensure_ascii=False)


def cert_b64(persona):
    pem = os.path.join(DIR, PERSONAS[persona]["auth_cert"]["pem"])
    der = run("openssl", "x509", "-in", pem, "-outform", "DER").stdout
    return base64.b64encode(der).decode()


def sign(persona, payload):
    key = os.path.join(DIR, "personas", persona, "auth.key.pem")
    r = run("openssl", "dgst", "-sha256", "-sign", key, input=payload.encode())
    assert r.returncode == 0, r.stderr
    return base64.b64encode(r.stdout).decode()


def confirmation(persona, terminal, method="pin", consent=False, when=None, facility=None,
                 nonce=None, signer=None, cert=None, payload_terminal=None):
    payload = json.dumps({"v": 1, "method": method, "facility": facility or SETUP["facility_code"],
                          "terminal": payload_terminal or terminal,
                          "nonce": nonce or secrets.token_hex(16),
                          "time": int(time.time()) if when is None else when}, separators=(",", ":"))
    body = {"payload": payload, "certificate": cert or cert_b64(persona),
            "signature": sign(signer or persona, payload) if method == "pin" else None,
            "attestation": {"staff_confirmed": True} if method == "visual" else None,
            "consents": {"limit_application_certificate": consent}}
    return json.dumps(body)


# ------------------------------------------------------------------------------------------------
step("files in DIR: plugin.json, setup.json, gateway CA files")
plugin = json.load(open(os.path.join(DIR, "plugin.json")))
check(plugin.get("locale") == "ja", "plugin.json locale")
check(plugin.get("gateway", {}).get("url") == URL, f"plugin.json gateway.url {plugin}")
check(plugin.get("gateway", {}).get("ca_file") == CA, "plugin.json gateway.ca_file")
check(plugin.get("credential_dir") == os.path.join(DIR, "terminal"), "plugin.json credential_dir")
check(os.path.isabs(CA) and os.path.isdir(plugin["credential_dir"]), "absolute paths, terminal dir exists")
check(stat.S_IMODE(os.stat(os.path.join(DIR, "setup.json")).st_mode) == 0o600, "setup.json is 0600")
check(re.fullmatch(r"https://127\.0\.0\.1:\d+", URL) is not None, f"gateway_url {URL}")
check(SETUP["facility_code"] == "3410712362" and SETUP["enrollment_id"] and len(SETUP["setup_password"]) >= 8,
      "setup.json fields")
for f in ("ca.pem", "other-ca.pem", "terminal-ca.pem", "server.pem", "registry.sqlite"):
    check(os.path.exists(os.path.join(DIR, "gateway", f)), f"DIR/gateway/{f}")
san = run("openssl", "x509", "-in", os.path.join(DIR, "gateway", "server.pem"), "-noout", "-ext",
          "subjectAltName").stdout.decode()
check("IP Address:127.0.0.1" in san and "DNS:localhost" in san, f"server SAN: {san}")

step("health over TLS, verified with DIR/gateway/ca.pem (and localhost)")
rc, st, text, _ = curl("GET", "/v1/health")
check(rc == 0 and st == 200 and json.loads(text) == {"status": "ok", "protocol": 1}, f"health {rc} {st} {text}")
port = URL.rsplit(":", 1)[1]
r = run("curl", "-sS", "--cacert", CA, f"https://localhost:{port}/v1/health")
check(r.returncode == 0 and b'"ok"' in r.stdout, f"health via localhost: {r.stderr}")
rc, *_ = curl("GET", "/v1/health", cacert=os.path.join(DIR, "gateway", "other-ca.pem"))
check(rc == 60, f"a client trusting other-ca.pem must refuse the server (curl rc {rc})")
rc, *_ = curl("GET", "/v1/health", extra=("--tls-max", "1.1"))
check(rc != 0, "TLS 1.1 must be refused")

step("keep-alive: several requests on one connection")
r = run("curl", "-sv", "--cacert", CA, URL + "/v1/health", URL + "/v1/health", URL + "/v1/health")
check(r.returncode == 0 and r.stderr.count(b"Re-using existing connection") + r.stderr.count(b"Reusing existing") >= 2,
      "connection reused")

step("enrollment: wrong credentials, bad CSRs")
_, csr1 = make_csr("t1")
expect_error(curl("POST", "/v1/terminals", enroll_body(csr1, password="wrong-password")), 401, "E_SETUP_CREDENTIALS")
bad = json.loads(enroll_body(csr1))
bad["enrollment_id"] = "ENR-9999"
expect_error(curl("POST", "/v1/terminals", json.dumps(bad)), 401, "E_SETUP_CREDENTIALS")
bad = json.loads(enroll_body(csr1))
bad["facility_code"] = "0110113719"
expect_error(curl("POST", "/v1/terminals", json.dumps(bad)), 401, "E_SETUP_CREDENTIALS")
expect_error(curl("POST", "/v1/terminals", enroll_body("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n")), 400, "E_BAD_REQUEST")
_, weak = make_csr("weak", "rsa:1024")
expect_error(curl("POST", "/v1/terminals", enroll_body(weak)), 400, "E_BAD_REQUEST")
expect_error(curl("POST", "/v1/terminals", "{not json"), 400, "E_BAD_REQUEST")
expect_error(curl("POST", "/v1/terminals", json.dumps({"facility_code": 3410712362})), 400, "E_BAD_REQUEST")

step("enrollment: two terminals (P-256 and RSA-2048), the third one is over the limit")
terminals = []
for name, kind in (("t1", "ec"), ("t2", "rsa:2048")):
    key, csr = make_csr(name, kind)
    rc, st, text, _ = curl("POST", "/v1/terminals", enroll_body(csr, name="受付" + name[-1]))
    if not check(rc == 0 and st == 201, f"enroll {name}: {rc} {st} {text[:300]}"):
        sys.exit(1)
    resp = json.loads(text)
    tid = resp["terminal_id"]
    check(re.fullmatch(r"T-3410712362-\d{4}", tid) is not None, f"terminal id {tid}")
    check(resp["facility"]["code"] == "3410712362" and resp["facility"]["terminals_allowed"] == 2
          and resp["facility"]["terminals_used"] == len(terminals) + 1 and resp["facility"]["name"],
          f"facility {resp['facility']}")
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", resp["certificate_expires_at"]) is not None,
          "certificate_expires_at")
    crt = os.path.join(WORK, name + ".crt.pem")
    open(crt, "w").write(resp["certificate_pem"])
    tca = os.path.join(WORK, "terminal-ca.pem")
    open(tca, "w").write(resp["ca_pem"])
    v = run("openssl", "verify", "-CAfile", tca, "-purpose", "sslclient", crt)
    check(v.returncode == 0, f"terminal certificate verifies against ca_pem: {v.stdout} {v.stderr}")
    subj = run("openssl", "x509", "-in", crt, "-noout", "-subject", "-ext", "extendedKeyUsage").stdout.decode()
    check(f"CN = {tid}" in subj and "TLS Web Client Authentication" in subj, f"subject/EKU {subj}")
    end = run("openssl", "x509", "-in", crt, "-noout", "-checkend", str(360 * 86400))
    end2 = run("openssl", "x509", "-in", crt, "-noout", "-checkend", str(366 * 86400))
    check(end.returncode == 0 and end2.returncode != 0, "validity about one year")
    terminals.append((tid, crt, key))
_, csr3 = make_csr("t3")
expect_error(curl("POST", "/v1/terminals", enroll_body(csr3)), 409, "E_TERMINAL_LIMIT")
(T1, T1CRT, T1KEY), (T2, T2CRT, T2KEY) = terminals

step("GET /v1/terminals/self with and without a client certificate")
rc, st, text, _ = curl("GET", "/v1/terminals/self", cert=T1CRT, key=T1KEY)
if check(rc == 0 and st == 200, f"self: {rc} {st} {text}"):
    s = json.loads(text)
    check(s["terminal_id"] == T1 and s["terminal_name"] == "受付1" and s["planned_end_date"] is None
          and s["facility"]["terminals_used"] == 2 and s["certificate_expires_at"], f"self body {s}")
expect_error(curl("GET", "/v1/terminals/self"), 401, "E_NOT_ENROLLED")
# A client certificate that the terminal CA did not issue.
sk = os.path.join(WORK, "self.key.pem")
sc = os.path.join(WORK, "self.crt.pem")
run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", sk, "-out", sc, "-subj", "/CN=" + T1, "-days", "30")
expect_error(curl("GET", "/v1/terminals/self", cert=sc, key=sk), 401, "E_NOT_ENROLLED")
expect_error(curl("POST", "/v1/confirmations", confirmation("valid-honnin", T1)), 401, "E_NOT_ENROLLED")
expect_error(curl("POST", "/v1/confirmations", confirmation("valid-honnin", T1), cert=sc, key=sk), 401, "E_NOT_ENROLLED")


def confirm(persona, terminal=(T1, T1CRT, T1KEY), **kw):
    return curl("POST", "/v1/confirmations", confirmation(persona, terminal[0], **kw),
                cert=terminal[1], key=terminal[2])


def ok_result(res, what):
    rc, st, text, _ = res
    if not check(rc == 0 and st == 200, f"{what}: {rc} {st} {text[:400]}"):
        return None
    return json.loads(text)


def first_result(doc):
    return doc["result"]["XmlMsg"]["MessageBody"]["ResultList"]["ResultOfQualificationConfirmation"][0]


step("PIN confirmations: result data per persona")
expected = {
    "valid-honnin": ("1", {"InsurerNumber": "06130488", "PersonalFamilyClassification": "1",
                           "InsuredCardClassification": "01", "Name": "試験　太郎", "NameKana": "ｼｹﾝ ﾀﾛｳ",
                           "Birthdate": "19800217", "Sex1": "1"}),
    "valid-kazoku": ("1", {"InsurerNumber": "06130488", "PersonalFamilyClassification": "2",
                           "InsuredName": "試験　太郎", "Name": "試験　花子", "Sex1": "2"}),
    "elderly-70": ("1", {"InsurerNumber": "  138057"}),
    "koki-39": ("1", {"InsurerNumber": "39130042", "InsuredPartialContributionRatio": "010"}),
    "lost-qualification": ("2", {"ReasonOfLoss": "03", "DisqualificationDate": "20260331"}),
    "new-qualification": ("3", {}),
    "no-record": ("4", None),
    "last-try": ("1", {}),
    "phone-android": ("1", {"InsurerNumber": "06130488", "Name": "試験　スマ子", "NameKana": "ｼｹﾝ ｽﾏｺ"}),
    "seikatsu-hogo": ("1", {"InsuredCardClassification": "A1", "InsurerNumber": "12132015",
                            "InsuredIdentificationNumber": "5808084", "InsurerName": "架空区福祉事務所"}),
}
for persona, (validity, fields) in expected.items():
    doc = ok_result(confirm(persona), persona)
    if doc is None:
        continue
    conf = doc["confirmation"]
    check(conf["method"] == "pin" and re.fullmatch(r"\d{14}", conf["time"]) and conf["id"], f"{persona} confirmation {conf}")
    head = doc["result"]["XmlMsg"]["MessageHeader"]
    body = doc["result"]["XmlMsg"]["MessageBody"]
    check(re.fullmatch(r"\d{14}", head["ProcessExecutionTime"]) is not None
          and re.fullmatch(r"\d{8}", head["QualificationConfirmationDate"]) is not None
          and head["MedicalInstitutionCode"] == "3410712362" and head["ReferenceClassification"] == "1"
          and head["SegmentOfResult"] == "1" and head["CharacterCodeIdentifier"] == "0", f"{persona} header {head}")
    check(body["ProcessingResultStatus"] == "1" and body["QualificationValidity"] == validity,
          f"{persona} validity {body.get('QualificationValidity')} (want {validity})")
    if fields is None:
        check("ResultList" not in body, f"{persona}: no ResultList")
        continue
    results = body["ResultList"]["ResultOfQualificationConfirmation"]
    check(isinstance(results, list) and len(results) == 1, f"{persona}: one result")
    r0 = results[0]
    check(all(isinstance(v, (str, dict)) for v in r0.values()), f"{persona}: every leaf a string")
    for k, v in fields.items():
        check(r0.get(k) == v, f"{persona}: {k} = {r0.get(k)!r}, want {v!r}")
    check(r0.get("LimitApplicationCertificateRelatedConsFlg") == "0"
          and "LimitApplicationCertificateRelatedInfo" not in r0, f"{persona}: no limit info without consent")
    if persona == "koki-39":
        check("InsuredCardSymbol" not in r0, "koki-39 has no InsuredCardSymbol")
    if persona == "seikatsu-hogo":
        tickets = r0.get("PublicExpenseResultList", {}).get("MedicalTicketInfo", [])
        check(isinstance(tickets, list) and [t.get("TicketType") for t in tickets] == ["01", "02"]
              and all(len(t) == 26 for t in tickets), f"seikatsu-hogo: 医療券 and 調剤券 with every element: {tickets}")
        check("PersonalFamilyClassification" not in r0 and "InsuredCardSymbol" not in r0, "医療扶助: no 本人・家族, no 記号")
    if persona == "elderly-70":
        check(r0.get("ElderlyRecipientCertificateInfo", {}).get("ElderlyRecipientContributionRatio") == "020",
              "elderly-70 ratio 020")

step("limit-cert: 限度額適用認定証 only with consent")
doc = ok_result(confirm("limit-cert"), "limit-cert without consent")
if doc:
    r0 = first_result(doc)
    check("LimitApplicationCertificateRelatedInfo" not in r0 and r0["LimitApplicationCertificateRelatedConsFlg"] == "0",
          f"without consent: {r0.get('LimitApplicationCertificateRelatedConsFlg')}")
doc = ok_result(confirm("limit-cert", consent=True), "limit-cert with consent")
if doc:
    r0 = first_result(doc)
    info = r0.get("LimitApplicationCertificateRelatedInfo", {})
    check(info.get("LimitApplicationCertificateClassification") == "01"
          and info.get("LimitApplicationCertificateClassificationFlag") == "A03", f"limit info {info}")
    check(r0.get("LimitApplicationCertificateRelatedConsFlg") == "1"
          and re.fullmatch(r"\d{14}", r0.get("LimitApplicationCertificateRelatedConsTime", "")) is not None,
          "ConsFlg 1 + ConsTime")

step("visual confirmation (blocked PIN), from the second terminal")
doc = ok_result(confirm("blocked-pin", terminal=(T2, T2CRT, T2KEY), method="visual"), "visual")
if doc:
    check(doc["confirmation"]["method"] == "visual" and doc["result"]["XmlMsg"]["MessageBody"]["QualificationValidity"] == "1",
          f"visual {doc['confirmation']}")

step("replay, stale, binding")
body = confirmation("valid-honnin", T1)
check(curl("POST", "/v1/confirmations", body, cert=T1CRT, key=T1KEY)[1] == 200, "first send")
expect_error(curl("POST", "/v1/confirmations", body, cert=T1CRT, key=T1KEY), 422, "E_REPLAY")
nonce = secrets.token_hex(16)
check(confirm("valid-honnin", terminal=(T2, T2CRT, T2KEY), nonce=nonce)[1] == 200, "nonce on terminal 2")
check(confirm("valid-honnin", nonce=nonce)[1] == 200, "the same nonce on another terminal is no replay")
expect_error(confirm("valid-honnin", when=int(time.time()) - 1000), 422, "E_STALE")
expect_error(confirm("valid-honnin", when=int(time.time()) + 400), 422, "E_STALE")
check(confirm("valid-honnin", when=int(time.time()) - 200)[1] == 200, "200 s off is fresh enough")
expect_error(confirm("valid-honnin", facility="0110113719"), 422, "E_BINDING")
expect_error(confirm("valid-honnin", payload_terminal=T2), 422, "E_BINDING")
visual_with_sig = json.loads(confirmation("valid-honnin", T1, method="visual"))
visual_with_sig["signature"] = sign("valid-honnin", visual_with_sig["payload"])
expect_error(curl("POST", "/v1/confirmations", json.dumps(visual_with_sig), cert=T1CRT, key=T1KEY), 422, "E_BINDING")

step("card certificate: revoked, expired, untrusted; signature")
expect_error(confirm("revoked-cert"), 422, "E_CERT_REVOKED")
expect_error(confirm("cert-expired"), 422, "E_CERT_EXPIRED")
gone = json.loads(confirm("cert-expired")[2])["error"]
check(gone["message_en"].count("-") >= 4 and "until" in gone["message_en"],
      f"E_CERT_EXPIRED names the expiry and the last usable day: {gone}")

step("certificate expiry notices: expiring (renew soon), grace (expired, still usable)")
for persona, code in (("cert-expiring", "CERT_EXPIRES_SOON"), ("cert-grace", "CERT_EXPIRED_GRACE")):
    rc, st, text, _ = confirm(persona)
    check(rc == 0 and st == 200, f"{persona}: {st} {text[:300]}")
    notices = json.loads(text).get("notices") if st == 200 else None
    check(isinstance(notices, list) and len(notices) == 1 and notices[0]["code"] == code
          and notices[0]["message_ja"] and notices[0]["message_en"] and len(notices[0]["expires_on"]) == 10,
          f"{persona}: notices {notices}")
    if code == "CERT_EXPIRED_GRACE" and notices:
        check(len(notices[0].get("usable_until", "")) == 10, f"grace names the last usable day: {notices}")
rc, st, text, _ = confirm("valid-honnin")
check(st == 200 and json.loads(text).get("notices") == [], "a valid certificate has no notice")
foreign = run("openssl", "x509", "-in", sc, "-outform", "DER").stdout
expect_error(confirm("valid-honnin", cert=base64.b64encode(foreign).decode()), 422, "E_CERT_UNTRUSTED")
expect_error(confirm("valid-honnin", signer="valid-kazoku"), 422, "E_SIGNATURE")

step("bad requests: malformed JSON, missing fields, oversized body, unknown endpoint")
expect_error(curl("POST", "/v1/confirmations", "{", cert=T1CRT, key=T1KEY), 400, "E_BAD_REQUEST")
nosig = json.loads(confirmation("valid-honnin", T1))
del nosig["signature"]
expect_error(curl("POST", "/v1/confirmations", json.dumps(nosig), cert=T1CRT, key=T1KEY), 400, "E_BAD_REQUEST")
badnonce = json.loads(confirmation("valid-honnin", T1, nonce="xyz"))
expect_error(curl("POST", "/v1/confirmations", json.dumps(badnonce), cert=T1CRT, key=T1KEY), 400, "E_BAD_REQUEST")
rc, st, text, _ = curl("POST", "/v1/confirmations", "x" * (70 * 1024), cert=T1CRT, key=T1KEY)
check((st == 400 and error_code(text) == "E_BAD_REQUEST") or rc in (55, 56), f"oversized body: {rc} {st} {text[:200]}")
expect_error(curl("GET", "/v1/nothing-here"), 404, "E_BAD_REQUEST")
expect_error(curl("GET", "/v1/confirmations", cert=T1CRT, key=T1KEY), 405, "E_BAD_REQUEST")

step("garbage on the socket does not hurt the server")
for junk in (b"GET / HTTP/1.1\r\n\r\n", b"\x16\x03\x01\xff\xff" + os.urandom(300), os.urandom(4096)):
    with socket.create_connection(("127.0.0.1", int(port)), timeout=5) as s:
        try:
            s.sendall(junk)
            s.recv(100)
        except OSError:
            pass
rc, st, *_ = curl("GET", "/v1/health")
check(rc == 0 and st == 200, "still healthy after garbage")

step("request log: one line per request, no payload, signature, names or numbers")
lines = [json.loads(line) for line in open(os.path.join(DIR, "gateway", "requests.jsonl"), encoding="utf-8")]
check(len(lines) >= 40, f"{len(lines)} log lines")
check(all({"time", "endpoint", "terminal", "status", "error"} <= set(e) for e in lines), "log fields")
check(any(e["endpoint"] == "/v1/confirmations" and e["terminal"] == T1 and e["error"] == "E_REPLAY" for e in lines),
      "replay logged with the terminal id")
raw = open(os.path.join(DIR, "gateway", "requests.jsonl"), encoding="utf-8").read()
for secret in ("試験", "06130488", "138057", SETUP["setup_password"], "payload", "signature", "ｼｹﾝ"):
    check(secret not in raw, f"the log contains {secret!r}")

step("fault switches")


def fault(mode, *extra):
    r = run(SANDBOX, "gateway-fault", "--dir", DIR, "--mode", mode, *extra)
    check(r.returncode == 0, f"gateway-fault {mode}: {r.stderr}")


fault("slow", "--ms", "800")
rc, st, _, dt = curl("GET", "/v1/health")
check(rc == 0 and st == 200 and dt >= 0.8, f"slow: {rc} {st} {dt:.2f} s")
fault("timeout")
rc, st, _, dt = curl("GET", "/v1/health", timeout=2)
check(rc == 28, f"timeout: curl rc {rc} (want 28) after {dt:.2f} s")
fault("http500")
expect_error(curl("POST", "/v1/confirmations", confirmation("valid-honnin", T1), cert=T1CRT, key=T1KEY), 500, "E_INTERNAL")
fault("malformed")
rc, st, text, _ = curl("GET", "/v1/health")
bad_json = False
try:
    json.loads(text)
except ValueError:
    bad_json = True
check(rc == 0 and st == 200 and bad_json, f"malformed: {rc} {st} {text[:100]}")
fault("close")
rc, st, _, _ = curl("GET", "/v1/health")
check(rc in (52, 56) and st == 0, f"close: curl rc {rc} (want 52 empty reply)")
fault("none")
rc, st, _, dt = curl("GET", "/v1/health")
check(rc == 0 and st == 200 and dt < 0.5, f"none again: {rc} {st} {dt:.2f} s")
r = run(SANDBOX, "gateway-fault", "--dir", DIR, "--mode", "explode")
check(r.returncode == 2, "unknown fault mode exits 2")

step("down stops the gateway")
pid = int(open(os.path.join(DIR, "gateway", "gateway.pid")).read())
r = run(SANDBOX, "down", "--dir", DIR)
check(r.returncode == 0, "down")
time.sleep(0.1)


def alive(p):  # a zombie (no reaper in some containers) counts as gone
    try:
        return "\nState:\tZ" not in open(f"/proc/{p}/status").read()
    except OSError:
        return False


check(not alive(pid), "gateway process gone")
rc, *_ = curl("GET", "/v1/health", timeout=3)
check(rc == 7, f"nothing listens any more (curl rc {rc})")

if FAILED:
    print(f"{len(FAILED)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("gateway_server: all checks passed")
