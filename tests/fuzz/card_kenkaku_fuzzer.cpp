// The visual check's card conversation (券面事項確認AP: 照合番号B tries, VERIFY, the face photo
// located through the TLV headers and DF21 offset table of EF 0002) against a card that answers
// anything. The photo is bounded, and 照合番号B's last try is never spent (the host never allows
// it here).
#include "card/face_photo.h"
#include "card/kenkaku.h"
#include "fuzz_card_channel.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    fuzz::FuzzCardChannel channel({data, size});
    card::CardSession session(channel);
    card::Kenkaku kenkaku(session);

    fuzz::refusal_allowed([&] {
        const int tries = kenkaku.query_collation_b_tries();
        if (tries != card::kTriesUnknown && (tries < 1 || tries > 15)) fuzz::property_failed();
    });
    fuzz::refusal_allowed([&] { kenkaku.verify_collation_b(SecureBuffer::from_string("80021720351234"), false); });
    fuzz::refusal_allowed([&] {
        const std::vector<std::uint8_t> photo = kenkaku.read_face_jp2();
        if (photo.empty() || photo.size() > card::PhotoLimits{}.max_input_bytes) fuzz::property_failed();
    });
    if (!channel.last_try_rule_held()) fuzz::property_failed();
    return 0;
}
