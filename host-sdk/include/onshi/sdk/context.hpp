// onshi host SDK — Context: an open onshi_context (worker threads, reader monitor, jobs).
#ifndef ONSHI_SDK_CONTEXT_HPP
#define ONSHI_SDK_CONTEXT_HPP

#include <onshi/onshi.h>
#include <onshi/sdk/detail/context_state.hpp>
#include <onshi/sdk/detail/loaded.hpp>
#include <onshi/sdk/detail/secret.hpp>
#include <onshi/sdk/error.hpp>
#include <onshi/sdk/handlers.hpp>
#include <onshi/sdk/job.hpp>
#include <onshi/sdk/library.hpp>
#include <onshi/sdk/result.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onshi::sdk {

// A validation report (onshi_application_validate, onshi_validate_numbers): ONSHI_OK or
// ONSHI_E_VALIDATION, and the JSON that lists every error by field.
struct Report {
    onshi_status status = ONSHI_OK;
    std::string json;
    bool ok() const noexcept { return status == ONSHI_OK; }
};

// Move-only. Closing (close() or the destructor) cancels every job, waits until each has
// delivered its final event (futures are then ready, on_complete has run), and joins onshi's
// threads. Every member may be called from any thread.
class Context {
public:
    // Opens with the default configuration, or with config_json (see docs/config.md). Throws
    // Error (ONSHI_E_CONFIG names the offending key).
    explicit Context(const Library &library) : Context(library, nullptr) {}
    Context(const Library &library, const std::string &config_json)
        : Context(library, config_json.c_str()) {}
    // config_json NULL or "{}": the defaults.
    Context(const Library &library, const char *config_json)
        : state_(std::make_shared<detail::ContextState>()) {
        state_->lib = library.loaded();
        onshi_context *handle = nullptr;
        detail::check(*state_->lib, api().onshi_open(config_json, &handle), nullptr);
        state_->handle = handle;
        state_->self = state_; // user_data stays valid until close() (see context_state.hpp)
        const onshi_status status =
            api().onshi_set_event_callback(handle, &detail::ContextState::trampoline, state_.get());
        if (status != ONSHI_OK) {
            const std::string message = detail::safe(api().onshi_last_error(handle));
            close_quietly();
            throw Error(status, detail::safe(api().onshi_status_name(status)), message);
        }
    }

    Context(Context &&) noexcept = default;
    Context &operator=(Context &&other) noexcept {
        if (this != &other) {
            close_quietly();
            state_ = std::move(other.state_);
        }
        return *this;
    }
    Context(const Context &) = delete;
    Context &operator=(const Context &) = delete;
    ~Context() { close_quietly(); }

    // Throws Error(ONSHI_E_WRONG_STATE) inside one of this context's handlers.
    void close() {
        if (state_)
            state_->close();
    }

    // Reader and card events (job 0) and events of jobs not started through the SDK.
    void on_event(std::function<void(const Event &)> listener) {
        std::lock_guard<std::mutex> lock(state().mutex);
        state_->listener = std::move(listener);
    }

    // [{"name": "...", "card_present": true}, ...]
    std::string list_readers() const {
        return state().with_handle([&](onshi_context *handle) {
            char *json = nullptr;
            const onshi_status status = api().onshi_list_readers(handle, &json);
            const auto owned = take(json);
            detail::check(*state_->lib, status, handle);
            return std::string(owned ? owned.get() : "");
        });
    }

    // 資格確認, future style. secret: the 4-digit PIN, 照合番号B for a visual check with a photo,
    // or empty to be asked through on_pin_needed (or Job::provide_pin with start_check).
    // The future's get() gives the Result, or throws JobError (status, message, tries left).
    std::future<Result> check_eligibility(const std::string &request_json,
                                          std::string_view secret = {},
                                          PinProvider on_pin_needed = {}) {
        JobHandlers handlers;
        handlers.on_pin_needed = std::move(on_pin_needed);
        return start_check(request_json, secret, std::move(handlers)).future();
    }

    // 資格確認, callback style; the Job also offers future(), wait(), cancel(), provide_pin().
    Job start_check(const std::string &request_json, std::string_view secret = {},
                    JobHandlers handlers = {}) {
        const detail::SecretCopy copy(secret);
        return submit(
            [&](onshi_context *handle, onshi_job_id *job) {
                return api().onshi_check_eligibility(handle, request_json.c_str(),
                                                     copy.c_str_or_null(), job);
            },
            std::move(handlers));
    }

