// Checks through the C ABI for the benchmark programs that link libonshi: enrollment and one
// measured check.
#pragma once

#include <onshi/onshi.h>

#include <string>

namespace bench {

// Enrolls the terminal with DIR/setup.json (its gateway_url dropped: the context's gateway, maybe a
// relay, is the one to use).
bool enroll(onshi_context *ctx, const std::string &dir);

struct CheckRun {
    bool eligible = false;  // ended DONE with the verdict "eligible"
    double ms = 0;          // submit -> final event
    std::string text;       // status and message, for failures
    double card_ms = -1, warm_up_wait_ms = -1, network_ms = -1;  // the result's "timing"
};

// Submits one check, polls until its final event, reads its verdict and timing, releases it.
CheckRun run_check(onshi_context *ctx, const std::string &request_json, const char *secret);

}  // namespace bench
