#include "registration/credential_store.h"

#include "util/error.h"
#include "util/json.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

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

[[noreturn]] void store_error(const std::string &en, const std::string &ja) {
    throw Error(kStore, {"credential store: " + en, "端末の認証情報: " + ja});
}

std::string errno_text() { return std::strerror(errno); }

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
    ::unlink(tmp.c_str());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, static_cast<mode_t>(mode));
    if (fd < 0) store_error("cannot create " + tmp + ": " + errno_text(), tmp + " を作成できません: " + errno_text());
    bool ok = ::fchmod(fd, static_cast<mode_t>(mode)) == 0;  // whatever the umask
    const auto *p = static_cast<const std::uint8_t *>(data);
    std::size_t done = 0;
    while (ok && done < size) {
        ssize_t n = ::write(fd, p + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        std::string why = errno_text();
        ::unlink(tmp.c_str());
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

}  // namespace

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

FileCredentialStore::FileCredentialStore(std::string directory) : dir_(std::move(directory)) {}

std::string FileCredentialStore::path(const char *name) const { return (std::filesystem::path(dir_) / name).string(); }

std::optional<TerminalRecord> FileCredentialStore::record() const {
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
    std::optional<TerminalRecord> rec = record();
    if (!rec) throw Error(ONSHI_E_NOT_ENROLLED, {"terminal not registered", "端末が登録されていません"});
#ifndef _WIN32
    struct stat st {};
    if (::stat(path(kKey).c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        store_error(path(kKey) + " is accessible to other users; it must be mode 0600",
                    path(kKey) + " が他のユーザーから読めます。0600 にしてください");
#endif
    TerminalCredentials creds;
    creds.record = std::move(*rec);
    creds.key_pem = read_file(path(kKey));
    SecureBuffer cert = read_file(path(kCert));
    creds.certificate_pem = std::string(cert.view());
    check_key_matches_certificate(creds.key_pem, creds.certificate_pem, kStore);
    return creds;
}

void FileCredentialStore::save(const TerminalRecord &record, const std::string &certificate_pem, const SecureBuffer &key_pem) {
    if (dir_.empty()) store_error("no credential_dir is configured", "credential_dir が設定されていません");
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) store_error("cannot create " + dir_ + ": " + ec.message(), dir_ + " を作成できません: " + ec.message());
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    if (ec) store_error("cannot restrict " + dir_ + " to its owner: " + ec.message(), dir_ + " の権限を設定できません: " + ec.message());

    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("terminal_id");
    w.String(record.terminal_id);
    w.Key("facility_code");
    w.String(record.facility_code);
    w.Key("facility_name");
    w.String(record.facility_name);
    w.Key("terminal_name");
    w.String(record.terminal_name);
    w.Key("certificate_expires_at");
    w.String(record.certificate_expires_at);
    w.EndObject();

    write_file_atomic(path(kKey), key_pem.data(), key_pem.size(), 0600);
    write_file_atomic(path(kCert), certificate_pem.data(), certificate_pem.size(), 0644);
    write_file_atomic(path(kJson), buf.GetString(), buf.GetSize(), 0644);  // last: the commit
    sync_directory(dir_);
}

}  // namespace onshi::registration
