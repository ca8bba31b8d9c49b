// SecureBuffer wipes its secret on every way out (destruction, wipe(), being assigned over), a
// move hands the same memory over instead of leaving a copy, and the wipe really writes zeros.
// Proven with the wipe observer (wipe_recorder.h): no freed memory is ever read.
#include "wipe_recorder.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>
#include <optional>

namespace onshi {
namespace {

using test::WipeRecorder;

TEST(SecureBuffer, DestructionWipesTheBytes) {
    WipeRecorder recorder;
    const void *where = nullptr;
    {
        SecureBuffer pin = SecureBuffer::from_string("1234");
        ASSERT_EQ(pin.view(), "1234");
        where = pin.data();
        EXPECT_FALSE(recorder.wiped(where, 4)) << "nothing is wiped while the secret is in use";
    }
    EXPECT_TRUE(recorder.wiped(where, 4));
}

TEST(SecureBuffer, WipeClearsAndReleases) {
    WipeRecorder recorder;
    SecureBuffer b = SecureBuffer::from_string("55021720352285");
    const void *where = b.data();
    b.wipe();
    EXPECT_TRUE(recorder.wiped(where, 14));
    EXPECT_TRUE(b.empty());
    EXPECT_EQ(b.size(), 0u);
    std::size_t before = recorder.count();
    b.wipe();  // nothing left: no second wipe of anything
    EXPECT_EQ(recorder.count(), before);
}

TEST(SecureBuffer, MoveHandsTheSameMemoryOverAndLeavesNoCopy) {
    WipeRecorder recorder;
    SecureBuffer from = SecureBuffer::from_string("2345");
    const void *where = from.data();
    SecureBuffer to(std::move(from));
    EXPECT_EQ(to.data(), where) << "a move must not copy the secret elsewhere";
    EXPECT_TRUE(from.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is the point
    EXPECT_FALSE(recorder.wiped(where, 4));
    to.wipe();
    EXPECT_TRUE(recorder.wiped(where, 4));
}

TEST(SecureBuffer, AssigningOverASecretWipesTheOldOne) {
    WipeRecorder recorder;
    SecureBuffer target = SecureBuffer::from_string("3456");
    const void *old = target.data();
    SecureBuffer source = SecureBuffer::from_string("456789");
    const void *moved = source.data();
    target = std::move(source);
    EXPECT_TRUE(recorder.wiped(old, 4)) << "the secret that was assigned over is wiped";
    EXPECT_EQ(target.data(), moved);
    EXPECT_EQ(target.view(), "456789");
    EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move)
}

TEST(SecureBuffer, SelfMoveAssignmentKeepsTheSecret) {
    SecureBuffer b = SecureBuffer::from_string("5678");
    SecureBuffer &alias = b;
    b = std::move(alias);
    EXPECT_EQ(b.view(), "5678");
}

TEST(SecureBuffer, ConstructionCopiesExactlyOnceIntoAnExactAllocation) {
    // reserve(size) then assign: one allocation of the exact size, so no reallocation ever left
    // a partial copy behind; the wipe covers exactly the secret's bytes.
    WipeRecorder recorder;
    const char text[] = "SANDBOX1234";
    {
        SecureBuffer b(text, sizeof text - 1);
        EXPECT_NE(static_cast<const void *>(b.data()), static_cast<const void *>(text));
    }
    EXPECT_EQ(recorder.wipes_of_size(sizeof text - 1), 1u);
}

TEST(SecureBuffer, SecureWipeOverwritesACallerRegion) {
    WipeRecorder recorder;
    char region[8] = {'1', '2', '3', '4', '5', '6', '7', '8'};
    secure_wipe(region, sizeof region);
    EXPECT_TRUE(recorder.wiped(region, sizeof region));
    for (char c : region) EXPECT_EQ(c, 0);
}

TEST(SecureBuffer, TheRecorderSeesAMissingWipe) {
    // The observer is what the other tests rely on: memory that is merely released (not through
    // SecureBuffer) leaves no record, so a path that forgot to wipe would be caught.
    WipeRecorder recorder;
    { std::vector<std::uint8_t> plain{'1', '2', '3', '4'}; }
    EXPECT_EQ(recorder.count(), 0u);
    EXPECT_EQ(recorder.wipes_of_size(4), 0u);
}

}  // namespace
}  // namespace onshi
