#include "persona/persona_material.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "persona/card_face.h"
#include "persona/face_photo.h"

namespace sandbox {

namespace {

const char* card_kind_name(CardKind k) {
  switch (k) {
    case CardKind::my_number: return "my_number";
    case CardKind::juki: return "juki";
    case CardKind::not_my_number: return "not_my_number";
    case CardKind::android_phone: return "android_phone";
    case CardKind::iphone: return "iphone";
  }
  return "?";
}

std::string opaque_subject(const std::string& id) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(id.data()), id.size(), digest);
  return "ONSHI-SANDBOX-" + to_hex(digest, 8);
}

std::uint32_t variant_of(const std::string& id) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : id) h = (h ^ c) * 16777619u;
  return h;
}

// RSA key generation dominates `up`; spread it over two threads, reuse keys already in DIR.
void load_keys(const std::string& dir, PersonaMaterials& out) {
  struct Job {
    std::string path;
    PkeyPtr* slot;
  };
  std::vector<Job> jobs;
  for (auto& [id, m] : out) {
    if (!has_jpki(*m.persona)) continue;
    jobs.push_back({dir + "/personas/" + id + "/auth.key.pem", &m.auth_key});
    jobs.push_back({dir + "/personas/" + id + "/sign.key.pem", &m.sign_key});
  }
  std::atomic<std::size_t> next{0};
  std::string error;
  std::mutex error_mutex;
  const auto worker = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      try {
        *jobs[i].slot = load_or_generate_key(jobs[i].path);
      } catch (const std::exception& e) {
        std::lock_guard lock(error_mutex);
        error = e.what();
      }
    }
  };
  std::thread helper(worker);
  worker();
  helper.join();
  if (!error.empty()) throw SandboxError(error);
}

// A PEM certificate file of DIR as DER plus its serial (upper-case hex, as `issue` gives it).
IssuedCert read_issued_cert(const std::string& path) {
  const Bytes pem = read_file(path);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr,
                                                   X509_free);
  if (!cert) throw SandboxError("cannot read the certificate " + path + " (run `up` first)");
  IssuedCert out;
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert.get(), &der);
  if (n <= 0) throw SandboxError("cannot encode " + path);
  out.der.assign(der, der + n);
  OPENSSL_free(der);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(ASN1_INTEGER_to_BN(X509_get_serialNumber(cert.get()), nullptr), BN_free);
  char* hex = serial ? BN_bn2hex(serial.get()) : nullptr;
  if (!hex) throw SandboxError("cannot read the serial of " + path);
  out.serial_hex = hex;
  OPENSSL_free(hex);
  return out;
}

}  // namespace

PersonaMaterials load_personas(const std::string& dir) {
  PkeyPtr ca_key = load_or_generate_key(dir + "/ca/ca.key.pem");
  const Bytes ca_cert_der = read_issued_cert(dir + "/ca/ca.cert.pem").der;
  PersonaMaterials out;
  for (const auto& p : persona_catalogue()) {
    PersonaMaterial& m = out[p.id];
    m.persona = &p;
    if (!has_jpki(p)) continue;
    const std::string pdir = dir + "/personas/" + p.id;
    if (!file_exists(pdir + "/auth.key.pem")) throw SandboxError("no persona material in " + dir + " (run `up` first)");
    m.auth_key = load_or_generate_key(pdir + "/auth.key.pem");
    m.sign_key = load_or_generate_key(pdir + "/sign.key.pem");
    m.auth_cert = read_issued_cert(pdir + "/auth.cert.pem");
    m.sign_cert = read_issued_cert(pdir + "/sign.cert.pem");
    m.ca_cert_der = ca_cert_der;
    if (has_kenkaku(p)) {
      m.face_jp2 = read_file(pdir + "/face.jp2");
      m.card_face = build_card_face(p, m.auth_key.get(), m.face_jp2, ca_key.get());
      m.age_record = build_age_record(p, m.auth_key.get(), ca_key.get());
    }
  }
  return out;
}

