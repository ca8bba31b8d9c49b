#include "gateway/face_export.h"

#include "util/error.h"
#include "util/local_time.h"
#include "util/new_file.h"

#include <pugixml.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <sstream>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#else
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace onshi::gateway {
namespace {

[[noreturn]] void fail(const std::string &en, const std::string &ja) {
    throw Error(ONSHI_E_FACE_EXPORT, {"face export: " + en, "顔認証フォルダーへの書き出し: " + ja});
}

std::string_view view(const rapidjson::Value &v) { return {v.GetString(), v.GetStringLength()}; }

// JSON -> elements: an object's members in order, an array as the element repeated, a string as
// its text. The host JSON holds nothing else below XmlMsg (eligibility_result.cpp checks it).
void append(pugi::xml_node parent, std::string_view name, const rapidjson::Value &v) {
    if (v.IsArray()) {
        for (const auto &e : v.GetArray()) append(parent, name, e);
        return;
    }
    pugi::xml_node node = parent.append_child(std::string(name).c_str());
    if (v.IsObject()) {
        for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) append(node, view(it->name), it->value);
    } else if (v.IsString() && v.GetStringLength() > 0) {
        node.append_child(pugi::node_pcdata).set_value(std::string(view(v)).c_str());
    }
}

struct StringWriter : pugi::xml_writer {
    std::string text;
    void write(const void *data, size_t size) override { text.append(static_cast<const char *>(data), size); }
};

#ifdef _WIN32
std::string to_cp932(const std::string &utf8) {
    if (utf8.empty()) return {};
    const int wide = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
    std::wstring w(static_cast<std::size_t>(wide), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), w.data(), wide);
    BOOL lossy = FALSE;
    const int n = WideCharToMultiByte(932, WC_NO_BEST_FIT_CHARS, w.data(), wide, nullptr, 0, nullptr, &lossy);
    if (lossy) fail("a character of the result has no Shift_JIS code; configure \"encoding\": \"utf-8\"",
                    "結果に Shift_JIS にない文字があります(\"encoding\": \"utf-8\" を設定してください)");
    std::string out(static_cast<std::size_t>(n), '\0');
    WideCharToMultiByte(932, WC_NO_BEST_FIT_CHARS, w.data(), wide, out.data(), n, nullptr, nullptr);
    return out;
}
#else
std::string to_cp932(const std::string &utf8) {
    iconv_t cd = iconv_open("CP932", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1))  // NOLINT(performance-no-int-to-ptr): iconv_open's failure value
        fail("the C library cannot convert to Shift_JIS (CP932)", "Shift_JIS (CP932) に変換できません(iconv)");
    std::string out(utf8.size() * 2 + 16, '\0');
    char *in = const_cast<char *>(utf8.data());
    std::size_t in_left = utf8.size();
    char *dst = out.data();
    std::size_t out_left = out.size();
    const std::size_t r = iconv(cd, &in, &in_left, &dst, &out_left);
    iconv_close(cd);
    if (r == static_cast<std::size_t>(-1))
        fail("a character of the result has no Shift_JIS code; configure \"encoding\": \"utf-8\"",
             "結果に Shift_JIS にない文字があります(\"encoding\": \"utf-8\" を設定してください)");
    out.resize(out.size() - out_left);
    return out;
}
#endif

#ifndef _WIN32
std::string system_error_text(int code) { return std::strerror(code); }
#endif

}  // namespace

std::string to_shift_jis(const std::string &utf8) { return to_cp932(utf8); }

bool face_encoding_named(std::string_view name, FaceEncoding &out) {
    if (name == "shift_jis") return out = FaceEncoding::shift_jis, true;
    if (name == "utf-8") return out = FaceEncoding::utf8, true;
    return false;
}

std::string face_file_xml(const rapidjson::Value &result, FaceEncoding encoding) {
    auto xml_msg = result.IsObject() ? result.FindMember("XmlMsg") : rapidjson::Value::ConstMemberIterator{};
    if (!result.IsObject() || xml_msg == result.MemberEnd() || !xml_msg->value.IsObject())
        fail("the result has no XmlMsg", "結果に XmlMsg がありません");
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("XmlMsg");
    for (auto it = xml_msg->value.MemberBegin(); it != xml_msg->value.MemberEnd(); ++it)
        append(root, view(it->name), it->value);
    // The file says its own encoding (docs/eligibility-format.md §Encoding: 0 UTF-8, 1 Shift_JIS).
    const char *cci = encoding == FaceEncoding::shift_jis ? "1" : "0";
    pugi::xml_node header = root.child("MessageHeader");
    if (!header) header = root.prepend_child("MessageHeader");
    pugi::xml_node code = header.child("CharacterCodeIdentifier");
    if (!code) code = header.append_child("CharacterCodeIdentifier");
    code.text().set(cci);

    StringWriter body;
    doc.save(body, "  ", pugi::format_indent | pugi::format_no_declaration, pugi::encoding_utf8);
    const char *declared = encoding == FaceEncoding::shift_jis ? "Shift_JIS" : "UTF-8";
    std::string text = std::string("<?xml version=\"1.0\" encoding=\"") + declared + "\" standalone=\"yes\"?>\r\n";
    // CRLF, as Windows writers of these files do (OQSDrug).
    for (char c : body.text) {
        if (c == '\n') text += '\r';
        text += c;
    }
    return encoding == FaceEncoding::shift_jis ? to_cp932(text) : text;
}

