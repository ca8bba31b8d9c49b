#include "api/handles.h"

#include <mutex>
#include <unordered_map>

namespace onshi::api {
namespace {

template <typename Handle, typename Object>
class Registry {
public:
    Handle *add(std::shared_ptr<Object> object) {
        // The handle value is the object's address: unique while the object lives, and the
        // registry keeps it alive until the handle is removed.
        auto *handle = reinterpret_cast<Handle *>(const_cast<std::remove_const_t<Object> *>(object.get()));
        std::lock_guard lock(mutex_);
        live_.emplace(handle, std::move(object));
        return handle;
    }
    std::shared_ptr<Object> find(const Handle *handle) {
        std::lock_guard lock(mutex_);
        auto it = live_.find(handle);
        return it == live_.end() ? nullptr : it->second;
    }
    std::shared_ptr<Object> remove(const Handle *handle) {
        std::lock_guard lock(mutex_);
        auto it = live_.find(handle);
        if (it == live_.end()) return nullptr;
        std::shared_ptr<Object> object = std::move(it->second);
        live_.erase(it);
        return object;
    }

private:
    std::mutex mutex_;
    std::unordered_map<const Handle *, std::shared_ptr<Object>> live_;
};

// Function-local statics, destroyed when the library is unloaded (a context still open then is
// closed by its destructor). Hosts must not call in after unloading, so nothing outlives them.
Registry<onshi_context, core::Context> &contexts() {
    static Registry<onshi_context, core::Context> registry;
    return registry;
}

// Results are keyed by a per-handle box, not by the shared data, so that two handles on the same
// job result are freed independently.
struct ResultBox {
    std::shared_ptr<const core::JobResult> data;
};

Registry<onshi_result, ResultBox> &results() {
    static Registry<onshi_result, ResultBox> registry;
    return registry;
}

}  // namespace

onshi_context *register_context(std::shared_ptr<core::Context> context) { return contexts().add(std::move(context)); }
std::shared_ptr<core::Context> find_context(const onshi_context *handle) { return contexts().find(handle); }
std::shared_ptr<core::Context> unregister_context(const onshi_context *handle) { return contexts().remove(handle); }

onshi_result *register_result(std::shared_ptr<const core::JobResult> data) {
    return results().add(std::make_shared<ResultBox>(ResultBox{std::move(data)}));
}

std::shared_ptr<const core::JobResult> find_result(const onshi_result *handle) {
    std::shared_ptr<ResultBox> box = results().find(handle);
    return box ? box->data : nullptr;
}

bool unregister_result(const onshi_result *handle) { return results().remove(handle) != nullptr; }

}  // namespace onshi::api
