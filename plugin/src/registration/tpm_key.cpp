// EC_KEY_METHOD (deprecated in OpenSSL 3, still supported) is how a key object of the default
// library context signs with a key of another one: see TpmKeys::tls_key.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "registration/tpm_key.h"

#include "util/error.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

#include <mutex>
#include <string_view>

namespace onshi::registration {

bool is_tpm_key_blob(const SecureBuffer &pem) {
    return pem.view().find("-----BEGIN TSS2 PRIVATE KEY-----") != std::string_view::npos;
}

#ifndef _WIN32  // Windows: the Platform Crypto Provider would sit behind KeyProtector (docs/windows.md)

namespace {

// Operations on the key must run in the tpm2 provider: "EC" and "ECDSA" exist in the default
// provider too, and a key exported there would have no private half to sign with.
constexpr const char *kPreferTpm = "?provider=tpm2";

// The first OpenSSL error's text (the provider says what the TPM answered), queue cleared.
std::string openssl_reason() {
    unsigned long e = ERR_peek_last_error();
    std::string text;
    if (e != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        text = buf;
    }
    ERR_clear_error();
    return text.empty() ? "no detail" : text;
}

[[noreturn]] void tpm_error(const std::string &en, const std::string &ja) {
    const std::string why = openssl_reason();
    throw Error(ONSHI_E_CREDENTIAL_STORE, {"TPM key store: " + en + " (" + why + ")", "TPM鍵ストア: " + ja + "(" + why + ")"});
}

}  // namespace

struct TpmKeys::Impl {
    OSSL_LIB_CTX *libctx = nullptr;
    OSSL_PROVIDER *tpm2 = nullptr;
    OSSL_PROVIDER *fallback = nullptr;  // "default": digests, encoders and decoders for the rest
    // The provider's TPM connection is not thread-safe: one TPM operation at a time.
    mutable std::mutex mutex;
    ~Impl() {
        if (tpm2) OSSL_PROVIDER_unload(tpm2);
        if (fallback) OSSL_PROVIDER_unload(fallback);
        OSSL_LIB_CTX_free(libctx);
    }
};

TpmKeys::TpmKeys(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TpmKeys::~TpmKeys() = default;

std::shared_ptr<const TpmKeys> TpmKeys::open() {
    auto impl = std::make_unique<Impl>();
    impl->libctx = OSSL_LIB_CTX_new();
    if (!impl->libctx) throw Error(ONSHI_E_NO_MEMORY, {});
    // The provider connects to the TPM when it loads: no TPM, no provider.
    impl->tpm2 = OSSL_PROVIDER_load(impl->libctx, "tpm2");
    if (!impl->tpm2)
        tpm_error("cannot load OpenSSL's tpm2 provider or reach the TPM (Debian: tpm2-openssl; is there a TPM 2.0, "
                  "/dev/tpmrm0 readable by this user, or TPM2OPENSSL_TCTI set?)",
                  "OpenSSL の tpm2 プロバイダを読み込めないか、TPMに接続できません(Debian: tpm2-openssl。TPM 2.0 "
                  "があり、/dev/tpmrm0 をこのユーザーが使えるか、TPM2OPENSSL_TCTI を確認してください)");
    impl->fallback = OSSL_PROVIDER_load(impl->libctx, "default");
    if (!impl->fallback) tpm_error("cannot load OpenSSL's default provider", "OpenSSL の default プロバイダを読み込めません");
    return std::shared_ptr<const TpmKeys>(new TpmKeys(std::move(impl)));
}

KeyAndCsr TpmKeys::generate_key_and_csr() const {
    std::lock_guard lock(impl_->mutex);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> gen(
        EVP_PKEY_CTX_new_from_name(impl_->libctx, "EC", "provider=tpm2"), EVP_PKEY_CTX_free);
    EVP_PKEY *raw = nullptr;
    if (!gen || EVP_PKEY_keygen_init(gen.get()) <= 0 || EVP_PKEY_CTX_set_group_name(gen.get(), "P-256") <= 0 ||
        EVP_PKEY_generate(gen.get(), &raw) <= 0)
        tpm_error("the TPM did not generate the terminal key", "TPMで端末の鍵を生成できません");
    KeyPtr key(raw, EVP_PKEY_free);

    std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> req(X509_REQ_new_ex(impl_->libctx, nullptr), X509_REQ_free);
    X509_NAME *name = req ? X509_REQ_get_subject_name(req.get()) : nullptr;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!req || !name || !md || X509_REQ_set_version(req.get(), 0) != 1 ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("onshi terminal"),
                                   -1, -1, 0) != 1 ||
        X509_REQ_set_pubkey(req.get(), key.get()) != 1 ||
        EVP_DigestSignInit_ex(md.get(), nullptr, "SHA256", impl_->libctx, kPreferTpm, key.get(), nullptr) != 1 ||
        X509_REQ_sign_ctx(req.get(), md.get()) <= 0)
        tpm_error("the TPM did not sign the certificate request", "TPMで証明書署名要求に署名できません");

