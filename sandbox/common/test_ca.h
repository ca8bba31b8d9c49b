// The sandbox's own test CA (OpenSSL 3, RSA-2048): issues the personas' JPKI certificates and
// the CRL that lists revoked ones. Nothing it signs is trusted anywhere but in the sandbox.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/bytes.h"

typedef struct evp_pkey_st EVP_PKEY;
typedef struct x509_st X509;
typedef struct asn1_string_st ASN1_INTEGER;

namespace sandbox {

using PkeyPtr = std::shared_ptr<EVP_PKEY>;

PkeyPtr generate_rsa_key();
// Loads an unencrypted PEM private key if the file exists, else generates one and writes it (0600).
PkeyPtr load_or_generate_key(const std::string& pem_path);
Bytes public_key_der(EVP_PKEY* key);
// The RSA modulus and public exponent, big-endian.
Bytes rsa_modulus(EVP_PKEY* key);
Bytes rsa_exponent(EVP_PKEY* key);
// RSA PKCS#1 v1.5 signature of SHA-256(data).
Bytes sign_sha256(EVP_PKEY* key, const Bytes& data);
// SHA-256(data), for the digests the card APs store over their own records.
Bytes sha256(const Bytes& data);
std::string der_cert_to_pem(const Bytes& der);
// X.509 building blocks shared with the gateway's CAs: an extension from its config text, and a
// random positive 120-bit serial written into out_serial (returned as hex).
void add_ext(X509* cert, X509* issuer, int nid, const char* value);
std::string random_serial(ASN1_INTEGER* out_serial);

struct IssuedCert {
  Bytes der;
  std::string serial_hex;  // upper-case hex, as in the CRL and personas.json
};

enum class CertProfile {
  user_authentication,  // 利用者証明用: no name, no address in the certificate
  digital_signature,    // 署名用: carries the (fictitious) name and address
};

struct CertRequest {
  CertProfile profile = CertProfile::user_authentication;
  EVP_PKEY* subject_key = nullptr;
  std::string subject_cn;  // for authentication: an opaque identifier, never a name
  std::string name_utf8;   // digital signature only
  std::string address_utf8;
  long not_before_offset_s = -86400;  // relative to now
  long not_after_offset_s = 4L * 365 * 86400;
};

// The same certificate (serial, subject, key, extensions) with another validity period ending
// `not_after_unix` (five years long), signed again with the test CA's key in CA_DIR. The sandbox
// uses it to put a persona's card in the reader with a chosen expiry date (`insert --cert-expiry`):
// the gateway still links the serial to the persona. Throws SandboxError.
IssuedCert reissue_with_expiry(const std::string& ca_dir, const Bytes& cert_der, std::int64_t not_after_unix);

class TestCa {
public:
  // Creates DIR/ca/ca.key.pem if missing (reused when present) and a fresh self-signed CA cert.
  explicit TestCa(const std::string& ca_dir);
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  IssuedCert issue(const CertRequest& request);
  // Writes DIR/ca/crl.pem listing the given serials (upper-case hex) as revoked.
  void write_crl(const std::vector<std::string>& revoked_serials_hex);
  const Bytes& cert_der() const { return cert_der_; }
  EVP_PKEY* key() const { return key_.get(); }
  const std::string& dir() const { return dir_; }

private:
  std::string dir_;
  PkeyPtr key_;
  X509* cert_ = nullptr;
  Bytes cert_der_;
};

}  // namespace sandbox
