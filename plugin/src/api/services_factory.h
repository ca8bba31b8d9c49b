// Wires the real seams (PC/SC, clock, the gateway client, the credential store) from the config.
#pragma once

#include "core/config.h"
#include "core/services.h"

namespace onshi::api {

core::Services make_services(const core::Config &config);

}  // namespace onshi::api
