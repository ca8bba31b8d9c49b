#include "core/check_request.h"

#include "util/error.h"

#include <gtest/gtest.h>

using onshi::Error;
using onshi::core::CheckRequest;

namespace {

TEST(CheckRequest, DefaultsToPinOnAnyReader) {
    CheckRequest r = CheckRequest::parse("");
    EXPECT_EQ(r.method, CheckRequest::Method::pin);
    EXPECT_TRUE(r.reader.empty());
    EXPECT_FALSE(r.allow_last_attempt);
}

TEST(CheckRequest, ReadsAllMembers) {
    CheckRequest r = CheckRequest::parse(R"({"reader":"R 00 00","method":"visual","photo":true,
        "allow_last_attempt":true,"consents":{"limit_application_certificate":true}})");
    EXPECT_EQ(r.reader, "R 00 00");
    EXPECT_EQ(r.method, CheckRequest::Method::visual);
    EXPECT_TRUE(r.photo);
    EXPECT_TRUE(r.allow_last_attempt);
    EXPECT_TRUE(r.consent_limit_certificate);
}

TEST(CheckRequest, RefusesWhatItDoesNotUnderstand) {
    for (const char *bad : {R"({"method":"face"})", R"({"photo":true})", R"({"consents":{"x":true}})",
                            R"({"pin":"1234"})", R"({"reader":5})", "nope"}) {
        try {
            CheckRequest::parse(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_INVALID_ARGUMENT) << bad;
        }
    }
}

}  // namespace
