// The command factory is the guarantee behind docs/design.md §Rules 1: these tests pin every
// command's bytes and prove that everything the factory can produce is in a short allow-list. VERIFY
// refuses a secret of the wrong shape (secret_format_test.cpp has the shapes).
#include "card/commands.h"
#include "scripted_channel.h"
#include "util/error.h"
#include "status_of.h"

#include <gtest/gtest.h>

#include <array>
#include <type_traits>

namespace onshi::card {
namespace {

using test::from_hex;
using test::to_hex;

std::string hex(const CommandApdu &c) { return to_hex(c.bytes()); }

using onshi::test::status_of;

// ---- the allow-list -----------------------------------------------------------------------------

// Every shape the card layer may ever send. Anything else — in particular Kenhojo AP selection,
// Kenkaku EF 0005, 照合番号A EFs 0013/0014, SFI-addressed reads, extended APDUs — fails here.
bool allowed(const std::vector<std::uint8_t> &c) {
    const std::string h = to_hex(c);
    if (h == test::kSelectJpki || h == test::kSelectKenkaku) return true;
    static const std::array<std::string, 6> efs = {"0006", "000A", "0017", "0018", "0002", "0012"};
    for (const std::string &fid : efs)
        if (h == "00A4020C02" + fid) return true;
    if (c.size() == 5 && c[0] == 0x00 && c[1] == 0xB0 && (c[2] & 0x80) == 0) return true;  // READ BINARY
    if (h == "00200080") return true;                                                       // tries query
    if (c.size() == 9 && h.starts_with("0020008004")) return true;                          // PIN
    if (c.size() == 19 && h.starts_with("002000800E")) return true;                         // 照合番号B
    if (c.size() == 57 && h.starts_with("802A008033" "3031300D060960864801650304020105000420") && c.back() == 0)
        return true;                                                                        // SIGN
    if (c.size() == 5 && h.starts_with("00C00000")) return true;                            // GET RESPONSE
    return false;
}

TEST(CommandsAllowList, EveryFactoryOutputIsAllowed) {
    std::vector<CommandApdu> all;
    all.push_back(Commands::select_jpki_ap());
    all.push_back(Commands::select_kenkaku_ap());
    for (Ef ef : kAllEfs) all.push_back(Commands::select_ef(ef));
    for (int off : {0, 1, 255, 256, 0x1234, 0x7FFF})
        for (int le : {1, 4, 32, 255, 256})
            all.push_back(Commands::read_binary(static_cast<std::uint16_t>(off), static_cast<std::uint16_t>(le)));
    all.push_back(Commands::verify_query());
    all.push_back(Commands::verify(SecretKind::auth_pin, SecureBuffer::from_string("1234")));
    all.push_back(Commands::verify(SecretKind::collation_b, SecureBuffer::from_string("55021720352285")));
    std::array<std::uint8_t, 32> digest{};
    all.push_back(Commands::sign_sha256(digest));
    for (int le = 0; le < 256; ++le) all.push_back(Commands::get_response(static_cast<std::uint8_t>(le)));
    for (const CommandApdu &c : all) EXPECT_TRUE(allowed(c.bytes())) << to_hex(c.bytes());
}

TEST(CommandsAllowList, ForbiddenShapesAreNotAllowed) {
    // The allow-list itself must reject the do-not-read list
    // (docs/card-protocol.md §The never-touch list).
    for (const char *h : {"00A4040C0AD3921000310001010408",  // Kenhojo AP
                          "00A4020C020005",                  // Kenkaku 個人番号 image
                          "00A4020C020001",                  // Kenhojo 個人番号 / Kenkaku birth record
                          "00A4020C020013", "00A4020C020014",  // 照合番号A
                          "00A4020C020003",                  // Kenhojo hash of the 個人番号
                          "00B08A0000",                      // SFI read
                          "002000800C313233343536373839303132"})  // 12-digit 照合番号A
        EXPECT_FALSE(allowed(from_hex(h))) << h;
}

TEST(CommandsAllowList, EfEnumHasNoForbiddenMember) {
    // Compile-time: commands.h static_asserts no_forbidden_files(); here the same at run time, and
    // that kAllEfs lists distinct members (so the loop above saw every EF).
    static_assert(no_forbidden_files());
    static_assert(std::is_same_v<std::underlying_type_t<Ef>, std::uint8_t>);
    for (std::size_t i = 0; i < kAllEfs.size(); ++i)
        for (std::size_t j = i + 1; j < kAllEfs.size(); ++j) EXPECT_NE(kAllEfs[i], kAllEfs[j]);
    // The enum only has the listed members: the next value after the last is not an EF.
    EXPECT_EQ(address_of(static_cast<Ef>(kAllEfs.size())).fid, 0);
}

TEST(CommandsAllowList, CastStrayValueIsRefusedAtRunTime) {
    for (int v : {6, 7, 0x13, 0xFF})  // 0..5 are the members
        EXPECT_EQ(status_of([&] { (void)Commands::select_ef(static_cast<Ef>(v)); }), ONSHI_E_INTERNAL) << v;
    EXPECT_EQ(status_of([] { (void)Commands::select_ap(static_cast<Ap>(2)); }), ONSHI_E_INTERNAL);
}

// ---- exact bytes --------------------------------------------------------------------------------

TEST(Commands, Bytes) {
    EXPECT_EQ(hex(Commands::select_jpki_ap()), "00A4040C0AD392F000260100000001");
    EXPECT_EQ(hex(Commands::select_kenkaku_ap()), "00A4040C0AD3921000310001010402");
    EXPECT_EQ(hex(Commands::select_ef(Ef::jpki_auth_cert)), "00A4020C02000A");
    EXPECT_EQ(hex(Commands::select_ef(Ef::kenkaku_collation_b)), "00A4020C020012");
    EXPECT_EQ(hex(Commands::read_binary(0, 256)), "00B0000000");
    EXPECT_EQ(hex(Commands::read_binary(0x0200, 0xED)), "00B00200ED");
    EXPECT_EQ(hex(Commands::verify_query()), "00200080");
    EXPECT_EQ(hex(Commands::get_response(0x10)), "00C0000010");
    CommandApdu pin = Commands::verify(SecretKind::auth_pin, SecureBuffer::from_string("1234"));
    EXPECT_EQ(hex(pin), "002000800431323334");
    EXPECT_TRUE(pin.carries_secret());
    EXPECT_FALSE(Commands::verify_query().carries_secret());
    std::array<std::uint8_t, 32> digest;
    for (std::size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<std::uint8_t>(i);
    EXPECT_EQ(hex(Commands::sign_sha256(digest)),
              "802A008033" "3031300D060960864801650304020105000420"
              "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F" "00");
}

TEST(Commands, ReadBinaryBounds) {
    EXPECT_EQ(status_of([] { (void)Commands::read_binary(0x8000, 1); }), ONSHI_E_INTERNAL);  // would be SFI
    EXPECT_EQ(status_of([] { (void)Commands::read_binary(0, 0); }), ONSHI_E_INTERNAL);
    EXPECT_EQ(status_of([] { (void)Commands::read_binary(0, 257); }), ONSHI_E_INTERNAL);
}

}  // namespace
}  // namespace onshi::card
