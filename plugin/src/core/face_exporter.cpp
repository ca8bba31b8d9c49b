#include "core/face_exporter.h"

#include "util/error.h"
#include "util/json.h"

#include <utility>

namespace onshi::core {

FaceExporter::FaceExporter(gateway::FaceExportConfig config, EventSink &events, Logger &logger, std::string locale, Clock clock)
    : config_(std::move(config)), events_(events), logger_(logger), locale_(std::move(locale)), clock_(std::move(clock)) {}

void FaceExporter::submit(onshi_job_id job, std::shared_ptr<const JobResult> result) {
    lane_.post([this, job, result = std::move(result)] { export_now(job, *result); });
}

Event FaceExporter::export_now(onshi_job_id job, const JobResult &result) {
    Event e;
    e.type = ONSHI_EVENT_FACE_EXPORTED;
    e.job = job;
    try {
        const rapidjson::Document doc =
            json::parse(result.json(), "result", ONSHI_E_FACE_EXPORT, {.max_bytes = 16u << 20, .max_depth = 64});
        const std::string bytes = gateway::face_file_xml(doc, config_.encoding);
        e.text = gateway::write_face_file(config_, bytes, clock_());
        e.status = ONSHI_OK;
        // The file's name and size only: its contents are personal data.
        logger_.log(LogLevel::info, "face-export", "job " + std::to_string(job) + ": " + e.text + " (" +
                                                       std::to_string(bytes.size()) + " bytes)");
    } catch (const Error &error) {
        e.status = error.status() == ONSHI_E_NO_MEMORY ? ONSHI_E_NO_MEMORY : ONSHI_E_FACE_EXPORT;
        e.text = error.message(locale_);
        logger_.log(LogLevel::error, "face-export", "job " + std::to_string(job) + " not exported: " + error.message("en"));
    } catch (const std::exception &) {
        e.status = ONSHI_E_FACE_EXPORT;
        e.text = Error(ONSHI_E_FACE_EXPORT, {}).message(locale_);
        logger_.log(LogLevel::error, "face-export", "job " + std::to_string(job) + " not exported");
    }
    events_.post(e);
    return e;
}

}  // namespace onshi::core
