// The seams a context is built from. The C shim wires the real ones (PC/SC, system clock, the
// libcurl gateway client, the file credential store); unit tests wire mocks.
#pragma once

#include "card/reader_system.h"
#include "gateway/gateway_client.h"
#include "registration/credential_store.h"
#include "util/clock.h"

#include <memory>

namespace onshi::core {

struct Services {
    std::shared_ptr<card::ReaderSystem> readers;  // null when PC/SC is disabled or unavailable
    std::shared_ptr<Clock> clock = std::make_shared<SystemClock>();
    std::shared_ptr<gateway::GatewayClient> gateway;              // null when no gateway.url is configured
    std::shared_ptr<registration::CredentialStore> credentials;  // null when no credential_dir is configured
};

}  // namespace onshi::core
