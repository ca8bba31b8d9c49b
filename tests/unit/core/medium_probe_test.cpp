// The reader monitor's probe: what answers on a card, read with the three APDUs of the token check
// and nothing else; any failure is "unknown", never an exception.
#include "core/medium_probe.h"

#include "fakes.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>

using onshi::card::Medium;
using onshi::core::medium_code;
using onshi::core::medium_text;
using onshi::core::probe_medium;
using ::testing::_;

namespace {

std::string hex(const std::vector<std::uint8_t> &b) {
    static const char *digits = "0123456789ABCDEF";
    std::string out;
    for (auto c : b) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// Answers the token check with `token`, records every command, and fails on a fourth APDU.
class TokenCard final : public onshi::card::CardChannel {
public:
    TokenCard(std::string token, std::vector<std::string> *sent) : token_(std::move(token)), sent_(sent) {}
    onshi::card::ResponseApdu transmit(const onshi::card::CommandApdu &command) override {
        sent_->push_back(hex(command.bytes()));
        switch (sent_->size()) {
        case 1:
        case 2: return {{}, 0x9000};
        case 3: {
            std::vector<std::uint8_t> label(token_.begin(), token_.end());
            label.resize(32, ' ');
            return {label, 0x9000};
        }
        default: ADD_FAILURE() << "the probe sent more than the token check: " << sent_->back(); return {{}, 0x6D00};
        }
    }
    const std::vector<std::uint8_t> &atr() const override { return atr_; }

private:
    std::string token_;
    std::vector<std::string> *sent_;
    std::vector<std::uint8_t> atr_{0x3B, 0x00};
};

TEST(MediumProbe, ReadsTheTokenAndNothingElse) {
    for (const auto &[token, medium] : {std::pair<std::string, Medium>{"JPKIAPGPSETOKEN", Medium::android},
                                        {"JPKIAPIOSTOKEN", Medium::iphone}, {"JPKIAPICCTOKEN2", Medium::card},
                                        {"JPKIAPICCTOKEN", Medium::juki}, {"SOMETHING", Medium::other}}) {
        onshi::test::FakeReaderSystem system;
        std::vector<std::string> sent;
        EXPECT_CALL(system, connect("R")).WillOnce([&](const std::string &) {
            return std::make_unique<TokenCard>(token, &sent);
        });
        EXPECT_EQ(probe_medium(system, "R"), medium) << token;
        ASSERT_EQ(sent.size(), 3u);
        EXPECT_EQ(sent[0], "00A4040C0AD392F000260100000001");
        EXPECT_EQ(sent[1], "00A4020C020006");
        EXPECT_EQ(sent[2], "00B0000020");
    }
}

TEST(MediumProbe, AnyFailureIsUnknown) {
    onshi::test::FakeReaderSystem system;
    EXPECT_CALL(system, connect(_))
        .WillOnce([](const std::string &) -> std::unique_ptr<onshi::card::CardChannel> {
            throw onshi::Error(ONSHI_E_CARD_IN_USE, {});
        })
        .WillOnce([](const std::string &) -> std::unique_ptr<onshi::card::CardChannel> { return nullptr; });
    EXPECT_FALSE(probe_medium(system, "R").has_value());
    EXPECT_FALSE(probe_medium(system, "R").has_value());
}

TEST(MediumProbe, CodesAndTexts) {
    EXPECT_EQ(medium_code(std::nullopt), ONSHI_MEDIUM_UNKNOWN);
    EXPECT_EQ(medium_code(Medium::card), ONSHI_MEDIUM_CARD);
    EXPECT_EQ(medium_code(Medium::android), ONSHI_MEDIUM_ANDROID);
    EXPECT_EQ(medium_code(Medium::iphone), ONSHI_MEDIUM_IPHONE);
    EXPECT_EQ(medium_code(Medium::juki), ONSHI_MEDIUM_JUKI);
    EXPECT_EQ(medium_code(Medium::other), ONSHI_MEDIUM_OTHER);
    EXPECT_STREQ(medium_text(std::nullopt), "unknown");
    EXPECT_STREQ(medium_text(Medium::android), "android");
}

}  // namespace
