// onshi.h documents itself: every function, status, event, state, flag and onshi_event member
// says the ABI version that added it, and every function that returns a status lists the statuses
// it returns (last_error_test.cpp checks those lists against what the calls really return).
#include "header_contract.h"

#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

namespace {

using abi_test::declared_names;
using abi_test::documented_functions;
using abi_test::known_statuses;
using abi_test::read_header;

// The minor of a "1.x" note; -1 when there is none.
int minor_of(const std::string &notes) {
    static const std::regex since(R"(since (1)\.([0-9]+))");
    std::smatch m;
    if (!std::regex_search(notes, m, since)) return -1;
    return std::stoi(m[2]);
}

TEST(HeaderContract, TheLibraryIsTheVersionOfItsHeader) {
    EXPECT_EQ(onshi_abi_version(), static_cast<uint32_t>(ONSHI_ABI_VERSION));
}

TEST(HeaderContract, EveryFunctionSaysSinceWhen) {
    const std::string header = read_header();
    const auto functions = documented_functions(header);
    std::size_t declarations = 0;
    for (std::size_t at = header.find("ONSHI_CALL onshi_"); at != std::string::npos;
         at = header.find("ONSHI_CALL onshi_", at + 1))
        ++declarations;
    ASSERT_EQ(functions.size(), declarations) << "every declaration was read";
    ASSERT_TRUE(functions.count("onshi_open") && functions.count("onshi_terminal_renew"));
    for (const auto &[name, f] : functions) {
        EXPECT_FALSE(f.since.empty()) << name << " has no @since";
        EXPECT_LE(minor_of("since " + f.since), ONSHI_ABI_VERSION_MINOR) << name << " is newer than the header";
    }
}

TEST(HeaderContract, EveryFunctionThatReturnsAStatusListsThem) {
    const auto known = known_statuses();
    int listed = 0;
    for (const auto &[name, f] : documented_functions(read_header())) {
        if (!f.returns_status) {
            EXPECT_TRUE(f.statuses.empty()) << name << " returns no status but lists some";
            continue;
        }
        EXPECT_TRUE(f.statuses.count("ONSHI_OK")) << name << " does not list ONSHI_OK";
        EXPECT_GE(f.statuses.size(), 2u) << name << " lists no failure";
        for (const auto &s : f.statuses) {
            EXPECT_TRUE(known.count(s)) << name << " lists " << s << ", which the library does not know";
            ++listed;
        }
    }
    std::printf("[ figures ] %d documented (function, status) pairs\n", listed);
}

TEST(HeaderContract, EveryNameSaysSinceWhen) {
    const auto names = declared_names(read_header());
    ASSERT_GT(names.size(), 70u) << "the header's enumerators and members were read";
    std::set<std::string> seen;
    for (const auto &n : names) {
        seen.insert(n.name);
        const int minor = minor_of(n.notes);
        EXPECT_GE(minor, 0) << n.name << " has no \"since 1.x\" note:\n" << n.notes;
        EXPECT_LE(minor, ONSHI_ABI_VERSION_MINOR) << n.name;
    }
    for (const auto &[status, value] : known_statuses()) EXPECT_TRUE(seen.count(status)) << status << " is not in the header";
    for (const char *member : {"onshi_event.struct_size", "onshi_event.type", "onshi_event.job", "onshi_event.status",
                               "onshi_event.value", "onshi_event.detail", "onshi_event.text"})
        EXPECT_TRUE(seen.count(member)) << member;
}

// The aliases are new spellings of 1.0 values: a host compiled with them runs on a 1.0 library.
TEST(HeaderContract, AliasesAreTheValuesTheyStandFor) {
    static_assert(ONSHI_JOB_WAITING_FOR_SECRET == ONSHI_JOB_WAITING_FOR_PIN);
    static_assert(ONSHI_EVENT_SECRET_NEEDED == ONSHI_EVENT_PIN_NEEDED);
    static_assert(ONSHI_SECRET_ALLOW_LAST_ATTEMPT == ONSHI_PIN_ALLOW_LAST_ATTEMPT);
    int aliases = 0;
    for (const auto &n : declared_names(read_header())) {
        if (n.notes.find("alias") == std::string::npos) continue;
        ++aliases;
        EXPECT_EQ(minor_of(n.notes), 1) << n.name;
        EXPECT_NE(n.notes.find("preferred"), std::string::npos) << n.name << " does not say which name to use";
    }
    EXPECT_GE(aliases, 3);
}

}  // namespace
