// The exception barrier, and the one place that records the last error. Every entry point that
// returns a status runs its body through guard() (or with_context()). A body answers ONSHI_OK,
// throws an Error, or returns a refusal: a failure hosts meet in loops (a poll or a wait that ran
// out, an element the result does not have), answered without an exception or an allocation.
// Whichever way a call fails, its message becomes the thread's last error for its handle
// (onshi_last_error), so no failure path can forget it; nothing thrown inside onshi ever reaches
// the host.
#pragma once

#include "api/handles.h"
#include "util/error.h"

#include <onshi/onshi.h>

#include <memory>
#include <new>
#include <string>

namespace onshi::api {

// A fixed detail in both languages, for refusals: string literals (static storage), so that a
// refusal is recorded as a pointer and written out only if the host asks for the message.
struct FixedText {
    const char *en;
    const char *ja;
};

// What a body answers: ONSHI_OK, or a refusal with its fixed detail. Implicit from a status so
// that bodies can `return ONSHI_OK;`; a bare failure status still gets its generic message.
class Answer {
public:
    Answer(onshi_status status) noexcept : status_(status) {}
    static Answer refused(onshi_status status, const FixedText &detail) noexcept {
        Answer answer(status);
        answer.detail_ = &detail;
        return answer;
    }
    onshi_status status() const noexcept { return status_; }
    const FixedText *detail() const noexcept { return detail_; }

private:
    onshi_status status_;
    const FixedText *detail_ = nullptr;
};

// Locale of messages for calls that have no context (and for handles that are not live): both.
inline const std::string kBilingual = "ja+en";

// Record the last error of this thread for `handle` (nullptr for context-less calls) and return
// its status. Never throw: out of memory, the message is left empty and the status still tells.
onshi_status record_error(const void *handle, const Error &error, const std::string &locale) noexcept;
onshi_status record_refusal(const void *handle, const Answer &answer, const std::string &locale) noexcept;
// ONSHI_E_INTERNAL with `what` (a foreign exception's text) as the detail.
onshi_status record_internal(const void *handle, const char *what, const std::string &locale) noexcept;
// The message of the last failed call on this thread if it was made with `handle`, else "".
const char *last_error_for(const void *handle) noexcept;

template <typename Body>
onshi_status guard(const void *handle, const std::string &locale, Body &&body) noexcept {
    try {
        const Answer answer = body();
        return answer.status() == ONSHI_OK ? ONSHI_OK : record_refusal(handle, answer, locale);
    } catch (const Error &e) {
        return record_error(handle, e, locale);
    } catch (const std::bad_alloc &) {
        // Without an Error: making one allocates.
        return record_refusal(handle, Answer(ONSHI_E_NO_MEMORY), locale);
    } catch (const std::exception &e) {
        return record_internal(handle, e.what(), locale);
    } catch (...) {
        return record_internal(handle, "unknown exception", locale);
    }
}

// Runs body(core::Context&) on a live context, or fails with ONSHI_E_INVALID_HANDLE. Messages
// follow the context's locale.
template <typename Body>
onshi_status with_context(const onshi_context *handle, Body &&body) noexcept {
    std::shared_ptr<core::Context> context;
    try {
        context = find_context(handle);
    } catch (...) {
        return record_refusal(handle, Answer(ONSHI_E_NO_MEMORY), kBilingual);
    }
    if (!context) {
        static constexpr FixedText kNotLive{"not an open onshi_context", "有効な onshi_context ではありません"};
        return record_refusal(handle, Answer::refused(ONSHI_E_INVALID_HANDLE, kNotLive), kBilingual);
    }
    return guard(handle, context->config().locale, [&] { return body(*context); });
}

// Checks a required pointer argument.
inline void require(const void *pointer, const char *name) {
    if (!pointer)
        throw Error(ONSHI_E_INVALID_ARGUMENT, {std::string(name) + " must not be NULL", std::string(name) + " にNULLは指定できません"});
}

}  // namespace onshi::api
