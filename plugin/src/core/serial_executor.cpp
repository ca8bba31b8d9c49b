#include "core/serial_executor.h"

namespace onshi::core {

SerialExecutor::SerialExecutor(std::string name) : name_(std::move(name)) {}

SerialExecutor::~SerialExecutor() { stop_and_join(); }

bool SerialExecutor::post(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        tasks_.push_back(std::move(task));
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    changed_.notify_one();
    return true;
}

void SerialExecutor::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;  // stopping and drained
        auto task = std::move(tasks_.front());
        tasks_.pop_front();
        lock.unlock();
        task();  // tasks catch their own exceptions (Context::run_job)
        task = nullptr;
        lock.lock();
    }
}

void SerialExecutor::stop_and_join() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

}  // namespace onshi::core
