// LoggedCardChannel logs each APDU's header, length, SW and answer size at debug level, and the
// status of a transport error, but never the data: not the PIN a VERIFY carries, not the answer.
#include "card/logged_card_channel.h"

#include "card/commands.h"
#include "card/status_words.h"
#include "scripted_channel.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace onshi::card {
namespace {

namespace fs = std::filesystem;
using namespace test;

class LoggedCardChannelTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("onshi-logged-channel-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string log_text() const {
        std::ifstream in(dir_ / "onshi.log");
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    fs::path dir_;
};

TEST_F(LoggedCardChannelTest, HeadersAndStatusWordsButNeverTheData) {
    ScriptedChannel inner;
    inner.expect(kSelectJpki, "9000").expect("0020008004" "35373931", "63C2").expect("00B0000004", "CAFEBABE9000");
    {
        Logger logger((dir_ / "onshi.log").string(), LogLevel::debug);
        LoggedCardChannel logged(inner, logger);
        EXPECT_EQ(logged.transmit(Commands::select_ap(Ap::jpki)).sw, sw::ok);
        EXPECT_EQ(logged.transmit(Commands::verify(SecretKind::auth_pin, SecureBuffer::from_string("5791"))).sw, 0x63C2);
        ResponseApdu r = logged.transmit(Commands::read_binary(0, 4));
        EXPECT_EQ(to_hex(r.data), "CAFEBABE") << "the answer passes through unchanged";
        EXPECT_EQ(&logged.atr(), &inner.atr());
    }
    const std::string log = log_text();
    EXPECT_NE(log.find("apdu 00 A4 04 0C, 15 bytes -> 9000, 0 bytes"), std::string::npos) << log;
    EXPECT_NE(log.find("apdu 00 20 00 80, 9 bytes (secret not shown) -> 63C2, 0 bytes"), std::string::npos) << log;
    EXPECT_NE(log.find("apdu 00 B0 00 00, 5 bytes -> 9000, 4 bytes"), std::string::npos) << log;
    for (const char *secret_or_data : {"5791", "35373931", "35 37", "CAFEBABE", "CA FE"})
        EXPECT_EQ(log.find(secret_or_data), std::string::npos) << secret_or_data << " in\n" << log;
}

TEST_F(LoggedCardChannelTest, TransportErrorsAreLoggedAndPassOnUnchanged) {
    ScriptedChannel inner;
    inner.expect(kSelectJpki, "");  // 0 bytes: the card was pulled
    {
        Logger logger((dir_ / "onshi.log").string(), LogLevel::debug);
        LoggedCardChannel logged(inner, logger);
        try {
            logged.transmit(Commands::select_ap(Ap::jpki));
            FAIL() << "no error";
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_CARD_REMOVED);
        }
    }
    EXPECT_NE(log_text().find("apdu 00 A4 04 0C, 15 bytes -> ONSHI_E_CARD_REMOVED"), std::string::npos) << log_text();
}

TEST(ApduHeaderText, FourHeaderBytesAndTheLength) {
    EXPECT_EQ(apdu_header_text(Commands::get_response(0x10)), "00 C0 00 00, 5 bytes");
    EXPECT_EQ(apdu_header_text(Commands::verify(SecretKind::auth_pin, SecureBuffer::from_string("1234"))),
              "00 20 00 80, 9 bytes (secret not shown)");
}

}  // namespace
}  // namespace onshi::card
