// The host SDK against the built library, used exactly as a host uses it.
#include <onshi/host_sdk.hpp>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sdk = onshi::sdk;
using namespace std::chrono_literals;

namespace {

// Generous: a check without a reader must fail fast, but CI machines are slow and shared.
constexpr auto kGenerous = 60s;

// A reader that does not exist: the check must fail in the card area whatever the machine has.
const std::string kNoSuchReader =
    R"({"reader": "onshi-sdk-test no such reader 00 00", "method": "pin"})";

const sdk::Library &library() {
    static const sdk::Library lib(ONSHI_TEST_LIBRARY);
    return lib;
}

// How a check ends on a machine that cannot do one: without a registered terminal it stops with
// ONSHI_E_NOT_ENROLLED before touching PC/SC; otherwise without a usable reader.
bool is_no_reader_failure(onshi_status status) {
    return status == ONSHI_E_NOT_ENROLLED || status == ONSHI_E_NO_READER || status == ONSHI_E_PCSC_UNAVAILABLE;
}

// Waits for the future and returns the JobError it holds (fails the test otherwise).
sdk::JobError expect_job_error(std::future<sdk::Result> &future) {
    EXPECT_EQ(future.wait_for(kGenerous), std::future_status::ready) << "the job never ended";
    try {
        future.get();
    } catch (const sdk::JobError &e) {
        return e;
    }
    ADD_FAILURE() << "the job succeeded where it could not";
    return sdk::JobError(ONSHI_OK, "", "", 0, -1, "");
}

} // namespace

TEST(SdkLibrary, LoadsAndChecksTheAbiVersion) {
    const sdk::Library &lib = library();
    EXPECT_EQ(lib.abi_version() >> 16, static_cast<std::uint32_t>(ONSHI_ABI_VERSION_MAJOR));
    EXPECT_GE(lib.abi_version(), static_cast<std::uint32_t>(ONSHI_ABI_VERSION));
    EXPECT_FALSE(lib.version().empty());
}

TEST(SdkLibrary, ResultFromAppTextMapsTheAppsText) {
    const sdk::Result r = library().result_from_app_text("保険者番号：06130488\r\n氏名：試験　太郎\r\n生年月日：令和元年5月1日\r\n");
    EXPECT_EQ(r.field("Birthdate"), "20190501");
    EXPECT_EQ(r.field("source"), "app_text");
    try {
        (void)library().result_from_app_text("本日の予約\n");
        ADD_FAILURE() << "a text that is no result was accepted";
    } catch (const sdk::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_PARSE);
    }
}

TEST(SdkLibrary, DefaultNameIsTheFileThisBuildMade) {
    // The name hosts load by default (samples/cli, samples/cpp-host) is the file the build makes
    // for this ABI major: libonshi.so.1 (the SONAME), onshi.dll.
    EXPECT_EQ(std::filesystem::path(ONSHI_TEST_LIBRARY).filename().string(), sdk::default_library_name);
}

TEST(SdkLibrary, RefusesAnotherAbiMajor) {
    try {
        sdk::Library lib(ONSHI_TEST_FAKE_ABI2);
        FAIL() << "a library with ABI 2.0 was accepted";
    } catch (const sdk::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_NOT_SUPPORTED);
        EXPECT_EQ(e.name(), "ONSHI_E_NOT_SUPPORTED");
        EXPECT_NE(e.message().find("ABI 2.0"), std::string::npos) << e.message();
        EXPECT_NE(e.message().find("ABI 1."), std::string::npos) << e.message();
    }
}

TEST(SdkLibrary, MissingFileIsAClearError) {
    try {
        sdk::Library lib("/nonexistent/libonshi.so.1");
        FAIL() << "loaded a file that does not exist";
    } catch (const sdk::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_NOT_SUPPORTED);
        EXPECT_NE(e.message().find("/nonexistent/libonshi.so.1"), std::string::npos);
    }
}

