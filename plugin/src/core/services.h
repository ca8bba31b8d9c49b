// The seams a context is built from. The C shim wires the real ones (PC/SC, system clock, and in
// later issues the gateway client and credential store); unit tests wire mocks.
#pragma once

#include "card/reader_system.h"
#include "util/clock.h"

#include <memory>

namespace onshi::core {

struct Services {
    std::shared_ptr<card::ReaderSystem> readers;  // null when PC/SC is disabled or unavailable
    std::shared_ptr<Clock> clock = std::make_shared<SystemClock>();
};

}  // namespace onshi::core
