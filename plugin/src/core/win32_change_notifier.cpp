// Windows change notifications for the face watcher: ReadDirectoryChangesW, overlapped, on the
// folder's handle. FILE_ACTION_ADDED / MODIFIED say a file changed, not that its writer finished,
// so those names are only hints: the watcher lists them and waits for a stable size. A rename
// into place (FILE_ACTION_RENAMED_NEW_NAME) is complete. A lost buffer asks for a full listing.
#include "core/directory_notifier.h"

#include "util/error.h"

#include <windows.h>

#include <vector>

namespace onshi::core {
namespace {

std::wstring wide(const std::string &utf8) {
    const int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
    std::wstring out(static_cast<std::size_t>(n), L'\0');
    if (n > 0) MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), n);
    return out;
}

std::string narrow(const wchar_t *text, std::size_t length) {
    const int n = WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), nullptr, 0, nullptr, nullptr);
    std::string out(static_cast<std::size_t>(n), '\0');
    if (n > 0) WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), out.data(), n, nullptr, nullptr);
    return out;
}

class Win32ChangeNotifier final : public DirectoryNotifier {
public:
    explicit Win32ChangeNotifier(const std::string &dir)
        : buffer_(16 * 1024),
          folder_(CreateFileW(wide(dir).c_str(), FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, nullptr)),
          done_(CreateEventW(nullptr, TRUE, FALSE, nullptr)),
          wake_(CreateEventW(nullptr, FALSE, FALSE, nullptr)) {
        if (folder_ == INVALID_HANDLE_VALUE || !done_ || !wake_ || !arm()) {
            const std::string code = std::to_string(GetLastError());
            close_all();
            throw Error(ONSHI_E_CONFIG, {"face_watch: cannot watch " + dir + " with ReadDirectoryChangesW (error " + code + ")",
                                         "face_watch: " + dir + " を ReadDirectoryChangesW で監視できません(エラー " + code + ")"});
        }
    }
    ~Win32ChangeNotifier() override {
        // Only a read in flight is waited for: after a failed ReadDirectoryChangesW the OVERLAPPED
        // may still say pending (kernelbase sets it before the call), and its event never comes.
        if (armed_) {
            CancelIoEx(folder_, &overlapped_);
            DWORD ignored = 0;
            GetOverlappedResult(folder_, &overlapped_, &ignored, TRUE);  // the buffer stays ours until then
        }
        close_all();
    }
    Win32ChangeNotifier(const Win32ChangeNotifier &) = delete;
    Win32ChangeNotifier &operator=(const Win32ChangeNotifier &) = delete;

    DirectoryChanges wait(std::chrono::milliseconds timeout) override {
        DirectoryChanges changes;
        if (!armed_) {
            // The last re-arm failed (the folder gone or unreachable): try again; what changed in
            // between is found by listing. Meanwhile the watcher's own listings go on.
            if (arm()) changes.rescan = true;
            else WaitForSingleObject(wake_, static_cast<DWORD>(timeout.count()));
            return changes;
        }
        HANDLE handles[2] = {done_, wake_};
        const DWORD which = WaitForMultipleObjects(2, handles, FALSE, static_cast<DWORD>(timeout.count()));
        if (which != WAIT_OBJECT_0) return changes;
        armed_ = false;  // this read is complete
        DWORD bytes = 0;
        if (!GetOverlappedResult(folder_, &overlapped_, &bytes, FALSE) || bytes == 0) {
            changes.rescan = true;  // overflow (bytes 0) or an error: list everything
        } else {
            for (std::size_t at = 0;;) {
                const auto *info = reinterpret_cast<const FILE_NOTIFY_INFORMATION *>(reinterpret_cast<const char *>(buffer_.data()) + at);
                if (info->Action == FILE_ACTION_RENAMED_NEW_NAME)
                    changes.completed.push_back(narrow(info->FileName, info->FileNameLength / sizeof(wchar_t)));
                else if (info->Action == FILE_ACTION_ADDED || info->Action == FILE_ACTION_MODIFIED)
                    changes.rescan = true;  // written in place: the stable-size rule decides
                if (info->NextEntryOffset == 0) break;
                at += info->NextEntryOffset;
            }
        }
        if (!arm()) changes.rescan = true;
        return changes;
    }

    void wake() override { SetEvent(wake_); }

private:
    bool arm() {
        ResetEvent(done_);
        overlapped_ = OVERLAPPED{};
        overlapped_.hEvent = done_;
        armed_ = ReadDirectoryChangesW(folder_, buffer_.data(), static_cast<DWORD>(buffer_.size() * sizeof(DWORD)), FALSE,
                                       FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_SIZE | FILE_NOTIFY_CHANGE_LAST_WRITE,
                                       nullptr, &overlapped_, nullptr) != 0;
        return armed_;
    }
    void close_all() {
        if (folder_ != INVALID_HANDLE_VALUE) CloseHandle(folder_);
        if (done_) CloseHandle(done_);
        if (wake_) CloseHandle(wake_);
        folder_ = INVALID_HANDLE_VALUE;
        done_ = wake_ = nullptr;
    }

    std::vector<DWORD> buffer_;  // DWORD-aligned, as ReadDirectoryChangesW requires
    HANDLE folder_ = INVALID_HANDLE_VALUE;
    HANDLE done_ = nullptr;
    HANDLE wake_ = nullptr;
    OVERLAPPED overlapped_{};
    bool armed_ = false;  // a ReadDirectoryChangesW is in flight on overlapped_
};

}  // namespace

std::unique_ptr<DirectoryNotifier> make_change_notifier(const std::string &dir) {
    return std::make_unique<Win32ChangeNotifier>(dir);
}

bool is_network_folder(const std::string &dir) {
    if (dir.size() >= 2 && (dir[0] == '\\' || dir[0] == '/') && (dir[1] == '\\' || dir[1] == '/')) return true;  // UNC
    if (dir.size() >= 2 && dir[1] == ':') {
        const std::wstring root = wide(dir.substr(0, 2) + "\\");
        return GetDriveTypeW(root.c_str()) == DRIVE_REMOTE;
    }
    return false;
}

}  // namespace onshi::core
