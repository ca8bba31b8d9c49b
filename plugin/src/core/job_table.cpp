#include "core/job_table.h"

namespace onshi::core {

JobTable::JobTable(std::size_t capacity, EventSink &events, std::string locale)
    : capacity_(capacity), events_(events), locale_(std::move(locale)) {}

std::shared_ptr<Job> JobTable::create() {
    std::lock_guard lock(mutex_);
    if (jobs_.size() >= capacity_)
        throw Error(ONSHI_E_BUSY, {std::to_string(capacity_) + " jobs are not released yet (see onshi_job_release)",
                                   "解放されていないジョブが上限(" + std::to_string(capacity_) +
                                       ")に達しました(onshi_job_release を呼んでください)"});
    // Ids wrap after 2^32 - 1 jobs; skip 0 and any id still in use.
    while (next_id_ == 0 || jobs_.count(next_id_)) ++next_id_;
    auto job = std::make_shared<Job>(next_id_++, events_, locale_);
    jobs_.emplace(job->id(), job);
    return job;
}

std::shared_ptr<Job> JobTable::find(onshi_job_id id) const {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
}

bool JobTable::release(onshi_job_id id) {
    std::lock_guard lock(mutex_);
    return jobs_.erase(id) > 0;
}

std::vector<std::shared_ptr<Job>> JobTable::snapshot() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<Job>> all;
    all.reserve(jobs_.size());
    for (const auto &[id, job] : jobs_) all.push_back(job);
    return all;
}

std::size_t JobTable::size() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

}  // namespace onshi::core
