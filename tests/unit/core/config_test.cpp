#include "core/config.h"
#include "util/error.h"

#include <gtest/gtest.h>

using onshi::Error;
using onshi::core::Config;

namespace {

onshi_status status_of(const char *json, std::string *message = nullptr) {
    try {
        Config::parse(json);
    } catch (const Error &e) {
        if (message) *message = e.message("en");
        return e.status();
    }
    return ONSHI_OK;
}

TEST(Config, EmptyGivesDefaults) {
    Config c = Config::parse("");
    EXPECT_EQ(c.locale, "ja");
    EXPECT_EQ(c.max_jobs, 1024u);
    EXPECT_TRUE(c.pcsc_enabled);
    EXPECT_EQ(Config::parse("{}").pin_timeout, std::chrono::milliseconds(120000));
}

TEST(Config, APathInsteadOfJsonTextSaysSo) {
    for (const char *path : {"/etc/onshi/plugin.json", "C:\\onshi\\plugin.json", "plugin.json"}) {
        std::string message;
        EXPECT_EQ(status_of(path, &message), ONSHI_E_CONFIG) << path;
        EXPECT_NE(message.find("JSON text, not a file path"), std::string::npos) << message;
    }
    std::string message;
    EXPECT_EQ(status_of("{not json", &message), ONSHI_E_CONFIG);
    EXPECT_EQ(message.find("file path"), std::string::npos) << "JSON that is broken is not a path: " << message;
}

TEST(Config, ReadsEveryKnownKey) {
    Config c = Config::parse(R"({"locale":"en","max_jobs":5,"pin_timeout_ms":2000,"card_wait_ms":300,
        "log":{"file":"/tmp/x.log","level":"debug"},"pcsc":{"enabled":false,"identify_cards":false},
        "gateway":{"url":"https://127.0.0.1:8443","ca_file":")" + std::string(ONSHI_TEST_SOURCE_FILE) + R"("},"credential_dir":"/var/lib/onshi"})");
    EXPECT_EQ(c.locale, "en");
    EXPECT_EQ(c.max_jobs, 5u);
    EXPECT_EQ(c.pin_timeout, std::chrono::milliseconds(2000));
    EXPECT_EQ(c.card_wait, std::chrono::milliseconds(300));
    EXPECT_EQ(c.log_file, "/tmp/x.log");
    EXPECT_EQ(c.log_level, onshi::LogLevel::debug);
    EXPECT_FALSE(c.pcsc_enabled);
    EXPECT_FALSE(c.identify_cards);
    EXPECT_TRUE(Config::parse("{}").identify_cards) << "arriving cards are identified by default";
    EXPECT_EQ(c.gateway.url, "https://127.0.0.1:8443");
    EXPECT_EQ(c.gateway.ca_file, ONSHI_TEST_SOURCE_FILE);
    EXPECT_EQ(c.gateway.timeout, std::chrono::milliseconds(10000));
    EXPECT_EQ(c.gateway.connect_timeout, std::chrono::milliseconds(3000));
    EXPECT_EQ(c.credential_dir, "/var/lib/onshi");
}

