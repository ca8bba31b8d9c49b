// The exception barrier: every entry point runs its body through guard(), which turns any C++
// exception or allocation failure into a status code and records the message as the thread's
// last error for that handle. Nothing thrown inside onshi ever reaches the host.
#pragma once

#include "api/handles.h"
#include "util/error.h"

#include <onshi/onshi.h>

#include <memory>
#include <new>
#include <string>

namespace onshi::api {

// Records the last error of this thread for `handle` (nullptr for context-less calls).
onshi_status record_error(const void *handle, const Error &error, const std::string &locale);
const char *last_error_for(const void *handle);

// Locale of messages for calls that have no context: both languages.
inline const std::string kBilingual = "ja+en";

template <typename Body>
onshi_status guard(const void *handle, const std::string &locale, Body &&body) noexcept {
    try {
        return body();
    } catch (const Error &e) {
        return record_error(handle, e, locale);
    } catch (const std::bad_alloc &) {
        return record_error(handle, Error(ONSHI_E_NO_MEMORY, {}), locale);
    } catch (const std::exception &e) {
        return record_error(handle, Error(ONSHI_E_INTERNAL, {e.what(), e.what()}), locale);
    } catch (...) {
        return record_error(handle, Error(ONSHI_E_INTERNAL, {"unknown exception", "不明な例外"}), locale);
    }
}

// Runs body(core::Context&) on a live context, or fails with ONSHI_E_INVALID_HANDLE.
template <typename Body>
onshi_status with_context(const onshi_context *handle, Body &&body) noexcept {
    std::shared_ptr<core::Context> context;
    try {
        context = find_context(handle);
    } catch (...) {
        return ONSHI_E_NO_MEMORY;
    }
    if (!context)
        return record_error(handle, Error(ONSHI_E_INVALID_HANDLE, {"not an open onshi_context", "有効な onshi_context ではありません"}),
                            kBilingual);
    return guard(handle, context->config().locale, [&] { return body(*context); });
}

// Checks a required pointer argument.
inline void require(const void *pointer, const char *name) {
    if (!pointer)
        throw Error(ONSHI_E_INVALID_ARGUMENT, {std::string(name) + " must not be NULL", std::string(name) + " にNULLは指定できません"});
}

}  // namespace onshi::api