void write_persona_fields(JsonWriter& w, const Persona& p) {
  w.Key("id");
  w.String(p.id);
  w.Key("description_ja");
  w.String(p.description_ja);
  w.Key("description_en");
  w.String(p.description_en);
  w.Key("card");
  w.String(card_kind_name(p.kind));
  w.Key("atr");
  w.String(p.atr_hex);
  w.Key("pin");
  w.String(p.pin);
  w.Key("pin_tries");
  w.Int(p.pin_tries);
  w.Key("sign_password");
  w.String(p.sign_password);
  w.Key("collation_number_b");
  w.String(collation_number_b(p));
  w.Key("name");
  w.String(p.name);
  w.Key("address");
  w.String(p.address);
  w.Key("birth_date");
  w.String(p.birth_date);
  w.Key("sex");
  w.String(std::string(1, p.sex));
  w.Key("card_expiry_date");
  w.String(card_expiry_date(p));
  w.Key("certificate_status");
  w.String(certificate_state(p));
}

PersonaMaterials prepare_personas(const std::string& dir) {
  TestCa ca(dir + "/ca");
  PersonaMaterials out;
  for (const auto& p : persona_catalogue()) {
    make_dirs(dir + "/personas/" + p.id);
    out[p.id].persona = &p;
  }
  load_keys(dir, out);

  std::vector<std::string> revoked;
  constexpr long day = 86400;
  for (auto& [id, m] : out) {
    const Persona& p = *m.persona;
    const std::string pdir = dir + "/personas/" + id;
    if (!has_jpki(p)) continue;
    m.ca_cert_der = ca.cert_der();
    CertRequest auth;
    auth.profile = CertProfile::user_authentication;
    auth.subject_key = m.auth_key.get();
    auth.subject_cn = opaque_subject(id);
    // Valid for five years (until the fifth birthday, roughly), ending at the persona's expiry.
    auth.not_after_offset_s = p.cert_expires_in_days * day;
    auth.not_before_offset_s = auth.not_after_offset_s - 5 * 365 * day;
    m.auth_cert = ca.issue(auth);
    if (p.cert == CertStatus::revoked) revoked.push_back(m.auth_cert.serial_hex);
    CertRequest sign = auth;
    sign.profile = CertProfile::digital_signature;
    sign.subject_key = m.sign_key.get();
    sign.name_utf8 = p.name;
    sign.address_utf8 = p.address;
    m.sign_cert = ca.issue(sign);
    write_file(pdir + "/auth.cert.pem", der_cert_to_pem(m.auth_cert.der));
    write_file(pdir + "/sign.cert.pem", der_cert_to_pem(m.sign_cert.der));
    if (has_kenkaku(p)) {
      m.face_jp2 = make_face_photo_jp2(pdir + "/face.jp2", variant_of(id));
      m.card_face = build_card_face(p, m.auth_key.get(), m.face_jp2, ca.key());
      m.age_record = build_age_record(p, m.auth_key.get(), ca.key());
    }
  }
  ca.write_crl(revoked);

  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  w.Key("ca");
  w.StartObject();
  w.Key("cert");
  w.String("ca/ca.cert.pem");
  w.Key("crl");
  w.String("ca/crl.pem");
  w.EndObject();
  w.Key("personas");
  w.StartArray();
  for (const auto& p : persona_catalogue()) {
    const PersonaMaterial& m = out.at(p.id);
    w.StartObject();
    write_persona_fields(w, p);
    const auto cert = [&](const char* key, const IssuedCert& c, const char* file) {
      w.Key(key);
      if (c.der.empty()) {
        w.Null();
        return;
      }
      w.StartObject();
      w.Key("serial");
      w.String(c.serial_hex);
      w.Key("pem");
      w.String("personas/" + p.id + "/" + file);
      w.EndObject();
    };
    cert("auth_cert", m.auth_cert, "auth.cert.pem");
    cert("sign_cert", m.sign_cert, "sign.cert.pem");
    w.Key("face_photo");
    if (m.face_jp2.empty()) w.Null();
    else w.String("personas/" + p.id + "/face.jp2");
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  write_file(dir + "/personas.json", std::string(sb.GetString(), sb.GetSize()) + "\n");
  return out;
}

}  // namespace sandbox
