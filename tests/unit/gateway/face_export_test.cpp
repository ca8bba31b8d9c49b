// The face-folder export: the file a watcher of the `face` folder reads, written so that it never
// sees half a file, and read back by onshi's own import as the same result.
#include "gateway/face_export.h"
#include "gateway/xml_result_import.h"
#include "util/error.h"
#include "util/json.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#ifndef ONSHI_TEST_XML_DIR
#error "ONSHI_TEST_XML_DIR must name tests/data/xml"
#endif

namespace {

namespace fs = std::filesystem;
using onshi::gateway::face_file_name;
using onshi::gateway::face_file_xml;
using onshi::gateway::FaceEncoding;
using onshi::gateway::FaceExportConfig;
using onshi::gateway::result_json_from_xml;
using onshi::gateway::write_face_file;

std::string read(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

rapidjson::Document parse(const std::string &json) {
    return onshi::json::parse(json, "test", ONSHI_E_INTERNAL, {.max_bytes = 16u << 20, .max_depth = 64});
}

// XmlMsg without CharacterCodeIdentifier, which the export sets to the file's own encoding.
std::string official_without_encoding(const std::string &host_json) {
    rapidjson::Document doc = parse(host_json);
    doc["XmlMsg"]["MessageHeader"].RemoveMember("CharacterCodeIdentifier");
    return onshi::json::serialize(doc["XmlMsg"]);
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("onshi-face-export-" + std::to_string(::getpid()) + "-" +
                                                 std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

const auto kWhen = std::chrono::system_clock::from_time_t(1'796'000'000);  // a fixed instant

TEST(FaceExport, EveryProcessedFixtureComesBackAsTheSameResultInBothEncodings) {
    int files = 0;
    for (const auto &entry : fs::directory_iterator(ONSHI_TEST_XML_DIR)) {
        std::string original;
        try {
            original = result_json_from_xml(read(entry.path()));
        } catch (const onshi::Error &) {
            continue;  // a file that says it was not processed is never exported
        }
        SCOPED_TRACE(entry.path().filename().string());
        const rapidjson::Document host = parse(original);
        for (FaceEncoding encoding : {FaceEncoding::shift_jis, FaceEncoding::utf8}) {
            const std::string file = face_file_xml(host, encoding);
            const std::string back = result_json_from_xml(file);
            EXPECT_EQ(official_without_encoding(back), official_without_encoding(original));
            EXPECT_STREQ(parse(back)["XmlMsg"]["MessageHeader"]["CharacterCodeIdentifier"].GetString(),
                         encoding == FaceEncoding::shift_jis ? "1" : "0");
            EXPECT_EQ(parse(back)["verdict"], parse(original)["verdict"]);
        }
        ++files;
    }
    EXPECT_GE(files, 6);
}

TEST(FaceExport, ShiftJisIsDeclaredAndReallyShiftJis) {
    const rapidjson::Document host = parse(result_json_from_xml(read(fs::path(ONSHI_TEST_XML_DIR) / "kourei70_shiftjis.xml")));
    const std::string file = face_file_xml(host, FaceEncoding::shift_jis);
    EXPECT_EQ(file.rfind("<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"yes\"?>\r\n<XmlMsg>\r\n", 0), 0u);
    EXPECT_EQ(onshi::gateway::invalid_utf8_at(file) == std::string::npos, false) << "kanji in CP932 are not UTF-8";
    EXPECT_NE(file.find("\x92\xb7\x8e\xf5"), std::string::npos);  // 長寿 in Shift_JIS
    EXPECT_EQ(file.find("photo"), std::string::npos);
    EXPECT_EQ(file.find("verdict"), std::string::npos);  // onshi's own members stay out
    EXPECT_EQ(file.find("labels"), std::string::npos);
}

TEST(FaceExport, ACharacterWithoutAShiftJisCodeFailsLoudlyNotSilently) {
    const rapidjson::Document host =
        parse(R"({"XmlMsg":{"MessageHeader":{"SegmentOfResult":"1"},"MessageBody":{"Name":"𠮷田　太郎"}}})");
    try {
        face_file_xml(host, FaceEncoding::shift_jis);
        ADD_FAILURE() << "a name was changed or dropped on the way to Shift_JIS";
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_FACE_EXPORT);
        EXPECT_NE(e.detail().en.find("utf-8"), std::string::npos);
        EXPECT_EQ(e.detail().en.find("田"), std::string::npos);  // never the value
    }
    EXPECT_NE(face_file_xml(host, FaceEncoding::utf8).find("𠮷田"), std::string::npos);
}

TEST(FaceExport, NamesArePublicWatchersNamesAndLocalTime) {
    const std::string name = face_file_name(kWhen, 7);
    // The glob every watcher uses, and the stricter pattern with a 14-digit time stamp
    // (docs/folder-interface.md §The folders).
    EXPECT_TRUE(std::regex_match(name, std::regex(R"(OQSsiquc01res_face_.*\.xml)")));
    std::smatch m;
    ASSERT_TRUE(std::regex_match(name, m, std::regex(R"(OQSsiquc01res_face_.+_(\d{14})\.xml)"))) << name;
    const std::time_t t = std::chrono::system_clock::to_time_t(kWhen);
    std::tm tm{};
    localtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    EXPECT_EQ(m[1].str(), stamp);
    EXPECT_NE(face_file_name(kWhen, 8), name);
}

TEST(FaceExport, WritesOwnerAndGroupReadableFilesAndLeavesNoTemporaryFile) {
    TempDir dir;
    const FaceExportConfig config{dir.path.string(), FaceEncoding::shift_jis};
    const std::string first = write_face_file(config, "<XmlMsg/>", kWhen);
    const std::string second = write_face_file(config, "<XmlMsg>2</XmlMsg>", kWhen);
    EXPECT_EQ(first, face_file_name(kWhen, 1));
    EXPECT_EQ(second, face_file_name(kWhen, 2));  // same second: the next number, never the same name
    EXPECT_EQ(read(dir.path / first), "<XmlMsg/>");
    struct stat st {};
    ASSERT_EQ(::stat((dir.path / first).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
    int entries = 0;
    for (const auto &e : fs::directory_iterator(dir.path)) {
        ++entries;
        EXPECT_EQ(e.path().filename().string().rfind("OQSsiquc01res_face_", 0), 0u) << e.path();
    }
    EXPECT_EQ(entries, 2);
}

TEST(FaceExport, NeverReplacesAFileThatIsThere) {
    TempDir dir;
    const FaceExportConfig config{dir.path.string(), FaceEncoding::utf8};
    std::ofstream(dir.path / face_file_name(kWhen, 1)) << "the terminal's own";
    const std::string name = write_face_file(config, "ours", kWhen);
    EXPECT_EQ(name, face_file_name(kWhen, 2));
    EXPECT_EQ(read(dir.path / face_file_name(kWhen, 1)), "the terminal's own");
}

TEST(FaceExport, AFolderThatIsNotThereOrNoFolderSaysWhere) {
    TempDir dir;
    for (const fs::path &bad : {dir.path / "missing", dir.path / "a-file"}) {
        if (bad.filename() == "a-file") std::ofstream(bad) << "x";
        try {
            write_face_file({bad.string(), FaceEncoding::shift_jis}, "<XmlMsg/>", kWhen);
            ADD_FAILURE() << bad;
        } catch (const onshi::Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_FACE_EXPORT);
            EXPECT_NE(e.detail().en.find(bad.string()), std::string::npos) << e.detail().en;
        }
    }
}

}  // namespace
