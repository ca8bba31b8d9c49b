// Job control: cancel, wait, state, result, release.
#include "api/exception_barrier.h"

#include <chrono>
#include <cstdint>

using onshi::api::Answer;
using onshi::api::require;
using onshi::api::with_context;

namespace {

// A wait that ran out is an answer a host loops on: no exception.
constexpr onshi::api::FixedText kNotEnded{"the job has not ended within timeout_ms", "ジョブは timeout_ms の間に終了しませんでした"};

}  // namespace

extern "C" {

ONSHI_API onshi_status ONSHI_CALL onshi_job_cancel(onshi_context *context, onshi_job_id job) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        ctx.cancel(job);
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_job_wait(onshi_context *context, onshi_job_id job, uint32_t timeout_ms,
                                                 onshi_status *out_final_status) {
    return with_context(context, [&](onshi::core::Context &ctx) -> Answer {
        std::shared_ptr<onshi::core::Job> j = ctx.job(job);
        // UINT32_MAX means forever; 49 days is forever enough and keeps the clock arithmetic safe.
        if (!j->wait_ended(std::chrono::milliseconds(timeout_ms))) return Answer::refused(ONSHI_E_TIMEOUT, kNotEnded);
        if (out_final_status) *out_final_status = j->final_status();
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_job_state(onshi_context *context, onshi_job_id job, int32_t *out_state,
                                                  onshi_status *out_final_status) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        std::shared_ptr<onshi::core::Job> j = ctx.job(job);
        if (out_state) *out_state = j->state();
        if (out_final_status) *out_final_status = j->final_status();
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_job_result(onshi_context *context, onshi_job_id job, onshi_result **out_result) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(out_result, "out_result");
        *out_result = nullptr;
        std::shared_ptr<onshi::core::Job> j = ctx.job(job);
        std::shared_ptr<const onshi::core::JobResult> data = j->result();
        if (!data)
            throw onshi::Error(ONSHI_E_WRONG_STATE, {"the job has not ended yet", "ジョブはまだ終了していません"});
        *out_result = onshi::api::register_result(std::move(data));
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_job_release(onshi_context *context, onshi_job_id job) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        ctx.release(job);
        return ONSHI_OK;
    });
}

}  // extern "C"
