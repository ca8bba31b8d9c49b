// PcscReaderSystem, MyNumberCard and Kenkaku against virtual cards behind a real pcscd (the
// sandbox). Slot 0 gets a fresh card per test (onshi-sandbox insert), slot 1 holds a card that is
// not a My Number Card.
#include "card/kenkaku.h"
#include "card/mynumber_card.h"
#include "card/pcsc_reader_system.h"
#include "util/error.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <png.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

namespace onshi::card {
namespace {

const std::string kDir = ONSHI_CARD_IT_DIR;
const std::string kReader0 = "Virtual PCD 00 00";
const std::string kReader1 = "Virtual PCD 00 01";

int sandbox(const std::string &args) {
    std::string cmd = std::string(ONSHI_SANDBOX_BIN) + " " + args + " --dir " + kDir + " >/dev/null 2>&1";
    return std::system(cmd.c_str());
}

void put_card(const std::string &persona) {
    sandbox("remove --slot 0");
    ASSERT_EQ(sandbox("insert --slot 0 --persona " + persona), 0) << persona;
}

std::string journal() {
    std::ifstream in(kDir + "/apdu.jsonl");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

template <class F>
Error expect_error(F &&fn, onshi_status status) {
    try {
        fn();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), status) << e.detail().en;
        return e;
    }
    ADD_FAILURE() << "no error, expected " << status;
    return Error(ONSHI_OK, {});
}

class CardPcsc : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        sandbox("down");
        std::remove((kDir + "/apdu.jsonl").c_str());
        if (sandbox("up --readers 2 --card 0=valid-honnin --card 1=not-mynumber") != 0) {
            up_failed_ = true;
            return;
        }
        // Before the first PC/SC call of this process (docs/pcsc-harness.md §The client side).
        setenv("PCSCLITE_CSOCK_NAME", (kDir + "/run/pcscd.comm").c_str(), 1);
        system_ = make_pcsc_reader_system().release();
    }
    static void TearDownTestSuite() {
        delete system_;
        system_ = nullptr;
        sandbox("down");
    }
    void SetUp() override {
        if (up_failed_) FAIL() << "onshi-sandbox up failed; see " << kDir << "/sandbox.log";
    }

    static inline ReaderSystem *system_ = nullptr;
    static inline bool up_failed_ = false;
};

TEST_F(CardPcsc, ListsReadersWithPresence) {
    put_card("valid-honnin");
    std::vector<ReaderInfo> r = system_->list_readers();
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0], (ReaderInfo{kReader0, true}));
    EXPECT_EQ(r[1], (ReaderInfo{kReader1, true}));
}

TEST_F(CardPcsc, PinCheckReadsCertVerifiesPinAndSigns) {
    put_card("valid-honnin");
    auto ch = system_->connect(kReader0);
    CardSession s(*ch);
    MyNumberCard card(s);
    card.identify();
    std::vector<std::uint8_t> der = card.read_auth_certificate();
    std::size_t read_apdus = s.apdu_count();
    EXPECT_EQ(card.query_pin_tries(), 3);
    card.verify_pin(SecureBuffer::from_string("1234"), false);

    const char msg[] = "onshi challenge";
    std::array<std::uint8_t, 32> digest;
    SHA256(reinterpret_cast<const unsigned char *>(msg), sizeof msg - 1, digest.data());
    std::vector<std::uint8_t> sig = card.sign_sha256(digest);
    std::printf("[ card    ] sandbox: cert %zu bytes, read phase %zu APDUs, whole PIN phase %zu APDUs\n",
                der.size(), read_apdus, s.apdu_count());

    const unsigned char *p = der.data();
    X509 *x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(p, der.data() + der.size());
    EVP_PKEY *key = X509_get_pubkey(x);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    ASSERT_EQ(EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key), 1);
    EXPECT_EQ(EVP_DigestVerify(md, sig.data(), sig.size(), reinterpret_cast<const unsigned char *>(msg), sizeof msg - 1), 1);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    X509_free(x);
}