TEST(Config, FaceExportNeedsAFolderAndKnowsTwoEncodings) {
    EXPECT_TRUE(Config::parse("{}").face_export.dir.empty()) << "no export unless configured";
    Config c = Config::parse(R"({"face_export":{"dir":"/srv/oqs/face"}})");
    EXPECT_EQ(c.face_export.dir, "/srv/oqs/face");
    EXPECT_EQ(c.face_export.encoding, onshi::gateway::FaceEncoding::shift_jis) << "Shift_JIS by default";
    EXPECT_EQ(Config::parse(R"({"face_export":{"dir":"D","encoding":"utf-8"}})").face_export.encoding,
              onshi::gateway::FaceEncoding::utf8);
    std::string message;
    EXPECT_EQ(status_of(R"({"face_export":{"encoding":"utf-8"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.face_export.dir"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"face_export":{"dir":"D","encoding":"euc-jp"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("encoding"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"face_export":{"dir":"D","mode":"0644"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.face_export.mode"), std::string::npos) << message;
}

TEST(Config, TerminalFoldersNeedBothFolders) {
    EXPECT_TRUE(Config::parse("{}").terminal_folders.req.empty()) << "no 個別照会 unless configured";
    Config c = Config::parse(R"({"terminal_folders":{"req":"/srv/oqs/req","res":"/srv/oqs/res"}})");
    EXPECT_EQ(c.terminal_folders.req, "/srv/oqs/req");
    EXPECT_EQ(c.terminal_folders.res, "/srv/oqs/res");
    EXPECT_EQ(c.terminal_folders.timeout, std::chrono::milliseconds(30000));
    c = Config::parse(R"({"terminal_folders":{"req":"A","res":"B","timeout_ms":500,"medical_institution_code":"1310000011"}})");
    EXPECT_EQ(c.terminal_folders.timeout, std::chrono::milliseconds(500));
    EXPECT_EQ(c.terminal_folders.institution_code, "1310000011");
    std::string message;
    EXPECT_EQ(status_of(R"({"terminal_folders":{"req":"A"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.terminal_folders.res"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"terminal_folders":{"req":"A","res":"B","timeout_ms":5}})", &message), ONSHI_E_CONFIG);
    EXPECT_EQ(status_of(R"({"terminal_folders":{"req":"A","res":"B","medical_institution_code":"12"}})", &message), ONSHI_E_CONFIG);
    EXPECT_EQ(status_of(R"({"terminal_folders":{"req":"A","res":"B","face":"C"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.terminal_folders.face"), std::string::npos) << message;
}

TEST(Config, UnknownKeyIsNamed) {
    std::string message;
    EXPECT_EQ(status_of(R"({"locle":"en"})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.locle"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"log":{"lvl":"debug"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.log.lvl"), std::string::npos) << message;
}

TEST(Config, WrongTypesAndRangesAreRefused) {
    std::string message;
    EXPECT_EQ(status_of(R"({"max_jobs":"10"})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("must be an integer"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"max_jobs":0})"), ONSHI_E_CONFIG);
    EXPECT_EQ(status_of(R"({"locale":"fr"})"), ONSHI_E_CONFIG);
    EXPECT_EQ(status_of(R"({"log":{"level":"loud"}})"), ONSHI_E_CONFIG);
    EXPECT_EQ(status_of(R"({"pcsc":true})"), ONSHI_E_CONFIG);
    EXPECT_EQ(status_of(R"([1,2])"), ONSHI_E_CONFIG);
}

TEST(Config, MalformedOrHostileJsonIsRefusedCleanly) {
    EXPECT_EQ(status_of("{"), ONSHI_E_CONFIG);
    EXPECT_EQ(status_of("{} trailing"), ONSHI_E_CONFIG);
    EXPECT_EQ(status_of("{\"locale\":\"\xff\xfe\"}"), ONSHI_E_CONFIG);  // not UTF-8
    std::string deep(10000, '[');
    std::string message;
    EXPECT_EQ(status_of(deep.c_str(), &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("nested deeper"), std::string::npos) << message;
    std::string huge = "{\"credential_dir\":\"" + std::string(70000, 'a') + "\"}";
    EXPECT_EQ(status_of(huge.c_str()), ONSHI_E_CONFIG);
}

TEST(Config, MessagesComeInJapaneseToo) {
    try {
        Config::parse(R"({"locale":1})");
        FAIL() << "should throw";
    } catch (const Error &e) {
        EXPECT_NE(e.message("ja").find("文字列"), std::string::npos) << e.message("ja");
    }
}

}  // namespace

namespace {

TEST(Config, GatewayIsValidatedAtOpen) {
    std::string message;
    EXPECT_EQ(status_of(R"({"gateway":{"url":"http://gw.example:8080","ca_file":"/x"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.gateway.url"), std::string::npos) << message;
    EXPECT_NE(message.find("http://"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"gateway":{"url":"https://gw.example"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.gateway.ca_file"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"gateway":{"url":"https://gw.example","ca_file":"/nonexistent/ca.pem"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("cannot be read"), std::string::npos) << message;
    EXPECT_EQ(status_of((R"({"gateway":{"url":"https://gw.example","ca_file":")" + std::string(ONSHI_TEST_SOURCE_FILE) +
                            R"(","timeout":5}})").c_str(), &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.gateway.timeout"), std::string::npos) << message;
    EXPECT_EQ(status_of((R"({"gateway":{"url":"https://gw.example","ca_file":")" + std::string(ONSHI_TEST_SOURCE_FILE) +
                            R"(","pin_sha256":"not base64"}})").c_str(), &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.gateway.pin_sha256"), std::string::npos) << message;
    EXPECT_EQ(status_of((R"({"gateway":{"url":"https://gw.example","ca_file":")" + std::string(ONSHI_TEST_SOURCE_FILE) +
                            R"(","timeout_ms":"10"}})").c_str(), &message), ONSHI_E_CONFIG);
    EXPECT_EQ(status_of((R"({"gateway":{"ca_file":")" + std::string(ONSHI_TEST_SOURCE_FILE) + R"("}})").c_str(), &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.gateway.url"), std::string::npos) << message;
    Config ok = Config::parse(R"({"gateway":{"url":"https://gw.example/base/","ca_file":")" + std::string(ONSHI_TEST_SOURCE_FILE) +
                              R"(","pin_sha256":"sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","timeout_ms":2000,"connect_timeout_ms":500}})");
    EXPECT_EQ(ok.gateway.pin_sha256, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    EXPECT_EQ(ok.gateway.endpoint("/v1/health"), "https://gw.example/base/v1/health");
    EXPECT_EQ(ok.gateway.timeout, std::chrono::milliseconds(2000));
    EXPECT_EQ(ok.gateway.connect_timeout, std::chrono::milliseconds(500));
}

TEST(Config, KeyStoreIsFileOrTpmAndTpmKeepsNoKeyFileToEncrypt) {
    EXPECT_FALSE(Config::parse(R"({"credential_dir":"/x","key_store":"file"})").key_store_tpm);
    EXPECT_FALSE(Config::parse(R"({"credential_dir":"/x"})").key_store_tpm);
#ifndef _WIN32
    EXPECT_TRUE(Config::parse(R"({"credential_dir":"/x","key_store":"tpm"})").key_store_tpm);
#endif
    std::string message;
    EXPECT_EQ(status_of(R"({"credential_dir":"/x","key_store":"hsm"})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("key_store"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"key_store":"tpm"})", &message), ONSHI_E_CONFIG) << "needs credential_dir";
    EXPECT_EQ(status_of(R"({"credential_dir":"/x","key_store":"tpm","credential_passphrase":"12345678"})", &message),
              ONSHI_E_CONFIG);
    EXPECT_NE(message.find("credential_passphrase"), std::string::npos) << message;
}

}  // namespace

TEST(Config, FaceWatchNeedsAFolderAndAPlaceForItsState) {
    EXPECT_TRUE(Config::parse("{}").face_watch.dir.empty()) << "no watcher unless configured";
    Config c = Config::parse(R"({"credential_dir":"/var/lib/onshi","face_watch":{"dir":"/srv/oqs/face"}})");
    EXPECT_EQ(c.face_watch.dir, "/srv/oqs/face");
    EXPECT_EQ(c.face_watch.mode, onshi::core::FaceWatchMode::automatic);
    EXPECT_EQ(c.face_watch.poll_interval, std::chrono::milliseconds(1000));
    EXPECT_TRUE(c.face_watch.move_processed_to.empty()) << "files stay where they are by default";
    EXPECT_EQ(c.face_watch.state_file.rfind("/var/lib/onshi/face_watch-", 0), 0u) << c.face_watch.state_file;
    EXPECT_NE(Config::parse(R"({"credential_dir":"/c","face_watch":{"dir":"/a"}})").face_watch.state_file,
              Config::parse(R"({"credential_dir":"/c","face_watch":{"dir":"/b"}})").face_watch.state_file)
        << "two folders never share a state";
    c = Config::parse(R"({"face_watch":{"dir":"D","mode":"poll","poll_ms":250,"state":"/s/w.state",)"
                      R"("move_processed_to":"/done","max_file_bytes":65536}})");
    EXPECT_EQ(c.face_watch.mode, onshi::core::FaceWatchMode::poll);
    EXPECT_EQ(c.face_watch.poll_interval, std::chrono::milliseconds(250));
    EXPECT_EQ(c.face_watch.state_file, "/s/w.state");
    EXPECT_EQ(c.face_watch.move_processed_to, "/done");
    EXPECT_EQ(c.face_watch.max_file_bytes, 65536u);

    std::string message;
    EXPECT_EQ(status_of(R"({"face_watch":{"mode":"poll","state":"/s"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.face_watch.dir"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"face_watch":{"dir":"D"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("config.face_watch.state"), std::string::npos) << "no credential_dir, no state: " << message;
    EXPECT_EQ(status_of(R"({"face_watch":{"dir":"D","state":"/s","mode":"inotify"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("mode"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"face_watch":{"dir":"D","state":"/s","poll_ms":5}})", &message), ONSHI_E_CONFIG);
    EXPECT_EQ(status_of(R"({"face_watch":{"dir":"D","state":"/s","move_processed_to":"D"}})", &message), ONSHI_E_CONFIG);
    EXPECT_NE(message.find("move_processed_to"), std::string::npos) << message;
    EXPECT_EQ(status_of(R"({"face_watch":{"dir":"D","state":"/s","delete":true}})", &message), ONSHI_E_CONFIG);
}

TEST(Config, FaceWatchTakesOnlyOfficialResultNames) {
    using onshi::core::is_face_result_name;
    EXPECT_TRUE(is_face_result_name("OQSsiquc01res_face_onshi000001_20261205120000.xml"));
    EXPECT_TRUE(is_face_result_name("OQSsiquc01res_1234567890.XML"));
    EXPECT_FALSE(is_face_result_name(".onshi-face-12-345.tmp")) << "the export's temporary name";
    EXPECT_FALSE(is_face_result_name("OQSsiquc01res_face_1.xml.tmp"));
    EXPECT_FALSE(is_face_result_name("OQSsiquc01req_1.xml")) << "a request, not a result";
    EXPECT_FALSE(is_face_result_name("OQSsiquc01res_.xml"));
    EXPECT_FALSE(is_face_result_name("OQSsiquc01res_a\nb.xml"));
}
