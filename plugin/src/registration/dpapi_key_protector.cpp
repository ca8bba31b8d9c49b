#include "registration/dpapi_key_protector.h"

#include "util/error.h"

#if defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <dpapi.h>
#include <wincrypt.h>

#include <openssl/evp.h>

#include <string>
#include <string_view>
#include <vector>
#endif

namespace onshi::registration {

#if defined(_WIN32)
namespace {

constexpr std::string_view kBegin = "-----BEGIN ONSHI DPAPI PRIVATE KEY-----\n";
constexpr std::string_view kEnd = "-----END ONSHI DPAPI PRIVATE KEY-----\n";
constexpr std::string_view kPlainPem = "-----BEGIN PRIVATE KEY-----";
// Mixed into the DPAPI key derivation: another program of the same user calling
// CryptUnprotectData without it cannot open the blob.
constexpr char kEntropy[] = "onshi terminal key v1";
constexpr std::size_t kMaxBlobBytes = 48 * 1024;

[[noreturn]] void fail(const std::string &en, const std::string &ja) {
    throw Error(ONSHI_E_CREDENTIAL_STORE, {"credential store: " + en, "端末の認証情報: " + ja});
}

DATA_BLOB entropy() {
    DATA_BLOB b{};
    b.pbData = reinterpret_cast<BYTE *>(const_cast<char *>(kEntropy));
    b.cbData = sizeof kEntropy - 1;
    return b;
}

// DPAPI output lives in LocalAlloc'ed memory: wipe it before it goes back.
struct LocalBlob {
    DATA_BLOB blob{};
    LocalBlob() = default;
    LocalBlob(const LocalBlob &) = delete;
    LocalBlob &operator=(const LocalBlob &) = delete;
    ~LocalBlob() {
        if (blob.pbData) {
            SecureZeroMemory(blob.pbData, blob.cbData);
            LocalFree(blob.pbData);
        }
    }
};

class DpapiKeyProtector final : public KeyProtector {
public:
    const char *name() const override { return "dpapi"; }

    SecureBuffer seal(const SecureBuffer &key_pem) const override {
        DATA_BLOB in{};
        in.pbData = const_cast<BYTE *>(key_pem.data());
        in.cbData = static_cast<DWORD>(key_pem.size());
        DATA_BLOB extra = entropy();
        LocalBlob out;
        if (!CryptProtectData(&in, L"onshi terminal key", &extra, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN, &out.blob))
            fail("DPAPI could not seal the terminal key (CryptProtectData error " + std::to_string(GetLastError()) + ")",
                 "DPAPIで端末の秘密鍵を保護できません（CryptProtectData エラー " + std::to_string(GetLastError()) + "）");
        // The blob is ciphertext; base64 it into text armour (64 characters a line).
        std::vector<unsigned char> b64(4 * ((out.blob.cbData + 2) / 3) + 1);
        const int n = EVP_EncodeBlock(b64.data(), out.blob.pbData, static_cast<int>(out.blob.cbData));
        std::string text(kBegin);
        for (int i = 0; i < n; i += 64) {
            text.append(reinterpret_cast<const char *>(b64.data()) + i, static_cast<std::size_t>(std::min(64, n - i)));
            text += '\n';
        }
        text += kEnd;
        return SecureBuffer(text.data(), text.size());
    }

    SecureBuffer open(const SecureBuffer &stored, const std::string &path) const override {
        const std::string_view text = stored.view();
        if (text.find(kPlainPem) != std::string_view::npos) return SecureBuffer(stored.data(), stored.size());
        if (text.substr(0, kBegin.size()) != kBegin)
            fail(path + " is neither a DPAPI-sealed key nor a PEM private key",
                 path + " はDPAPIで保護された鍵でもPEM秘密鍵でもありません");
        const std::size_t end = text.find(kEnd, kBegin.size());
        if (end == std::string_view::npos) fail(path + " is truncated", path + " が途中で切れています");
        std::string b64;
        for (char c : text.substr(kBegin.size(), end - kBegin.size()))
            if (c != '\n' && c != '\r') b64 += c;
        if (b64.empty() || b64.size() % 4 != 0 || b64.size() / 4 * 3 > kMaxBlobBytes)
            fail(path + " is damaged (bad base64)", path + " が壊れています（base64が不正）");
        std::vector<BYTE> blob(b64.size() / 4 * 3);
        const int n = EVP_DecodeBlock(blob.data(), reinterpret_cast<const unsigned char *>(b64.data()),
                                      static_cast<int>(b64.size()));
        if (n < 0) fail(path + " is damaged (bad base64)", path + " が壊れています（base64が不正）");
        std::size_t size = static_cast<std::size_t>(n);
        if (b64.size() >= 1 && b64[b64.size() - 1] == '=') --size;  // EVP_DecodeBlock keeps padding bytes
        if (b64.size() >= 2 && b64[b64.size() - 2] == '=') --size;
        DATA_BLOB in{};
        in.pbData = blob.data();
        in.cbData = static_cast<DWORD>(size);
        DATA_BLOB extra = entropy();
        LocalBlob out;
        if (!CryptUnprotectData(&in, nullptr, &extra, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN, &out.blob))
            fail(path + " cannot be opened by this Windows user (DPAPI error " + std::to_string(GetLastError()) +
                     "): sealed by another user or PC, or damaged",
                 path + " をこのWindowsユーザーでは開けません（DPAPI エラー " + std::to_string(GetLastError()) +
                     "）。別のユーザーかPCで保護されたか、壊れています");
        return SecureBuffer(out.blob.pbData, out.blob.cbData);
    }
};

}  // namespace

std::shared_ptr<const KeyProtector> make_dpapi_key_protector() { return std::make_shared<DpapiKeyProtector>(); }

#else

std::shared_ptr<const KeyProtector> make_dpapi_key_protector() {
    throw Error(ONSHI_E_NOT_SUPPORTED, {"DPAPI exists only on Windows", "DPAPIはWindowsのみです"});
}

#endif

}  // namespace onshi::registration