TEST_F(CardPcsc, WrongPinCountsDownAndResetOnDisconnectDropsVerifiedState) {
    put_card("valid-honnin");
    {
        auto ch = system_->connect(kReader0);
        CardSession s(*ch);
        Error e = expect_error([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("9999"), false); },
                               ONSHI_E_PIN_INCORRECT);
        EXPECT_EQ(e.value(), 2);
    }
    {
        auto ch = system_->connect(kReader0);
        CardSession s(*ch);
        MyNumberCard card(s);
        EXPECT_EQ(card.query_pin_tries(), 2);
        card.verify_pin(SecureBuffer::from_string("1234"), false);
    }
    {
        // The previous channel reset the card on disconnect: signing now needs the PIN again.
        auto ch = system_->connect(kReader0);
        CardSession s(*ch);
        std::array<std::uint8_t, 32> digest{};
        Error e = expect_error([&] { MyNumberCard(s).sign_sha256(digest); }, ONSHI_E_CARD_ERROR);
        EXPECT_NE(e.detail().en.find("6982"), std::string::npos) << e.detail().en;
        EXPECT_EQ(MyNumberCard(s).query_pin_tries(), 3);
    }
}

TEST_F(CardPcsc, LastTryIsRefusedWithoutPermission) {
    put_card("last-try");
    std::size_t before = journal().size();
    auto ch = system_->connect(kReader0);
    CardSession s(*ch);
    Error e = expect_error([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("2222"), false); },
                           ONSHI_E_LAST_TRY_REFUSED);
    EXPECT_EQ(e.value(), 1);
    std::string sent = journal().substr(before);
    // The sandbox journals a VERIFY with data as "00200080*" (the secret redacted).
    EXPECT_NE(sent.find("\"c\":\"00200080\""), std::string::npos) << "the tries query is missing";
    EXPECT_EQ(sent.find("\"c\":\"00200080*\""), std::string::npos) << "a VERIFY with data reached the card";
    // With permission the last try is spent (and here it is right).
    MyNumberCard(s).verify_pin(SecureBuffer::from_string("2222"), true);
}

TEST_F(CardPcsc, BlockedPin) {
    put_card("blocked-pin");
    auto ch = system_->connect(kReader0);
    CardSession s(*ch);
    Error e = expect_error([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1111"), true); },
                           ONSHI_E_PIN_BLOCKED);
    EXPECT_EQ(e.value(), 0);
}

TEST_F(CardPcsc, FacePhotoWithCollationB) {
    put_card("valid-honnin");
    auto ch = system_->connect(kReader0);
    CardSession s(*ch);
    std::vector<std::uint8_t> png = read_face_photo_png(s, SecureBuffer::from_string("55021720352285"), false);
    std::printf("[ card    ] sandbox: photo path %zu APDUs, PNG %zu bytes\n", s.apdu_count(), png.size());
    png_image img;
    std::memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    ASSERT_TRUE(png_image_begin_read_from_memory(&img, png.data(), png.size()));
    EXPECT_GT(img.width, 10u);
    EXPECT_GT(img.height, 10u);
    png_image_free(&img);
}

TEST_F(CardPcsc, WrongCollationB) {
    put_card("valid-honnin");
    auto ch = system_->connect(kReader0);
    CardSession s(*ch);
    Error e = expect_error([&] { Kenkaku(s).verify_collation_b(SecureBuffer::from_string("55021720350000"), false); },
                           ONSHI_E_COLLATION_B_INCORRECT);
    EXPECT_EQ(e.value(), 9);
}

TEST_F(CardPcsc, JukiAndOtherCards) {
    put_card("juki-card");
    {
        auto ch = system_->connect(kReader0);
        CardSession s(*ch);
        expect_error([&] { MyNumberCard(s).identify(); }, ONSHI_E_JUKI_CARD);
    }
    auto ch = system_->connect(kReader1);
    CardSession s(*ch);
    expect_error([&] { MyNumberCard(s).identify(); }, ONSHI_E_NOT_MYNUMBER_CARD);
}

TEST_F(CardPcsc, ConnectErrors) {
    expect_error([&] { system_->connect("No Such Reader 00 00"); }, ONSHI_E_NO_READER);
    sandbox("remove --slot 0");
    expect_error([&] { system_->connect(kReader0); }, ONSHI_E_NO_CARD);
    put_card("valid-honnin");
    auto first = system_->connect(kReader0);
    expect_error([&] { system_->connect(kReader0); }, ONSHI_E_CARD_IN_USE);
}

TEST_F(CardPcsc, CardRemovedDuringJob) {
    put_card("valid-honnin");
    auto ch = system_->connect(kReader0);
    CardSession s(*ch);
    MyNumberCard card(s);
    card.identify();
    sandbox("remove --slot 0");
    expect_error([&] { card.read_auth_certificate(); }, ONSHI_E_CARD_REMOVED);
    // The channel stays dead, with the same answer.
    expect_error([&] { card.read_auth_certificate(); }, ONSHI_E_CARD_REMOVED);
}

TEST_F(CardPcsc, WaitForChangeSeesRemovalAndInsertion) {
    put_card("valid-honnin");
    std::vector<ReaderInfo> known = system_->list_readers();
    ASSERT_TRUE(known.at(0).card_present);
    auto remover = std::async(std::launch::async, [] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        sandbox("remove --slot 0");
    });
    auto t0 = std::chrono::steady_clock::now();
    std::vector<ReaderInfo> now = system_->wait_for_change(known, std::chrono::seconds(10));
    remover.get();
    EXPECT_FALSE(now.at(0).card_present);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));

    auto inserter = std::async(std::launch::async, [] { sandbox("insert --slot 0 --persona valid-honnin"); });
    now = system_->wait_for_change(now, std::chrono::seconds(10));
    inserter.get();
    EXPECT_TRUE(now.at(0).card_present);

    // Nothing changes: returns at the timeout with the same list.
    t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(system_->wait_for_change(now, std::chrono::milliseconds(700)), now);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(650));
}

