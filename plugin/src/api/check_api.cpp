// The eligibility check entry points, and the reader diagnosis that runs on the same reader lanes. The secret is copied into wiped memory at once.
#include "api/exception_barrier.h"

#include <cstring>

using onshi::api::require;
using onshi::api::with_context;

namespace {

// Copies a host string that holds a secret; bounded so a missing terminator cannot run away.
onshi::SecureBuffer copy_secret(const char *secret) {
    if (!secret) return {};
    constexpr std::size_t kMax = 64;
    std::size_t n = strnlen(secret, kMax + 1);
    if (n > kMax)
        throw onshi::Error(ONSHI_E_INVALID_ARGUMENT, {"the secret is longer than 64 characters", "暗証番号が長すぎます"});
    return {secret, n};
}

}  // namespace

extern "C" {

ONSHI_API onshi_status ONSHI_CALL onshi_check_eligibility(onshi_context *context, const char *request_json,
                                                          const char *secret, onshi_job_id *out_job) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(out_job, "out_job");
        *out_job = 0;
        *out_job = ctx.submit_check(request_json ? request_json : "", copy_secret(secret));
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_provide_pin(onshi_context *context, onshi_job_id job, const char *secret,
                                                    uint32_t flags) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(secret, "secret");
        if (flags & ~static_cast<uint32_t>(ONSHI_PIN_ALLOW_LAST_ATTEMPT))
            throw onshi::Error(ONSHI_E_INVALID_ARGUMENT, {"unknown flags", "不明なフラグが指定されました"});
        return ctx.provide_secret(job, copy_secret(secret), (flags & ONSHI_PIN_ALLOW_LAST_ATTEMPT) != 0);
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_check_by_insurance(onshi_context *context, const char *request_json,
                                                           onshi_job_id *out_job) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(out_job, "out_job");
        *out_job = 0;
        require(request_json, "request_json");
        *out_job = ctx.submit_insurance_check(request_json);
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_reader_diagnose(onshi_context *context, const char *request_json,
                                                        onshi_job_id *out_job) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(out_job, "out_job");
        *out_job = 0;
        *out_job = ctx.submit_diagnosis(request_json ? request_json : "");
        return ONSHI_OK;
    });
}

}  // extern "C"
