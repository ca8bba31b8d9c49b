#include "registration/credential_store.h"

#include "registration/enrollment.h"

#include "util/error.h"
#include "util/json.h"
#include "util/json_writer.h"
#include "util/new_file.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace onshi::registration {
namespace {

constexpr onshi_status kStore = ONSHI_E_CREDENTIAL_STORE;
constexpr std::size_t kMaxFileBytes = 64 * 1024;
constexpr const char *kKey = "terminal.key";
constexpr const char *kCert = "terminal.crt";
constexpr const char *kJson = "terminal.json";
constexpr const char *kCommit = "terminal.commit";  // replace(): the new set is in force
constexpr const char *kNew = ".new";
constexpr std::string_view kEncryptedHeader = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
// PBES2 with scrypt (RFC 7914's interactive figures: 16 MiB, a few tens of ms) and AES-256-CBC.
constexpr std::uint64_t kScryptN = 1u << 14, kScryptR = 8, kScryptP = 1;

[[noreturn]] void store_error(const std::string &en, const std::string &ja) {
    throw Error(kStore, {"credential store: " + en, "端末の認証情報: " + ja});
}

#ifndef _WIN32
std::string errno_text() { return std::strerror(errno); }  // the POSIX file calls below
#endif

bool exists(const std::string &path) {
    std::error_code ec;
    bool e = std::filesystem::exists(path, ec);
    if (ec) store_error("cannot access " + path + ": " + ec.message(), path + " にアクセスできません: " + ec.message());
    return e;
}

SecureBuffer read_file(const std::string &path) {
#ifndef _WIN32
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) store_error("cannot read " + path + ": " + errno_text(), path + " を読み込めません: " + errno_text());
    std::unique_ptr<int, void (*)(int *)> guard(&fd, [](int *f) { ::close(*f); });
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        store_error(path + " is not a regular file", path + " は通常のファイルではありません");
    if (st.st_size <= 0 || static_cast<std::size_t>(st.st_size) > kMaxFileBytes)
        store_error(path + " is empty or larger than 64 KiB", path + " が空か、64KiBを超えています");
    std::vector<std::uint8_t> tmp(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < tmp.size()) {
        ssize_t n = ::read(fd, tmp.data() + got, tmp.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            secure_wipe(tmp.data(), tmp.size());
            store_error("cannot read " + path, path + " を読み込めません");
        }
        got += static_cast<std::size_t>(n);
    }
    SecureBuffer out(tmp.data(), tmp.size());
    secure_wipe(tmp.data(), tmp.size());
    return out;
#else
    std::ifstream in(path, std::ios::binary);
    if (!in) store_error("cannot read " + path, path + " を読み込めません");
    std::vector<char> tmp((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (tmp.empty() || tmp.size() > kMaxFileBytes)
        store_error(path + " is empty or larger than 64 KiB", path + " が空か、64KiBを超えています");
    SecureBuffer out(tmp.data(), tmp.size());
    secure_wipe(tmp.data(), tmp.size());
    return out;
#endif
}

// Temporary file, flush, rename: readers see the old file or the complete new one.
void write_file_atomic(const std::string &path, const void *data, std::size_t size, unsigned mode) {
    std::string tmp = path + ".tmp";
#ifndef _WIN32
    ::unlink(tmp.c_str());  // left by a crash: our own temporary file
    int error = write_new_file(tmp, {static_cast<const char *>(data), size}, mode, true);
    if (error == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) {
        error = errno;
        ::unlink(tmp.c_str());
    }
    if (error != 0) {
        const std::string why = std::strerror(error);
        store_error("cannot write " + path + ": " + why, path + " を書き込めません: " + why);
    }
#else
    (void)mode;
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(static_cast<const char *>(data), static_cast<std::streamsize>(size));
        out.flush();
        if (!out) store_error("cannot write " + tmp, tmp + " を書き込めません");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) store_error("cannot write " + path + ": " + ec.message(), path + " を書き込めません: " + ec.message());
#endif
}

void sync_directory(const std::string &dir) {
#ifndef _WIN32
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#else
    (void)dir;
#endif
}

bool valid_id(const std::string &s, bool digits_only) {
    if (s.empty() || s.size() > 128) return false;
    for (char c : s) {
        bool ok = digits_only ? (c >= '0' && c <= '9')
                              : (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
        if (!ok) return false;
    }
    return true;
}

TerminalRecord parse_record(const SecureBuffer &bytes, const std::string &path) {
    rapidjson::Document doc = json::parse(bytes.view(), path, kStore, {.max_bytes = kMaxFileBytes, .max_depth = 4});
    json::ObjectReader r(doc, path, kStore);
    TerminalRecord rec;
    rec.terminal_id = r.string("terminal_id", 128).value_or("");
    rec.facility_code = r.string("facility_code", 32).value_or("");
    rec.facility_name = r.string("facility_name", 1024).value_or("");
    rec.terminal_name = r.string("terminal_name", 1024).value_or("");
    rec.certificate_expires_at = r.string("certificate_expires_at", 64).value_or("");
    if (!valid_id(rec.terminal_id, false)) r.fail("terminal_id", "is missing or malformed", "がないか、形式が正しくありません");
    if (!valid_id(rec.facility_code, true)) r.fail("facility_code", "is missing or malformed", "がないか、形式が正しくありません");
    return rec;
}

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

BioPtr read_bio(const SecureBuffer &b) {
    BioPtr bio(BIO_new_mem_buf(b.data(), static_cast<int>(b.size())), BIO_free);
    if (!bio) throw Error(ONSHI_E_NO_MEMORY, {});
    return bio;
}

// The PEM text a secure-heap BIO holds, copied into a SecureBuffer.
SecureBuffer bio_secure_text(BIO *bio) {
    char *data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    if (n <= 0) throw Error(ONSHI_E_INTERNAL, {"OpenSSL: empty PEM output", "OpenSSL: PEM出力が空です"});
    return SecureBuffer(data, static_cast<std::size_t>(n));
}

SecureBuffer plain_pkcs8_pem(EVP_PKEY *key) {
    BioPtr out(BIO_new(BIO_s_secmem()), BIO_free);
    if (!out || PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throw Error(ONSHI_E_INTERNAL, {"OpenSSL: PEM_write_bio_PrivateKey failed", "OpenSSL: 秘密鍵を書き出せません"});
    return bio_secure_text(out.get());
}

bool is_encrypted(const SecureBuffer &stored) { return stored.view().find(kEncryptedHeader) != std::string_view::npos; }

// A key the TPM holds cannot be read as a file key: say so instead of "not a readable key".
void refuse_tpm_blob(const SecureBuffer &stored, const std::string &path) {
    if (stored.view().find("-----BEGIN TSS2 PRIVATE KEY-----") != std::string_view::npos)
        store_error(path + " holds a key that lives in a TPM: set \"key_store\": \"tpm\"",
                    path + " の鍵はTPM内にあります。\"key_store\": \"tpm\" を設定してください");
}

class PlainKeyProtector final : public KeyProtector {
public:
    const char *name() const override { return "none"; }
    SecureBuffer seal(const SecureBuffer &key_pem) const override { return SecureBuffer(key_pem.data(), key_pem.size()); }
    SecureBuffer open(const SecureBuffer &stored, const std::string &path) const override {
        refuse_tpm_blob(stored, path);
        if (is_encrypted(stored))
            store_error(path + " is encrypted but no credential_passphrase is configured",
                        path + " は暗号化されていますが credential_passphrase が設定されていません");
        return SecureBuffer(stored.data(), stored.size());
    }
};

class PassphraseKeyProtector final : public KeyProtector {
public:
    explicit PassphraseKeyProtector(SecureBuffer passphrase) : pass_(std::move(passphrase)) {}
    const char *name() const override { return "passphrase"; }

    SecureBuffer seal(const SecureBuffer &key_pem) const override {
        BioPtr in = read_bio(key_pem);
        PkeyPtr key(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
        if (!key) store_error("the key to store is not a readable PEM private key", "保存する秘密鍵を読み込めません");
        std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> p8(EVP_PKEY2PKCS8(key.get()),
                                                                                   PKCS8_PRIV_KEY_INFO_free);
        X509_ALGOR *pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), nullptr, 0, nullptr, kScryptN, kScryptR, kScryptP);
        if (!p8 || !pbe) {
            X509_ALGOR_free(pbe);
            throw Error(ONSHI_E_INTERNAL, {"OpenSSL: cannot set up PKCS#8 encryption", "OpenSSL: PKCS#8 暗号化を準備できません"});
        }
        // PKCS8_set0_pbe takes pbe on success only.
        std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sig(
            PKCS8_set0_pbe(reinterpret_cast<const char *>(pass_.data()), static_cast<int>(pass_.size()), p8.get(), pbe),
            X509_SIG_free);
        if (!sig) {
            X509_ALGOR_free(pbe);
            throw Error(ONSHI_E_INTERNAL, {"OpenSSL: PKCS#8 encryption failed", "OpenSSL: 秘密鍵を暗号化できません"});
        }
        BioPtr out(BIO_new(BIO_s_secmem()), BIO_free);
        if (!out || PEM_write_bio_PKCS8(out.get(), sig.get()) != 1)
            throw Error(ONSHI_E_INTERNAL, {"OpenSSL: PEM_write_bio_PKCS8 failed", "OpenSSL: 暗号化した秘密鍵を書き出せません"});
        return bio_secure_text(out.get());
    }

    SecureBuffer open(const SecureBuffer &stored, const std::string &path) const override {
        refuse_tpm_blob(stored, path);
        if (!is_encrypted(stored)) return SecureBuffer(stored.data(), stored.size());  // enrolled before the passphrase
        BioPtr in = read_bio(stored);
        std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sig(PEM_read_bio_PKCS8(in.get(), nullptr, nullptr, nullptr),
                                                                X509_SIG_free);
        if (!sig) {
            ERR_clear_error();
            store_error(path + " is damaged (not a readable encrypted PKCS#8 key)",
                        path + " が壊れています(暗号化PKCS#8鍵として読み込めません)");
        }
        std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> p8(
            PKCS8_decrypt(sig.get(), reinterpret_cast<const char *>(pass_.data()), static_cast<int>(pass_.size())),
            PKCS8_PRIV_KEY_INFO_free);
        if (!p8) {
            ERR_clear_error();
            store_error("cannot decrypt " + path + ": wrong credential_passphrase (or the key file is damaged)",
                        path + " を復号できません: credential_passphrase が違います(または鍵ファイルが壊れています)");
        }
        PkeyPtr key(EVP_PKCS82PKEY(p8.get()), EVP_PKEY_free);
        if (!key) {
            ERR_clear_error();
            store_error(path + " decrypts to something that is not a private key", path + " を復号しましたが秘密鍵ではありません");
        }
        return plain_pkcs8_pem(key.get());
    }

private:
    SecureBuffer pass_;
};

void unlink_quiet(const std::string &path) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
}

void rename_or_fail(const std::string &from, const std::string &to) {
    std::error_code ec;
    std::filesystem::rename(from, to, ec);
    if (ec) store_error("cannot rename " + from + " to " + to + ": " + ec.message(),
                        from + " を " + to + " に置き換えられません: " + ec.message());
}

// Overwrites a file's bytes before it is unlinked (best effort: journaling file systems and SSDs
// may keep old blocks; the file's permissions are the real protection).
void overwrite_and_unlink(const std::string &path) {
#ifndef _WIN32
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
        struct stat st {};
        if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            std::vector<std::uint8_t> zeros(static_cast<std::size_t>(st.st_size), 0);
            std::size_t done = 0;
            while (done < zeros.size()) {
                ssize_t n = ::write(fd, zeros.data() + done, zeros.size() - done);
                if (n <= 0) break;
                done += static_cast<std::size_t>(n);
            }
            ::fsync(fd);
        }
        ::close(fd);
    }