TEST_F(CardPcsc, CancelWaitFromAnotherThread) {
    put_card("valid-honnin");
    std::vector<ReaderInfo> known = system_->list_readers();
    auto t0 = std::chrono::steady_clock::now();
    auto waiter = std::async(std::launch::async, [&] { return system_->wait_for_change(known, std::chrono::hours(1)); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    system_->cancel_wait();
    ASSERT_EQ(waiter.wait_for(std::chrono::seconds(3)), std::future_status::ready);
    EXPECT_EQ(waiter.get(), known);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
    // A cancel before the wait starts is not lost either.
    system_->cancel_wait();
    t0 = std::chrono::steady_clock::now();
    system_->wait_for_change(known, std::chrono::hours(1));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
}

// Regression: the first listing after pcscd came back went to the context of the dead pcscd, failed
// with PCSC_UNAVAILABLE, and only the call after it re-established the context, so the reader
// monitor reported "no service" for one more retry interval (1 s) while pcscd was up again.
TEST_F(CardPcsc, FirstListingAfterAPcscdRestartSucceeds) {
    ASSERT_EQ(system_->list_readers().size(), 2u);  // a context of the pcscd about to die
    ASSERT_EQ(sandbox("restart-pcscd"), 0);           // back: pcscd lists the readers and cards
    std::vector<ReaderInfo> r;
    ASSERT_NO_THROW(r = system_->list_readers());
    EXPECT_EQ(r.size(), 2u);
}

// Last (gtest runs tests in declaration order): nothing we sent is on the do-not-read list.
TEST_F(CardPcsc, JournalHasNoForbiddenCommand) {
    std::string j = journal();
    ASSERT_FALSE(j.empty());
    std::string compact;
    for (char c : j)
        if (c != ' ') compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const char *bad : {"00A4040C0AD3921000310001010408", "00A4020C020005", "00A4020C020013",
                            "00A4020C020014", "00A4020C020001"})
        EXPECT_EQ(compact.find(bad), std::string::npos) << bad;
}

}  // namespace
}  // namespace onshi::card

int main(int argc, char **argv) {
    ::testing::InitGoogleTest(&argc, argv);
    if (geteuid() != 0) {
        std::puts("card integration tests need root (the sandbox uses namespaces): skipped");
        return 77;
    }
    return RUN_ALL_TESTS();
}
