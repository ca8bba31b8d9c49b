#include "util/log_file.h"

#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#include <sddl.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace onshi {
namespace {

#if defined(_WIN32)

std::wstring wide_from_utf8(const std::string &utf8) {
    const int size = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
    if (size <= 0) return {};
    std::wstring wide(static_cast<std::size_t>(size), L'\0');
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), wide.data(), size);
    return wide;
}

// "D:P(A;;FA;;;<this user's SID>)(A;;FA;;;SY)": full access for the user and SYSTEM, nothing
// inherited from the folder. "" when the token cannot be read.
std::wstring owner_only_sddl() {
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return {};
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    std::string buffer(size, '\0');
    std::wstring sddl;
    LPWSTR sid = nullptr;
    if (size && GetTokenInformation(token, TokenUser, buffer.data(), size, &size) &&
        ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER *>(buffer.data())->User.Sid, &sid)) {
        sddl = std::wstring(L"D:P(A;;FA;;;") + sid + L")(A;;FA;;;SY)";
        LocalFree(sid);
    }
    CloseHandle(token);
    return sddl;
}

std::FILE *open_owner_only(const std::string &utf8_path) {
    const std::wstring path = wide_from_utf8(utf8_path);
    const std::wstring sddl = owner_only_sddl();
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    if (path.empty() || sddl.empty() ||
        !ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1, &descriptor, nullptr))
        return nullptr;  // never fall back to a file others could read
    SECURITY_ATTRIBUTES attributes{sizeof attributes, descriptor, FALSE};
    HANDLE handle = CreateFileW(path.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, &attributes,
                                OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    LocalFree(descriptor);
    if (handle == INVALID_HANDLE_VALUE) return nullptr;
    const int fd = _open_osfhandle(reinterpret_cast<intptr_t>(handle), _O_APPEND | _O_WRONLY | _O_BINARY);
    if (fd < 0) {
        CloseHandle(handle);
        return nullptr;
    }
    std::FILE *file = _fdopen(fd, "ab");
    if (!file) _close(fd);
    return file;
}

#else

std::FILE *open_owner_only(const std::string &path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return nullptr;
    std::FILE *file = ::fdopen(fd, "a");
    if (!file) ::close(fd);
    return file;
}

#endif

}  // namespace

LogFile::LogFile(const std::string &utf8_path) : file_(utf8_path.empty() ? nullptr : open_owner_only(utf8_path)) {}

LogFile::~LogFile() {
    if (file_) std::fclose(file_);
}

void LogFile::write(std::string_view line) {
    if (!file_) return;
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
}

}  // namespace onshi
