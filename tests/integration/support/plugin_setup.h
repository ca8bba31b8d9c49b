// What every suite does with the sandbox's plugin side: a context configured from DIR/plugin.json
// (with the suite's own members merged in), and the one enrollment with DIR/setup.json.
#pragma once

#include <onshi/onshi.h>

#include <string>

namespace onshi::it {

// DIR/plugin.json with `overrides` (a JSON object) merged over its top-level members; "" when
// plugin.json has no gateway or credential_dir.
std::string plugin_config(const std::string &dir, const std::string &overrides = "{}");

// Enrolls the context's terminal with DIR/setup.json and waits (30 s at most); the final status
// (ONSHI_E_TIMEOUT when the job did not end), or the refusal of onshi_terminal_enroll itself.
onshi_status enroll_from_setup(onshi_context *ctx, const std::string &dir);

}  // namespace onshi::it