TEST(SdkLibrary, StatusNamesAndMessagesInJapaneseAndEnglish) {
    const sdk::Library &lib = library();
    EXPECT_EQ(lib.status_name(ONSHI_OK), "ONSHI_OK");
    EXPECT_EQ(lib.status_name(ONSHI_E_NO_CARD), "ONSHI_E_NO_CARD");
    EXPECT_EQ(lib.status_name(ONSHI_E_PIN_BLOCKED), "ONSHI_E_PIN_BLOCKED");
    EXPECT_EQ(lib.status_name(ONSHI_E_PARSE), "ONSHI_E_PARSE");
    EXPECT_EQ(lib.status_name(9999), "ONSHI_E_UNKNOWN");

    const std::string ja = lib.status_message(ONSHI_E_NO_CARD, "ja");
    const std::string en = lib.status_message(ONSHI_E_NO_CARD, "en");
    EXPECT_FALSE(ja.empty());
    EXPECT_FALSE(en.empty());
    EXPECT_NE(ja, en);
    const auto has_non_ascii = [](const std::string &s) {
        for (const char c : s)
            if (static_cast<unsigned char>(c) >= 0x80)
                return true;
        return false;
    };
    EXPECT_TRUE(has_non_ascii(ja)) << ja;
    EXPECT_FALSE(has_non_ascii(en)) << en;
    EXPECT_EQ(lib.status_message(ONSHI_E_NO_CARD, nullptr), ja); // NULL means "ja"
    EXPECT_FALSE(lib.status_message(9999, "en").empty());
}

TEST(SdkContext, OpensWithTheDefaultConfiguration) {
    sdk::Context defaults(library());
    EXPECT_NE(defaults.native(), nullptr);
    sdk::Context empty(library(), "{}");
    EXPECT_NE(empty.native(), nullptr);
    empty.close();
    EXPECT_EQ(empty.native(), nullptr);
    empty.close(); // closing twice is harmless
}

TEST(SdkContext, BadConfigurationNamesTheKey) {
    try {
        sdk::Context ctx(library(), R"({"locale": "en", "no_such_key": 1})");
        FAIL() << "an unknown key was accepted";
    } catch (const sdk::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CONFIG);
        EXPECT_EQ(e.name(), "ONSHI_E_CONFIG");
        EXPECT_NE(e.message().find("no_such_key"), std::string::npos) << e.message();
    }
    try {
        sdk::Context ctx(library(), R"({"max_jobs": "many"})");
        FAIL() << "a string for max_jobs was accepted";
    } catch (const sdk::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CONFIG);
        EXPECT_NE(e.message().find("max_jobs"), std::string::npos) << e.message();
    }
    try {
        sdk::Context ctx(library(), "{not json");
        FAIL() << "malformed JSON was accepted";
    } catch (const sdk::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CONFIG);
    }
}

TEST(SdkContext, MovesAndClosesOnce) {
    sdk::Context a(library());
    onshi_context *native = a.native();
    sdk::Context b(std::move(a));
    EXPECT_EQ(b.native(), native);
    EXPECT_THROW(a.list_readers(), sdk::Error); // NOLINT(bugprone-use-after-move): on purpose
    a = std::move(b);
    EXPECT_EQ(a.native(), native);
}

// The readers as JSON, or std::nullopt when the PC/SC service is not running (onshi then
// answers ONSHI_E_PCSC_UNAVAILABLE rather than an empty array, so the host can say why).
std::optional<std::string> readers_or_no_service(const sdk::Context &ctx) {
    try {
        return ctx.list_readers();
    } catch (const sdk::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_PCSC_UNAVAILABLE) << e.name() << ": " << e.message();
        EXPECT_FALSE(e.message().empty());
        return std::nullopt;
    }
}

TEST(SdkContext, ListReadersReturnsAJsonArray) {
    sdk::Context ctx(library());
    const std::optional<std::string> json = readers_or_no_service(ctx);
    if (!json)
        GTEST_SKIP() << "no PC/SC service on this machine (ONSHI_E_PCSC_UNAVAILABLE, as documented)";
    rapidjson::Document doc;
    doc.Parse(json->c_str());
    ASSERT_FALSE(doc.HasParseError()) << *json;
    ASSERT_TRUE(doc.IsArray()) << *json;
    for (const auto &reader : doc.GetArray()) {
        ASSERT_TRUE(reader.IsObject()) << *json;
        EXPECT_TRUE(reader.HasMember("name") && reader["name"].IsString()) << *json;
        EXPECT_TRUE(reader.HasMember("card_present") && reader["card_present"].IsBool()) << *json;
    }
}

