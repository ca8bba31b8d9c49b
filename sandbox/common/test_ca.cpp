#include "common/test_ca.h"

#include <cstdio>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace sandbox {

namespace {

[[noreturn]] void fail(const std::string& what) {
  char buf[256] = {0};
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  throw SandboxError(what + " (OpenSSL: " + buf + ")");
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

PkeyPtr wrap(EVP_PKEY* k) { return PkeyPtr(k, EVP_PKEY_free); }

Bytes bn_param(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) fail("cannot read RSA parameter");
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  BN_free(bn);
  return out;
}

}  // namespace

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) fail(std::string("cannot build extension ") + OBJ_nid2sn(nid));
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

std::string random_serial(ASN1_INTEGER* out_serial) {
  BIGNUM* bn = BN_new();
  BN_rand(bn, 120, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);  // positive, 15 bytes
  BN_to_ASN1_INTEGER(bn, out_serial);
  char* hex = BN_bn2hex(bn);
  std::string s(hex);
  OPENSSL_free(hex);
  BN_free(bn);
  return s;
}

Bytes encode_cert(X509* cert) {
  const int n = i2d_X509(cert, nullptr);
  if (n <= 0) fail("cannot encode certificate");
  Bytes der(static_cast<std::size_t>(n));
  unsigned char* p = der.data();
  i2d_X509(cert, &p);
  return der;
}

void write_pem_cert(const std::string& path, X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  write_file(path, bio_text(bio.get()));
}

PkeyPtr generate_rsa_key() {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* key = nullptr;
  const bool ok = ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) == 1 &&
                  EVP_PKEY_generate(ctx, &key) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) fail("RSA-2048 key generation failed");
  return wrap(key);
}

PkeyPtr load_or_generate_key(const std::string& pem_path) {
  if (file_exists(pem_path)) {
    const Bytes pem = read_file(pem_path);
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (key != nullptr && EVP_PKEY_get_bits(key) == 2048) return wrap(key);
    EVP_PKEY_free(key);  // unusable: replace it
  }
  PkeyPtr key = generate_rsa_key();
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  write_file(pem_path, bio_text(bio.get()), 0600);
  return key;
}

Bytes public_key_der(EVP_PKEY* key) {
  const int n = i2d_PUBKEY(key, nullptr);
  Bytes der(static_cast<std::size_t>(n));
  unsigned char* p = der.data();
  i2d_PUBKEY(key, &p);
  return der;
}

Bytes rsa_modulus(EVP_PKEY* key) { return bn_param(key, OSSL_PKEY_PARAM_RSA_N); }
Bytes rsa_exponent(EVP_PKEY* key) { return bn_param(key, OSSL_PKEY_PARAM_RSA_E); }

Bytes sign_sha256(EVP_PKEY* key, const Bytes& data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Bytes sig(512);
  std::size_t len = sig.size();
  const bool ok = ctx != nullptr &&
                  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestSign(ctx, sig.data(), &len, data.data(), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) fail("signing failed");
  sig.resize(len);
  return sig;
}

Bytes sha256(const Bytes& data) {
  Bytes d(SHA256_DIGEST_LENGTH);
  SHA256(data.data(), data.size(), d.data());
  return d;
}

std::string der_cert_to_pem(const Bytes& der) {
  const unsigned char* p = der.data();
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (cert == nullptr) fail("bad certificate");
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  X509_free(cert);
  return bio_text(bio.get());
}

TestCa::TestCa(const std::string& ca_dir) : dir_(ca_dir) {
  make_dirs(dir_, 0700);
  key_ = load_or_generate_key(dir_ + "/ca.key.pem");
  cert_ = X509_new();
  X509_set_version(cert_, 2);
  random_serial(X509_get_serialNumber(cert_));
  X509_NAME* name = X509_get_subject_name(cert_);
  const auto add = [&](const char* field, const char* value) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value), -1, -1, 0);
  };
  add("C", "JP");
  add("O", "onshi sandbox");
  add("OU", "JPKI test CA (sandbox only, not trusted anywhere)");
  add("CN", "onshi sandbox test CA");
  X509_set_issuer_name(cert_, name);
  X509_gmtime_adj(X509_getm_notBefore(cert_), -86400L);
  X509_gmtime_adj(X509_getm_notAfter(cert_), 20L * 365 * 86400);
  X509_set_pubkey(cert_, key_.get());
  add_ext(cert_, cert_, NID_basic_constraints, "critical,CA:TRUE");
  add_ext(cert_, cert_, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(cert_, cert_, NID_subject_key_identifier, "hash");
  if (X509_sign(cert_, key_.get(), EVP_sha256()) <= 0) fail("cannot sign the CA certificate");
  cert_der_ = encode_cert(cert_);
  write_pem_cert(dir_ + "/ca.cert.pem", cert_);
}