std::string face_file_name(std::chrono::system_clock::time_point when, std::uint32_t n) {
    const std::tm tm = local_time(when);
    char name[96];
    std::snprintf(name, sizeof name, "OQSsiquc01res_face_onshi%06u_%04d%02d%02d%02d%02d%02d.xml", static_cast<unsigned>(n % 1000000),
                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return name;
}

#ifdef _WIN32
std::string write_face_file(const FaceExportConfig &config, std::string_view bytes, std::chrono::system_clock::time_point when) {
    auto wide = [](const std::string &s) {
        const int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
        std::wstring w(static_cast<std::size_t>(n), L'\0');
        MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), w.data(), n);
        return w;
    };
    const std::string dir = config.dir + (config.dir.back() == '/' || config.dir.back() == '\\' ? "" : "\\");
    const std::string temp = dir + ".onshi-face-" + std::to_string(GetCurrentProcessId()) + "-" +
                             std::to_string(std::random_device{}()) + ".tmp";
    // The folder's inherited ACL applies (no explicit security descriptor).
    HANDLE h = CreateFileW(wide(temp).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE)
        fail("cannot create a file in " + config.dir + " (error " + std::to_string(GetLastError()) + ")",
             config.dir + " にファイルを作れません(エラー " + std::to_string(GetLastError()) + ")");
    DWORD written = 0;
    const BOOL ok = WriteFile(h, bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr) && written == bytes.size() &&
                    FlushFileBuffers(h);
    const DWORD error = GetLastError();
    CloseHandle(h);
    if (!ok) {
        DeleteFileW(wide(temp).c_str());  // our own temporary file
        fail("cannot write in " + config.dir + " (error " + std::to_string(error) + ")",
             config.dir + " に書き込めません(エラー " + std::to_string(error) + ")");
    }
    for (std::uint32_t n = 1; n < 1000000; ++n) {
        const std::string name = face_file_name(when, n);
        if (MoveFileExW(wide(temp).c_str(), wide(dir + name).c_str(), MOVEFILE_WRITE_THROUGH)) return name;
        if (GetLastError() != ERROR_ALREADY_EXISTS && GetLastError() != ERROR_FILE_EXISTS) break;
    }
    const DWORD move_error = GetLastError();
    DeleteFileW(wide(temp).c_str());
    fail("cannot move the file into place in " + config.dir + " (error " + std::to_string(move_error) + ")",
         config.dir + " でファイル名を確定できません(エラー " + std::to_string(move_error) + ")");
}
#else
std::string write_face_file(const FaceExportConfig &config, std::string_view bytes, std::chrono::system_clock::time_point when) {
    const std::string dir = config.dir + (config.dir.back() == '/' ? "" : "/");
    // A name no watcher matches: not OQSsiquc01res_*, not *.xml, hidden.
    const std::string temp =
        dir + ".onshi-face-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()) + ".tmp";
    // 0640: readable by the group that runs the receipt program, not by the world.
    int e = write_new_file(temp, bytes, 0640, true);
    if (e != 0)
        fail("cannot write in " + config.dir + ": " + system_error_text(e), config.dir + " に書き込めません: " + system_error_text(e));
    // link() never replaces an existing name: a taken one moves on to the next number.
    for (std::uint32_t n = 1; n < 1000000; ++n) {
        std::string name = face_file_name(when, n);
        if (::link(temp.c_str(), (dir + name).c_str()) == 0) {
            ::unlink(temp.c_str());
            return name;
        }
        if (errno == EEXIST) continue;
        e = errno;
        // Folders without hard links (some network shares): rename, after checking the name is free.
        if (e == EPERM || e == ENOTSUP || e == ENOSYS) {  // ENOTSUP is EOPNOTSUPP on Linux
            struct stat st {};
            if (::lstat((dir + name).c_str(), &st) == 0) continue;
            if (::rename(temp.c_str(), (dir + name).c_str()) == 0) return name;
            e = errno;
        }
        break;
    }
    ::unlink(temp.c_str());
    fail("cannot move the file into place in " + config.dir + ": " + system_error_text(e),
         config.dir + " でファイル名を確定できません: " + system_error_text(e));
}
#endif

}  // namespace onshi::gateway
