#include "core/insurance_check.h"

#include "gateway/terminal_query.h"
#include "registration/check_digit.h"
#include "util/local_time.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <random>

#ifdef _WIN32
#include <process.h>
#define ONSHI_GETPID _getpid
#else
#include <unistd.h>
#define ONSHI_GETPID ::getpid
#endif

namespace onshi::core {

std::string new_query_id() {
    static std::atomic<unsigned> counter{0};
    const std::tm tm = local_time(std::chrono::system_clock::now());
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    // After the time stamp only letters: the name's one run of digits is the 14-digit stamp, so no
    // part of it can ever look like a short number of a patient in a log (scripts/scan-logs.sh).
    auto letters = [](std::uint64_t n, int width) {
        std::string out(static_cast<std::size_t>(width), 'a');
        for (int i = width - 1; i >= 0; --i, n /= 26) out[static_cast<std::size_t>(i)] = static_cast<char>('a' + n % 26);
        return out;
    };
    const auto pid = static_cast<std::uint64_t>(ONSHI_GETPID());
    const std::uint64_t random = std::random_device{}() & 0xffffu;
    return std::string(stamp) + "onshi" + letters(pid, 5) + letters(random, 4) + letters(counter.fetch_add(1), 4);
}

Context::Procedure make_insurance_check_procedure(TerminalFolderExchange exchange, std::string id,
                                                  std::string request_bytes, std::chrono::milliseconds timeout,
                                                  Logger *logger, InsuranceCheckTiming timing) {
    return [exchange = std::move(exchange), id = std::move(id), bytes = std::move(request_bytes), timeout, logger,
            timing](Job &job) -> std::shared_ptr<const JobResult> {
        using clock = std::chrono::steady_clock;
        const std::string request_name = gateway::request_file_name(id);
        job.progress(ONSHI_PROGRESS_CONTACTING_GATEWAY);
        exchange.post(request_name, bytes);
        if (logger) logger->log(LogLevel::info, "terminal", "query " + request_name + " posted");  // names only

        std::mutex mutex;
        std::condition_variable wake;
        bool woken = false;
        job.set_cancel_hook([&] {
            std::lock_guard lock(mutex);
            woken = true;
            wake.notify_all();
        });
        struct ClearHook {
            Job &job;
            ~ClearHook() { job.set_cancel_hook(nullptr); }
        } clear_hook{job};

        // A cancel removes the job's own request file, so that the terminal never answers it.
        auto end_if_cancelled = [&] {
            if (!job.cancel_requested()) return;
            exchange.withdraw(request_name);
            throw Error(ONSHI_E_CANCELLED, {});
        };
        const auto deadline = clock::now() + timeout;
        auto next_scan = clock::now();
        for (;;) {
            end_if_cancelled();
            const bool full = clock::now() >= next_scan;
            if (full) next_scan = clock::now() + timing.full_scan;
            if (auto answer = exchange.find_answer(id, full)) {
                if (logger) logger->log(LogLevel::info, "terminal", "answer " + answer->name + " (" +
                                                                        std::to_string(answer->bytes.size()) + " bytes)");
                auto parse = [&](const std::string &answer_bytes) {
                    JobResult::Builder result;
                    gateway::write_answer(result.json(), answer_bytes, registration::check_digit_ok);
                    return result.build();
                };
                try {
                    return parse(answer->bytes);
                } catch (const Error &e) {
                    if (e.status() != ONSHI_E_TERMINAL_ANSWER) throw;
                }
                // Perhaps still being written in place: once more after a pause, then it stands.
                {
                    std::unique_lock lock(mutex);
                    wake.wait_for(lock, timing.settle, [&] { return woken; });
                }
                end_if_cancelled();
                return parse(exchange.reread(answer->name).value_or(std::string()));
            }
            const auto now = clock::now();
            if (now >= deadline) {
                exchange.withdraw(request_name);
                throw Error(ONSHI_E_TERMINAL_NO_ANSWER,
                            {"no answer to " + request_name + " within " + std::to_string(timeout.count()) + " ms",
                             request_name + " への応答が " + std::to_string(timeout.count()) + " ms 以内にありません"});
            }
            std::unique_lock lock(mutex);
            wake.wait_for(lock, std::min<clock::duration>(timing.poll, deadline - now), [&] { return woken; });
        }
    };
}

}  // namespace onshi::core
