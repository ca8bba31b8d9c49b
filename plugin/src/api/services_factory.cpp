#include "api/services_factory.h"

#include "card/pcsc_reader_system.h"
#include "gateway/curl_gateway_client.h"
#include "registration/credential_store.h"
#include "registration/dpapi_key_protector.h"
#include "registration/tpm_key.h"

namespace onshi::api {
namespace {

// Without a configured passphrase: DPAPI on Windows (sealed for the Windows user), owner-only
// file permissions elsewhere.
std::shared_ptr<const registration::KeyProtector> default_key_protector() {
#if defined(_WIN32)
    return registration::make_dpapi_key_protector();
#else
    return registration::make_plain_key_protector();
#endif
}

}  // namespace

core::Services make_services(const core::Config &config) {
    core::Services services;
    if (config.pcsc_enabled) services.readers = card::make_pcsc_reader_system();
    if (config.gateway.configured()) services.gateway = std::make_shared<gateway::CurlGatewayClient>(config.gateway);
    if (!config.credential_dir.empty()) {
        // key_store "tpm": the TPM or an error, never a key file instead (tpm_key.h).
        auto protector = config.key_store_tpm ? registration::make_tpm_key_protector()
                         : config.credential_passphrase
                             ? registration::make_passphrase_key_protector(SecureBuffer(
                                   config.credential_passphrase->data(), config.credential_passphrase->size()))
                             : default_key_protector();
        services.credentials = std::make_shared<registration::FileCredentialStore>(config.credential_dir, std::move(protector));
    }
    return services;
}

}  // namespace onshi::api
