// Where the terminal's identity lives after enrollment (docs/design.md §Registration): its private
// key, its certificate and what the gateway said about it. Behind an interface so unit tests can
// mock it.
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
//
// replace() (renewal) swaps all three files as one: it writes terminal.{key,crt,json}.new, then
// the commit marker terminal.commit, then renames the three and removes the marker. A store that
// finds the marker finishes the renames (roll forward); .new files without the marker are an
// interrupted replace that never committed and are ignored (the old set stays in force).
//
// The key file goes through a KeyProtector: as is (PEM PKCS#8), or encrypted PKCS#8 under a
// passphrase from the config (PBES2: scrypt N=2^14 r=8 p=1 + AES-256-CBC), or sealed with Windows
// DPAPI (dpapi_key_protector.h, the default on Windows), or — key_store "tpm" — the key is born in a
// TPM 2.0 and terminal.key holds only its TSS2 blob (tpm_key.h).
#pragma once

#include "util/error.h"
#include "util/secure_buffer.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>

typedef struct evp_pkey_st EVP_PKEY;

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
    SecureBuffer key_pem;  // PEM PKCS#8, or a TSS2 key blob (key_store "tpm")
    // Set when key_pem cannot be handed to TLS as it is (a TPM key): the key object that signs.
    std::shared_ptr<EVP_PKEY> tls_key;
};

struct KeyAndCsr;

// How terminal.key is kept at rest.
class KeyProtector {
public:
    virtual ~KeyProtector() = default;
    // "none", "passphrase" (for status and messages).
    virtual const char *name() const = 0;
    // A PEM private key (PKCS#8) -> the bytes to store.
    virtual SecureBuffer seal(const SecureBuffer &key_pem) const = 0;
    // The stored bytes -> a PEM private key. Throws Error(ONSHI_E_CREDENTIAL_STORE) saying why
    // (encrypted but no passphrase, wrong passphrase, damaged file).
    virtual SecureBuffer open(const SecureBuffer &stored, const std::string &path) const = 0;

    // Where a new terminal key is born (enrollment, renewal): in memory by default, in the TPM for
    // key_store "tpm". Throws Error(ONSHI_E_CREDENTIAL_STORE) when it cannot.
    virtual KeyAndCsr generate_key_and_csr() const;
    // check_key_matches_certificate() for the keys this protector makes.
    virtual void check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem,
                                               onshi_status status) const;
    // The key object TLS signs with when open()'s PEM cannot go to libcurl as it is; null otherwise.
    virtual std::shared_ptr<EVP_PKEY> tls_key(const SecureBuffer &key_pem) const;
};

// Stores the key as it is (owner-only file permissions only).
std::shared_ptr<const KeyProtector> make_plain_key_protector();
// Encrypted PKCS#8 (PBES2, scrypt N=2^14 r=8 p=1, AES-256-CBC). Reads an unencrypted key too
// (a store enrolled before the passphrase was configured); the next save() or replace() encrypts.
// Throws Error(ONSHI_E_CONFIG) for an empty passphrase.
std::shared_ptr<const KeyProtector> make_passphrase_key_protector(SecureBuffer passphrase);

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
    // Renewal: replaces key, certificate and record as one (the old set until the commit, the
    // whole new set after). Throws Error(ONSHI_E_CREDENTIAL_STORE) when it cannot.
    virtual void replace(const TerminalRecord &record, const std::string &certificate_pem, const SecureBuffer &key_pem) {
        save(record, certificate_pem, key_pem);
    }
    // 利用終了: removes the enrollment (the key file is overwritten before it is unlinked).
    // Afterwards record() is nullopt. Throws Error(ONSHI_E_CREDENTIAL_STORE) when it cannot.
    virtual void wipe() = 0;
    // Called before the gateway is asked to enroll, renew or end the terminal: a store that could
    // not take the answer (read-only, full) must fail first, or the gateway's state would change
    // while the local one cannot follow (a slot taken, the old certificate revoked). Throws
    // Error(ONSHI_E_CREDENTIAL_STORE) saying why.
    virtual void check_writable() {}
    // A new key pair and its CSR, made where this store keeps keys (see KeyProtector).
    virtual KeyAndCsr generate_key_and_csr() const;
    // Throws Error(`status`) when the key (as generate_key_and_csr() made it) and the certificate
    // do not belong together.
    virtual void check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem,
                                               onshi_status status) const;
};

class FileCredentialStore final : public CredentialStore {
public:
    explicit FileCredentialStore(std::string directory,
                                 std::shared_ptr<const KeyProtector> protector = make_plain_key_protector());

    std::optional<TerminalRecord> record() const override;
    TerminalCredentials load() const override;
    void save(const TerminalRecord &record, const std::string &certificate_pem, const SecureBuffer &key_pem) override;
    void replace(const TerminalRecord &record, const std::string &certificate_pem, const SecureBuffer &key_pem) override;
    void wipe() override;
    // Writes, flushes and removes a probe as large as a whole replace() writes.
    void check_writable() override;
    KeyAndCsr generate_key_and_csr() const override;
    void check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem,
                                       onshi_status status) const override;

    const std::string &directory() const { return dir_; }

private:
    std::string path(const char *name) const;
    std::string path(const char *name, const char *suffix) const;
    void prepare_directory() const;
    void settle() const;  // finishes a committed replace (roll forward); under mutex_
    std::optional<TerminalRecord> record_locked() const;

    std::string dir_;
    std::shared_ptr<const KeyProtector> protector_;
    // One store object serializes its own readers and writers (a check may load while the
    // network lane renews).
    mutable std::mutex mutex_;
};

// Checks that a PEM private key and a PEM certificate belong together (OpenSSL). Throws
// Error(`status`) saying which one is unreadable or that they do not match.
void check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem, onshi_status status);

}  // namespace onshi::registration