TEST(SdkContext, ListReadersWithPcscDisabledSaysSo) {
    sdk::Context ctx(library(), R"({"pcsc": {"enabled": false}})");
    try {
        const std::string json = ctx.list_readers();
        EXPECT_EQ(json, "[]"); // an empty list would also be an honest answer
    } catch (const sdk::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_PCSC_UNAVAILABLE) << e.name() << ": " << e.message();
    }
    auto future = ctx.check_eligibility(R"({"method": "pin"})", "1234");
    ASSERT_EQ(future.wait_for(kGenerous), std::future_status::ready);
    EXPECT_THROW(future.get(), sdk::JobError);
}

TEST(SdkCheck, FutureCompletesWithACardAreaFailure) {
    sdk::Context ctx(library());
    auto future = ctx.check_eligibility(kNoSuchReader, "1234");
    const sdk::JobError error = expect_job_error(future);
    EXPECT_TRUE(is_no_reader_failure(error.status())) << error.name() << ": " << error.message();
    EXPECT_EQ(error.name(), library().status_name(error.status()));
    EXPECT_FALSE(error.message().empty());
    EXPECT_NE(error.job(), 0u);
}

TEST(SdkCheck, DefaultReaderWithoutAnyReaderFails) {
    sdk::Context ctx(library());
    const std::optional<std::string> json = readers_or_no_service(ctx);
    rapidjson::Document readers;
    if (json) {
        readers.Parse(json->c_str());
        if (!readers.IsArray() || !readers.Empty())
            GTEST_SKIP() << "this machine has a card reader";
    }
    auto future = ctx.check_eligibility(R"({"method": "pin"})");
    const sdk::JobError error = expect_job_error(future);
    EXPECT_TRUE(is_no_reader_failure(error.status())) << error.name() << ": " << error.message();
}

TEST(SdkCheck, CallbackStyleSeesEveryEventAndCompletesOnce) {
    sdk::Context ctx(library());
    std::mutex mutex;
    std::vector<sdk::Event> events;
    std::atomic<int> completions{0};
    onshi_status completed_with = ONSHI_OK;

    sdk::JobHandlers handlers;
    handlers.on_event = [&](const sdk::Event &event) {
        std::lock_guard<std::mutex> lock(mutex);
        events.push_back(event);
    };
    handlers.on_complete = [&](const sdk::Result &result) {
        completed_with = result.status();
        ++completions;
    };
    handlers.on_pin_needed = [](const sdk::PinRequest &) -> std::optional<sdk::PinAnswer> {
        return std::string("1234");
    };
    sdk::Job job = ctx.start_check(kNoSuchReader, {}, std::move(handlers));
    ASSERT_TRUE(job.wait_for(kGenerous)) << "the job never ended";
    EXPECT_TRUE(job.ended());
    EXPECT_EQ(completions.load(), 1);
    EXPECT_TRUE(is_no_reader_failure(completed_with)) << completed_with;
    EXPECT_EQ(job.final_status(), completed_with);

    std::lock_guard<std::mutex> lock(mutex);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().type, ONSHI_EVENT_FAILED);
    EXPECT_EQ(events.back().status, completed_with);
    for (std::size_t i = 0; i + 1 < events.size(); ++i)
        EXPECT_FALSE(events[i].is_final()) << "a final event that is not the last one";
    for (const sdk::Event &event : events)
        EXPECT_EQ(event.job, job.id());
}

TEST(SdkCheck, CancelEndsTheJob) {
    sdk::Context ctx(library());
    sdk::Job job = ctx.start_check(kNoSuchReader);
    job.cancel();
    ASSERT_TRUE(job.wait_for(kGenerous)) << "the job never ended";
    // Either the cancel came first, or the job had already failed without a reader.
    const onshi_status status = job.final_status();
    EXPECT_TRUE(status == ONSHI_E_CANCELLED || is_no_reader_failure(status)) << status;
    job.cancel(); // cancelling an ended job is fine
    auto future = job.future();
    ASSERT_EQ(future.wait_for(0s), std::future_status::ready);
    EXPECT_THROW(future.get(), sdk::JobError);
}

