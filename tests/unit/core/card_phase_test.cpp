// The card half of a check against a scripted card: what each method sends (and does not send),
// that the card signs exactly SHA-256 of the payload, that the PIN dialog is asked with the card's
// tries, and that a cancel while the dialog is open spends no try.
#include "core/card_phase.h"

#include "fakes.h"
#include "scripted_channel.h"
#include "util/digest.h"

#include <gtest/gtest.h>

#include <thread>

using namespace std::chrono_literals;
using onshi::Error;
using onshi::SecureBuffer;
using onshi::card::test::ScriptedChannel;
using onshi::card::test::to_hex;
using onshi::core::CardEvidence;
using onshi::core::CheckRequest;
using onshi::core::Job;
using onshi::core::run_card_phase;
using onshi::test::RecordingSink;
namespace t = onshi::card::test;

namespace {

const std::string kPayload = R"({"v":1,"method":"pin","facility":"3410712362","nonce":"00"})";

// A DER-shaped certificate of 300 bytes: 30 82 01 28 + body.
std::vector<std::uint8_t> certificate() {
    std::vector<std::uint8_t> c = {0x30, 0x82, 0x01, 0x28};
    for (std::size_t i = 4; i < 300; ++i) c.push_back(static_cast<std::uint8_t>(i * 7));
    return c;
}

std::vector<std::uint8_t> token() {
    std::string t = "JPKIAPICCTOKEN2";
    t.resize(32, ' ');
    return {t.begin(), t.end()};
}

// identify + the certificate: what every method sends first.
ScriptedChannel &expect_read_phase(ScriptedChannel &ch) {
    const std::vector<std::uint8_t> cert = certificate();
    return ch.expect(t::kSelectJpki, "9000")
        .expect(t::kSelectToken, "9000")
        .expect("00B0000020", token(), 0x9000)
        .expect(t::kSelectCert, "9000")
        .expect("00B0000000", {cert.begin(), cert.begin() + 256}, 0x9000)
        .expect("00B001002C", {cert.begin() + 256, cert.end()}, 0x9000);
}

std::string sign_command_for(const std::string &payload) {
    const auto digest = onshi::sha256(payload);
    return "802A0080333031300D060960864801650304020105000420" + to_hex({digest.begin(), digest.end()}) + "00";
}

bool sent_verify_with_data(const ScriptedChannel &ch) {
    for (const std::string &apdu : ch.journal())
        if (apdu.starts_with("00200080") && apdu.size() > 8) return true;
    return false;
}

TEST(CardPhase, PinCheckSignsExactlyTheSha256OfThePayload) {
    ScriptedChannel ch;
    expect_read_phase(ch)
        .expect(t::kSelectPin, "9000")
        .expect(t::kVerifyQuery, "63C3")
        .expect("002000800431323334", "9000")
        .expect(t::kSelectKey, "9000")
        .expect(sign_command_for(kPayload), std::vector<std::uint8_t>(256, 0x5A), 0x9000);
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    CardEvidence evidence = run_card_phase(job, ch, CheckRequest::parse(R"({"method":"pin"})"),
                                           SecureBuffer::from_string("1234"), kPayload, {});
    EXPECT_TRUE(ch.all_consumed());
    EXPECT_EQ(evidence.certificate, certificate());
    EXPECT_EQ(evidence.signature, std::vector<std::uint8_t>(256, 0x5A));
    EXPECT_TRUE(evidence.photo_png.empty());
    std::vector<int32_t> steps;
    for (const auto &e : sink.events())
        if (e.type == ONSHI_EVENT_PROGRESS) steps.push_back(e.value);
    EXPECT_EQ(steps, (std::vector<int32_t>{ONSHI_PROGRESS_READING_CARD, ONSHI_PROGRESS_VERIFYING_PIN, ONSHI_PROGRESS_SIGNING}));
}

TEST(CardPhase, VisualCheckWithoutPhotoReadsTheCertificateOnly) {
    ScriptedChannel ch;
    expect_read_phase(ch);
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    CardEvidence evidence = run_card_phase(job, ch, CheckRequest::parse(R"({"method":"visual"})"), {}, kPayload, {});
    EXPECT_TRUE(ch.all_consumed()) << "no VERIFY, no SIGN, no Kenkaku AP";
    EXPECT_EQ(evidence.certificate, certificate());
    EXPECT_TRUE(evidence.signature.empty());
    EXPECT_TRUE(evidence.photo_png.empty());
}

TEST(CardPhase, PinDialogIsAskedWithTheCardsTriesAndItsAnswerIsUsed) {
    ScriptedChannel ch;
    expect_read_phase(ch)
        .expect(t::kSelectPin, "9000")
        .expect(t::kVerifyQuery, "63C2")  // the dialog's query; the VERIFY reuses it
        .expect("002000800435363738", "9000")
        .expect(t::kSelectKey, "9000")
        .expect(sign_command_for(kPayload), std::vector<std::uint8_t>(256, 1), 0x9000);
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    std::thread host([&] {
        ASSERT_TRUE(sink.wait_until([](auto &ev) {
            for (const auto &e : ev)
                if (e.type == ONSHI_EVENT_PIN_NEEDED) return true;
            return false;
        }));
        EXPECT_EQ(job.provide_secret(SecureBuffer::from_string("5678"), false), ONSHI_OK);
    });
    CardEvidence evidence = run_card_phase(job, ch, CheckRequest::parse(R"({"method":"pin"})"), {}, kPayload, {});
    host.join();
    EXPECT_TRUE(ch.all_consumed());
    EXPECT_EQ(evidence.signature.size(), 256u);
    for (const auto &e : sink.events())
        if (e.type == ONSHI_EVENT_PIN_NEEDED) {
            EXPECT_EQ(e.value, 2) << "the tries the card reported";
            EXPECT_EQ(e.detail, ONSHI_SECRET_PIN);
        }
}

TEST(CardPhase, CancelWhileTheDialogIsOpenSpendsNoTry) {
    ScriptedChannel ch;
    expect_read_phase(ch).expect(t::kSelectPin, "9000").expect(t::kVerifyQuery, "63C3");
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    std::thread host([&] {
        ASSERT_TRUE(sink.wait_until([](auto &ev) {
            for (const auto &e : ev)
                if (e.type == ONSHI_EVENT_PIN_NEEDED) return true;
            return false;
        }));
        job.cancel();
    });
    try {
        run_card_phase(job, ch, CheckRequest::parse(R"({"method":"pin"})"), {}, kPayload, {});
        ADD_FAILURE() << "the card phase went on after the cancel";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CANCELLED);
    }
    host.join();
    EXPECT_TRUE(ch.all_consumed());
    EXPECT_FALSE(sent_verify_with_data(ch));
}

TEST(CardPhase, ADialogThatIsNeverAnsweredTimesOutWithoutATry) {
    ScriptedChannel ch;
    expect_read_phase(ch).expect(t::kSelectPin, "9000").expect(t::kVerifyQuery, "63C3");
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    try {
        run_card_phase(job, ch, CheckRequest::parse(R"({"method":"pin"})"), {}, kPayload, {.pin_timeout = 50ms});
        ADD_FAILURE() << "no timeout";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_TIMEOUT);
    }
    EXPECT_FALSE(sent_verify_with_data(ch));
}

}  // namespace
