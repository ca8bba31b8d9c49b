// The GoogleTest side of a suite that runs against one sandbox (one per process, see
// sandbox_runner.h). The sandbox needs root (namespaces): without root every test skips and the
// process exits 77, so that ctest reports the suite as skipped (SKIP_RETURN_CODE), not as passed.
// Header-only: the support library itself does not link GoogleTest (the soak program uses it too).
#pragma once

#include "sandbox_runner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>
#include <string>

namespace onshi::it {

class SandboxSuite : public ::testing::Test {
protected:
    static bool is_root() { return geteuid() == 0; }

    // For the suite's SetUpTestSuite: brings `sandbox` up (see SandboxRunner::up) when running as
    // root and remembers it for the tests and for TearDownTestSuite; true when it is up.
    static bool bring_up(const SandboxRunner &sandbox, const std::string &up_args,
                         const std::string &fresh = "terminal gateway apdu.jsonl") {
        sandbox_ = &sandbox;
        up_ = is_root() && sandbox.up(with_reader_profile(up_args), fresh);
        return up_;
    }
    // ONSHI_IT_READER_PROFILE=P puts every reader of the sandbox behind reader profile P
    // (sandbox/card/reader_profile.h), so that ctest can run a whole suite again on the readers
    // clinics buy (check_flow.<profile>).
    static std::string with_reader_profile(const std::string &up_args) {
        const char *profile = std::getenv("ONSHI_IT_READER_PROFILE");
        if (!profile || !*profile) return up_args;
        std::smatch m;
        const int readers = std::regex_search(up_args, m, std::regex("--readers ([0-9]+)")) ? std::stoi(m[1]) : 1;
        std::string args = up_args;
        for (int slot = 0; slot < readers; ++slot)
            args += " --reader-profile " + std::to_string(slot) + "=" + profile;
        return args;
    }
    // After the suite's last test (a suite's own TearDownTestSuite calls it last).
    static void TearDownTestSuite() {
        if (is_root() && sandbox_) sandbox_->down();
    }

    // Every test: skipped without root, failed at once when the sandbox did not come up; then the
    // suite's own SetUpTest.
    void SetUp() final {
        if (!is_root()) GTEST_SKIP() << "needs root for the sandbox's namespaces";
        ASSERT_TRUE(up_) << "onshi-sandbox up failed; see " << (sandbox_ ? sandbox_->dir() : "DIR") << "/sandbox.log";
        SetUpTest();
    }
    virtual void SetUpTest() {}

private:
    static inline const SandboxRunner *sandbox_ = nullptr;
    static inline bool up_ = false;
};

// main() of a sandbox suite: runs the tests; 77 (skipped) without root.
inline int run_sandbox_suite(int argc, char **argv) {
    ::testing::InitGoogleTest(&argc, argv);
    int rc = RUN_ALL_TESTS();
    if (geteuid() != 0) return 77;
    return rc;
}

}  // namespace onshi::it
