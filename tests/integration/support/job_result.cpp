#include "job_result.h"

#include <rapidjson/document.h>

namespace onshi::it {

namespace {

std::string json_of(const onshi_result *r) {
    const char *json = nullptr;
    return r && onshi_result_json(r, &json) == ONSHI_OK && json ? json : "";
}

}  // namespace

std::string result_json(onshi_context *ctx, onshi_job_id job) {
    onshi_result *r = nullptr;
    if (onshi_job_result(ctx, job, &r) != ONSHI_OK) return "";
    std::string out = json_of(r);
    onshi_result_free(r);
    return out;
}

std::string string_member(const std::string &json, const char *key) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    return d.IsObject() && d.HasMember(key) && d[key].IsString() ? d[key].GetString() : "";
}

JobEnd wait_job(onshi_context *ctx, onshi_job_id job, uint32_t timeout_ms) {
    JobEnd end;
    const onshi_status waited = onshi_job_wait(ctx, job, timeout_ms, &end.status);
    if (waited != ONSHI_OK) {
        end.status = waited;
        return end;
    }
    onshi_result *r = nullptr;
    if (onshi_job_result(ctx, job, &r) == ONSHI_OK) {
        end.result.reset(r, onshi_result_free);
        end.json = json_of(r);
    }
    onshi_job_release(ctx, job);
    return end;
}

}  // namespace onshi::it