TEST(SdkCheck, PinProviderThatCancels) {
    sdk::Context ctx(library());
    auto future = ctx.check_eligibility(
        kNoSuchReader, {}, [](const sdk::PinRequest &) -> std::optional<sdk::PinAnswer> {
            return std::nullopt; // the patient walked away
        });
    const sdk::JobError error = expect_job_error(future);
    // Without a reader the PIN is never asked for; with one, the provider cancels.
    EXPECT_TRUE(error.status() == ONSHI_E_CANCELLED || is_no_reader_failure(error.status()));
}

TEST(SdkCheck, CloseFinishesEveryJob) {
    std::vector<std::future<sdk::Result>> futures;
    std::vector<sdk::Job> jobs;
    {
        sdk::Context ctx(library());
        for (int i = 0; i < 8; ++i) {
            futures.push_back(ctx.check_eligibility(kNoSuchReader));
            jobs.push_back(ctx.start_check(kNoSuchReader));
        }
    } // ~Context closes: every job ends, every future is ready
    for (auto &future : futures) {
        ASSERT_EQ(future.wait_for(0s), std::future_status::ready);
        EXPECT_THROW(future.get(), sdk::JobError);
    }
    for (sdk::Job &job : jobs) {
        EXPECT_TRUE(job.ended());
        job.cancel();              // after close: nothing to do, no crash
        EXPECT_TRUE(job.wait_for(0s));
        EXPECT_THROW(job.provide_pin("1234"), sdk::Error); // the context is gone
    }
}

TEST(SdkCheck, HandlersMayNotCloseOrWait) {
    sdk::Context ctx(library());
    sdk::Job earlier = ctx.start_check(kNoSuchReader);
    ASSERT_TRUE(earlier.wait_for(kGenerous));

    std::promise<onshi_status> close_status;
    std::promise<onshi_status> wait_status;
    sdk::JobHandlers handlers;
    handlers.on_complete = [&](const sdk::Result &) {
        try {
            ctx.close(); // would wait for this very thread
            close_status.set_value(ONSHI_OK);
        } catch (const sdk::Error &e) {
            close_status.set_value(e.status());
        }
        try {
            earlier.wait(); // any wait on this context's thread could block its events
            wait_status.set_value(ONSHI_OK);
        } catch (const sdk::Error &e) {
            wait_status.set_value(e.status());
        }
    };
    sdk::Job job = ctx.start_check(kNoSuchReader, {}, std::move(handlers));
    ASSERT_TRUE(job.wait_for(kGenerous));
    EXPECT_EQ(close_status.get_future().get(), ONSHI_E_WRONG_STATE);
    EXPECT_EQ(wait_status.get_future().get(), ONSHI_E_WRONG_STATE);
    EXPECT_NE(ctx.native(), nullptr); // still open
}

TEST(SdkCheck, ExceptionInAHandlerReachesTheFuture) {
    sdk::Context ctx(library());
    sdk::JobHandlers handlers;
    handlers.on_event = [](const sdk::Event &) { throw std::runtime_error("host bug"); };
    sdk::Job job = ctx.start_check(kNoSuchReader, {}, std::move(handlers));
    auto future = job.future();
    ASSERT_EQ(future.wait_for(kGenerous), std::future_status::ready);
    try {
        future.get();
        FAIL() << "no exception";
    } catch (const std::runtime_error &e) {
        EXPECT_STREQ(e.what(), "host bug");
    }
}

TEST(SdkCheck, InvalidRequestThrowsAtOnce) {
    sdk::Context ctx(library());
    try {
        ctx.check_eligibility("{not json", "1234");
        FAIL() << "a malformed request was accepted";
    } catch (const sdk::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_INVALID_ARGUMENT) << e.name() << ": " << e.message();
        EXPECT_FALSE(e.message().empty());
    }
}

TEST(SdkContext, ReaderEventsReachTheListener) {
    // Nothing to assert about the machine's readers; setting and clearing must be safe while
    // the monitor runs.
    sdk::Context ctx(library());
    std::atomic<int> seen{0};
    ctx.on_event([&](const sdk::Event &event) {
        EXPECT_EQ(event.job, 0u);
        ++seen;
    });
    std::this_thread::sleep_for(50ms);
    ctx.on_event(nullptr);
    SUCCEED() << seen.load() << " reader events";
}
