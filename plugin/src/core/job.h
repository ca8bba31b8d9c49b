// One unit of asynchronous work (an eligibility check, an enrollment, ...). The job owns its state
// machine and is the only place that emits its events, under its own lock, so that a job's events
// are ordered and its final event is emitted exactly once, whoever ends it (worker, cancel, close).
#pragma once

#include "core/event.h"
#include "core/job_result.h"
#include "util/error.h"
#include "util/secure_buffer.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace onshi::core {

struct SecretAnswer {
    SecureBuffer secret;
    bool allow_last_attempt = false;
};

class Job {
public:
    Job(onshi_job_id id, EventSink &events, std::string locale);

    onshi_job_id id() const { return id_; }
    int32_t state() const;
    onshi_status final_status() const;
    bool ended() const;

    // QUEUED -> RUNNING. False when the job already ended (e.g. cancelled while queued).
    bool start();
    // RUNNING/WAITING -> DONE with a result. False when it had already ended.
    bool succeed(std::shared_ptr<const JobResult> result);
    // -> FAILED (or CANCELLED for ONSHI_E_CANCELLED). False when it had already ended.
    bool fail(const Error &error);
    // A face file's job (face_watcher.h): ends at once as DONE with `result` (status ONSHI_OK) or
    // FAILED (`result` from the error) and posts ONSHI_EVENT_RESULT_ARRIVED, text = the file's
    // name, instead of DONE / FAILED. False when it had already ended.
    bool arrive(std::shared_ptr<const JobResult> result, onshi_status status, std::string file_name);
    // Ends the job as CANCELLED now (prompt, whatever the worker is doing), wakes a secret wait
    // and runs the cancel hook. False when it had already ended.
    bool cancel();

    void progress(int32_t step);

    // Worker side of the PIN dialog: emits PIN_NEEDED (text = the prompt, which on an Android phone,
    // `medium` "android", asks for the smartphone certificate's PIN) and waits for provide_secret(),
    // cancel, end_secret_wait() or the timeout. Throws Error(ONSHI_E_CANCELLED) / Error(ONSHI_E_TIMEOUT) / the end_secret_wait()
    // reason.
    SecretAnswer wait_for_secret(int32_t kind, int32_t tries_left, std::chrono::milliseconds timeout,
                                 const std::string &medium = {});
    // Ends the PIN dialog from another thread because its secret can no longer be used (the card
    // left the reader: the reader monitor calls it). A wait in progress, and every later one,
    // throws `reason` at once; a secret already handed in is wiped unused. Never blocks on the
    // worker, so the monitor may call it.
    void end_secret_wait(const Error &reason);
    // Host side. ONSHI_E_WRONG_STATE unless the job is waiting for a secret.
    onshi_status provide_secret(SecureBuffer secret, bool allow_last_attempt);
    // The ONSHI_SECRET_* the job is waiting for, 0 when it is not waiting.
    int32_t waiting_for() const;

    // Throws Error(ONSHI_E_CANCELLED) once cancel() was called; workers call it between steps.
    void throw_if_cancelled() const;
    bool cancel_requested() const;
    // Interrupts a blocking call (waiting for a card, a network transfer) when the job is
    // cancelled. Runs at once if the job is already cancelled. Cleared with nullptr; once that
    // returns, the old hook is not running and never runs again, so it may refer to locals.
    // A hook must not call back into the job.
    void set_cancel_hook(std::function<void()> hook);

    // Waits until the job ended; false on timeout.
    bool wait_ended(std::chrono::milliseconds timeout) const;
    std::shared_ptr<const JobResult> result() const;

private:
    bool end_locked(int32_t state, onshi_status status, std::shared_ptr<const JobResult> result,
                    int32_t value, std::string text, int32_t event_type = ONSHI_EVENT_NONE);

    const onshi_job_id id_;
    EventSink &events_;
    const std::string locale_;

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    int32_t state_ = ONSHI_JOB_QUEUED;
    onshi_status final_status_ = ONSHI_OK;
    bool cancel_requested_ = false;
    std::shared_ptr<const JobResult> result_;
    std::optional<SecretAnswer> secret_;
    int32_t waiting_kind_ = 0;
    std::optional<Error> secret_wait_ended_;
    std::mutex hook_mutex_;  // guards cancel_hook_ and is held while it runs
    std::function<void()> cancel_hook_;
};

}  // namespace onshi::core