#endif
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) store_error("cannot remove " + path + ": " + ec.message(), path + " を削除できません: " + ec.message());
}

}  // namespace

std::shared_ptr<const KeyProtector> make_plain_key_protector() { return std::make_shared<PlainKeyProtector>(); }

std::shared_ptr<const KeyProtector> make_passphrase_key_protector(SecureBuffer passphrase) {
    if (passphrase.empty())
        throw Error(ONSHI_E_CONFIG, {"credential_passphrase is empty", "credential_passphrase が空です"});
    return std::make_shared<PassphraseKeyProtector>(std::move(passphrase));
}

void check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem, onshi_status status) {
    std::unique_ptr<BIO, decltype(&BIO_free)> kb(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), BIO_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> cb(
        BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())), BIO_free);
    if (!kb || !cb) throw Error(ONSHI_E_NO_MEMORY, {});
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr),
                                                            EVP_PKEY_free);
    if (!key) throw Error(status, {"the terminal key is not a readable PEM private key", "端末の秘密鍵を読み込めません"});
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr), X509_free);
    if (!cert) throw Error(status, {"the terminal certificate is not a readable PEM certificate", "端末の証明書を読み込めません"});
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        throw Error(status, {"the terminal certificate does not belong to the terminal key",
                             "端末の証明書と秘密鍵が対応していません"});
}

