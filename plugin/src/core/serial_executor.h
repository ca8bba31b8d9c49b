// A thread that runs tasks one after another. Each reader gets one ("lane"), so two jobs never
// talk to the same card at once, while jobs on different readers run in parallel.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace onshi::core {

class SerialExecutor {
public:
    explicit SerialExecutor(std::string name);
    ~SerialExecutor();
    SerialExecutor(const SerialExecutor &) = delete;
    SerialExecutor &operator=(const SerialExecutor &) = delete;

    // False once stopping. The thread starts with the first task.
    bool post(std::function<void()> task);
    // Runs the tasks already queued, then joins.
    void stop_and_join();

private:
    void run();

    const std::string name_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace onshi::core
