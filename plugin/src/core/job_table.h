// The jobs a context knows, by id. Bounded ("max_jobs"): a host that never releases its jobs gets
// ONSHI_E_BUSY instead of unbounded memory growth.
#pragma once

#include "core/job.h"

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace onshi::core {

class JobTable {
public:
    JobTable(std::size_t capacity, EventSink &events, std::string locale);

    // Throws Error(ONSHI_E_BUSY) when full.
    std::shared_ptr<Job> create();
    // nullptr for an unknown or released id.
    std::shared_ptr<Job> find(onshi_job_id id) const;
    // False for an unknown id.
    bool release(onshi_job_id id);
    std::vector<std::shared_ptr<Job>> snapshot() const;
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::map<onshi_job_id, std::shared_ptr<Job>> jobs_;
    const std::size_t capacity_;
    EventSink &events_;
    const std::string locale_;
    onshi_job_id next_id_ = 1;
};

}  // namespace onshi::core