TestCa::~TestCa() { X509_free(cert_); }

IssuedCert reissue_with_expiry(const std::string& ca_dir, const Bytes& cert_der, std::int64_t not_after_unix) {
  if (!file_exists(ca_dir + "/ca.key.pem")) fail("no test CA key in " + ca_dir);
  const PkeyPtr ca_key = load_or_generate_key(ca_dir + "/ca.key.pem");
  const unsigned char* p = cert_der.data();
  std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &p, static_cast<long>(cert_der.size())), X509_free);
  if (!cert) fail("bad certificate");
  constexpr std::int64_t five_years = 5LL * 365 * 86400;
  if (ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(not_after_unix)) == nullptr ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(not_after_unix - five_years)) == nullptr)
    fail("cannot set the validity period");
  if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0) fail("cannot sign the certificate");
  IssuedCert out;
  out.der = encode_cert(cert.get());
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr);
  char* hex = BN_bn2hex(bn);
  out.serial_hex = hex;
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

IssuedCert TestCa::issue(const CertRequest& r) {
  X509* cert = X509_new();
  IssuedCert out;
  X509_set_version(cert, 2);
  out.serial_hex = random_serial(X509_get_serialNumber(cert));
  X509_NAME* name = X509_get_subject_name(cert);
  const auto add = [&](const char* field, const std::string& value) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0);
  };
  add("C", "JP");
  if (r.profile == CertProfile::digital_signature) {
    add("L", r.address_utf8);
    add("CN", r.name_utf8);
  } else {
    add("CN", r.subject_cn);
  }
  X509_set_issuer_name(cert, X509_get_subject_name(cert_));
  X509_gmtime_adj(X509_getm_notBefore(cert), r.not_before_offset_s);
  X509_gmtime_adj(X509_getm_notAfter(cert), r.not_after_offset_s);
  X509_set_pubkey(cert, r.subject_key);
  add_ext(cert, cert_, NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert, cert_, NID_key_usage,
          r.profile == CertProfile::digital_signature ? "critical,digitalSignature,nonRepudiation"
                                                      : "critical,digitalSignature");
  if (r.profile == CertProfile::user_authentication)
    add_ext(cert, cert_, NID_ext_key_usage, "clientAuth");
  add_ext(cert, cert_, NID_subject_key_identifier, "hash");
  add_ext(cert, cert_, NID_authority_key_identifier, "keyid:always");
  if (X509_sign(cert, key_.get(), EVP_sha256()) <= 0) {
    X509_free(cert);
    fail("cannot sign a persona certificate");
  }
  out.der = encode_cert(cert);
  X509_free(cert);
  return out;
}

void TestCa::write_crl(const std::vector<std::string>& revoked) {
  X509_CRL* crl = X509_CRL_new();
  X509_CRL_set_version(crl, 1);
  X509_CRL_set_issuer_name(crl, X509_get_subject_name(cert_));
  ASN1_TIME* now = X509_gmtime_adj(nullptr, 0);
  ASN1_TIME* next = X509_gmtime_adj(nullptr, 7L * 86400);
  X509_CRL_set1_lastUpdate(crl, now);
  X509_CRL_set1_nextUpdate(crl, next);
  for (const auto& hex : revoked) {
    BIGNUM* bn = nullptr;
    BN_hex2bn(&bn, hex.c_str());
    X509_REVOKED* entry = X509_REVOKED_new();
    ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
    X509_REVOKED_set_serialNumber(entry, serial);
    X509_REVOKED_set_revocationDate(entry, now);
    X509_CRL_add0_revoked(crl, entry);
    ASN1_INTEGER_free(serial);
    BN_free(bn);
  }
  X509_CRL_sort(crl);
  const bool ok = X509_CRL_sign(crl, key_.get(), EVP_sha256()) > 0;
  ASN1_TIME_free(now);
  ASN1_TIME_free(next);
  if (!ok) {
    X509_CRL_free(crl);
    fail("cannot sign the CRL");
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_CRL(bio.get(), crl);
  X509_CRL_free(crl);
  write_file(dir_ + "/crl.pem", bio_text(bio.get()));
}

}  // namespace sandbox
