// The job table: ids from 1 up, lookup and release, the capacity that turns a host which never
// releases its jobs into ONSHI_E_BUSY instead of unbounded memory, and the locale jobs inherit.
#include "core/job_table.h"

#include "fakes.h"
#include "util/error.h"

#include <gtest/gtest.h>

using onshi::Error;
using onshi::core::JobTable;
using onshi::test::RecordingSink;

namespace {

TEST(JobTable, IdsCountUpFromOneAndFindGivesTheSameJob) {
    RecordingSink sink;
    JobTable table(8, sink, "en");
    auto a = table.create();
    auto b = table.create();
    EXPECT_EQ(a->id(), 1u);
    EXPECT_EQ(b->id(), 2u);
    EXPECT_EQ(table.find(1), a);
    EXPECT_EQ(table.find(2), b);
    EXPECT_EQ(table.find(3), nullptr);
    EXPECT_EQ(table.find(0), nullptr);
    EXPECT_EQ(table.size(), 2u);
}

TEST(JobTable, ReleaseForgetsTheJobButNotItsId) {
    RecordingSink sink;
    JobTable table(8, sink, "en");
    auto a = table.create();
    EXPECT_TRUE(table.release(a->id()));
    EXPECT_FALSE(table.release(a->id())) << "released once";
    EXPECT_FALSE(table.release(42)) << "never existed";
    EXPECT_EQ(table.find(a->id()), nullptr);
    EXPECT_EQ(a->id(), 1u) << "the caller's reference stays valid";
    EXPECT_EQ(table.create()->id(), 2u) << "a released id is not handed out again at once";
}

TEST(JobTable, FullTableIsBusyUntilAJobIsReleased) {
    RecordingSink sink;
    JobTable table(3, sink, "en");
    for (int i = 0; i < 3; ++i) table.create();
    try {
        table.create();
        FAIL() << "a fourth job in a table of three";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_BUSY);
        EXPECT_NE(e.detail().en.find("onshi_job_release"), std::string::npos) << e.detail().en;
        EXPECT_NE(e.detail().ja.find("onshi_job_release"), std::string::npos);
    }
    EXPECT_EQ(table.size(), 3u);
    ASSERT_TRUE(table.release(2));
    EXPECT_EQ(table.create()->id(), 4u);
}

TEST(JobTable, SnapshotHoldsEveryLiveJob) {
    RecordingSink sink;
    JobTable table(8, sink, "en");
    for (int i = 0; i < 5; ++i) table.create();
    table.release(3);
    std::vector<onshi_job_id> ids;
    for (const auto &job : table.snapshot()) ids.push_back(job->id());
    EXPECT_EQ(ids, (std::vector<onshi_job_id>{1, 2, 4, 5}));
}

TEST(JobTable, JobsSpeakTheTablesLocale) {
    for (const char *locale : {"en", "ja"}) {
        RecordingSink sink;
        JobTable table(1, sink, locale);
        auto job = table.create();
        job->start();
        job->fail(Error(ONSHI_E_NO_CARD, {"no card here", "カードがありません"}));
        const std::string &json = job->result()->json();
        if (std::string(locale) == "en") {
            EXPECT_NE(json.find("no card here"), std::string::npos) << json;
        } else {
            EXPECT_NE(json.find("カードがありません"), std::string::npos) << json;
        }
    }
}

}  // namespace
