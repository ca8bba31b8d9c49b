#include "core/reader_diagnosis_job.h"

#include "card/atr.h"
#include "card/logged_card_channel.h"
#include "card/timed_card_channel.h"
#include "core/certificate_expiry.h"
#include "core/job_result.h"
#include "util/json.h"

#include <algorithm>
#include <optional>

namespace onshi::core {
namespace {

const char *kPersonalDataEn =
    "This report holds no personal data: no name, address, birth date, sex, 個人番号, certificate serial or "
    "certificate; the certificate's expiry is given as a month only. No PIN or 照合番号B try was spent.";
const char *kPersonalDataJa =
    "この診断結果には個人情報を含みません（氏名・住所・生年月日・性別・個人番号・証明書のシリアル番号や証明書そのものは"
    "出力しません。証明書の有効期限は年月のみ）。暗証番号・照合番号Bの試行回数は消費していません。";

const char *tries_state(card::SecretTriesReading::State s) {
    switch (s) {
    case card::SecretTriesReading::State::counted: return "counted";
    case card::SecretTriesReading::State::blocked: return "blocked";
    case card::SecretTriesReading::State::unknown: return "unknown";
    case card::SecretTriesReading::State::not_available: return "not_available";
    }
    return "not_available";
}

void write_tries(json::Writer &w, const char *key, const card::SecretTriesReading &t) {
    w.key(key).begin_object().member("state", tries_state(t.state));
    if (t.tries >= 0) w.member("tries_left", t.tries);
    else w.null_member("tries_left");
    if (!t.detail.empty()) w.member("detail", t.detail);
    w.end_object();
}

double ms(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1000.0; }

void write_notice(json::Writer &w, ExpiryReading::Notice notice, const CivilDate &usable_until) {
    if (notice == ExpiryReading::Notice::none) {
        w.null_member("notice");
        return;
    }
    std::string ja, en;
    switch (notice) {
    case ExpiryReading::Notice::expires_soon:
        ja = "利用者証明用電子証明書の有効期限まで3か月以内です。市区町村での更新をご案内ください。";
        en = "The authentication certificate expires within three months: ask the patient to renew it at the "
             "municipality.";
        break;
    case ExpiryReading::Notice::expired_grace:
        ja = "利用者証明用電子証明書の有効期限が切れています。" + usable_until.iso() +
             "まで資格確認に使えます。市区町村での更新をご案内ください。";
        en = "The authentication certificate has expired; it can still be used for eligibility checks until " +
             usable_until.iso() + ". Ask the patient to renew it at the municipality.";
        break;
    case ExpiryReading::Notice::expired:
        ja = "利用者証明用電子証明書の有効期限が切れ、猶予期間（" + usable_until.iso() +
             "まで）も過ぎています。資格確認には使えません。";
        en = "The authentication certificate has expired and its grace period (until " + usable_until.iso() +
             ") is over: it cannot be used for eligibility checks.";
        break;
    case ExpiryReading::Notice::none: break;
    }
    w.key("notice").begin_object().member("code", notice_code(notice)).member("ja", ja).member("en", en);
    if (notice != ExpiryReading::Notice::expires_soon) w.member("usable_until", usable_until.iso());
    w.end_object();
}

void write_certificate(json::Writer &w, const card::CertificateReading &c, std::chrono::system_clock::time_point now) {
    w.key("certificate").begin_object();
    switch (c.state) {
    case card::CertificateReading::State::read: {
        std::optional<std::chrono::system_clock::time_point> not_after = certificate_not_after(c.der);
        if (!not_after) {
            w.member("state", "not_readable").member("detail", "the certificate does not parse as X.509");
            break;
        }
        const CivilDate expires = japan_date(*not_after);
        const ExpiryReading reading = read_expiry(expires, japan_date(now));
        w.member("state", "read").member("expires_month", expires.year_month());
        write_notice(w, reading.notice, reading.usable_until);
        w.member("rule", "by this PC's clock (docs/certificate-expiry.md); at a check the gateway decides");
        break;
    }
    case card::CertificateReading::State::needs_pin:
        w.member("state", "needs_pin").member("detail", c.detail);
        break;
    case card::CertificateReading::State::not_readable:
        w.member("state", "not_readable").member("detail", c.detail);
        break;
    }
    w.end_object();
}

const char *extended_state(card::ExtendedLengthProbe::State s) {
    switch (s) {
    case card::ExtendedLengthProbe::State::supported: return "supported";
    case card::ExtendedLengthProbe::State::not_supported: return "not_supported";
    case card::ExtendedLengthProbe::State::not_probed: return "not_probed";
    }
    return "not_probed";
}

std::string choose_reader(const ReaderMonitor *monitor, const std::string &wanted) {
    if (!monitor)
        throw Error(ONSHI_E_PCSC_UNAVAILABLE, {"PC/SC is disabled in the configuration", "設定でPC/SCが無効になっています"});
    if (!monitor->recheck_service(std::chrono::milliseconds(2000))) throw Error(ONSHI_E_PCSC_UNAVAILABLE, {});
    const std::vector<card::ReaderInfo> readers = monitor->readers();
    if (readers.empty()) throw Error(ONSHI_E_NO_READER, {});
    if (!wanted.empty()) {
        auto it = std::find_if(readers.begin(), readers.end(), [&](const auto &r) { return r.name == wanted; });
        if (it == readers.end())
            throw Error(ONSHI_E_NO_READER, {"no reader named \"" + wanted + "\"",
                                            "「" + wanted + "」という名前のカードリーダーはありません"});
        if (!it->card_present)
            throw Error(ONSHI_E_NO_CARD, {"no card on \"" + wanted + "\"", "「" + wanted + "」にカードがありません"});
        return it->name;
    }
    auto it = std::find_if(readers.begin(), readers.end(), [](const auto &r) { return r.card_present; });
    if (it == readers.end()) throw Error(ONSHI_E_NO_CARD, {});
    return it->name;
}

}  // namespace

DiagnosisRequest DiagnosisRequest::parse(std::string_view text) {
    DiagnosisRequest req;
    if (text.empty()) return req;
    rapidjson::Document doc = json::parse(text, "request", ONSHI_E_INVALID_ARGUMENT, {.max_bytes = 16 * 1024, .max_depth = 4});
    json::ObjectReader r(doc, "request", ONSHI_E_INVALID_ARGUMENT);
    if (auto reader = r.string("reader", 256)) req.reader = *reader;
    r.finish();
    return req;
}

std::shared_ptr<const JobResult> diagnosis_report(const std::string &reader, const card::CardDiagnosis &d,
                                                  std::chrono::system_clock::time_point now) {
    JobResult::Builder result;
    json::Writer &w = result.json();
    w.begin_object().key("diagnosis").begin_object();
    w.member("version", 1);
    w.key("personal_data").begin_object().member("contains", false).member("ja", kPersonalDataJa).member("en", kPersonalDataEn).end_object();

    w.key("reader").begin_object().member("name", reader);
    auto optional_text = [&](const char *key, const std::string &v) {
        if (v.empty()) w.null_member(key);
        else w.member(key, v);
    };
    optional_text("vendor", d.reader.vendor_name);
    optional_text("ifd_type", d.reader.ifd_type);
    optional_text("ifd_version", d.reader.ifd_version);
    optional_text("protocol", d.reader.protocol);
    w.member("transport", d.contactless ? "contactless" : "contact");
    w.member("pin_pad", d.features && d.features->pin_pad);
    if (d.features) {
        w.key("features").begin_array();
        for (const std::string &name : d.features->names) w.String(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
        w.end_array();
    } else {
        w.null_member("features");
    }
    w.end_object();

    w.key("card").begin_object()
        .member("atr", card::hex_with_spaces(d.atr))
        .member("medium", card::medium_name(d.medium))
        .member("jpki_ap", d.jpki_ap)
        .member("kenkaku_ap", d.kenkaku_ap)
        .end_object();
    write_tries(w, "pin", d.pin);
    write_tries(w, "collation_b", d.collation_b);
    write_certificate(w, d.certificate, now);

    w.key("apdus").begin_object()
        .member("count", static_cast<std::int64_t>(d.apdus))
        .member("round_trip_median_ms", ms(card::median_of(d.round_trips)))
        .member("round_trip_max_ms", ms(card::max_of(d.round_trips)))
        .member("largest_response_bytes", static_cast<std::int64_t>(d.largest_response))
        .end_object();
    w.key("extended_length").begin_object()
        .member("state", extended_state(d.extended_length.state))
        .member("bytes", static_cast<std::int64_t>(d.extended_length.bytes))
        .member("detail", d.extended_length.detail)
        .end_object();
    w.end_object().end_object();
    return result.build();
}

Context::Procedure make_reader_diagnosis_procedure(const Services &services, const ReaderMonitor *monitor,
                                                   Logger *logger, DiagnosisRequest request) {
    return [services, monitor, logger, request = std::move(request)](Job &job) {
        const std::string reader = choose_reader(monitor, request.reader);
        job.throw_if_cancelled();
        job.progress(ONSHI_PROGRESS_READING_CARD);
        std::unique_ptr<card::CardChannel> channel = services.readers->connect(reader);
        std::optional<card::LoggedCardChannel> logged;
        if (logger && logger->enabled(LogLevel::debug)) logged.emplace(*channel, *logger);
        card::CardDiagnosis d = card::diagnose_card(logged ? static_cast<card::CardChannel &>(*logged) : *channel);
        logged.reset();
        channel.reset();  // resets the card
        auto report = diagnosis_report(reader, d, services.clock->system_now());
        secure_wipe(d.certificate.der.data(), d.certificate.der.size());
        return report;
    };
}

}  // namespace onshi::core
