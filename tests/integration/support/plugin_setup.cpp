#include "plugin_setup.h"

#include "sandbox_runner.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace onshi::it {

std::string plugin_config(const std::string &dir, const std::string &overrides) {
    rapidjson::Document cfg, extra;
    cfg.Parse(read_all(dir + "/plugin.json").c_str());
    extra.Parse(overrides.c_str());
    if (!cfg.IsObject() || !cfg.HasMember("gateway") || !cfg.HasMember("credential_dir") || !extra.IsObject()) return "";
    auto &a = cfg.GetAllocator();
    for (auto &m : extra.GetObject()) {
        cfg.RemoveMember(m.name.GetString());
        cfg.AddMember(rapidjson::Value(m.name, a), rapidjson::Value(m.value, a), a);
    }
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    cfg.Accept(w);
    return buf.GetString();
}

onshi_status enroll_from_setup(onshi_context *ctx, const std::string &dir) {
    onshi_job_id job = 0;
    const std::string setup = read_all(dir + "/setup.json");
    onshi_status s = onshi_terminal_enroll(ctx, setup.c_str(), &job);
    if (s != ONSHI_OK) return s;
    onshi_status final_status = ONSHI_E_INTERNAL;
    if (onshi_job_wait(ctx, job, 30000, &final_status) != ONSHI_OK) final_status = ONSHI_E_TIMEOUT;
    onshi_job_release(ctx, job);
    return final_status;
}

}  // namespace onshi::it
