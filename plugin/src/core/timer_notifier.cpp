// The notifier of polling mode: nothing but an interruptible wait.
#include "core/directory_notifier.h"

#include "util/error.h"

#include <condition_variable>
#include <mutex>

namespace onshi::core {
namespace {

class TimerNotifier final : public DirectoryNotifier {
public:
    DirectoryChanges wait(std::chrono::milliseconds timeout) override {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return woken_; });
        woken_ = false;
        return {};
    }
    void wake() override {
        {
            std::lock_guard lock(mutex_);
            woken_ = true;
        }
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool woken_ = false;
};

}  // namespace

std::unique_ptr<DirectoryNotifier> make_timer_notifier() { return std::make_unique<TimerNotifier>(); }

#if !defined(_WIN32) && !defined(__linux__)
std::unique_ptr<DirectoryNotifier> make_change_notifier(const std::string &dir) {
    throw Error(ONSHI_E_CONFIG, {"face_watch: no change notifications on this platform for " + dir + ": use \"poll\"",
                                 "face_watch: この環境では " + dir + " の変更通知が使えません。\"poll\" を指定してください"});
}
bool is_network_folder(const std::string &) { return false; }
#endif

}  // namespace onshi::core
