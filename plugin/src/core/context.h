// A context: the jobs, the threads that run them (one lane per reader, next to it one for its
// checks' gateway warm-ups, one for network-only work), the reader monitor and the event
// dispatcher of one host. Every public method may be called from
// any thread and returns without waiting on a card or the network.
#pragma once

#include "core/check_request.h"
#include "core/config.h"
#include "core/event_dispatcher.h"
#include "core/face_exporter.h"
#include "core/face_watcher.h"
#include "core/job_table.h"
#include "core/reader_monitor.h"
#include "core/serial_executor.h"
#include "core/services.h"
#include "util/log.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace onshi::core {

class Context {
public:
    using Procedure = std::function<std::shared_ptr<const JobResult>(Job &)>;

    Context(Config config, Services services);
    ~Context();
    Context(const Context &) = delete;
    Context &operator=(const Context &) = delete;

    const Config &config() const { return config_; }
    const Services &services() const { return services_; }
    EventDispatcher &events() { return events_; }
    Logger &logger() { return logger_; }

    // Validates the request, queues the check on its reader's lane and returns its id.
    onshi_job_id submit_check(std::string_view request_json, SecureBuffer secret);
    // Validates a diagnosis request ({"reader"}) and queues the diagnosis on its reader's lane
    // (core/reader_diagnosis_job.h).
    onshi_job_id submit_diagnosis(std::string_view request_json);
    // Validates a 個別照会 (core/insurance_request.h), builds its request file and queues it on the
    // "terminal" lane (core/insurance_check.h). ONSHI_E_TERMINAL_FOLDERS without "terminal_folders".
    onshi_job_id submit_insurance_check(std::string_view request_json);
    // Queues any procedure on a lane ("network" for jobs that need no card).
    onshi_job_id submit(const std::string &lane, Procedure procedure);

    onshi_status provide_secret(onshi_job_id id, SecureBuffer secret, bool allow_last_attempt);
    void cancel(onshi_job_id id);
    void release(onshi_job_id id);
    // Throws Error(ONSHI_E_NOT_FOUND) for unknown or released ids.
    std::shared_ptr<Job> job(onshi_job_id id) const;

    // The readers with their cards' media (the monitor's snapshot).
    std::vector<ReaderView> readers() const;

    // Cancels every job (each gets its final event), joins every thread, delivers queued events
    // to the callback. Idempotent.
    void close();

private:
    // after_done runs on the job's thread once the job ended DONE (its event already posted).
    using AfterDone = std::function<void(onshi_job_id, std::shared_ptr<const JobResult>)>;
    void run_job(const std::shared_ptr<Job> &job, const Procedure &procedure, const AfterDone &after_done);
    onshi_job_id submit_locked(SerialExecutor &executor, Procedure procedure, AfterDone after_done = {});
    SerialExecutor &lane_locked(const std::string &name);
    // A face file's outcome as a finished job and its ONSHI_EVENT_RESULT_ARRIVED; false when the
    // job table is full (the watcher offers the file again later).
    bool arrived(const ArrivedFile &file);

    const Config config_;
    Services services_;
    Logger logger_;
    EventDispatcher events_;
    JobTable jobs_;
    std::unique_ptr<ReaderMonitor> monitor_;
    std::unique_ptr<FaceExporter> face_exporter_;  // with "face_export" only
    std::unique_ptr<FaceWatcher> face_watcher_;    // with "face_watch" only

    std::mutex lanes_mutex_;
    std::map<std::string, std::unique_ptr<SerialExecutor>> lanes_;
    bool closing_ = false;
};

}  // namespace onshi::core
