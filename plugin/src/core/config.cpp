#include "core/config.h"

#include "util/json.h"

namespace onshi::core {
namespace {

// "/etc/onshi/plugin.json" or "C:\\onshi\\plugin.json": what a developer passes who expects a path.
bool looks_like_a_path(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] == '{' || text[first] == '[') return false;
    return text.find('/') != std::string_view::npos || text.find('\\') != std::string_view::npos ||
           text.find(".json") != std::string_view::npos;
}

}  // namespace

Config Config::parse(std::string_view text) {
    Config c;
    if (text.empty()) return c;
    if (looks_like_a_path(text))
        // The text itself is not echoed: it might hold the credential passphrase.
        throw Error(ONSHI_E_CONFIG, {"onshi_open takes the configuration as JSON text, not a file path: read the "
                                     "file and pass its contents",
                                     "onshi_open には設定ファイルのパスではなく、JSON の文字列（ファイルの内容）を渡してください"});
    rapidjson::Document doc = json::parse(text, "config", ONSHI_E_CONFIG, {.max_bytes = 64 * 1024, .max_depth = 8});
    // The passphrase's copy inside the parsed document is wiped whatever happens below.
    struct WipePassphrase {
        rapidjson::Document &d;
        ~WipePassphrase() {
            if (!d.IsObject()) return;
            auto it = d.FindMember("credential_passphrase");
            if (it != d.MemberEnd() && it->value.IsString())
                secure_wipe(const_cast<char *>(it->value.GetString()), it->value.GetStringLength());
        }
    } wipe{doc};
    json::ObjectReader root(doc, "config", ONSHI_E_CONFIG);

    if (auto locale = root.string("locale", 8)) {
        if (*locale != "ja" && *locale != "en") root.fail("locale", "must be \"ja\" or \"en\"", "\"ja\" または \"en\" を指定してください");
        c.locale = *locale;
    }
    if (auto n = root.integer("max_jobs", 1, 1'000'000)) c.max_jobs = static_cast<std::size_t>(*n);
    if (auto ms = root.integer("pin_timeout_ms", 1'000, 3'600'000)) c.pin_timeout = std::chrono::milliseconds(*ms);
    if (auto ms = root.integer("card_wait_ms", 0, 600'000)) c.card_wait = std::chrono::milliseconds(*ms);
    if (const rapidjson::Value *log = root.object("log")) {
        json::ObjectReader r(*log, "config.log", ONSHI_E_CONFIG);
        if (auto file = r.string("file", 4096)) c.log_file = *file;
        if (auto level = r.string("level", 16)) {
            bool ok = false;
            c.log_level = parse_log_level(*level, &ok);
            if (!ok) r.fail("level", "must be off, error, warn, info or debug", "off, error, warn, info, debug のいずれかを指定してください");
        }
        r.finish();
    }
    if (const rapidjson::Value *pcsc = root.object("pcsc")) {
        json::ObjectReader r(*pcsc, "config.pcsc", ONSHI_E_CONFIG);
        if (auto enabled = r.boolean("enabled")) c.pcsc_enabled = *enabled;
        if (auto identify = r.boolean("identify_cards")) c.identify_cards = *identify;
        r.finish();
    }
    if (const rapidjson::Value *gateway = root.object("gateway")) {
        c.gateway_json = json::serialize(*gateway);
        c.gateway = gateway::GatewayConfig::parse(*gateway);
    }
    if (auto dir = root.string("credential_dir", 4096)) c.credential_dir = *dir;
    if (const rapidjson::Value *pass = root.any("credential_passphrase")) {
        if (!pass->IsString() || pass->GetStringLength() < 8 || pass->GetStringLength() > 1024)
            root.fail("credential_passphrase", "must be a string of 8 to 1024 bytes", "8〜1024バイトの文字列を指定してください");
        c.credential_passphrase = std::make_shared<const SecureBuffer>(pass->GetString(), pass->GetStringLength());
        if (c.credential_dir.empty())
            root.fail("credential_passphrase", "needs credential_dir", "credential_dir と一緒に指定してください");
    }
    if (const rapidjson::Value *face = root.object("face_export")) {
        json::ObjectReader r(*face, "config.face_export", ONSHI_E_CONFIG);
        if (auto dir = r.string("dir", 4096)) c.face_export.dir = *dir;
        if (c.face_export.dir.empty()) r.fail("dir", "is required (the receipt program's face folder)",
                                              "必須です(レセコンが読む face フォルダー)");
        if (auto encoding = r.string("encoding", 16))
            if (!gateway::face_encoding_named(*encoding, c.face_export.encoding))
                r.fail("encoding", "must be \"shift_jis\" or \"utf-8\"", "\"shift_jis\" または \"utf-8\" を指定してください");
        r.finish();
    }
    if (const rapidjson::Value *watch = root.object("face_watch")) {
        json::ObjectReader r(*watch, "config.face_watch", ONSHI_E_CONFIG);
        FaceWatchConfig &w = c.face_watch;
        if (auto dir = r.string("dir", 4096)) w.dir = *dir;
        if (w.dir.empty()) r.fail("dir", "is required (the folder the 資格確認結果 files arrive in)",
                                  "必須です(資格確認結果ファイルが届くフォルダー)");
        if (auto mode = r.string("mode", 16))
            if (!face_watch_mode_named(*mode, w.mode))
                r.fail("mode", "must be \"auto\", \"notify\" or \"poll\"", "\"auto\"、\"notify\"、\"poll\" のいずれかを指定してください");
        if (auto ms = r.integer("poll_ms", 100, 60'000)) w.poll_interval = std::chrono::milliseconds(*ms);
        if (auto bytes = r.integer("max_file_bytes", 4096, 4 << 20)) w.max_file_bytes = static_cast<std::uint64_t>(*bytes);
        if (auto state = r.string("state", 4096)) w.state_file = *state;
        if (auto to = r.string("move_processed_to", 4096)) w.move_processed_to = *to;
        if (!w.move_processed_to.empty() && w.move_processed_to == w.dir)
            r.fail("move_processed_to", "must be another folder than dir", "dir とは別のフォルダーを指定してください");
        r.finish();
    }
    if (const rapidjson::Value *folders = root.object("terminal_folders")) {
        json::ObjectReader r(*folders, "config.terminal_folders", ONSHI_E_CONFIG);
        if (auto req = r.string("req", 4096)) c.terminal_folders.req = *req;
        if (auto res = r.string("res", 4096)) c.terminal_folders.res = *res;
        if (c.terminal_folders.req.empty()) r.fail("req", "is required (the terminal's request folder)", "必須です(資格確認端末の req フォルダー)");
        if (c.terminal_folders.res.empty()) r.fail("res", "is required (the terminal's answer folder)", "必須です(資格確認端末の res フォルダー)");
        if (auto ms = r.integer("timeout_ms", 100, 600'000)) c.terminal_folders.timeout = std::chrono::milliseconds(*ms);
        if (auto code = r.string("medical_institution_code", 10)) {
            if (code->size() != 10 || code->find_first_not_of("0123456789") != std::string::npos)
                r.fail("medical_institution_code", "must be 10 digits", "10桁の数字を指定してください");
            c.terminal_folders.institution_code = *code;
        }
        r.finish();
    }
    if (auto store = root.string("key_store", 16)) {
        if (*store != "file" && *store != "tpm")
            root.fail("key_store", "must be \"file\" or \"tpm\"", "\"file\" か \"tpm\" を指定してください");
        c.key_store_tpm = *store == "tpm";
#ifdef _WIN32
        if (c.key_store_tpm)
            root.fail("key_store", "\"tpm\" is not available on Windows yet (docs/windows.md)",
                      "\"tpm\" は Windows ではまだ使えません(docs/windows.md)");
#endif
        if (c.key_store_tpm && c.credential_passphrase)
            root.fail("key_store", "\"tpm\" keeps no key file to encrypt: remove credential_passphrase",
                      "\"tpm\" では暗号化する鍵ファイルがありません。credential_passphrase を外してください");
        if (c.key_store_tpm && c.credential_dir.empty())
            root.fail("key_store", "needs credential_dir", "credential_dir と一緒に指定してください");
    }
    root.finish();
    // After credential_dir is known: the watcher's default state lives there.
    if (!c.face_watch.dir.empty() && c.face_watch.state_file.empty()) {
        c.face_watch.state_file = default_face_watch_state(c.face_watch.dir, c.credential_dir);
        if (c.face_watch.state_file.empty())
            throw Error(ONSHI_E_CONFIG, {"config.face_watch.state: is required when there is no credential_dir (the file "
                                         "that remembers which results were delivered)",
                                         "config.face_watch.state: credential_dir がない場合は必須です(配信済みの結果を"
                                         "記録するファイル)"});
    }
    return c;
}

}  // namespace onshi::core