    KeyAndCsr out;
    {
        std::unique_ptr<OSSL_ENCODER_CTX, decltype(&OSSL_ENCODER_CTX_free)> enc(
            OSSL_ENCODER_CTX_new_for_pkey(key.get(), OSSL_KEYMGMT_SELECT_ALL, "PEM", nullptr, "provider=tpm2"),
            OSSL_ENCODER_CTX_free);
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_secmem()), BIO_free);
        char *data = nullptr;
        if (!enc || !bio || OSSL_ENCODER_to_bio(enc.get(), bio.get()) != 1)
            tpm_error("cannot write the TPM key blob", "TPM鍵のブロブを書き出せません");
        long n = BIO_get_mem_data(bio.get(), &data);
        out.key_pem = SecureBuffer(data, n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    // Whatever the provider's encoder did, only a blob may leave this function.
    if (!is_tpm_key_blob(out.key_pem))
        throw Error(ONSHI_E_CREDENTIAL_STORE, {"TPM key store: the provider wrote something other than a TSS2 key blob",
                                               "TPM鍵ストア: プロバイダが TSS2 鍵ブロブ以外を書き出しました"});
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    char *data = nullptr;
    if (!bio || PEM_write_bio_X509_REQ(bio.get(), req.get()) != 1)
        tpm_error("cannot write the certificate request", "証明書署名要求を書き出せません");
    long n = BIO_get_mem_data(bio.get(), &data);
    out.csr_pem.assign(data, n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
}

TpmKeys::KeyPtr TpmKeys::load(const SecureBuffer &blob) const {
    if (!is_tpm_key_blob(blob))
        throw Error(ONSHI_E_CREDENTIAL_STORE, {"TPM key store: the terminal key is not a TSS2 key blob",
                                               "TPM鍵ストア: 端末の鍵が TSS2 鍵ブロブではありません"});
    std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_mem_buf(blob.data(), static_cast<int>(blob.size())), BIO_free);
    if (!in) throw Error(ONSHI_E_NO_MEMORY, {});
    std::lock_guard lock(impl_->mutex);
    KeyPtr key(PEM_read_bio_PrivateKey_ex(in.get(), nullptr, nullptr, nullptr, impl_->libctx, kPreferTpm), EVP_PKEY_free);
    if (!key)
        tpm_error("the TPM cannot load the terminal key (a blob of another TPM, or a cleared TPM?)",
                  "TPMが端末の鍵を読み込めません(別のTPMの鍵か、TPMが初期化された可能性があります)");
    return key;
}

bool TpmKeys::sign_digest(EVP_PKEY *tpm_key, const unsigned char *digest, std::size_t digest_size,
                          unsigned char *signature, std::size_t *signature_size) const {
    std::lock_guard lock(impl_->mutex);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_from_pkey(impl_->libctx, tpm_key, kPreferTpm), EVP_PKEY_CTX_free);
    const bool ok = ctx && EVP_PKEY_sign_init(ctx.get()) == 1 &&
                    EVP_PKEY_sign(ctx.get(), signature, signature_size, digest, digest_size) == 1;
    if (!ok) ERR_clear_error();
    return ok;
}

