// Context life cycle, last error, event delivery and reader listing.
#include "api/exception_barrier.h"
#include "api/out_memory.h"
#include "api/services_factory.h"
#include "core/window_message_notifier.h"
#include "util/json_writer.h"

#include <chrono>
#include <climits>

using onshi::Error;
using onshi::api::Answer;
using onshi::api::guard;
using onshi::api::kBilingual;
using onshi::api::require;
using onshi::api::with_context;

namespace {

// A poll that ran out is how a host's drain loop ends: answered without an exception.
constexpr onshi::api::FixedText kNoEvent{"no event came within timeout_ms", "timeout_ms の間にイベントはありませんでした"};

}  // namespace

extern "C" {

ONSHI_API onshi_status ONSHI_CALL onshi_open(const char *config_json, onshi_context **out_context) {
    return guard(nullptr, kBilingual, [&] {
        require(out_context, "out_context");
        *out_context = nullptr;
        onshi::core::Config config = onshi::core::Config::parse(config_json ? config_json : "");
        auto context = std::make_shared<onshi::core::Context>(config, onshi::api::make_services(config));
        *out_context = onshi::api::register_context(std::move(context));
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_close(onshi_context *context) {
    if (!context) return ONSHI_OK;
    return with_context(context, [&](onshi::core::Context &ctx) {
        // Closing from our own callback thread would join the thread we are standing on.
        if (ctx.events().on_dispatch_thread())
            throw Error(ONSHI_E_WRONG_STATE, {"onshi_close must not be called from an onshi callback",
                                              "onshi_close はコールバックの中からは呼べません"});
        // Close while the handle is still live, so that callbacks delivering the final events
        // may still ask for job results; new work is refused with ONSHI_E_CLOSING meanwhile.
        ctx.close();
        onshi::api::unregister_context(context);
        return ONSHI_OK;
    });
}

ONSHI_API const char *ONSHI_CALL onshi_last_error(const onshi_context *context) {
    return onshi::api::last_error_for(context);
}

ONSHI_API onshi_status ONSHI_CALL onshi_set_event_callback(onshi_context *context, onshi_event_callback callback,
                                                          void *user_data) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        ctx.events().set_callback(callback, user_data);
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_poll_event(onshi_context *context, uint32_t timeout_ms, onshi_event *out_event) {
    return with_context(context, [&](onshi::core::Context &ctx) -> Answer {
        require(out_event, "out_event");
        if (out_event->struct_size < offsetof(onshi_event, text) + sizeof(const char *))
            throw Error(ONSHI_E_INVALID_ARGUMENT, {"out_event->struct_size must be set to sizeof(onshi_event)",
                                                   "out_event->struct_size に sizeof(onshi_event) を設定してください"});
        std::optional<onshi::core::Event> e = ctx.events().poll(std::chrono::milliseconds(timeout_ms));
        if (!e) return Answer::refused(ONSHI_E_TIMEOUT, kNoEvent);
        // text lives until the next poll on this thread.
        thread_local std::string t_text;
        t_text = std::move(e->text);
        onshi_event out{};
        out.struct_size = sizeof(onshi_event);
        out.type = e->type;
        out.job = e->job;
        out.status = e->status;
        out.value = e->value;
        out.detail = e->detail;
        out.text = t_text.c_str();
        std::memcpy(out_event, &out, std::min<std::size_t>(out_event->struct_size, sizeof out));
        out_event->struct_size = static_cast<uint32_t>(std::min<std::size_t>(out_event->struct_size, sizeof out));
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_set_event_window(onshi_context *context, void *hwnd, uint32_t message) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        ctx.events().set_notifier(onshi::core::make_window_message_notifier(hwnd, message));
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_list_readers(onshi_context *context, char **out_json) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(out_json, "out_json");
        *out_json = nullptr;
        onshi::json::Writer w;
        w.begin_array();
        for (const auto &view : ctx.readers()) {
            w.begin_object().member("name", view.reader.name).member("card_present", view.reader.card_present);
            if (view.reader.card_present)  // since 1.1: what answers on the card, before any secret
                w.member("medium", onshi::core::medium_text(view.medium));
            w.end_object();
        }
        w.end_array();
        *out_json = onshi::api::copy_out(w.text());
        return ONSHI_OK;
    });
}

}  // extern "C"
