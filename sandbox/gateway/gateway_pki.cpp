#include "gateway/gateway_pki.h"

#include "common/test_ca.h"

#include <cstdio>
#include <ctime>
#include <utility>
#include <vector>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace sandbox::gateway {

namespace {

[[noreturn]] void fail(const std::string& what) {
  char buf[256] = {0};
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  ERR_clear_error();
  throw SandboxError(what + " (OpenSSL: " + buf + ")");
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

X509Ptr wrap(X509* c) { return X509Ptr(c, X509_free); }

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string cert_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return bio_text(bio.get());
}


void set_name(X509_NAME* name, const std::vector<std::pair<const char*, std::string>>& parts) {
  for (const auto& [field, value] : parts)
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0);
}

X509Ptr create_ca_cert(EVP_PKEY* key, const std::string& cn) {
  X509Ptr cert = wrap(X509_new());
  X509_set_version(cert.get(), 2);
  random_serial(X509_get_serialNumber(cert.get()));
  set_name(X509_get_subject_name(cert.get()),
           {{"C", "JP"}, {"O", "onshi sandbox"}, {"OU", "reference gateway (sandbox only)"}, {"CN", cn}});
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -86400L);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 20L * 365 * 86400);
  X509_set_pubkey(cert.get(), key);
  add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_ext(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  if (X509_sign(cert.get(), key, EVP_sha256()) <= 0) fail("cannot sign a CA certificate");
  return cert;
}

}  // namespace

X509Ptr parse_cert_der(const Bytes& der) {
  const unsigned char* p = der.data();
  X509* c = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (c == nullptr || p != der.data() + der.size()) {
    X509_free(c);
    ERR_clear_error();
    return nullptr;
  }
  return wrap(c);
}

X509Ptr parse_cert_pem_file(const std::string& path) {
  if (!file_exists(path)) return nullptr;
  const Bytes pem = read_file(path);
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();
  return c == nullptr ? nullptr : wrap(c);
}

std::shared_ptr<X509_CRL> parse_crl_pem_file(const std::string& path) {
  const Bytes pem = read_file(path);
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr);
  if (crl == nullptr) fail("cannot read the CRL " + path);
  return std::shared_ptr<X509_CRL>(crl, X509_CRL_free);
}

std::string serial_hex(X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  if (bn == nullptr) return "";
  char* hex = BN_bn2hex(bn);
  std::string s(hex);
  OPENSSL_free(hex);
  BN_free(bn);
  return s;
}

std::string asn1_time_iso(const void* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(static_cast<const ASN1_TIME*>(t), &tm) != 1) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

CaMaterial load_or_create_ca(const std::string& key_path, const std::string& cert_path,
                             const std::string& cn) {
  CaMaterial ca;
  ca.key = load_or_generate_key(key_path);
  X509Ptr existing = parse_cert_pem_file(cert_path);
  if (existing && X509_check_private_key(existing.get(), ca.key.get()) == 1 &&
      X509_cmp_time(X509_get0_notAfter(existing.get()), nullptr) > 0) {
    std::time_t soon = std::time(nullptr) + 30L * 86400;
    if (X509_cmp_time(X509_get0_notAfter(existing.get()), &soon) > 0) ca.cert = existing;
  }
  ERR_clear_error();
  if (!ca.cert) {
    ca.cert = create_ca_cert(ca.key.get(), cn);
    write_file(cert_path, cert_pem(ca.cert.get()));
  }
  ca.cert_pem = cert_pem(ca.cert.get());
  return ca;
}

