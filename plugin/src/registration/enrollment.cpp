#include "registration/enrollment.h"

#include "util/error.h"
#include "util/json.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace onshi::registration {
namespace {

[[noreturn]] void openssl_failed(const char *what) {
    throw Error(ONSHI_E_INTERNAL, {std::string("OpenSSL: ") + what + " failed", std::string("OpenSSL: ") + what + " に失敗しました"});
}

std::string bio_text(BIO *bio) {
    char *data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

SetupCredentials SetupCredentials::parse(std::string_view text) {
    rapidjson::Document doc = json::parse(text, "setup_json", ONSHI_E_INVALID_ARGUMENT, {.max_bytes = 16 * 1024, .max_depth = 4});
    SetupCredentials s;
    // Wipes the password inside the document whatever happens below.
    struct Wipe {
        rapidjson::Document &d;
        ~Wipe() {
            if (d.IsObject()) {
                auto it = d.FindMember("setup_password");
                if (it != d.MemberEnd() && it->value.IsString())
                    OPENSSL_cleanse(const_cast<char *>(it->value.GetString()), it->value.GetStringLength());
            }
        }
    } wipe{doc};
    json::ObjectReader r(doc, "setup_json", ONSHI_E_INVALID_ARGUMENT);
    s.facility_code = r.string("facility_code", 16).value_or("");
    if (s.facility_code.size() != 10 || s.facility_code.find_first_not_of("0123456789") != std::string::npos)
        r.fail("facility_code", "must be the 10-digit 医療機関等コード", "10桁の医療機関等コードを指定してください");
    s.enrollment_id = r.string("enrollment_id", 64).value_or("");
    if (s.enrollment_id.empty()) r.fail("enrollment_id", "is required", "必須です");
    if (const rapidjson::Value *pw = r.any("setup_password")) {
        if (!pw->IsString() || pw->GetStringLength() == 0 || pw->GetStringLength() > 256)
            r.fail("setup_password", "must be a string of 1 to 256 bytes", "1〜256バイトの文字列を指定してください");
        s.setup_password = SecureBuffer(pw->GetString(), pw->GetStringLength());
    } else {
        r.fail("setup_password", "is required", "必須です");
    }
    s.gateway_url = r.string("gateway_url", 2048).value_or("");
    s.terminal_name = r.string("terminal_name", 256).value_or("");
    r.finish();
    return s;
}

KeyAndCsr generate_key_and_csr(KeyType type) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        type == KeyType::ec_p256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048), EVP_PKEY_free);
    if (!key) openssl_failed("key generation");

    std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> req(X509_REQ_new(), X509_REQ_free);
    if (!req || X509_REQ_set_version(req.get(), 0) != 1) openssl_failed("X509_REQ_new");
    // The gateway sets the subject (CN=<terminal id>); ours only names the software.
    X509_NAME *name = X509_REQ_get_subject_name(req.get());
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("onshi terminal"), -1,
                                   -1, 0) != 1)
        openssl_failed("X509_NAME_add_entry");
    if (X509_REQ_set_pubkey(req.get(), key.get()) != 1) openssl_failed("X509_REQ_set_pubkey");
    if (X509_REQ_sign(req.get(), key.get(), EVP_sha256()) <= 0) openssl_failed("X509_REQ_sign");

    KeyAndCsr out;
    {
        // Secure-heap memory BIO: cleared when freed.
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_secmem()), BIO_free);
        if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
            openssl_failed("PEM_write_bio_PrivateKey");
        char *data = nullptr;
        long n = BIO_get_mem_data(bio.get(), &data);
        if (n <= 0) openssl_failed("BIO_get_mem_data");
        out.key_pem = SecureBuffer(data, static_cast<std::size_t>(n));
    }
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || PEM_write_bio_X509_REQ(bio.get(), req.get()) != 1) openssl_failed("PEM_write_bio_X509_REQ");
    out.csr_pem = bio_text(bio.get());
    return out;
}

TerminalRecord enroll_terminal(CredentialStore &store, const SetupCredentials &setup, const SubmitCsr &submit) {
    if (std::optional<TerminalRecord> existing = store.record())
        throw Error(ONSHI_E_ALREADY_ENROLLED, {"this terminal is already registered as " + existing->terminal_id,
                                               "この端末は " + existing->terminal_id + " として登録済みです"});
    store.check_writable();  // before the gateway takes a slot that a read-only or full store would lose
    KeyAndCsr made = store.generate_key_and_csr();  // in memory, or in the TPM (key_store "tpm")
    IssuedCertificate issued = submit(made.csr_pem);
    store.check_key_matches_certificate(made.key_pem, issued.certificate_pem, ONSHI_E_GATEWAY_PROTOCOL);
    if (!issued.facility_code.empty() && issued.facility_code != setup.facility_code)
        throw Error(ONSHI_E_GATEWAY_PROTOCOL, {"the gateway registered the terminal for another facility (" +
                                                   issued.facility_code + ")",
                                               "ゲートウェイが別の医療機関等(" + issued.facility_code + ")として登録しました"});
    TerminalRecord record{issued.terminal_id, setup.facility_code, issued.facility_name, setup.terminal_name,
                          issued.certificate_expires_at};
    store.save(record, issued.certificate_pem, made.key_pem);
    made.key_pem.wipe();
    return record;
}

}  // namespace onshi::registration
