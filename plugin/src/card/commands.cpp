#include "card/commands.h"

#include "card/secret_format.h"
#include "util/error.h"

#include <string>

namespace onshi::card {
namespace {

constexpr std::array<std::uint8_t, 10> kJpkiAid = {0xD3, 0x92, 0xF0, 0x00, 0x26,
                                                   0x01, 0x00, 0x00, 0x00, 0x01};
constexpr std::array<std::uint8_t, 10> kKenkakuAid = {0xD3, 0x92, 0x10, 0x00, 0x31,
                                                      0x00, 0x01, 0x01, 0x04, 0x02};

[[noreturn]] void internal(const std::string &what) {
    throw Error(ONSHI_E_INTERNAL, {"card command refused: " + what, "カードコマンドを拒否しました: " + what});
}

}  // namespace

CommandApdu Commands::select_ap(Ap ap) {
    const std::array<std::uint8_t, 10> *aid = nullptr;
    switch (ap) {
    case Ap::jpki: aid = &kJpkiAid; break;
    case Ap::kenkaku: aid = &kKenkakuAid; break;
    }
    if (!aid) internal("unknown application");
    std::vector<std::uint8_t> b = {0x00, 0xA4, 0x04, 0x0C, static_cast<std::uint8_t>(aid->size())};
    b.insert(b.end(), aid->begin(), aid->end());
    return CommandApdu(std::move(b), false);
}

CommandApdu Commands::select_ef(Ef ef) {
    EfAddress a = address_of(ef);
    if (a.fid == 0 || is_forbidden_file(a)) internal("not an allowed elementary file");
    return CommandApdu({0x00, 0xA4, 0x02, 0x0C, 0x02, static_cast<std::uint8_t>(a.fid >> 8),
                        static_cast<std::uint8_t>(a.fid & 0xFF)},
                       false);
}

CommandApdu Commands::read_binary(std::uint16_t offset, std::uint16_t le) {
    // P1 bit 8 set would mean SFI addressing, which could read a file we never selected.
    if (offset > 0x7FFF) internal("READ BINARY offset beyond 15 bits");
    if (le < 1 || le > 256) internal("READ BINARY Le outside 1..256");
    return CommandApdu({0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8),
                        static_cast<std::uint8_t>(offset & 0xFF),
                        static_cast<std::uint8_t>(le == 256 ? 0 : le)},
                       false);
}

CommandApdu Commands::read_binary_extended(std::uint16_t offset, std::uint32_t le) {
    if (offset > 0x7FFF) internal("READ BINARY offset beyond 15 bits");
    if (le < 1 || le > 65536) internal("extended READ BINARY Le outside 1..65536");
    const std::uint32_t encoded = le == 65536 ? 0 : le;
    return CommandApdu({0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8), static_cast<std::uint8_t>(offset & 0xFF),
                        0x00, static_cast<std::uint8_t>(encoded >> 8), static_cast<std::uint8_t>(encoded & 0xFF)},
                       false, true);
}

CommandApdu Commands::verify_query() { return CommandApdu({0x00, 0x20, 0x00, 0x80}, false); }

CommandApdu Commands::verify(SecretKind kind, const SecureBuffer &secret) {
    check_secret_format(kind, secret);
    std::vector<std::uint8_t> b;
    b.reserve(5 + secret.size());  // exact size: no reallocation leaves an unwiped copy
    b.insert(b.end(), {0x00, 0x20, 0x00, 0x80, static_cast<std::uint8_t>(secret.size())});
    b.insert(b.end(), secret.data(), secret.data() + secret.size());
    return CommandApdu(std::move(b), true);
}

CommandApdu Commands::sign_sha256(std::span<const std::uint8_t, 32> digest) {
    std::vector<std::uint8_t> b = {0x80, 0x2A, 0x00, 0x80,
                                   static_cast<std::uint8_t>(kSha256DigestInfoPrefix.size() + 32)};
    b.insert(b.end(), kSha256DigestInfoPrefix.begin(), kSha256DigestInfoPrefix.end());
    b.insert(b.end(), digest.begin(), digest.end());
    b.push_back(0x00);
    return CommandApdu(std::move(b), false);
}

CommandApdu Commands::with_le(const CommandApdu &command, std::uint16_t le) {
    const std::vector<std::uint8_t> &b = command.bytes();
    if (command.carries_secret() || command.extended() || b.size() != 5 || b[0] != 0x00 || (b[1] != 0xB0 && b[1] != 0xC0))
        internal("only a short READ BINARY or GET RESPONSE may be sent again with another Le");
    if (le < 1 || le > 256) internal("Le outside 1..256");
    std::vector<std::uint8_t> out(b);
    out[4] = static_cast<std::uint8_t>(le == 256 ? 0 : le);
    return CommandApdu(std::move(out), false);
}

CommandApdu Commands::get_response(std::uint8_t le) {
    return CommandApdu({0x00, 0xC0, 0x00, 0x00, le}, false);
}

}  // namespace onshi::card
