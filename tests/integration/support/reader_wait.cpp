#include "reader_wait.h"

#include <rapidjson/document.h>

#include <chrono>
#include <thread>

namespace onshi::it {
namespace {

// The listing's entry for `reader`: {found, card_present, medium}.
struct Listed {
    bool found = false;
    bool card = false;
    std::string medium;
};

Listed listed(onshi_context *ctx, const std::string &reader) {
    char *json = nullptr;
    if (onshi_list_readers(ctx, &json) != ONSHI_OK || !json) return {};
    rapidjson::Document doc;
    doc.Parse(json);
    onshi_free(json);
    Listed out;
    if (!doc.IsArray()) return out;
    for (const auto &r : doc.GetArray()) {
        if (!r.IsObject() || !r.HasMember("name") || !r["name"].IsString() || r["name"].GetString() != reader) continue;
        out.found = true;
        out.card = r.HasMember("card_present") && r["card_present"].IsBool() && r["card_present"].GetBool();
        if (r.HasMember("medium") && r["medium"].IsString()) out.medium = r["medium"].GetString();
    }
    return out;
}

}  // namespace

bool wait_card_listed(onshi_context *ctx, const std::string &reader, bool present, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        Listed l = listed(ctx, reader);
        if (l.found && l.card == present) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::string listed_medium(onshi_context *ctx, const std::string &reader) {
    Listed l = listed(ctx, reader);
    return l.card ? l.medium : "";
}

bool swap_card(const SandboxRunner &sandbox, onshi_context *ctx, int slot, const std::string &reader,
               const std::string &persona) {
    sandbox.remove(slot);
    if (!wait_card_listed(ctx, reader, false)) return false;
    if (sandbox.insert(slot, persona) != 0) return false;
    return wait_card_listed(ctx, reader, true);
}

}  // namespace onshi::it