void TpmKeys::free_key(EVP_PKEY *tpm_key) const {
    std::lock_guard lock(impl_->mutex);
    EVP_PKEY_free(tpm_key);
}

namespace {

// What the EC_KEY of a TLS key carries: the TPM key it signs with, and the context that loaded it.
struct TlsKeyLink {
    std::shared_ptr<const TpmKeys> keys;
    TpmKeys::KeyPtr tpm_key;
    ~TlsKeyLink() { keys->free_key(tpm_key.release()); }  // not while another thread signs
};

void free_link(void *, void *ptr, CRYPTO_EX_DATA *, int, long, void *) { delete static_cast<TlsKeyLink *>(ptr); }

int link_index() {
    static const int index = EC_KEY_get_ex_new_index(0, nullptr, nullptr, nullptr, free_link);
    return index;
}

int tpm_sign(int, const unsigned char *digest, int digest_size, unsigned char *signature, unsigned int *signature_size,
             const BIGNUM *, const BIGNUM *, EC_KEY *ec) {
    const auto *link = static_cast<const TlsKeyLink *>(EC_KEY_get_ex_data(ec, link_index()));
    std::size_t size = static_cast<std::size_t>(ECDSA_size(ec));
    if (!link || digest_size <= 0 ||
        !link->keys->sign_digest(link->tpm_key.get(), digest, static_cast<std::size_t>(digest_size), signature, &size))
        return 0;
    *signature_size = static_cast<unsigned int>(size);
    return 1;
}

ECDSA_SIG *tpm_sign_sig(const unsigned char *digest, int digest_size, const BIGNUM *kinv, const BIGNUM *r, EC_KEY *ec) {
    unsigned char der[160];
    unsigned int size = 0;
    if (ECDSA_size(ec) > static_cast<int>(sizeof der) || !tpm_sign(0, digest, digest_size, der, &size, kinv, r, ec))
        return nullptr;
    const unsigned char *p = der;
    return d2i_ECDSA_SIG(nullptr, &p, size);
}

const EC_KEY_METHOD *tpm_ec_method() {
    static EC_KEY_METHOD *const method = [] {
        EC_KEY_METHOD *m = EC_KEY_METHOD_new(EC_KEY_get_default_method());
        if (m) EC_KEY_METHOD_set_sign(m, tpm_sign, nullptr, tpm_sign_sig);
        return m;
    }();
    return method;
}

}  // namespace

std::shared_ptr<EVP_PKEY> TpmKeys::tls_key(std::shared_ptr<const TpmKeys> keys, KeyPtr tpm_key) {
    // The public half, re-read in the default library context (SubjectPublicKeyInfo).
    unsigned char *spki = nullptr;
    int n = i2d_PUBKEY(tpm_key.get(), &spki);
    const unsigned char *p = spki;
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pub(n > 0 ? d2i_PUBKEY(nullptr, &p, n) : nullptr, EVP_PKEY_free);
    OPENSSL_free(spki);
    EC_KEY *ec = pub ? EVP_PKEY_get1_EC_KEY(pub.get()) : nullptr;
    const int index = link_index();
    if (!ec || !tpm_ec_method() || index < 0 || EC_KEY_set_method(ec, tpm_ec_method()) != 1) {
        EC_KEY_free(ec);
        tpm_error("cannot prepare the TPM key for TLS", "TPMの鍵をTLS用に準備できません");
    }
    auto *link = new TlsKeyLink{std::move(keys), std::move(tpm_key)};
    if (EC_KEY_set_ex_data(ec, index, link) != 1) {
        delete link;
        EC_KEY_free(ec);
        tpm_error("cannot prepare the TPM key for TLS", "TPMの鍵をTLS用に準備できません");
    }
    std::shared_ptr<EVP_PKEY> out(EVP_PKEY_new(), EVP_PKEY_free);
    if (!out || EVP_PKEY_assign_EC_KEY(out.get(), ec) != 1) {
        EC_KEY_free(ec);  // frees the link too
        tpm_error("cannot prepare the TPM key for TLS", "TPMの鍵をTLS用に準備できません");
    }
    return out;
}

