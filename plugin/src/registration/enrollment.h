// Terminal enrollment (docs/design.md §Registration): the key pair is generated here and never
// leaves the terminal; only a CSR goes to the gateway (through a function core supplies, so this
// layer does not depend on the gateway client).
#pragma once

#include "registration/credential_store.h"
#include "util/secure_buffer.h"

#include <functional>
#include <string>
#include <string_view>

namespace onshi::registration {

// The facility's setup credentials (ユーザー設定情報; the sandbox's DIR/setup.json):
// {"facility_code", "enrollment_id", "setup_password", "gateway_url"?, "terminal_name"?}.
struct SetupCredentials {
    std::string facility_code;
    std::string enrollment_id;
    SecureBuffer setup_password;
    std::string gateway_url;    // optional
    std::string terminal_name;  // optional

    // Throws Error(ONSHI_E_INVALID_ARGUMENT) naming the member. The password's copy inside the
    // parsed document is wiped before returning.
    static SetupCredentials parse(std::string_view json);
};

enum class KeyType { ec_p256, rsa2048 };

struct KeyAndCsr {
    SecureBuffer key_pem;  // PKCS#8 PEM, or a TSS2 key blob when the TPM made the key
    std::string csr_pem;   // PKCS#10, signed with the key, SHA-256
};

KeyAndCsr generate_key_and_csr(KeyType type = KeyType::ec_p256);

// What the gateway answered to the CSR.
struct IssuedCertificate {
    std::string terminal_id;
    std::string certificate_pem;
    std::string certificate_expires_at;
    std::string facility_code;
    std::string facility_name;
};

using SubmitCsr = std::function<IssuedCertificate(const std::string &csr_pem)>;

// Refuses when already enrolled (ONSHI_E_ALREADY_ENROLLED) or when the store is unreadable,
// makes the key and CSR, submits, checks that the certificate belongs to the key and the
// facility, and stores everything. The key is wiped from memory afterwards.
TerminalRecord enroll_terminal(CredentialStore &store, const SetupCredentials &setup, const SubmitCsr &submit);

}  // namespace onshi::registration
