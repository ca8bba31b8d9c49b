// The gateway warm-up of one check (docs/design.md §The check, end to end): while the card is read,
// the connection to the gateway is opened (TCP, TLS handshake, GET /v1/health) or a warm one is
// found, so that the confirmation after the card phase costs one round trip instead of three.
//
// Threads: the warm-up runs on a lane of the context (a SerialExecutor next to the reader's lane,
// context.cpp), not on a thread of its own: the context owns and joins it at close like every
// other thread, no thread is made per check, and a hung gateway holding one reader's warm-up
// delays no other reader's.
#pragma once

#include "core/serial_executor.h"
#include "gateway/gateway_client.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace onshi::core {

class GatewayWarmUp {
public:
    // Queues client->warm_up(identity) on `lane`; nothing when `lane` is null or stopping (the
    // check then goes without). `identity` must outlive this object.
    GatewayWarmUp(SerialExecutor *lane, std::shared_ptr<gateway::GatewayClient> client,
                  const gateway::ClientIdentity &identity);
    // Cancels a warm-up still queued or running and waits until it has let go of `identity`.
    ~GatewayWarmUp();
    GatewayWarmUp(const GatewayWarmUp &) = delete;
    GatewayWarmUp &operator=(const GatewayWarmUp &) = delete;

    // Waits until the warm-up has ended, `budget` has passed or interrupt() was called. A warm-up
    // still running then is cancelled (the confirmation no longer waits for its connection). True
    // when it ended by itself (or there was none).
    bool wait(std::chrono::milliseconds budget);
    // Ends wait() at once and cancels the warm-up. Never blocks: a cancelled job's hook calls it.
    void interrupt();

private:
    struct State {
        std::mutex mutex;
        std::condition_variable changed;
        bool queued = false;
        bool done = false;
        bool interrupted = false;
        gateway::CancelToken token;
    };
    // Shared with the queued task, which may still notify after the destructor saw `done`.
    std::shared_ptr<State> state_;
};

}  // namespace onshi::core