    // A reader diagnosis (since 1.1): request_json "{}" or {"reader": "..."}; the Result JSON is
    // the report {"diagnosis": {...}} (docs/abi.md §Reader diagnosis). No secret is spent.
    Job reader_diagnose(const std::string &request_json = "{}", JobHandlers handlers = {}) {
        return submit(
            [&](onshi_context *handle, onshi_job_id *job) {
                return api().onshi_reader_diagnose(handle, request_json.c_str(), job);
            },
            std::move(handlers));
    }

    // A 個別照会 through the 資格確認端末's folders (since 1.1): request_json with the official
    // element names (InsurerNumber, ..., Birthdate); the Result is the terminal's answer.
    Job check_by_insurance(const std::string &request_json, JobHandlers handlers = {}) {
        return submit(
            [&](onshi_context *handle, onshi_job_id *job) {
                return api().onshi_check_by_insurance(handle, request_json.c_str(), job);
            },
            std::move(handlers));
    }

    // The terminal's life cycle (jobs whose Result JSON carries the outcome).
    Job terminal_enroll(const std::string &setup_json, JobHandlers handlers = {}) {
        return submit(
            [&](onshi_context *handle, onshi_job_id *job) {
                return api().onshi_terminal_enroll(handle, setup_json.c_str(), job);
            },
            std::move(handlers));
    }
    Job terminal_status(JobHandlers handlers = {}) {
        return submit(api().onshi_terminal_status, std::move(handlers));
    }
    // date "YYYY-MM-DD", or nullopt to cancel the planned end (利用終了予定年月日).
    Job terminal_set_end_date(const std::optional<std::string> &date, JobHandlers handlers = {}) {
        return submit(
            [&](onshi_context *handle, onshi_job_id *job) {
                return api().onshi_terminal_set_end_date(handle, date ? date->c_str() : nullptr,
                                                         job);
            },
            std::move(handlers));
    }
    Job terminal_unenroll(JobHandlers handlers = {}) {
        return submit(api().onshi_terminal_unenroll, std::move(handlers));
    }
    Job terminal_renew(JobHandlers handlers = {}) {
        return submit(api().onshi_terminal_renew, std::move(handlers));
    }

    // 利用申請書 and number checks. Throw Error only for failures other than ONSHI_E_VALIDATION.
    Report validate_application(const std::string &form_json) const {
        return report(api().onshi_application_validate, form_json);
    }
    Report validate_numbers(const std::string &numbers_json) const {
        return report(api().onshi_validate_numbers, numbers_json);
    }
    std::vector<std::uint8_t> render_application_pdf(const std::string &form_json,
                                                     const std::string &options_json = {}) const {
        return state().with_handle([&](onshi_context *handle) {
            std::uint8_t *pdf = nullptr;
            std::size_t size = 0;
            const onshi_status status = api().onshi_application_render_pdf(
                handle, form_json.c_str(), options_json.empty() ? nullptr : options_json.c_str(),
                &pdf, &size);
            const auto owned = take(pdf);
            detail::check(*state_->lib, status, handle);
            return owned ? std::vector<std::uint8_t>(owned.get(), owned.get() + size)
                         : std::vector<std::uint8_t>();
        });
    }

    // The raw handle, for what the SDK does not wrap. Do not close it.
    onshi_context *native() const noexcept { return state_ ? state_->handle : nullptr; }

private:
    struct FreeWithOnshi {
        const detail::Api *api;
        void operator()(void *memory) const noexcept { api->onshi_free(memory); }
    };
    template <class T> std::unique_ptr<T, FreeWithOnshi> take(T *memory) const {
        return std::unique_ptr<T, FreeWithOnshi>(memory, FreeWithOnshi{&api()});
    }

    template <class Start> Job submit(Start &&start, JobHandlers handlers) {
        auto job = state().submit(std::forward<Start>(start), std::move(handlers));
        return Job(state_, std::move(job));
    }

    template <class Validate> Report report(Validate validate, const std::string &json) const {
        return state().with_handle([&](onshi_context *handle) {
            char *text = nullptr;
            const onshi_status status = validate(handle, json.c_str(), &text);
            const auto owned = take(text);
            if (status != ONSHI_E_VALIDATION)
                detail::check(*state_->lib, status, handle);
            return Report{status, owned ? std::string(owned.get()) : std::string()};
        });
    }

    detail::ContextState &state() const {
        if (!state_)
            throw Error(ONSHI_E_INVALID_HANDLE, "ONSHI_E_INVALID_HANDLE",
                        "this Context was moved from");
        return *state_;
    }
    const detail::Api &api() const { return state().api(); }

    void close_quietly() noexcept {
        try {
            close();
        } catch (...) {
            // Destructor inside one of its own handlers: the library keeps the state alive.
        }
    }

    std::shared_ptr<detail::ContextState> state_;
};

} // namespace onshi::sdk

#endif
