// The 個別照会 job (core/insurance_check.h) against real folders and a scripted terminal thread:
// the answer becomes the result; timeout and cancel remove the job's own request file and nothing
// else; an answer written in place in two parts is read once complete.
#include "core/insurance_check.h"
#include "fakes.h"
#include "gateway/terminal_query.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace onshi::core {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using onshi::test::RecordingSink;

const char *const kAnswer =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader>"
    "<ProcessExecutionTime>20261205101010</ProcessExecutionTime><QualificationConfirmationDate>20261205</QualificationConfirmationDate>"
    "<ReferenceClassification>2</ReferenceClassification><SegmentOfResult>1</SegmentOfResult>"
    "<CharacterCodeIdentifier>0</CharacterCodeIdentifier></MessageHeader><MessageBody>"
    "<ProcessingResultStatus>1</ProcessingResultStatus><QualificationValidity>1</QualificationValidity>"
    "<ResultList><ResultOfQualificationConfirmation><InsuredCardClassification>01</InsuredCardClassification>"
    "<InsurerNumber>06130488</InsurerNumber><Birthdate>19800217</Birthdate>"
    "</ResultOfQualificationConfirmation></ResultList></MessageBody></XmlMsg>";

class InsuranceCheck : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("onshi-insurance-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        fs::create_directories(root_ / "req");
        fs::create_directories(root_ / "res");
        folders_.req = (root_ / "req").string();
        folders_.res = (root_ / "res").string();
        // Files of others in both folders: nothing the job does may touch them.
        std::ofstream(root_ / "req" / "OQSsiquc01req_other.xml") << "x";
        std::ofstream(root_ / "res" / "OQSsiquc01res_other.xml") << "x";
    }
    void TearDown() override { fs::remove_all(root_); }

    // Runs the procedure on this thread as the context would.
    std::pair<onshi_status, std::shared_ptr<const JobResult>> run(Job &job, const std::string &id,
                                                                  std::chrono::milliseconds timeout) {
        auto procedure = make_insurance_check_procedure(TerminalFolderExchange(folders_), id, "<request/>", timeout, nullptr,
                                                        {1ms, 20ms, 100ms});
        job.start();
        try {
            return {ONSHI_OK, procedure(job)};
        } catch (const Error &e) {
            return {e.status(), nullptr};
        }
    }
    bool others_untouched() const {
        return fs::exists(root_ / "req" / "OQSsiquc01req_other.xml") && fs::exists(root_ / "res" / "OQSsiquc01res_other.xml");
    }

    fs::path root_;
    TerminalFoldersConfig folders_;
    RecordingSink sink_;
};

TEST_F(InsuranceCheck, TheAnswerBecomesTheResult) {
    Job job(1, sink_, "en");
    std::thread terminal([&] {
        while (!fs::exists(root_ / "req" / "OQSsiquc01req_q1.xml")) std::this_thread::sleep_for(1ms);
        std::ofstream(root_ / "res" / "OQSsiquc01res_q1_20261205101010.xml") << kAnswer;
    });
    auto [status, result] = run(job, "q1", 5000ms);
    terminal.join();
    ASSERT_EQ(status, ONSHI_OK);
    EXPECT_NE(result->json().find("\"source\":\"terminal\""), std::string::npos) << result->json();
    EXPECT_TRUE(others_untouched());
}

TEST_F(InsuranceCheck, TimeoutRemovesOnlyItsOwnRequest) {
    Job job(1, sink_, "en");
    auto [status, result] = run(job, "q2", 50ms);
    EXPECT_EQ(status, ONSHI_E_TERMINAL_NO_ANSWER);
    EXPECT_FALSE(fs::exists(root_ / "req" / "OQSsiquc01req_q2.xml"));
    EXPECT_TRUE(others_untouched());
}

TEST_F(InsuranceCheck, CancelRemovesOnlyItsOwnRequest) {
    Job job(1, sink_, "en");
    std::thread host([&] {
        while (!fs::exists(root_ / "req" / "OQSsiquc01req_q3.xml")) std::this_thread::sleep_for(1ms);
        job.cancel();
    });
    const auto t0 = std::chrono::steady_clock::now();
    auto [status, result] = run(job, "q3", 10000ms);
    host.join();
    EXPECT_EQ(status, ONSHI_E_CANCELLED);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5000ms);
    EXPECT_FALSE(fs::exists(root_ / "req" / "OQSsiquc01req_q3.xml"));
    EXPECT_TRUE(others_untouched());
}

TEST_F(InsuranceCheck, AnAnswerWrittenInPiecesIsReadWhenComplete) {
    Job job(1, sink_, "en");
    std::thread terminal([&] {
        while (!fs::exists(root_ / "req" / "OQSsiquc01req_q4.xml")) std::this_thread::sleep_for(1ms);
        const std::string all = kAnswer;
        std::ofstream out(root_ / "res" / "OQSsiquc01res_q4.xml", std::ios::binary);
        out << all.substr(0, all.size() / 2) << std::flush;
        std::this_thread::sleep_for(30ms);
        out << all.substr(all.size() / 2) << std::flush;
    });
    auto [status, result] = run(job, "q4", 5000ms);
    terminal.join();
    EXPECT_EQ(status, ONSHI_OK);
}

TEST_F(InsuranceCheck, AHalfFileThatStaysHalfIsATerminalAnswerError) {
    Job job(1, sink_, "en");
    std::thread terminal([&] {
        while (!fs::exists(root_ / "req" / "OQSsiquc01req_q5.xml")) std::this_thread::sleep_for(1ms);
        std::ofstream(root_ / "res" / "OQSsiquc01res_q5.xml") << std::string(kAnswer).substr(0, 120);
    });
    auto [status, result] = run(job, "q5", 5000ms);
    terminal.join();
    EXPECT_EQ(status, ONSHI_E_TERMINAL_ANSWER);
}

TEST_F(InsuranceCheck, AMissingReqFolderIsTerminalFolders) {
    folders_.req = (root_ / "nope").string();
    Job job(1, sink_, "en");
    auto [status, result] = run(job, "q6", 50ms);
    EXPECT_EQ(status, ONSHI_E_TERMINAL_FOLDERS);
}

TEST(InsuranceQueryId, IdsAreUniqueAndPlain) {
    const std::string a = new_query_id(), b = new_query_id();
    EXPECT_NE(a, b);
    for (char c : a) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << a;
    // One run of digits, the 14-digit time stamp, then letters only.
    EXPECT_EQ(a.find_first_not_of("0123456789"), 14u) << a;
    EXPECT_EQ(a.find_first_of("0123456789", 14), std::string::npos) << a;
}

}  // namespace
}  // namespace onshi::core