namespace {

class TpmKeyProtector final : public KeyProtector {
public:
    const char *name() const override { return "tpm"; }
    SecureBuffer seal(const SecureBuffer &key_pem) const override {
        if (!is_tpm_key_blob(key_pem))
            throw Error(ONSHI_E_CREDENTIAL_STORE,
                        {"key_store is \"tpm\" but the key to store is not a TPM key blob: refused, no private key is "
                         "written to a file",
                         "key_store が \"tpm\" ですが保存する鍵が TPM 鍵ブロブではありません。秘密鍵をファイルには書きません"});
        return SecureBuffer(key_pem.data(), key_pem.size());
    }
    SecureBuffer open(const SecureBuffer &stored, const std::string &path) const override {
        if (!is_tpm_key_blob(stored))
            throw Error(ONSHI_E_CREDENTIAL_STORE,
                        {path + " is a key in a file, but key_store is \"tpm\": end the terminal's use and enroll it "
                                "again with the TPM (or set key_store to \"file\")",
                         path + " はファイルの鍵ですが key_store が \"tpm\" です。利用終了のうえ TPM で再登録してください"
                                "(または key_store を \"file\" にしてください)"});
        return SecureBuffer(stored.data(), stored.size());
    }

    KeyAndCsr generate_key_and_csr() const override { return keys()->generate_key_and_csr(); }

    void check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem,
                                       onshi_status status) const override {
        std::shared_ptr<EVP_PKEY> key = tls_key(key_pem);
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(
            BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())), BIO_free);
        std::unique_ptr<X509, decltype(&X509_free)> cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr,
                                                         X509_free);
        if (!cert) {
            ERR_clear_error();
            throw Error(status, {"the terminal certificate is not a readable PEM certificate", "端末の証明書を読み込めません"});
        }
        if (X509_check_private_key(cert.get(), key.get()) != 1) {  // public halves compared
            ERR_clear_error();
            throw Error(status, {"the terminal certificate does not belong to the terminal key in the TPM",
                                 "端末の証明書とTPM内の端末の鍵が対応していません"});
        }
    }

    // One loaded key per blob: a TPM has few object slots, and every check asks for the key.
    std::shared_ptr<EVP_PKEY> tls_key(const SecureBuffer &key_pem) const override {
        std::shared_ptr<const TpmKeys> tpm = keys();
        std::lock_guard lock(mutex_);
        if (!cached_ || cached_blob_ != key_pem.view()) {
            cached_ = TpmKeys::tls_key(tpm, tpm->load(key_pem));
            cached_blob_ = std::string(key_pem.view());  // a blob, no secret
        }
        return cached_;
    }

private:
    std::shared_ptr<const TpmKeys> keys() const {
        std::lock_guard lock(mutex_);
        if (!keys_) keys_ = TpmKeys::open();  // throws while the TPM is missing; tried again next time
        return keys_;
    }

    mutable std::mutex mutex_;
    mutable std::shared_ptr<const TpmKeys> keys_;
    mutable std::string cached_blob_;
    mutable std::shared_ptr<EVP_PKEY> cached_;
};

}  // namespace

std::shared_ptr<const KeyProtector> make_tpm_key_protector() { return std::make_shared<TpmKeyProtector>(); }

#else

std::shared_ptr<const KeyProtector> make_tpm_key_protector() {
    throw Error(ONSHI_E_CREDENTIAL_STORE, {"key_store \"tpm\" is not available on Windows yet",
                                           "key_store \"tpm\" は Windows ではまだ使えません"});
}

#endif

}  // namespace onshi::registration
