#include "core/eligibility_check.h"

#include "card/logged_card_channel.h"
#include "core/card_phase.h"
#include "core/gateway_warm_up.h"
#include "gateway/eligibility_result.h"
#include "registration/check_digit.h"
#include "util/digest.h"
#include "util/json_writer.h"

#include <algorithm>
#include <optional>

namespace onshi::core {
namespace {

// How long a check waits for the reader monitor's fresh attempt when PC/SC looked down: one local
// listing, which a restarting pcscd answers in well under this.
constexpr std::chrono::milliseconds kServiceRecheckTimeout{2000};

}  // namespace

EligibilityCheck::EligibilityCheck(const Config &config, const Services &services, const ReaderMonitor *monitor,
                                   SerialExecutor *warm_up_lane, CheckRequest request, SecureBuffer secret, Logger *logger)
    : config_(config), services_(services), monitor_(monitor), warm_up_lane_(warm_up_lane),
      request_(std::move(request)), secret_(std::move(secret)), logger_(logger) {}

std::string EligibilityCheck::choose_reader(Job &job) {
    if (!monitor_)
        throw Error(ONSHI_E_PCSC_UNAVAILABLE, {"PC/SC is disabled in the configuration", "設定でPC/SCが無効になっています"});
    auto deadline = services_.clock->steady_now() + config_.card_wait;
    bool announced = false;
    for (;;) {
        job.throw_if_cancelled();
        if (!monitor_->recheck_service(kServiceRecheckTimeout)) throw Error(ONSHI_E_PCSC_UNAVAILABLE, {});
        std::vector<card::ReaderInfo> readers = monitor_->readers();
        if (readers.empty()) throw Error(ONSHI_E_NO_READER, {});
        const card::ReaderInfo *chosen = nullptr;
        if (!request_.reader.empty()) {
            auto it = std::find_if(readers.begin(), readers.end(), [&](const auto &r) { return r.name == request_.reader; });
            if (it == readers.end())
                throw Error(ONSHI_E_NO_READER, {"no reader named \"" + request_.reader + "\"",
                                                "「" + request_.reader + "」という名前のカードリーダーはありません"});
            chosen = &*it;
        } else {
            auto it = std::find_if(readers.begin(), readers.end(), [](const auto &r) { return r.card_present; });
            chosen = it != readers.end() ? &*it : readers.size() == 1 ? &readers.front() : nullptr;
        }
        if (chosen && chosen->card_present) return chosen->name;
        auto now = services_.clock->steady_now();
        if (now >= deadline) throw Error(ONSHI_E_NO_CARD, {});
        if (!announced) {
            job.progress(ONSHI_PROGRESS_WAITING_FOR_CARD);
            announced = true;
        }
        // Wait for the patient to place the card; a cancel interrupts the wait.
        job.set_cancel_hook([this] { monitor_->wake_waiters(); });
        monitor_->wait_for_change(readers, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
        job.set_cancel_hook(nullptr);
    }
}

std::string EligibilityCheck::make_payload(const registration::TerminalRecord &terminal) const {
    // Binds the signature to this one check, this facility and this terminal: a fresh nonce and
    // the time, which the gateway checks for freshness (±300 s) and replay.
    auto now = std::chrono::duration_cast<std::chrono::seconds>(services_.clock->system_now().time_since_epoch());
    json::Writer w;
    w.begin_object()
        .member("v", 1)
        .member("method", request_.method == CheckRequest::Method::pin ? "pin" : "visual")
        .member("facility", terminal.facility_code)
        .member("terminal", terminal.terminal_id)
        .member("nonce", random_hex(16))
        .member("time", static_cast<std::int64_t>(now.count()))
        .end_object();
    return w.text();
}

std::shared_ptr<const JobResult> EligibilityCheck::run(Job &job) {
    // Before the card is touched: a check needs an enrolled terminal and a gateway.
    if (!services_.credentials)
        throw Error(ONSHI_E_NOT_ENROLLED, {"terminal not registered (no credential_dir is configured)",
                                           "端末が登録されていません(credential_dir が設定されていません)"});
    registration::TerminalCredentials terminal = services_.credentials->load();
    if (!services_.gateway)
        throw Error(ONSHI_E_CONFIG, {"no eligibility gateway is configured (gateway.url)",
                                     "資格確認ゲートウェイが設定されていません(gateway.url)"});
    const gateway::ClientIdentity identity{std::move(terminal.certificate_pem), std::move(terminal.key_pem), terminal.tls_key};
    const std::string payload = make_payload(terminal.record);

    const Clock &clock = *services_.clock;
    const auto started = clock.steady_now();
    GatewayWarmUp warm_up(warm_up_lane_, services_.gateway, identity);
    std::string reader = choose_reader(job);
    const auto card_started = clock.steady_now();
    std::unique_ptr<card::CardChannel> channel = services_.readers->connect(reader);
    // The monitor sees a card pulled during the PIN dialog at once: the job ends then, not after the
    // patient typed a PIN for a card that is gone (and the dialog closes on its FAILED event).
    std::optional<ReaderMonitor::CardWatch> card_watch = monitor_->watch_card(reader, [&job](onshi_status why) {
        job.end_secret_wait(why == ONSHI_E_CARD_REMOVED
                                ? Error(why, {"the card left the reader while the PIN was asked for",
                                              "暗証番号の入力待ちの間にカードが外されました"})
                                : Error(why, {"the smart-card service stopped while the PIN was asked for",
                                              "暗証番号の入力待ちの間にスマートカードサービスが停止しました"}));
    });
    std::optional<card::LoggedCardChannel> logged;
    if (logger_ && logger_->enabled(LogLevel::debug)) {
        logger_->log(LogLevel::debug, "card", "job " + std::to_string(job.id()) + ": card in \"" + reader + "\"");
        logged.emplace(*channel, *logger_);
    }
    CardEvidence evidence = run_card_phase(job, logged ? static_cast<card::CardChannel &>(*logged) : *channel, request_,
                                           std::move(secret_), payload, {.pin_timeout = config_.pin_timeout});
    logged.reset();
    channel.reset();  // resets the card: no verified PIN state outlives the card phase
    card_watch.reset();  // the patient may take the card now
    const auto card_done = clock.steady_now();
    // One budget for the gateway, gateway.timeout_ms from the end of the card phase, and the wait
    // for a warm-up still under way counts in it: the confirmation gets what is left. (Waiting for
    // the warm-up and then giving the confirmation a timeout of its own made a hung gateway cost
    // two timeouts.) A warm-up that has not answered yet is still waited for rather than passed by
    // with a second connection: once its handshake is through, the confirmation is one round trip
    // on it, where a new connection would start TCP and TLS over again.
    const auto deadline = card_done + config_.gateway.timeout;
    job.set_cancel_hook([&warm_up] { warm_up.interrupt(); });
    warm_up.wait(config_.gateway.timeout);
    job.set_cancel_hook(nullptr);
    const auto network_started = clock.steady_now();
    job.throw_if_cancelled();
    const auto budget_left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - network_started);
    if (budget_left < std::chrono::milliseconds(1))
        throw Error(ONSHI_E_GATEWAY_TIMEOUT,
                    {"timed out: the gateway connection was not ready within timeout_ms (" +
                         std::to_string(config_.gateway.timeout.count()) + " ms); nothing was sent",
                     "タイムアウトしました: timeout_ms(" + std::to_string(config_.gateway.timeout.count()) +
                         " ミリ秒)以内にゲートウェイへ接続できませんでした(送信していません)"});

    job.progress(ONSHI_PROGRESS_CONTACTING_GATEWAY);
    gateway::ConfirmationRequest confirmation;
    confirmation.payload = payload;
    confirmation.certificate = std::move(evidence.certificate);
    confirmation.signature = std::move(evidence.signature);
    confirmation.visual = request_.method == CheckRequest::Method::visual;
    confirmation.photo_compared = confirmation.visual && !evidence.photo_png.empty();
    confirmation.consent_limit_certificate = request_.consent_limit_certificate;

    auto cancel = std::make_shared<gateway::CancelToken>();
    // Transfers run on the real clock; the budget was measured on the context's.
    cancel->set_deadline(std::chrono::steady_clock::now() + budget_left);
    job.set_cancel_hook([cancel] { cancel->cancel(); });
    struct ClearHook {
        Job &job;
        ~ClearHook() { job.set_cancel_hook(nullptr); }
    } clear_hook{job};
    gateway::ConfirmationResponse answer = services_.gateway->confirm(confirmation, identity, *cancel);
    job.throw_if_cancelled();

    const char *method = confirmation.visual ? "visual" : "pin";
    if (answer.confirmation.method != method)
        throw Error(ONSHI_E_GATEWAY_PROTOCOL, {"the gateway confirmed a \"" + answer.confirmation.method +
                                                   "\" check, but this was a \"" + method + "\" check",
                                               "ゲートウェイの確認方法(" + answer.confirmation.method + ")が要求(" +
                                                   method + ")と異なります"});
    const auto network_done = clock.steady_now();
    const gateway::CheckTiming timing{.card = card_done - card_started,
                                      .warm_up_wait = network_started - card_done,
                                      .network = network_done - network_started,
                                      .total = clock.steady_now() - started};
    if (monitor_) monitor_->note_medium(reader, evidence.medium);
    gateway::require_processed(answer.result());  // a 200 whose result failed is no success
    gateway::ResultDetails details;
    details.confirmation = answer.confirmation;
    details.timing = timing;
    details.medium = card::medium_name(evidence.medium);
    details.notices = std::move(answer.notices);
    details.check_digit = registration::check_digit_ok;
    JobResult::Builder result;
    gateway::write_eligibility_result(result.json(), answer.result(), details);
    return result.build(std::move(evidence.photo_png));
}

}  // namespace onshi::core