std::string issue_server_cert_pem(const CaMaterial& ca, EVP_PKEY* key, ServerCertVariant variant) {
  const bool wrong_host = variant == ServerCertVariant::wrong_host;
  const bool expired = variant == ServerCertVariant::expired;
  X509Ptr cert = wrap(X509_new());
  X509_set_version(cert.get(), 2);
  random_serial(X509_get_serialNumber(cert.get()));
  set_name(X509_get_subject_name(cert.get()),
           {{"C", "JP"}, {"O", "onshi sandbox"}, {"CN", wrong_host ? "gateway.invalid" : "127.0.0.1"}});
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), expired ? -30L * 86400 : -3600L);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), expired ? -86400L : 397L * 86400);
  X509_set_pubkey(cert.get(), key);
  add_ext(cert.get(), ca.cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), ca.cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_ext(cert.get(), ca.cert.get(), NID_ext_key_usage, "serverAuth");
  add_ext(cert.get(), ca.cert.get(), NID_subject_alt_name,
          wrong_host ? "IP:192.0.2.1,DNS:gateway.invalid" : "IP:127.0.0.1,DNS:localhost");
  add_ext(cert.get(), ca.cert.get(), NID_subject_key_identifier, "hash");
  add_ext(cert.get(), ca.cert.get(), NID_authority_key_identifier, "keyid:always");
  if (X509_sign(cert.get(), ca.key.get(), EVP_sha256()) <= 0) fail("cannot sign the server certificate");
  return cert_pem(cert.get());
}

TerminalCert issue_terminal_cert(const CaMaterial& ca, const std::string& csr_pem,
                                 const std::string& terminal_id, const std::string& facility_code) {
  BioPtr bio(BIO_new_mem_buf(csr_pem.data(), static_cast<int>(csr_pem.size())));
  std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> req(
      PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr), X509_REQ_free);
  ERR_clear_error();
  if (!req) throw CsrError("csr_pem is not a PEM certificate request");
  EVP_PKEY* pub = X509_REQ_get0_pubkey(req.get());
  if (pub == nullptr) throw CsrError("the CSR carries no usable public key");
  if (X509_REQ_verify(req.get(), pub) != 1) {
    ERR_clear_error();
    throw CsrError("the CSR is not signed by its own key");
  }
  bool key_ok = false;
  if (EVP_PKEY_is_a(pub, "RSA")) {
    key_ok = EVP_PKEY_get_bits(pub) >= 2048;
  } else if (EVP_PKEY_is_a(pub, "EC")) {
    char group[64] = {0};
    std::size_t len = 0;
    key_ok = EVP_PKEY_get_group_name(pub, group, sizeof group, &len) == 1 &&
             (std::string(group) == "prime256v1" || std::string(group) == "P-256");
  }
  if (!key_ok) throw CsrError("the CSR key must be RSA with at least 2048 bits or EC P-256");

  X509Ptr cert = wrap(X509_new());
  TerminalCert out;
  X509_set_version(cert.get(), 2);
  out.serial_hex = random_serial(X509_get_serialNumber(cert.get()));
  set_name(X509_get_subject_name(cert.get()),
           {{"C", "JP"}, {"O", "onshi sandbox facility " + facility_code}, {"CN", terminal_id}});
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300L);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 86400);
  X509_set_pubkey(cert.get(), pub);
  add_ext(cert.get(), ca.cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), ca.cert.get(), NID_key_usage,
          EVP_PKEY_is_a(pub, "RSA") ? "critical,digitalSignature,keyEncipherment"
                                    : "critical,digitalSignature,keyAgreement");
  add_ext(cert.get(), ca.cert.get(), NID_ext_key_usage, "clientAuth");
  add_ext(cert.get(), ca.cert.get(), NID_subject_key_identifier, "hash");
  add_ext(cert.get(), ca.cert.get(), NID_authority_key_identifier, "keyid:always");
  if (X509_sign(cert.get(), ca.key.get(), EVP_sha256()) <= 0) fail("cannot sign a terminal certificate");
  out.pem = cert_pem(cert.get());
  out.not_after_iso = asn1_time_iso(X509_get0_notAfter(cert.get()));
  std::tm tm{};
  ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &tm);
  out.not_after_unix = static_cast<std::int64_t>(timegm(&tm));
  return out;
}

Bytes base64_decode(const std::string& text) {
  if (text.size() % 4 != 0) throw SandboxError("base64 length is not a multiple of 4");
  Bytes out(text.size() / 4 * 3 + 1);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) throw SandboxError("not base64");
  std::size_t len = static_cast<std::size_t>(n);
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

std::string random_hex(std::size_t bytes) {
  Bytes b(bytes);
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) fail("RAND_bytes failed");
  return to_hex(b);
}

}  // namespace sandbox::gateway
