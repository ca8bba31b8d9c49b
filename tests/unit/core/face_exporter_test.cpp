// The face export as the core runs it: after DONE, one event per check, a failure that is an event
// and a log line and never touches the job.
#include "core/face_exporter.h"
#include "fakes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using onshi::core::Event;
using onshi::core::FaceExporter;
using onshi::core::JobResult;
using onshi::gateway::FaceEncoding;

const std::string kResult =
    R"({"verdict":"eligible","XmlMsg":{"MessageHeader":{"SegmentOfResult":"1","CharacterCodeIdentifier":"0"},)"
    R"("MessageBody":{"ProcessingResultStatus":"1","QualificationValidity":"1","ResultList":)"
    R"({"ResultOfQualificationConfirmation":[{"Name":"試験　太郎","InsurerNumber":"  138057"}]}}},"labels":{}})";

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("onshi-face-exporter-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

TEST(FaceExporter, WritesTheResultAndSaysSoWithTheFileName) {
    TempDir dir;
    onshi::test::RecordingSink sink;
    onshi::Logger logger;
    const auto when = std::chrono::system_clock::from_time_t(1'796'000'000);
    FaceExporter exporter({dir.path.string(), FaceEncoding::shift_jis}, sink, logger, "en", [when] { return when; });
    exporter.submit(7, JobResult::from_json(kResult));
    exporter.stop_and_join();
    const auto events = sink.events();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].type, ONSHI_EVENT_FACE_EXPORTED);
    EXPECT_EQ(events[0].job, 7u);
    EXPECT_EQ(events[0].status, ONSHI_OK);
    EXPECT_EQ(events[0].text, onshi::gateway::face_file_name(when, 1));
    std::ifstream in(dir.path / events[0].text, std::ios::binary);
    const std::string file{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_NE(file.find("<InsurerNumber>  138057</InsurerNumber>"), std::string::npos) << "padding kept";
    EXPECT_NE(file.find("<CharacterCodeIdentifier>1</CharacterCodeIdentifier>"), std::string::npos);
}

TEST(FaceExporter, AFailureIsAnEventWithTheReasonNeverAnException) {
    TempDir dir;
    onshi::test::RecordingSink sink;
    const fs::path log = dir.path / "onshi.log";
    onshi::Logger logger(log.string(), onshi::LogLevel::info);
    FaceExporter exporter({(dir.path / "no-such-folder").string(), FaceEncoding::shift_jis}, sink, logger, "en");
    const Event e = exporter.export_now(3, *JobResult::from_json(kResult));
    EXPECT_EQ(e.type, ONSHI_EVENT_FACE_EXPORTED);
    EXPECT_EQ(e.status, ONSHI_E_FACE_EXPORT);
    EXPECT_NE(e.text.find("no-such-folder"), std::string::npos) << e.text;
    ASSERT_EQ(sink.events().size(), 1u);
    std::ifstream in(log);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_NE(text.find("job 3 not exported"), std::string::npos) << text;
    EXPECT_EQ(text.find("試験"), std::string::npos) << "no personal data in the log";
    EXPECT_EQ(text.find("138057"), std::string::npos) << "no personal data in the log";
}

TEST(FaceExporter, AResultWithoutTheOfficialPartIsAFailureToo) {
    TempDir dir;
    onshi::test::RecordingSink sink;
    onshi::Logger logger;
    FaceExporter exporter({dir.path.string(), FaceEncoding::utf8}, sink, logger, "ja");
    EXPECT_EQ(exporter.export_now(1, *JobResult::from_json(R"({"enrolled":true})")).status, ONSHI_E_FACE_EXPORT);
    EXPECT_TRUE(fs::is_empty(dir.path));
}

}  // namespace
