#include "core/job.h"

#include "core/event_text.h"
#include "util/status_text.h"

namespace onshi::core {

Job::Job(onshi_job_id id, EventSink &events, std::string locale)
    : id_(id), events_(events), locale_(std::move(locale)) {}

int32_t Job::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

onshi_status Job::final_status() const {
    std::lock_guard lock(mutex_);
    return final_status_;
}

bool Job::ended() const {
    std::lock_guard lock(mutex_);
    return state_ >= ONSHI_JOB_DONE;
}

bool Job::start() {
    std::lock_guard lock(mutex_);
    if (state_ != ONSHI_JOB_QUEUED) return false;
    state_ = ONSHI_JOB_RUNNING;
    return true;
}

bool Job::end_locked(int32_t state, onshi_status status, std::shared_ptr<const JobResult> result,
                     int32_t value, std::string text, int32_t event_type) {
    if (state_ >= ONSHI_JOB_DONE) return false;
    state_ = state;
    final_status_ = status;
    result_ = std::move(result);
    secret_.reset();  // wipes a PIN that arrived too late to be used
    Event e;
    e.type = event_type != ONSHI_EVENT_NONE ? event_type
             : state == ONSHI_JOB_DONE      ? ONSHI_EVENT_DONE
             : state == ONSHI_JOB_CANCELLED ? ONSHI_EVENT_CANCELLED
                                            : ONSHI_EVENT_FAILED;
    e.job = id_;
    e.status = status;
    e.value = value;
    e.text = std::move(text);
    // Posted under the job lock: no progress event of this job can overtake its final event.
    events_.post(std::move(e));
    changed_.notify_all();
    return true;
}

bool Job::succeed(std::shared_ptr<const JobResult> result) {
    std::lock_guard lock(mutex_);
    return end_locked(ONSHI_JOB_DONE, ONSHI_OK, std::move(result), -1, "");
}

bool Job::fail(const Error &error) {
    std::lock_guard lock(mutex_);
    int32_t state = error.status() == ONSHI_E_CANCELLED ? ONSHI_JOB_CANCELLED : ONSHI_JOB_FAILED;
    // The event says what staff read; the detail for IT is in the result's "detail".
    return end_locked(state, error.status(), JobResult::from_error(error, locale_), error.value(),
                      error.sentence(locale_));
}

bool Job::arrive(std::shared_ptr<const JobResult> result, onshi_status status, std::string file_name) {
    std::lock_guard lock(mutex_);
    return end_locked(status == ONSHI_OK ? ONSHI_JOB_DONE : ONSHI_JOB_FAILED, status, std::move(result), -1,
                      std::move(file_name), ONSHI_EVENT_RESULT_ARRIVED);
}

bool Job::cancel() {
    {
        std::lock_guard lock(mutex_);
        cancel_requested_ = true;
        Error cancelled(ONSHI_E_CANCELLED, {});
        if (!end_locked(ONSHI_JOB_CANCELLED, ONSHI_E_CANCELLED, JobResult::from_error(cancelled, locale_), -1,
                        cancelled.sentence(locale_)))
            return false;
    }
    // Under the hook mutex (not the job mutex): the worker cannot swap the hook out, and leave the
    // scope whose objects it refers to, while it runs.
    std::lock_guard hook_lock(hook_mutex_);
    if (cancel_hook_) cancel_hook_();
    return true;
}

void Job::progress(int32_t step) {
    std::lock_guard lock(mutex_);
    if (state_ >= ONSHI_JOB_DONE) return;
    Event e;
    e.type = ONSHI_EVENT_PROGRESS;
    e.job = id_;
    e.value = step;
    e.text = progress_text(step, locale_);
    events_.post(std::move(e));
}

SecretAnswer Job::wait_for_secret(int32_t kind, int32_t tries_left, std::chrono::milliseconds timeout,
                                  const std::string &medium) {
    std::unique_lock lock(mutex_);
    if (cancel_requested_ || state_ >= ONSHI_JOB_DONE) throw Error(ONSHI_E_CANCELLED, {});
    if (secret_wait_ended_) throw *secret_wait_ended_;  // no dialog for a card that already left
    state_ = ONSHI_JOB_WAITING_FOR_PIN;
    waiting_kind_ = kind;
    secret_.reset();
    Event e;
    e.type = ONSHI_EVENT_PIN_NEEDED;
    e.job = id_;
    e.value = tries_left;
    e.detail = kind;
    e.text = secret_prompt(kind, tries_left, locale_, medium);
    events_.post(std::move(e));
    bool answered = changed_.wait_for(
        lock, timeout, [&] { return secret_.has_value() || state_ >= ONSHI_JOB_DONE || secret_wait_ended_.has_value(); });
    waiting_kind_ = 0;
    if (state_ >= ONSHI_JOB_DONE || cancel_requested_) throw Error(ONSHI_E_CANCELLED, {});
    if (secret_wait_ended_) {
        // Also when the PIN arrived at the same moment: it is for a card that is gone.
        secret_.reset();
        state_ = ONSHI_JOB_RUNNING;
        throw *secret_wait_ended_;
    }
    if (!answered) {
        state_ = ONSHI_JOB_RUNNING;
        throw Error(ONSHI_E_TIMEOUT, {"no PIN was entered in time", "暗証番号が時間内に入力されませんでした"});
    }
    SecretAnswer answer = std::move(*secret_);
    secret_.reset();
    state_ = ONSHI_JOB_RUNNING;
    return answer;
}

void Job::end_secret_wait(const Error &reason) {
    {
        std::lock_guard lock(mutex_);
        if (secret_wait_ended_) return;
        secret_wait_ended_.emplace(reason);
    }
    changed_.notify_all();
}

onshi_status Job::provide_secret(SecureBuffer secret, bool allow_last_attempt) {
    {
        std::lock_guard lock(mutex_);
        if (state_ != ONSHI_JOB_WAITING_FOR_PIN || secret_.has_value() || secret_wait_ended_) return ONSHI_E_WRONG_STATE;
        secret_.emplace(SecretAnswer{std::move(secret), allow_last_attempt});
    }
    changed_.notify_all();
    return ONSHI_OK;
}

void Job::throw_if_cancelled() const {
    if (cancel_requested()) throw Error(ONSHI_E_CANCELLED, {});
}

int32_t Job::waiting_for() const {
    std::lock_guard lock(mutex_);
    return state_ == ONSHI_JOB_WAITING_FOR_PIN && !secret_wait_ended_ ? waiting_kind_ : 0;
}

bool Job::cancel_requested() const {
    std::lock_guard lock(mutex_);
    return cancel_requested_ || state_ >= ONSHI_JOB_DONE;
}

void Job::set_cancel_hook(std::function<void()> hook) {
    std::lock_guard hook_lock(hook_mutex_);
    cancel_hook_ = std::move(hook);
    if (cancel_hook_ && cancel_requested()) cancel_hook_();
}

bool Job::wait_ended(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return state_ >= ONSHI_JOB_DONE; });
}

std::shared_ptr<const JobResult> Job::result() const {
    std::lock_guard lock(mutex_);
    return result_;
}

}  // namespace onshi::core
