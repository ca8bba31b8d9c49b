// Live handles. A handle is only ever looked up, never dereferenced, before it is known to be
// live, so a NULL, dangling or doubly freed handle gives ONSHI_E_INVALID_HANDLE instead of a crash.
// Lookups hand out shared ownership, so a context closed by another thread stays valid memory
// until the call that is using it returns.
#pragma once

#include "core/context.h"
#include "core/job_result.h"

#include <memory>

namespace onshi::api {

onshi_context *register_context(std::shared_ptr<core::Context> context);
std::shared_ptr<core::Context> find_context(const onshi_context *handle);
// Removes the handle; returns the context so the caller can close it (nullptr if not live).
std::shared_ptr<core::Context> unregister_context(const onshi_context *handle);

onshi_result *register_result(std::shared_ptr<const core::JobResult> data);
std::shared_ptr<const core::JobResult> find_result(const onshi_result *handle);
bool unregister_result(const onshi_result *handle);

}  // namespace onshi::api
