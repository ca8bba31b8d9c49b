#include "core/terminal_folder_exchange.h"

#include "gateway/terminal_query.h"
#include "util/error.h"
#include "util/new_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>


namespace onshi::core {
namespace {

namespace fs = std::filesystem;

// Answers are a few KiB; anything much larger is not a 資格確認結果 (the import refuses > 4 MiB).
constexpr std::uintmax_t kMaxAnswerBytes = 8u << 20;

[[noreturn]] void folder_error(const std::string &dir, const std::string &en, const std::string &ja) {
    throw Error(ONSHI_E_TERMINAL_FOLDERS, {"terminal_folders.req " + dir + ": " + en, "terminal_folders.req " + dir + ": " + ja});
}

std::optional<std::string> read_file(const fs::path &path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return std::nullopt;
    if (size > kMaxAnswerBytes) return std::string(kMaxAnswerBytes + 1, '\0');  // too large: the import refuses it
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

void TerminalFolderExchange::post(const std::string &name, std::string_view bytes) const {
    const fs::path dir = fs::u8path(folders_.req);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) folder_error(folders_.req, "is not a folder", "フォルダーがありません");
    const fs::path temp = dir / (".onshi-req-" + std::to_string(std::random_device{}()) + ".tmp");
#ifdef _WIN32
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) folder_error(folders_.req, "cannot create a file", "ファイルを作れません");
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            fs::remove(temp, ec);  // our own temporary file
            folder_error(folders_.req, "cannot write", "書き込めません");
        }
    }
#else
    // 0640: personal data; the terminal's group reads it, the world does not.
    if (const int e = write_new_file(temp.string(), bytes, 0640, false); e != 0)
        folder_error(folders_.req, std::string("cannot write: ") + std::strerror(e), std::string("書き込めません: ") + std::strerror(e));
#endif
    fs::rename(temp, dir / fs::u8path(name), ec);
    if (ec) {
        fs::remove(temp, ec);
        folder_error(folders_.req, "cannot move the request file into place", "照会ファイル名を確定できません");
    }
}

std::optional<TerminalFolderExchange::Answer> TerminalFolderExchange::find_answer(std::string_view id, bool full_scan) const {
    const fs::path dir = fs::u8path(folders_.res);
    const std::string plain = "OQSsiquc01res_" + std::string(id) + ".xml";
    if (auto bytes = read_file(dir / plain)) return Answer{plain, std::move(*bytes)};
    if (!full_scan) return std::nullopt;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::u8string utf8 = it->path().filename().u8string();
        const std::string name(utf8.begin(), utf8.end());
        if (!gateway::is_answer_for(name, id)) continue;
        if (auto bytes = read_file(it->path())) return Answer{name, std::move(*bytes)};
    }
    return std::nullopt;
}

std::optional<std::string> TerminalFolderExchange::reread(const std::string &name) const {
    return read_file(fs::u8path(folders_.res) / fs::u8path(name));
}

void TerminalFolderExchange::withdraw(const std::string &name) const {
    std::error_code ec;
    fs::remove(fs::u8path(folders_.req) / fs::u8path(name), ec);  // gone already: the terminal took it
}

}  // namespace onshi::core
