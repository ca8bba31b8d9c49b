// Linux change notifications for the face watcher: IN_CLOSE_WRITE (a writer finished writing in
// place) and IN_MOVED_TO (a complete file renamed in, as the terminal's and onshi's exports do).
// IN_Q_OVERFLOW and a replaced or deleted folder ask for a full listing instead.
#include "core/directory_notifier.h"

#include "util/error.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace onshi::core {
namespace {

class InotifyNotifier final : public DirectoryNotifier {
public:
    explicit InotifyNotifier(const std::string &dir) : dir_(dir) {
        inotify_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (inotify_ < 0 || wake_ < 0 || !add_watch()) fail(dir, errno);
    }
    ~InotifyNotifier() override {
        if (inotify_ >= 0) ::close(inotify_);
        if (wake_ >= 0) ::close(wake_);
    }
    InotifyNotifier(const InotifyNotifier &) = delete;
    InotifyNotifier &operator=(const InotifyNotifier &) = delete;

    DirectoryChanges wait(std::chrono::milliseconds timeout) override {
        DirectoryChanges changes;
        // The folder was removed or replaced (a share remounted): watch the new one once it is
        // there; meanwhile the watcher's listings find what arrives.
        if (rewatch_ && add_watch()) {
            rewatch_ = false;
            changes.rescan = true;
            return changes;
        }
        pollfd fds[2] = {{inotify_, POLLIN, 0}, {wake_, POLLIN, 0}};
        const int ready = ::poll(fds, 2, static_cast<int>(timeout.count()));
        if (ready <= 0) return changes;  // timeout, or EINTR: the caller just waits again
        if (fds[1].revents & POLLIN) {
            std::uint64_t count = 0;
            [[maybe_unused]] ssize_t n = ::read(wake_, &count, sizeof count);
        }
        if (fds[0].revents & POLLIN) read_events(changes);
        return changes;
    }

    void wake() override {
        const std::uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(wake_, &one, sizeof one);
    }

private:
    [[noreturn]] static void fail(const std::string &dir, int error) {
        const std::string why = std::strerror(error);
        throw Error(ONSHI_E_CONFIG, {"face_watch: cannot watch " + dir + " with inotify (" + why + ")",
                                     "face_watch: " + dir + " を inotify で監視できません(" + why + ")"});
    }

    bool add_watch() {
        return ::inotify_add_watch(inotify_, dir_.c_str(),
                                   IN_CLOSE_WRITE | IN_MOVED_TO | IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF |
                                       IN_ONLYDIR) >= 0;
    }

    void read_events(DirectoryChanges &changes) {
        alignas(inotify_event) char buffer[16 * 1024];
        for (;;) {
            const ssize_t n = ::read(inotify_, buffer, sizeof buffer);
            if (n <= 0) return;  // EAGAIN: drained
            for (ssize_t at = 0; at < n;) {
                const auto *event = reinterpret_cast<const inotify_event *>(buffer + at);
                if (event->mask & (IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) changes.rescan = true;
                if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) rewatch_ = true;
                else if (event->len > 0 && !(event->mask & IN_ISDIR)) changes.completed.emplace_back(event->name);
                at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            }
        }
    }

    const std::string dir_;
    int inotify_ = -1;
    int wake_ = -1;
    bool rewatch_ = false;
};

}  // namespace

std::unique_ptr<DirectoryNotifier> make_change_notifier(const std::string &dir) {
    return std::make_unique<InotifyNotifier>(dir);
}

bool is_network_folder(const std::string &dir) {
    struct statfs fs {};
    if (::statfs(dir.c_str(), &fs) != 0) return false;
    switch (static_cast<unsigned long>(fs.f_type)) {
    case 0x6969:      // NFS
    case 0xFF534D42:  // CIFS
    case 0xFE534D42:  // SMB2
    case 0x517B:      // SMB
    case 0x65735546:  // FUSE (sshfs and the like)
    case 0x73757245:  // Coda
    case 0x564c:      // NCP
    case 0x6B414653:  // AFS
        return true;
    default:
        return false;
    }
}

}  // namespace onshi::core
