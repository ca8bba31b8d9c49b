// Where the terminal's identity lives after enrollment (design.md §6): its private key, its
// certificate and what the gateway said about it. Behind an interface so unit tests can mock it.
//
// FileCredentialStore: one directory per installation (`credential_dir`, mode 0700) with
//   terminal.key   PEM PKCS#8 private key, mode 0600
//   terminal.crt   PEM certificate issued by the gateway
//   terminal.json  {"terminal_id", "facility_code", "facility_name", "terminal_name",
//                   "certificate_expires_at"}
// Each file is written to a temporary file, flushed and renamed, terminal.json last: a crash
// leaves either the old state or a partial one that load() reports (never half a key).
// No files = not enrolled; anything else that is not a complete, consistent set is
// ONSHI_E_CREDENTIAL_STORE. Nothing here ever enrolls again by itself.
#pragma once

#include "util/error.h"
#include "util/secure_buffer.h"

#include <optional>
#include <string>

namespace onshi::registration {

struct TerminalRecord {
    std::string terminal_id;
    std::string facility_code;
    std::string facility_name;
    std::string terminal_name;
    std::string certificate_expires_at;
};

struct TerminalCredentials {
    TerminalRecord record;
    std::string certificate_pem;
    SecureBuffer key_pem;
};

class CredentialStore {
public:
    virtual ~CredentialStore() = default;

    // nullopt when this installation is not enrolled (no files). Throws
    // Error(ONSHI_E_CREDENTIAL_STORE) when the store is unreadable, partial or corrupt.
    virtual std::optional<TerminalRecord> record() const = 0;
    // Everything, for mutual TLS. Throws Error(ONSHI_E_NOT_ENROLLED) when not enrolled,
    // Error(ONSHI_E_CREDENTIAL_STORE) when partial or corrupt (key and certificate that do not
    // belong together included).
    virtual TerminalCredentials load() const = 0;
    // Stores a new enrollment. Throws Error(ONSHI_E_CREDENTIAL_STORE) when it cannot.
    virtual void save(const TerminalRecord &record, const std::string &certificate_pem, const SecureBuffer &key_pem) = 0;
};

class FileCredentialStore final : public CredentialStore {
public:
    explicit FileCredentialStore(std::string directory);

    std::optional<TerminalRecord> record() const override;
    TerminalCredentials load() const override;
    void save(const TerminalRecord &record, const std::string &certificate_pem, const SecureBuffer &key_pem) override;

    const std::string &directory() const { return dir_; }

private:
    std::string path(const char *name) const;

    std::string dir_;
};

// Checks that a PEM private key and a PEM certificate belong together (OpenSSL). Throws
// Error(`status`) saying which one is unreadable or that they do not match.
void check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem, onshi_status status);

}  // namespace onshi::registration