KeyAndCsr KeyProtector::generate_key_and_csr() const { return registration::generate_key_and_csr(); }
void KeyProtector::check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem,
                                                 onshi_status status) const {
    registration::check_key_matches_certificate(key_pem, certificate_pem, status);
}
std::shared_ptr<EVP_PKEY> KeyProtector::tls_key(const SecureBuffer &) const { return nullptr; }

KeyAndCsr CredentialStore::generate_key_and_csr() const { return registration::generate_key_and_csr(); }
void CredentialStore::check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem,
                                                    onshi_status status) const {
    registration::check_key_matches_certificate(key_pem, certificate_pem, status);
}

KeyAndCsr FileCredentialStore::generate_key_and_csr() const { return protector_->generate_key_and_csr(); }
void FileCredentialStore::check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem,
                                                        onshi_status status) const {
    protector_->check_key_matches_certificate(key_pem, certificate_pem, status);
}

FileCredentialStore::FileCredentialStore(std::string directory, std::shared_ptr<const KeyProtector> protector)
    : dir_(std::move(directory)), protector_(protector ? std::move(protector) : make_plain_key_protector()) {}

std::string FileCredentialStore::path(const char *name) const { return (std::filesystem::path(dir_) / name).string(); }
std::string FileCredentialStore::path(const char *name, const char *suffix) const { return path(name) + suffix; }

