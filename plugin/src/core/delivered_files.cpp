#include "core/delivered_files.h"

#include "util/error.h"
#include "util/new_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace onshi::core {
namespace {

std::filesystem::path path_of(const std::string &utf8) {
    return std::filesystem::path(std::u8string(utf8.begin(), utf8.end()));
}

[[noreturn]] void save_error(const std::string &path, const std::string &why) {
    throw Error(ONSHI_E_INTERNAL, {"face_watch: cannot save the state file " + path + " (" + why + ")",
                                   "face_watch: 状態ファイル " + path + " を保存できません(" + why + ")"});
}

#ifdef _WIN32
std::wstring wide(const std::string &utf8) { return path_of(utf8).wstring(); }

void write_durably(const std::string &path, const std::string &bytes) {
    const std::string temp = path + ".tmp";
    HANDLE h = CreateFileW(wide(temp).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) save_error(path, "error " + std::to_string(GetLastError()));
    DWORD written = 0;
    const bool ok = WriteFile(h, bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr) &&
                    written == bytes.size() && FlushFileBuffers(h);
    const DWORD error = GetLastError();
    CloseHandle(h);
    if (!ok) save_error(path, "error " + std::to_string(error));
    if (!MoveFileExW(wide(temp).c_str(), wide(path).c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        save_error(path, "error " + std::to_string(GetLastError()));
}
#else
void write_durably(const std::string &path, const std::string &bytes) {
    const std::string temp = path + ".tmp";
    ::unlink(temp.c_str());  // left by a crash: our own temporary file
    if (const int error = write_new_file(temp, bytes, 0600, true); error != 0) save_error(path, std::strerror(error));
    if (::rename(temp.c_str(), path.c_str()) != 0) save_error(path, std::strerror(errno));
    // The rename itself is durable once the folder is flushed.
    const std::string folder = path_of(path).parent_path().string();
    const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}
#endif

}  // namespace

DeliveredFiles::DeliveredFiles(std::string path) : path_(std::move(path)) {
    std::error_code ec;
    if (!std::filesystem::exists(path_of(path_), ec)) return;
    std::ifstream in(path_of(path_), std::ios::binary);
    if (!in)
        throw Error(ONSHI_E_CONFIG, {"face_watch: cannot read the state file " + path_,
                                     "face_watch: 状態ファイル " + path_ + " を読めません"});
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        FileIdentity file;
        if (!(fields >> file.size >> file.mtime) || fields.get() != ' ') continue;
        std::getline(fields, file.name);
        if (!file.name.empty()) add(file);
    }
}

void DeliveredFiles::add(const FileIdentity &file) {
    if (!set_.insert(file).second) return;
    order_.push_back(file);
    while (order_.size() > kMaxEntries) {
        set_.erase(order_.front());
        order_.pop_front();
    }
}

void DeliveredFiles::forget(const FileIdentity &file) {
    if (set_.erase(file) == 0) return;
    order_.erase(std::find(order_.begin(), order_.end(), file));
}

void DeliveredFiles::save() const {
    std::string bytes;
    bytes.reserve(order_.size() * 64);
    for (const FileIdentity &file : order_)
        bytes += std::to_string(file.size) + ' ' + std::to_string(file.mtime) + ' ' + file.name + '\n';
    // The default lives in credential_dir, which enrollment may not have created yet: onshi's own
    // folder, so it is created owner-only.
    std::error_code ec;
    const std::filesystem::path folder = path_of(path_).parent_path();
    if (!folder.empty() && !std::filesystem::exists(folder, ec)) {
        std::filesystem::create_directories(folder, ec);
        std::filesystem::permissions(folder, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    }
    write_durably(path_, bytes);
}

}  // namespace onshi::core
