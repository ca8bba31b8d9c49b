#include "core/context.h"

#include "card/secret_format.h"
#include "core/eligibility_check.h"
#include "core/insurance_check.h"
#include "core/reader_diagnosis_job.h"
#include "util/status_text.h"

#include <new>

namespace onshi::core {
namespace {

// Bounds the threads a host can make us start: a lane per distinct reader name and one more for
// its checks' gateway warm-ups (64 readers), and the network lane.
constexpr std::size_t kMaxLanes = 2 * 64 + 1;

}  // namespace

Context::Context(Config config, Services services)
    : config_(std::move(config)), services_(std::move(services)),
      logger_(config_.log_file, config_.log_level), jobs_(config_.max_jobs, events_, config_.locale) {
    // First, as it may refuse the configuration (a folder "notify" cannot watch, an unreadable
    // state file) before any thread runs.
    if (!config_.face_watch.dir.empty())
        face_watcher_ = std::make_unique<FaceWatcher>(config_.face_watch, FaceWatcher::notifier_for(config_.face_watch, logger_),
                                                      [this](const ArrivedFile &file) { return arrived(file); }, logger_);
    if (services_.readers) {
        MediumProbe probe;
        if (config_.identify_cards)
            probe = [readers = services_.readers](const std::string &reader) { return probe_medium(*readers, reader); };
        monitor_ = std::make_unique<ReaderMonitor>(*services_.readers, events_, std::chrono::milliseconds(1000),
                                                   std::move(probe));
        monitor_->start();
    }
    if (!config_.face_export.dir.empty())
        face_exporter_ = std::make_unique<FaceExporter>(config_.face_export, events_, logger_, config_.locale);
    if (face_watcher_) face_watcher_->start();
    if (services_.gateway)
        services_.gateway->set_log_sink([this](LogLevel level, const std::string &message) { logger_.log(level, "gateway", message); });
    logger_.log(LogLevel::info, "context", "opened");
}

Context::~Context() { close(); }

namespace {

card::SecretKind secret_kind(int32_t kind) {
    return kind == ONSHI_SECRET_PIN ? card::SecretKind::auth_pin : card::SecretKind::collation_b;
}

}  // namespace

onshi_job_id Context::submit_check(std::string_view request_json, SecureBuffer secret) {
    CheckRequest request = CheckRequest::parse(request_json);
    // A mistyped secret is refused here, before any job or card: no try can be spent on it.
    if (!secret.empty()) {
        if (request.method == CheckRequest::Method::pin) card::check_secret_format(card::SecretKind::auth_pin, secret);
        else if (request.photo) card::check_secret_format(card::SecretKind::collation_b, secret);
        else throw Error(ONSHI_E_INVALID_ARGUMENT, {"a visual check without photo takes no secret",
                                                    "写真を読まない目視確認では暗証番号等は不要です"});
    }
    const std::string lane = "reader:" + request.reader;
    std::lock_guard lock(lanes_mutex_);
    if (closing_) throw Error(ONSHI_E_CLOSING, {});
    SerialExecutor &executor = lane_locked(lane);
    // The reader's checks warm the gateway connection up on a lane of their own (gateway_warm_up.h).
    SerialExecutor *warm_up_lane = services_.gateway ? &lane_locked("warm-up:" + lane) : nullptr;
    auto check = std::make_shared<EligibilityCheck>(config_, services_, monitor_.get(), warm_up_lane, std::move(request),
                                                    std::move(secret), &logger_);
    AfterDone export_result;
    if (face_exporter_)
        export_result = [exporter = face_exporter_.get()](onshi_job_id id, std::shared_ptr<const JobResult> result) {
            exporter->submit(id, std::move(result));
        };
    return submit_locked(executor, [check](Job &job) { return check->run(job); }, std::move(export_result));
}

onshi_job_id Context::submit_diagnosis(std::string_view request_json) {
    DiagnosisRequest request = DiagnosisRequest::parse(request_json);
    // The lane of the reader's checks: a diagnosis never runs beside a check on the same reader.
    const std::string lane = "reader:" + request.reader;
    return submit(lane, make_reader_diagnosis_procedure(services_, monitor_.get(), &logger_, std::move(request)));
}

onshi_job_id Context::submit_insurance_check(std::string_view request_json) {
    // Everything is checked, and the file's bytes made, before a job exists: a refused query
    // leaves no file behind.
    InsuranceRequest request = InsuranceRequest::parse(request_json, config_.terminal_folders.timeout);
    if (config_.terminal_folders.req.empty())
        throw Error(ONSHI_E_TERMINAL_FOLDERS, {"\"terminal_folders\" is not configured", "\"terminal_folders\" が設定されていません"});
    std::string id = new_query_id();
    std::string bytes = gateway::query_xml(request.query, config_.terminal_folders.institution_code, id);
    Procedure procedure = make_insurance_check_procedure(TerminalFolderExchange(config_.terminal_folders), std::move(id),
                                                         std::move(bytes), request.timeout, &logger_);
    std::lock_guard lock(lanes_mutex_);
    if (closing_) throw Error(ONSHI_E_CLOSING, {});
    AfterDone export_result;
    if (face_exporter_)
        export_result = [exporter = face_exporter_.get()](onshi_job_id job_id, std::shared_ptr<const JobResult> result) {
            exporter->submit(job_id, std::move(result));
        };
    // One lane: the terminal answers one query at a time anyway.
    return submit_locked(lane_locked("terminal"), std::move(procedure), std::move(export_result));
}

onshi_job_id Context::submit(const std::string &lane, Procedure procedure) {
    std::lock_guard lock(lanes_mutex_);
    if (closing_) throw Error(ONSHI_E_CLOSING, {});
    return submit_locked(lane_locked(lane), std::move(procedure));
}

onshi_job_id Context::submit_locked(SerialExecutor &executor, Procedure procedure, AfterDone after_done) {
    std::shared_ptr<Job> job = jobs_.create();
    executor.post([this, job, procedure = std::move(procedure), after_done = std::move(after_done)] {
        run_job(job, procedure, after_done);
    });
    return job->id();
}

SerialExecutor &Context::lane_locked(const std::string &name) {
    auto it = lanes_.find(name);
    if (it != lanes_.end()) return *it->second;
    if (lanes_.size() >= kMaxLanes)
        throw Error(ONSHI_E_BUSY, {"too many distinct readers in use", "使用中のカードリーダーが多すぎます"});
    return *lanes_.emplace(name, std::make_unique<SerialExecutor>(name)).first->second;
}

void Context::run_job(const std::shared_ptr<Job> &job, const Procedure &procedure, const AfterDone &after_done) {
    if (!job->start()) return;  // cancelled while queued
    logger_.log(LogLevel::debug, "job", "job " + std::to_string(job->id()) + " started");
    // The exception barrier of the worker side: whatever happens, the job ends exactly once.
    // The message the host will see is logged in both languages: logs tell what went wrong.
    auto fail = [&](const Error &e) {
        if (logger_.enabled(LogLevel::debug))
            logger_.log(LogLevel::debug, "job", "job " + std::to_string(job->id()) + " failed: " + e.message("en") +
                                                    " / " + e.message("ja"));
        job->fail(e);
    };
    try {
        std::shared_ptr<const JobResult> result = procedure(*job);
        // DONE first: whatever follows (the face export) never delays the host's event.
        if (job->succeed(result) && after_done) after_done(job->id(), std::move(result));
    } catch (const Error &e) {
        fail(e);
    } catch (const std::bad_alloc &) {
        fail(Error(ONSHI_E_NO_MEMORY, {}));
    } catch (const std::exception &e) {
        fail(Error(ONSHI_E_INTERNAL, {e.what(), e.what()}));
    } catch (...) {
        fail(Error(ONSHI_E_INTERNAL, {"unknown exception", "不明な例外"}));
    }
    job->set_cancel_hook(nullptr);
    logger_.log(LogLevel::debug, "job",
                "job " + std::to_string(job->id()) + " ended: " + status_name(job->final_status()));
}

bool Context::arrived(const ArrivedFile &file) {
    std::shared_ptr<Job> job;
    try {
        job = jobs_.create();
    } catch (const Error &e) {
        logger_.log(LogLevel::warn, "face-watch", file.name + " waits: " + e.message("en"));
        return false;
    }
    job->start();
    if (file.error) job->arrive(JobResult::from_error(*file.error, config_.locale), file.error->status(), file.name);
    else job->arrive(file.result, ONSHI_OK, file.name);
    return true;
}

onshi_status Context::provide_secret(onshi_job_id id, SecureBuffer secret, bool allow_last_attempt) {
    std::shared_ptr<Job> j = job(id);
    int32_t kind = j->waiting_for();
    // Checked before handing over, so the dialog can ask again while the job keeps waiting.
    if (kind) card::check_secret_format(secret_kind(kind), secret);
    if (j->provide_secret(std::move(secret), allow_last_attempt) != ONSHI_OK)
        throw Error(ONSHI_E_WRONG_STATE, {"job " + std::to_string(id) + " is not waiting for a PIN",
                                          "ジョブ " + std::to_string(id) + " は暗証番号の入力を待っていません"});
    return ONSHI_OK;
}

void Context::cancel(onshi_job_id id) { job(id)->cancel(); }

void Context::release(onshi_job_id id) {
    job(id)->cancel();  // no-op for an ended job
    jobs_.release(id);
}

std::shared_ptr<Job> Context::job(onshi_job_id id) const {
    std::shared_ptr<Job> job = jobs_.find(id);
    if (!job)
        throw Error(ONSHI_E_NOT_FOUND, {"no job " + std::to_string(id) + " (never started or already released)",
                                        "ジョブ " + std::to_string(id) + " はありません(未開始または解放済み)"});
    return job;
}

std::vector<ReaderView> Context::readers() const {
    if (!monitor_)
        throw Error(ONSHI_E_PCSC_UNAVAILABLE, {"PC/SC is disabled in the configuration", "設定でPC/SCが無効になっています"});
    if (!monitor_->service_available()) throw Error(ONSHI_E_PCSC_UNAVAILABLE, {});
    return monitor_->reader_views();
}

void Context::close() {
    std::map<std::string, std::unique_ptr<SerialExecutor>> lanes;
    {
        std::lock_guard lock(lanes_mutex_);
        if (closing_) return;
        closing_ = true;
        lanes.swap(lanes_);
    }
    if (monitor_) monitor_->stop();
    if (face_watcher_) face_watcher_->stop();  // no new file job after this
    for (const auto &job : jobs_.snapshot()) job->cancel();
    for (auto &[name, lane] : lanes) lane->stop_and_join();
    if (face_exporter_) face_exporter_->stop_and_join();  // the checks that ended DONE are written
    if (services_.gateway) services_.gateway->set_log_sink(nullptr);
    events_.shutdown();
    logger_.log(LogLevel::info, "context", "closed");
}

}  // namespace onshi::core