void FileCredentialStore::settle() const {
    if (dir_.empty() || !exists(path(kCommit))) return;
    // A replace committed and was interrupted before its renames finished: finish them.
    for (const char *name : {kKey, kCert, kJson})
        if (exists(path(name, kNew))) rename_or_fail(path(name, kNew), path(name));
    sync_directory(dir_);
    unlink_quiet(path(kCommit));
    sync_directory(dir_);
}

std::optional<TerminalRecord> FileCredentialStore::record() const {
    std::lock_guard lock(mutex_);
    return record_locked();
}

std::optional<TerminalRecord> FileCredentialStore::record_locked() const {
    settle();
    bool key = exists(path(kKey)), cert = exists(path(kCert)), json = exists(path(kJson));
    if (!key && !cert && !json) return std::nullopt;
    if (!(key && cert && json)) {
        std::string missing = std::string(key ? "" : " terminal.key") + (cert ? "" : " terminal.crt") + (json ? "" : " terminal.json");
        store_error(dir_ + " holds an incomplete enrollment (missing:" + missing +
                        "); remove the directory's terminal.* files and enroll again",
                    dir_ + " の登録情報が不完全です(欠落:" + missing + ")。terminal.* を削除して再登録してください");
    }
    return parse_record(read_file(path(kJson)), path(kJson));
}

