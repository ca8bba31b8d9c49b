// onshi host SDK — Job: a handle on one running card or network operation.
#ifndef ONSHI_SDK_JOB_HPP
#define ONSHI_SDK_JOB_HPP

#include <onshi/onshi.h>
#include <onshi/sdk/detail/context_state.hpp>
#include <onshi/sdk/detail/secret.hpp>
#include <onshi/sdk/error.hpp>
#include <onshi/sdk/result.hpp>

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

namespace onshi::sdk {

// Copyable; every copy refers to the same job. Stays usable after its Context is closed (the
// job has ended by then: cancel() does nothing, wait() returns at once).
//
// Handlers (JobHandlers, PinProvider) run on the onshi event thread, one at a time and in order.
// In one rare case, an event that arrives before the call that started the job has returned,
// they run on the starting thread before that call returns. They may call any Job or Context
// function except Context::close() and Job::wait() (both throw ONSHI_E_WRONG_STATE there: they
// would wait for the very thread that runs the handler).
class Job {
public:
    Job(std::shared_ptr<detail::ContextState> context, std::shared_ptr<detail::JobState> job)
        : context_(std::move(context)), job_(std::move(job)) {}

    onshi_job_id id() const noexcept { return job_->id; }

    // The outcome: a Result when the job succeeded; get() throws JobError when it failed or was
    // cancelled (or the exception an event handler threw). Only once per job.
    std::future<Result> future() { return job_->promise.get_future(); }

    // Asks the job to stop; it then ends with ONSHI_E_CANCELLED unless it already ended.
    void cancel() {
        if (ended())
            return;
        context_->with_handle([&](onshi_context *handle) {
            const onshi_status status = context_->api().onshi_job_cancel(handle, job_->id);
            if (status != ONSHI_E_NOT_FOUND) // ended and released meanwhile: nothing to cancel
                detail::check(*context_->lib, status, handle);
            return 0;
        });
    }

    // Answers ONSHI_EVENT_PIN_NEEDED when no PinProvider was given. The SDK's copy is wiped.
    void provide_pin(std::string_view secret, bool allow_last_attempt = false) {
        const detail::SecretCopy copy(secret);
        context_->with_handle([&](onshi_context *handle) {
            detail::check(*context_->lib,
                          context_->api().onshi_provide_pin(
                              handle, job_->id, copy.c_str_or_null(),
                              allow_last_attempt ? std::uint32_t{ONSHI_PIN_ALLOW_LAST_ATTEMPT}
                                                 : std::uint32_t{0}),
                          handle);
            return 0;
        });
    }

    bool ended() const {
        std::lock_guard<std::mutex> lock(job_->state_mutex);
        return job_->ended;
    }

    // Waits until the job has ended and its handlers have run; false on timeout.
    template <class Rep, class Period>
    bool wait_for(const std::chrono::duration<Rep, Period> &timeout) const {
        refuse_inside_handler();
        std::unique_lock<std::mutex> lock(job_->state_mutex);
        return job_->ended_cv.wait_for(lock, timeout, [&] { return job_->ended; });
    }
    void wait() const {
        refuse_inside_handler();
        std::unique_lock<std::mutex> lock(job_->state_mutex);
        job_->ended_cv.wait(lock, [&] { return job_->ended; });
    }

    // The final status once ended (ONSHI_OK before).
    onshi_status final_status() const {
        std::lock_guard<std::mutex> lock(job_->state_mutex);
        return job_->final_status;
    }

private:
    void refuse_inside_handler() const {
        if (context_->delivering_here())
            throw Error(ONSHI_E_WRONG_STATE, "ONSHI_E_WRONG_STATE",
                        "Job::wait inside an event handler of the same context would never return");
    }

    std::shared_ptr<detail::ContextState> context_;
    std::shared_ptr<detail::JobState> job_;
};

} // namespace onshi::sdk

#endif
