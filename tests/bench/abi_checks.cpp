#include "abi_checks.h"

#include "bench_support.h"

#include <rapidjson/document.h>

#include <chrono>
#include <cstdio>

namespace bench {

bool enroll(onshi_context *ctx, const std::string &dir) {
    const std::string setup = setup_json(dir);
    if (setup.empty()) {
        std::fprintf(stderr, "%s/setup.json is missing or malformed\n", dir.c_str());
        return false;
    }
    onshi_job_id job = 0;
    if (onshi_terminal_enroll(ctx, setup.c_str(), &job) != ONSHI_OK) {
        std::fprintf(stderr, "onshi_terminal_enroll: %s\n", onshi_last_error(ctx));
        return false;
    }
    onshi_status st = ONSHI_E_INTERNAL;
    if (onshi_job_wait(ctx, job, 30000, &st) != ONSHI_OK) st = ONSHI_E_GATEWAY_TIMEOUT;
    onshi_job_release(ctx, job);
    if (st != ONSHI_OK) std::fprintf(stderr, "enrollment at the sandbox gateway: %s\n", onshi_status_message(st, "en"));
    return st == ONSHI_OK;
}

namespace {

// The verdict of a DONE check, and its timing breakdown when the result has one.
std::string verdict_of(onshi_context *ctx, onshi_job_id job, CheckRun &run) {
    onshi_result *r = nullptr;
    if (onshi_job_result(ctx, job, &r) != ONSHI_OK) return "";
    const char *json = nullptr;
    std::string verdict;
    if (onshi_result_json(r, &json) == ONSHI_OK && json) {
        rapidjson::Document d;
        d.Parse(json);
        if (d.IsObject() && d.HasMember("verdict") && d["verdict"].IsString()) verdict = d["verdict"].GetString();
        if (d.IsObject() && d.HasMember("timing") && d["timing"].IsObject()) {
            const auto &t = d["timing"];
            auto num = [&](const char *k) { return t.HasMember(k) && t[k].IsNumber() ? t[k].GetDouble() : -1.0; };
            run.card_ms = num("card_ms");
            run.warm_up_wait_ms = num("warm_up_wait_ms");
            run.network_ms = num("network_ms");
        }
    }
    onshi_result_free(r);
    return verdict;
}

}  // namespace

CheckRun run_check(onshi_context *ctx, const std::string &request_json, const char *secret) {
    CheckRun run;
    auto t0 = std::chrono::steady_clock::now();
    onshi_job_id job = 0;
    if (onshi_check_eligibility(ctx, request_json.c_str(), secret, &job) != ONSHI_OK) {
        run.text = onshi_last_error(ctx);
        return run;
    }
    for (int i = 0; i < 600; ++i) {  // up to a minute
        onshi_event e{};
        e.struct_size = sizeof e;
        if (onshi_poll_event(ctx, 100, &e) != ONSHI_OK || e.job != job) continue;
        if (e.type != ONSHI_EVENT_DONE && e.type != ONSHI_EVENT_FAILED && e.type != ONSHI_EVENT_CANCELLED) continue;
        run.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        run.text = std::string(onshi_status_message(e.status, "en")) + ": " + (e.text ? e.text : "");
        if (e.type == ONSHI_EVENT_DONE && e.status == ONSHI_OK) {
            std::string verdict = verdict_of(ctx, job, run);
            run.eligible = verdict == "eligible";
            run.text += " (verdict \"" + verdict + "\")";
        }
        break;
    }
    onshi_job_release(ctx, job);
    return run;
}

}  // namespace bench
