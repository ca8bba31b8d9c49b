// The life-cycle bodies of docs/gateway-protocol.md §3: planned end date, renewal, end of use, and
// the status answer's planned_end_date.
#include "gateway/protocol_messages.h"
#include "util/error.h"
#include "status_of.h"

#include <gtest/gtest.h>

#include <functional>

using namespace onshi::gateway;

namespace {

using onshi::test::status_of;

}  // namespace

TEST(LifecycleMessages, CalendarDates) {
    EXPECT_TRUE(is_calendar_date("2027-03-31"));
    EXPECT_TRUE(is_calendar_date("2028-02-29"));
    EXPECT_TRUE(is_calendar_date("2000-02-29"));
    EXPECT_FALSE(is_calendar_date("1900-02-29"));
    EXPECT_FALSE(is_calendar_date("2027-02-29"));
    EXPECT_FALSE(is_calendar_date("2027-04-31"));
    EXPECT_FALSE(is_calendar_date("2027-13-01"));
    EXPECT_FALSE(is_calendar_date("2027-00-10"));
    EXPECT_FALSE(is_calendar_date("2027-3-31"));
    EXPECT_FALSE(is_calendar_date("20270331"));
    EXPECT_FALSE(is_calendar_date("2027/03/31"));
    EXPECT_FALSE(is_calendar_date("２０２７-03-31"));
    EXPECT_FALSE(is_calendar_date(""));
}

TEST(LifecycleMessages, PlannedEndBody) {
    EXPECT_EQ(build_planned_end_body("2027-03-31"), R"({"date":"2027-03-31"})");
    EXPECT_EQ(status_of([] { build_planned_end_body("2027-02-30"); }), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([] { build_planned_end_body("tomorrow"); }), ONSHI_E_INVALID_ARGUMENT);
}

TEST(LifecycleMessages, RenewalBody) {
    EXPECT_EQ(build_renewal_body({"-----BEGIN CERTIFICATE REQUEST-----\nAB\n"}),
              R"({"csr_pem":"-----BEGIN CERTIFICATE REQUEST-----\nAB\n"})");
}

TEST(LifecycleMessages, EndOfUseAnswer) {
    auto r = parse_end_of_use_response(
        R"({"terminal_id":"T-3410712362-0001","status":"ended","facility":{"code":"3410712362","name":"x","terminals_used":0,"terminals_allowed":2}})");
    EXPECT_EQ(r.terminal_id, "T-3410712362-0001");
    EXPECT_EQ(r.facility.terminals_used, 0);
    EXPECT_EQ(r.facility.terminals_allowed, 2);
    EXPECT_EQ(status_of([] { parse_end_of_use_response(R"({"terminal_id":"T-1","status":"active"})"); }),
              ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(status_of([] { parse_end_of_use_response(R"({"status":"ended"})"); }), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(status_of([] { parse_end_of_use_response("not json"); }), ONSHI_E_GATEWAY_PROTOCOL);
}

TEST(LifecycleMessages, RenewalAnswerHasTheEnrollmentShape) {
    auto r = parse_renewal_response(
        R"({"terminal_id":"T-3410712362-0001","certificate_pem":"-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n",)"
        R"("ca_pem":"","certificate_expires_at":"2027-11-24T00:00:00Z","certificate_serial":"0A",)"
        R"("facility":{"code":"3410712362","name":"x","terminals_used":1,"terminals_allowed":2}})");
    EXPECT_EQ(r.terminal_id, "T-3410712362-0001");
    EXPECT_EQ(r.certificate_expires_at, "2027-11-24T00:00:00Z");
    EXPECT_EQ(status_of([] { parse_renewal_response(R"({"terminal_id":"T-1","certificate_pem":"nope","certificate_expires_at":"x","facility":{"code":"1"}})"); }),
              ONSHI_E_GATEWAY_PROTOCOL);
}

TEST(LifecycleMessages, StatusAnswerPlannedEndDate) {
    const std::string base = R"({"terminal_id":"T-3410712362-0001","facility":{"code":"3410712362"},"planned_end_date":)";
    EXPECT_EQ(status_of([&] { parse_status_response(base + R"("2027-03-31"})"); }), ONSHI_OK);
    EXPECT_EQ(status_of([&] { parse_status_response(base + "null}"); }), ONSHI_OK);
    EXPECT_EQ(status_of([&] { parse_status_response(base + R"("31/03/2027"})"); }), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(status_of([&] { parse_status_response(base + "20270331}"); }), ONSHI_E_GATEWAY_PROTOCOL);
}
