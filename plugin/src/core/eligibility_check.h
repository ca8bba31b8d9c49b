// One eligibility check, end to end (docs/design.md §The check, end to end): find the reader and
// the card, the card phase (certificate, PIN or visual confirmation, signature), then the gateway
// round trip. It runs on the reader's lane; the job object carries its progress, PIN dialog and
// cancellation.
#pragma once

#include "core/check_request.h"
#include "core/config.h"
#include "core/job.h"
#include "core/reader_monitor.h"
#include "core/serial_executor.h"
#include "core/services.h"

namespace onshi::core {

class EligibilityCheck {
public:
    // `warm_up_lane` runs the gateway warm-up (gateway_warm_up.h); null: no warm-up. `logger`
    // (the context's, which outlives every job) receives the APDU trace; may be null.
    EligibilityCheck(const Config &config, const Services &services, const ReaderMonitor *monitor,
                     SerialExecutor *warm_up_lane, CheckRequest request, SecureBuffer secret,
                     Logger *logger = nullptr);

    const CheckRequest &request() const { return request_; }
    std::shared_ptr<const JobResult> run(Job &job);

private:
    // The reader to use: the one asked for, else the one with a card, else the only one.
    std::string choose_reader(Job &job);
    // {"v":1,"method":…,"facility":…,"terminal":…,"nonce":…,"time":…} (gateway-protocol.md §3).
    std::string make_payload(const registration::TerminalRecord &terminal) const;

    const Config &config_;
    Services services_;
    const ReaderMonitor *monitor_;
    SerialExecutor *warm_up_lane_;
    CheckRequest request_;
    SecureBuffer secret_;
    Logger *logger_;
};

}  // namespace onshi::core
