// The visual path over a small simulated card: SELECT/VERIFY/READ BINARY answered from an in-memory
// card-face file (FF 20 { DF21 offsets, DF22 birth, ..., DF27 JP2, ... }). The card records which
// byte ranges left it, so the test proves the personal fields were skipped, not read.
#include "card/kenkaku.h"
#include "jp2_fixture.h"
#include "scripted_channel.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>

namespace onshi::card {
namespace {

using namespace test;

std::vector<std::uint8_t> tlv(std::uint16_t tag, const std::vector<std::uint8_t> &value) {
    std::vector<std::uint8_t> out = {static_cast<std::uint8_t>(tag >> 8), static_cast<std::uint8_t>(tag)};
    std::size_t n = value.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else if (n < 0x100) {
        out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
    } else {
        out.insert(out.end(), {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
    }
    out.insert(out.end(), value.begin(), value.end());
    return out;
}

std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t v) { return std::vector<std::uint8_t>(n, v); }

struct CardFace {
    std::vector<std::uint8_t> file;
    std::map<std::uint16_t, std::pair<std::size_t, std::size_t>> value_range;  // tag -> [begin, end)
};

// Builds EF 0002. `good_table`: offsets point at each field's tag (as the card does); otherwise
// they are nonsense and the reader must fall back to walking headers.
CardFace make_card_face(const std::vector<std::uint8_t> &photo, bool good_table = true) {
    std::vector<std::pair<std::uint16_t, std::vector<std::uint8_t>>> fields = {
        {0xDF22, {'1', '9', '8', '0', '0', '2', '1', '7'}},  // birth date: must never be read
        {0xDF23, {'1'}},
        {0xDF24, filled(265, 0x24)},
        {0xDF25, filled(300, 0x25)},  // name image
        {0xDF26, filled(400, 0x26)},  // address image
        {0xDF27, photo},
        {0xDF28, filled(256, 0x28)},
        {0xDF29, {'2', '0', '3', '5', '1', '2', '3', '1'}},
        {0xDF2A, filled(120, 0x2A)},
    };
    const std::size_t table_len = 2 * fields.size();
    std::size_t outer_len = 3 + table_len;
    for (auto &[tag, v] : fields) outer_len += tlv(tag, v).size();
    std::vector<std::uint8_t> body;
    std::size_t pos = 5 + 3 + table_len;  // FF20 82 LL LL + DF21 12 + table
    std::vector<std::uint8_t> table;
    CardFace cf;
    std::vector<std::uint8_t> rest;
    for (auto &[tag, v] : fields) {
        std::vector<std::uint8_t> t = tlv(tag, v);
        std::size_t at = good_table ? pos : 0x10;
        table.push_back(static_cast<std::uint8_t>(at >> 8));
        table.push_back(static_cast<std::uint8_t>(at));
        cf.value_range[tag] = {pos + t.size() - v.size(), pos + t.size()};
        rest.insert(rest.end(), t.begin(), t.end());
        pos += t.size();
    }
    cf.file = {0xFF, 0x20, 0x82, static_cast<std::uint8_t>(outer_len >> 8), static_cast<std::uint8_t>(outer_len)};
    std::vector<std::uint8_t> t21 = tlv(0xDF21, table);
    cf.file.insert(cf.file.end(), t21.begin(), t21.end());
    cf.file.insert(cf.file.end(), rest.begin(), rest.end());
    cf.file.resize(cf.file.size() + 64, 0xFF);  // filler after the object
    return cf;
}

// A Kenkaku AP with one 照合番号B and EF 0002.
class FakeKenkakuCard final : public CardChannel {
public:
    FakeKenkakuCard(std::vector<std::uint8_t> face, std::string b, int tries)
        : face_(std::move(face)), b_(std::move(b)), tries_(tries) {}

    ResponseApdu transmit(const CommandApdu &command) override {
        const std::vector<std::uint8_t> &c = command.bytes();
        journal.push_back(to_hex(c));
        std::string h = to_hex(c);
        auto sw = [](std::uint16_t s) { ResponseApdu r; r.sw = s; return r; };
        if (h == kSelectKenkaku) { ap_ = true; ef_ = 0; verified_ = false; return sw(0x9000); }
        if (h.starts_with("00A4020C02")) {
            if (!ap_) return sw(0x6A82);
            ef_ = static_cast<std::uint16_t>(c[5] << 8 | c[6]);
            return sw(ef_ == 0x0002 || ef_ == 0x0012 ? 0x9000 : 0x6A82);
        }
        if (h == kVerifyQuery) return sw(static_cast<std::uint16_t>(0x63C0 | tries_));
        if (h.starts_with("00200080")) {
            if (tries_ == 0) return sw(0x6984);
            if (std::string(c.begin() + 5, c.end()) == b_) { verified_ = true; tries_ = 10; return sw(0x9000); }
            --tries_;
            return sw(static_cast<std::uint16_t>(0x63C0 | tries_));
        }
        if (c.size() == 5 && c[1] == 0xB0) {
            if (ef_ != 0x0002) return sw(0x6986);
            if (!verified_) return sw(0x6982);
            std::size_t off = static_cast<std::size_t>(c[2] << 8 | c[3]);
            std::size_t le = c[4] == 0 ? 256 : c[4];
            if (off >= face_.size()) return sw(0x6B00);
            std::size_t n = std::min(le, face_.size() - off);
            ResponseApdu r;
            r.data.assign(face_.begin() + static_cast<std::ptrdiff_t>(off),
                          face_.begin() + static_cast<std::ptrdiff_t>(off + n));
            r.sw = n < le ? 0x6282 : 0x9000;
            reads.emplace_back(off, off + n);
            return r;
        }
        return sw(0x6D00);
    }
    const std::vector<std::uint8_t> &atr() const override { return atr_; }

    std::vector<std::string> journal;
    std::vector<std::pair<std::size_t, std::size_t>> reads;

private:
    std::vector<std::uint8_t> face_;
    std::string b_;
    int tries_;
    bool ap_ = false;
    bool verified_ = false;
    std::uint16_t ef_ = 0;
    std::vector<std::uint8_t> atr_;
};

bool overlaps(const std::vector<std::pair<std::size_t, std::size_t>> &reads, std::pair<std::size_t, std::size_t> r) {
    for (auto [b, e] : reads)
        if (b < r.second && r.first < e) return true;
    return false;
}

const std::string kB = "55021720352285";

TEST(Kenkaku, PhotoExtractedAndConvertedWithoutReadingPersonalFields) {
    GreyImage src = make_gradient(48, 60);
    std::vector<std::uint8_t> jp2 = encode_jp2(src);
    CardFace cf = make_card_face(jp2);
    FakeKenkakuCard card(cf.file, kB, 10);
    CardSession s(card);

    std::vector<std::uint8_t> png = read_face_photo_png(s, SecureBuffer::from_string(kB), false);
    GreyImage out;
    ASSERT_TRUE(decode_png(png, out));
    EXPECT_EQ(out.width, 48u);
    EXPECT_EQ(out.height, 60u);
    EXPECT_EQ(out.pixels, src.pixels);

    for (int tag : {0xDF22, 0xDF23, 0xDF24, 0xDF25, 0xDF26, 0xDF29, 0xDF2A})
        EXPECT_FALSE(overlaps(card.reads, cf.value_range[static_cast<std::uint16_t>(tag)])) << std::hex << tag;
    // Never anything from the do-not-read list.
    for (const std::string &c : card.journal) {
        EXPECT_NE(c, "00A4020C020005");
        EXPECT_NE(c, "00A4020C020013");
    }
    // SELECT AP, SELECT 0012, query, VERIFY, SELECT 0002, header, table, DF27 window + the rest.
    std::size_t photo_reads = 1 + (jp2.size() + 4 > 256 ? (jp2.size() + 4 - 256 + 255) / 256 : 0);
    std::printf("[ card    ] photo %zu bytes: %zu APDUs\n", jp2.size(), s.apdu_count());
    EXPECT_EQ(s.apdu_count(), 5 + 2 + photo_reads);
}

TEST(Kenkaku, FallsBackToWalkingHeadersWhenTheOffsetTableIsWrong) {
    GreyImage src = make_gradient(20, 20);
    std::vector<std::uint8_t> jp2 = encode_jp2(src);
    CardFace cf = make_card_face(jp2, /*good_table=*/false);
    FakeKenkakuCard card(cf.file, kB, 10);
    CardSession s(card);
    Kenkaku k(s);
    k.verify_collation_b(SecureBuffer::from_string(kB), false);
    EXPECT_EQ(k.read_face_jp2(), jp2);
    // Headers only: the long personal fields' values are never transferred.
    for (int tag : {0xDF24, 0xDF25, 0xDF26})
        EXPECT_FALSE(overlaps(card.reads, cf.value_range[static_cast<std::uint16_t>(tag)])) << std::hex << tag;
}

TEST(Kenkaku, WrongCollationBAndBlocked) {
    CardFace cf = make_card_face(encode_jp2(make_gradient(8, 8)));
    {
        FakeKenkakuCard card(cf.file, kB, 10);
        CardSession s(card);
        try {
            read_face_photo_png(s, SecureBuffer::from_string("55021720350000"), false);
            FAIL();
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_COLLATION_B_INCORRECT);
            EXPECT_EQ(e.value(), 9);
        }
    }
    {
        FakeKenkakuCard card(cf.file, kB, 0);
        CardSession s(card);
        try {
            read_face_photo_png(s, SecureBuffer::from_string(kB), true);
            FAIL();
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_COLLATION_B_BLOCKED);
        }
        EXPECT_EQ(card.journal.size(), 3u);  // no VERIFY with data
    }
}

TEST(Kenkaku, MalformedCardFace) {
    std::vector<std::uint8_t> photo = encode_jp2(make_gradient(8, 8));
    auto expect_card_error = [&](std::vector<std::uint8_t> face, const char *why) {
        FakeKenkakuCard card(std::move(face), kB, 10);
        CardSession s(card);
        try {
            read_face_photo_png(s, SecureBuffer::from_string(kB), false);
            ADD_FAILURE() << why;
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_CARD_ERROR) << why << ": " << e.detail().en;
        }
    };
    // Wrong outer tag.
    CardFace cf = make_card_face(photo);
    cf.file[1] = 0x10;
    expect_card_error(cf.file, "outer tag FF10");
    // Outer length beyond 15-bit offsets.
    cf = make_card_face(photo);
    cf.file[3] = 0xFF;
    expect_card_error(cf.file, "huge outer length");
    // File truncated inside the photo.
    cf = make_card_face(photo);
    cf.file.resize(cf.value_range[0xDF27].first + 10);
    expect_card_error(cf.file, "truncated photo");
    // No DF27 at all (tag renamed), bad table.
    cf = make_card_face(photo, false);
    std::size_t tag_at = cf.value_range[0xDF27].first - 4;  // DF 27 82 LL LL
    ASSERT_EQ(cf.file[tag_at + 1], 0x27);
    cf.file[tag_at + 1] = 0x2F;
    expect_card_error(cf.file, "no DF27");
    // DF27 holds garbage instead of JPEG 2000.
    std::vector<std::uint8_t> junk(300, 0x42);
    expect_card_error(make_card_face(junk).file, "junk photo");
    // A field whose length runs past the container.
    cf = make_card_face(photo, false);
    std::size_t df25 = cf.value_range[0xDF25].first - 4;
    cf.file[df25 + 3] = 0x7F;
    expect_card_error(cf.file, "overlong field");
}

}  // namespace
}  // namespace onshi::card
