// What a suite reads once a job has ended: its final status and its result JSON (a DONE job's
// result, or the error a FAILED / CANCELLED job's result holds). The ABI hands the JSON out inside
// an onshi_result that must be freed; these helpers copy it out in one place.
#pragma once

#include <onshi/onshi.h>

#include <memory>
#include <string>

namespace onshi::it {

// The result JSON of an ended job ("" when there is none, e.g. while the job still runs).
std::string result_json(onshi_context *ctx, onshi_job_id job);

// A top-level string member of a JSON object ("" when there is none).
std::string string_member(const std::string &json, const char *key);
// `verdict` of a result JSON ("" when there is none).
inline std::string verdict_of(const std::string &json) { return string_member(json, "verdict"); }

// How a job ended.
struct JobEnd {
    onshi_status status = ONSHI_E_INTERNAL;  // the final status (see wait_job when it did not end)
    std::string json;                        // its result JSON
    std::shared_ptr<onshi_result> result;    // the result itself (for onshi_result_field), or null
};

// Waits for `job` (timeout_ms at most), takes its result and releases it. A job that did not end
// is left as it is (not released): status is what onshi_job_wait answered (ONSHI_E_TIMEOUT), no
// result.
JobEnd wait_job(onshi_context *ctx, onshi_job_id job, uint32_t timeout_ms = 30000);

}  // namespace onshi::it
