// Writes each completed check to the receipt program's face folder ("face_export",
// docs/folder-interface.md §Export) after the host got its DONE event, on a thread of its own so
// that no check waits for a slow or broken folder. A failure is an ONSHI_EVENT_FACE_EXPORTED with
// ONSHI_E_FACE_EXPORT and a log line; the result stays with the job, and the check stays DONE.
#pragma once

#include "core/event.h"
#include "core/job_result.h"
#include "core/serial_executor.h"
#include "gateway/face_export.h"
#include "util/log.h"

#include <chrono>
#include <functional>
#include <memory>

namespace onshi::core {

class FaceExporter {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    FaceExporter(gateway::FaceExportConfig config, EventSink &events, Logger &logger, std::string locale,
                 Clock clock = std::chrono::system_clock::now);

    // Queues the export of a DONE check's result; returns at once.
    void submit(onshi_job_id job, std::shared_ptr<const JobResult> result);
    // Writes the queued files, then joins (onshi_close).
    void stop_and_join() { lane_.stop_and_join(); }

    // The export itself, on the calling thread: the event it posts is returned too (for tests).
    Event export_now(onshi_job_id job, const JobResult &result);

private:
    const gateway::FaceExportConfig config_;
    EventSink &events_;
    Logger &logger_;
    const std::string locale_;
    const Clock clock_;
    SerialExecutor lane_{"face-export"};
};

}  // namespace onshi::core
