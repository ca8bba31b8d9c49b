#include "core/gateway_warm_up.h"

namespace onshi::core {

GatewayWarmUp::GatewayWarmUp(SerialExecutor *lane, std::shared_ptr<gateway::GatewayClient> client,
                             const gateway::ClientIdentity &identity)
    : state_(std::make_shared<State>()) {
    if (!lane || !client) return;
    auto task = [state = state_, client = std::move(client), &identity] {
        // A check that ended (or gave up waiting) before the lane came to it needs no connection.
        if (!state->token.cancelled()) client->warm_up(identity, state->token);
        std::lock_guard lock(state->mutex);
        state->done = true;
        state->changed.notify_all();
    };
    std::lock_guard lock(state_->mutex);
    state_->queued = lane->post(std::move(task));
}

GatewayWarmUp::~GatewayWarmUp() {
    state_->token.cancel();
    std::unique_lock lock(state_->mutex);
    if (state_->queued) state_->changed.wait(lock, [&] { return state_->done; });
}

bool GatewayWarmUp::wait(std::chrono::milliseconds budget) {
    {
        std::unique_lock lock(state_->mutex);
        if (!state_->queued) return true;
        if (state_->changed.wait_for(lock, budget, [&] { return state_->done || state_->interrupted; }) && state_->done)
            return true;
    }
    state_->token.cancel();
    return false;
}

void GatewayWarmUp::interrupt() {
    {
        std::lock_guard lock(state_->mutex);
        state_->interrupted = true;
    }
    state_->changed.notify_all();
    state_->token.cancel();
}

}  // namespace onshi::core
