// The SDK headers compiled as C++17 (what older hosts use), with a short run against the built
// library, so that a C++20-only construct in the SDK fails the build here.
#include <onshi/host_sdk.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>

static_assert(__cplusplus == 201703L, "this test must be compiled as C++17");

namespace sdk = onshi::sdk;

TEST(SdkCxx17, LoadOpenCheck) {
    sdk::Library lib(ONSHI_TEST_LIBRARY);
    EXPECT_EQ(lib.abi_version() >> 16, static_cast<std::uint32_t>(ONSHI_ABI_VERSION_MAJOR));
    sdk::Context ctx(lib);
    try {
        EXPECT_FALSE(ctx.list_readers().empty());
    } catch (const sdk::Error &e) { // no PC/SC service on this machine
        EXPECT_EQ(e.status(), ONSHI_E_PCSC_UNAVAILABLE) << e.name() << ": " << e.message();
    }
    auto future = ctx.check_eligibility(R"({"reader": "onshi-sdk-test no such reader", "method": "pin"})",
                                        "1234");
    ASSERT_EQ(future.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    try {
        future.get();
        FAIL() << "a check without a reader succeeded";
    } catch (const sdk::JobError &e) {
        EXPECT_TRUE(e.status() == ONSHI_E_NOT_ENROLLED || e.status() == ONSHI_E_NO_READER ||
                    e.status() == ONSHI_E_PCSC_UNAVAILABLE)
            << e.name() << ": " << e.message();
    }
}

TEST(SdkCxx17, RefusesAnotherAbiMajor) {
    EXPECT_THROW(sdk::Library lib(ONSHI_TEST_FAKE_ABI2), sdk::Error);
}
