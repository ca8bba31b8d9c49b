#include "core/eligibility_check.h"

#include "core/card_phase.h"
#include "util/digest.h"

#include <algorithm>

namespace onshi::core {

EligibilityCheck::EligibilityCheck(const Config &config, const Services &services, const ReaderMonitor *monitor,
                                   CheckRequest request, SecureBuffer secret)
    : config_(config), services_(services), monitor_(monitor), request_(std::move(request)),
      secret_(std::move(secret)) {}

std::string EligibilityCheck::choose_reader(Job &job) {
    if (!monitor_)
        throw Error(ONSHI_E_PCSC_UNAVAILABLE, {"PC/SC is disabled in the configuration", "設定でPC/SCが無効になっています"});
    auto deadline = services_.clock->steady_now() + config_.card_wait;
    bool announced = false;
    for (;;) {
        job.throw_if_cancelled();
        if (!monitor_->service_available()) throw Error(ONSHI_E_PCSC_UNAVAILABLE, {});
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

std::string EligibilityCheck::make_payload() const {
    // Binds the signature to this one check: a fresh nonce and the time. The gateway protocol
    // (issue 4) adds the facility and terminal and defines how the server checks freshness.
    auto now = std::chrono::duration_cast<std::chrono::seconds>(services_.clock->system_now().time_since_epoch());
    return std::string(R"({"v":1,"method":")") + (request_.method == CheckRequest::Method::pin ? "pin" : "visual") +
           R"(","nonce":")" + random_hex(16) + R"(","time":)" + std::to_string(now.count()) + "}";
}

std::shared_ptr<const ResultData> EligibilityCheck::run(Job &job) {
    std::string reader = choose_reader(job);
    std::unique_ptr<card::CardChannel> channel = services_.readers->connect(reader);
    CardEvidence evidence = run_card_phase(job, *channel, request_, std::move(secret_), make_payload(),
                                           {.pin_timeout = config_.pin_timeout});
    channel.reset();  // resets the card: no verified PIN state outlives the card phase
    job.throw_if_cancelled();
    // The gateway round trip (issue 4) plugs in here.
    throw Error(ONSHI_E_NOT_SUPPORTED,
                {"the card was read and " + std::string(evidence.signature.empty() ? "confirmed" : "signed") +
                     " (" + std::to_string(evidence.apdus) + " APDUs), but this build has no eligibility gateway yet",
                 "カードの読み取りは完了しました(APDU " + std::to_string(evidence.apdus) +
                     " 回)が、このビルドには資格確認サーバーへの照会がまだありません"});
}

}  // namespace onshi::core
