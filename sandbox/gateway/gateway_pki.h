// The reference gateway's own PKI (separate from the JPKI test CA in DIR/ca):
//   gateway CA   DIR/gateway/ca.pem (+ ca.key.pem)      signs the TLS server certificate
//   terminal CA  DIR/gateway/terminal-ca.pem (+ key)    signs terminal certificates at enrollment
//   other CA     DIR/gateway/other-ca.pem (+ key)       signs nothing the server uses (wrong-CA tests)
// CA keys and certificates are kept across `up` (so enrolled terminals stay valid); the server
// certificate (127.0.0.1 + localhost) is re-issued at every start.
#pragma once

#include <memory>
#include <string>

#include "common/bytes.h"
#include "common/test_ca.h"

typedef struct X509_req_st X509_REQ;
typedef struct X509_crl_st X509_CRL;

namespace sandbox::gateway {

using X509Ptr = std::shared_ptr<X509>;

struct CaMaterial {
  PkeyPtr key;
  X509Ptr cert;
  std::string cert_pem;
};

// Reuses KEY/CERT when both exist and match (and the cert is valid for at least 30 more days),
// else creates a new self-signed CA (20 years).
CaMaterial load_or_create_ca(const std::string& key_path, const std::string& cert_path,
                             const std::string& common_name);

// What a server certificate is for: the real one, or a broken variant for the TLS fault switches
// (a certificate for another host, one that expired yesterday; both signed by the gateway CA so
// that only the name or the date is wrong).
enum class ServerCertVariant { valid, wrong_host, expired };

// Issues the TLS server certificate (SAN IP:127.0.0.1, DNS:localhost; serverAuth) for key.
std::string issue_server_cert_pem(const CaMaterial& ca, EVP_PKEY* key,
                                  ServerCertVariant variant = ServerCertVariant::valid);

struct TerminalCert {
  std::string pem;
  std::string serial_hex;     // upper-case
  std::string not_after_iso;  // YYYY-MM-DDTHH:MM:SSZ
  std::int64_t not_after_unix = 0;
};

// Why a CSR was refused (message for E_BAD_REQUEST).
struct CsrError : SandboxError {
  using SandboxError::SandboxError;
};

// Checks the CSR (PEM, self-signature, RSA >= 2048 or EC P-256) and issues a 1-year client
// certificate CN=terminal_id with the clientAuth EKU. Throws CsrError for a bad CSR.
TerminalCert issue_terminal_cert(const CaMaterial& terminal_ca, const std::string& csr_pem,
                                 const std::string& terminal_id, const std::string& facility_code);

X509Ptr parse_cert_der(const Bytes& der);
X509Ptr parse_cert_pem_file(const std::string& path);
std::shared_ptr<X509_CRL> parse_crl_pem_file(const std::string& path);
std::string serial_hex(X509* cert);
std::string asn1_time_iso(const void* asn1_time);  // const ASN1_TIME*

Bytes base64_decode(const std::string& text);  // throws SandboxError on bad input
std::string random_hex(std::size_t bytes);

}  // namespace sandbox::gateway