TerminalCredentials FileCredentialStore::load() const {
    std::lock_guard lock(mutex_);
    std::optional<TerminalRecord> rec = record_locked();
    if (!rec) throw Error(ONSHI_E_NOT_ENROLLED, {"terminal not registered", "端末が登録されていません"});
#ifndef _WIN32
    struct stat st {};
    if (::stat(path(kKey).c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        store_error(path(kKey) + " is accessible to other users; it must be mode 0600",
                    path(kKey) + " が他のユーザーから読めます。0600 にしてください");
#endif
    TerminalCredentials creds;
    creds.record = std::move(*rec);
    creds.key_pem = protector_->open(read_file(path(kKey)), path(kKey));
    SecureBuffer cert = read_file(path(kCert));
    creds.certificate_pem = std::string(cert.view());
    protector_->check_key_matches_certificate(creds.key_pem, creds.certificate_pem, kStore);
    creds.tls_key = protector_->tls_key(creds.key_pem);
    return creds;
}

namespace {

std::string record_json(const TerminalRecord &record) {
    json::Writer w;
    w.begin_object()
        .member("terminal_id", record.terminal_id)
        .member("facility_code", record.facility_code)
        .member("facility_name", record.facility_name)
        .member("terminal_name", record.terminal_name)
        .member("certificate_expires_at", record.certificate_expires_at)
        .end_object();
    return w.text();
}

}  // namespace

void FileCredentialStore::prepare_directory() const {
    if (dir_.empty()) store_error("no credential_dir is configured", "credential_dir が設定されていません");
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) store_error("cannot create " + dir_ + ": " + ec.message(), dir_ + " を作成できません: " + ec.message());
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    if (ec) store_error("cannot restrict " + dir_ + " to its owner: " + ec.message(), dir_ + " の権限を設定できません: " + ec.message());
}

void FileCredentialStore::save(const TerminalRecord &record, const std::string &certificate_pem, const SecureBuffer &key_pem) {
    std::lock_guard lock(mutex_);
    prepare_directory();
    const std::string json = record_json(record);
    SecureBuffer sealed = protector_->seal(key_pem);
    write_file_atomic(path(kKey), sealed.data(), sealed.size(), 0600);
    write_file_atomic(path(kCert), certificate_pem.data(), certificate_pem.size(), 0600);
    write_file_atomic(path(kJson), json.data(), json.size(), 0600);  // last: the commit
    sync_directory(dir_);
}

void FileCredentialStore::replace(const TerminalRecord &record, const std::string &certificate_pem, const SecureBuffer &key_pem) {
    std::lock_guard lock(mutex_);
    prepare_directory();
    settle();
    const std::string json = record_json(record);
    SecureBuffer sealed = protector_->seal(key_pem);
    // 1. the new set beside the old one (a crash here leaves the old set in force)
    write_file_atomic(path(kKey, kNew), sealed.data(), sealed.size(), 0600);
    write_file_atomic(path(kCert, kNew), certificate_pem.data(), certificate_pem.size(), 0600);
    write_file_atomic(path(kJson, kNew), json.data(), json.size(), 0600);
    sync_directory(dir_);
    // 2. the commit point
    static constexpr char kMark[] = "replace\n";
    write_file_atomic(path(kCommit), kMark, sizeof kMark - 1, 0600);
    sync_directory(dir_);
    // 3. the renames (finished by settle() after a crash)
    settle();
}

void FileCredentialStore::check_writable() {
    // Key, certificate and record with their .new and .tmp copies fit well within this.
    constexpr std::size_t kProbeBytes = 32 * 1024;
    std::lock_guard lock(mutex_);
    try {
        prepare_directory();
        const std::vector<char> probe(kProbeBytes, '\0');
        write_file_atomic(path("terminal.probe"), probe.data(), probe.size(), 0600);
        std::error_code ec;
        std::filesystem::remove(path("terminal.probe"), ec);
    } catch (const Error &e) {
        throw Error(kStore, {e.detail().en + " (nothing was sent to the gateway)",
                             e.detail().ja + "（ゲートウェイには何も送っていません）"});
    }
}

void FileCredentialStore::wipe() {
    std::lock_guard lock(mutex_);
    if (dir_.empty()) return;
    // terminal.json first: from then on the store is no longer a complete enrollment.
    unlink_quiet(path(kCommit));
    for (const char *name : {kJson, kKey, kCert}) {
        for (const char *suffix : {kNew, ""}) {
            const std::string p = path(name, suffix);
            if (!exists(p)) continue;
            if (name == kKey) overwrite_and_unlink(p);
            else {
                std::error_code ec;
                std::filesystem::remove(p, ec);
                if (ec) store_error("cannot remove " + p + ": " + ec.message(), p + " を削除できません: " + ec.message());
            }
        }
    }
    sync_directory(dir_);
}

}  // namespace onshi::registration
