// The only factory of CommandApdu. Every command onshi can ever send to a card is built here, from
// closed enums and validated arguments, so the do-not-read list of docs/design.md §Rules 1 (Kenhojo
// AP at all, Kenkaku EF 0005, 照合番号A EFs 0013/0014) cannot even be expressed by a caller:
//  - there is no Ap member for the Kenhojo AP and no Ef member for a forbidden file;
//  - select_ef() maps the enum through an exhaustive switch, so a static_cast'ed stray value is
//    refused at run time (ONSHI_E_INTERNAL) instead of reaching the card;
//  - VERIFY only exists for the auth PIN (JPKI 0018) and 照合番号B (Kenkaku 0012), shape-checked.
// Short APDUs (Le <= 256, Lc <= 255) for all the work: extended length support varies by card model
// and by reader. The one extended command is a READ BINARY that a reader diagnosis uses to probe
// whether the reader and the card pass extended length at all.
#pragma once

#include "card/apdu.h"
#include "util/secure_buffer.h"

#include <array>
#include <cstdint>
#include <span>

namespace onshi::card {

// Applications we may select. Deliberately no Kenhojo (券面事項入力補助AP): it holds the 個人番号.
enum class Ap : std::uint8_t {
    jpki,     // 公的個人認証AP: auth certificate, auth key, auth PIN
    kenkaku,  // 券面事項確認AP: card face (face photo) behind 照合番号B
};

// Elementary files we may select, each bound to its AP.
enum class Ef : std::uint8_t {
    jpki_token,           // JPKI 0006: "JPKIAPICCTOKEN2" identifies a My Number Card
    jpki_auth_cert,       // JPKI 000A: 利用者証明用電子証明書 (readable without PIN)
    jpki_auth_key,        // JPKI 0017: 利用者証明用 private key (SIGN after PIN)
    jpki_auth_pin,        // JPKI 0018: 利用者証明用暗証番号 (4 digits, 3 tries)
    kenkaku_face,         // Kenkaku 0002: card face incl. the face photo (after 照合番号B)
    kenkaku_collation_b,  // Kenkaku 0012: 照合番号B key (14 digits, 10 tries)
};

inline constexpr std::array<Ef, 6> kAllEfs = {Ef::jpki_token,     Ef::jpki_auth_cert,
                                              Ef::jpki_auth_key,  Ef::jpki_auth_pin,
                                              Ef::kenkaku_face,   Ef::kenkaku_collation_b};

struct EfAddress {
    Ap ap;
    std::uint16_t fid;
};

// Exhaustive switch without default: adding an Ef member without an address fails the build
// (-Wswitch -Werror). Unknown values (a cast) return fid 0, which select_ef() refuses.
constexpr EfAddress address_of(Ef ef) noexcept {
    switch (ef) {
    case Ef::jpki_token: return {Ap::jpki, 0x0006};
    case Ef::jpki_auth_cert: return {Ap::jpki, 0x000A};
    case Ef::jpki_auth_key: return {Ap::jpki, 0x0017};
    case Ef::jpki_auth_pin: return {Ap::jpki, 0x0018};
    case Ef::kenkaku_face: return {Ap::kenkaku, 0x0002};
    case Ef::kenkaku_collation_b: return {Ap::kenkaku, 0x0012};
    }
    return {Ap::jpki, 0x0000};
}

// Compile-time proof that no selectable file is on the do-not-read list
// (docs/card-protocol.md §The never-touch list).
constexpr bool is_forbidden_file(EfAddress a) noexcept {
    if (a.ap == Ap::kenkaku)
        return a.fid == 0x0005 /* 個人番号 image */ || a.fid == 0x0013 /* 照合番号A */ ||
               a.fid == 0x0001 /* not needed: birth-date record */;
    return false;
}
constexpr bool no_forbidden_files() noexcept {
    for (Ef ef : kAllEfs)
        if (is_forbidden_file(address_of(ef)) || address_of(ef).fid == 0) return false;
    return true;
}
static_assert(no_forbidden_files(), "an Ef member addresses a file on the do-not-read list");

// Which secret a VERIFY carries; decides the key EF, the shape check and the error statuses.
enum class SecretKind : std::uint8_t {
    auth_pin,     // 4 ASCII digits, key EF JPKI 0018
    collation_b,  // 14 ASCII digits (YYMMDD + YYYY + 4), key EF Kenkaku 0012
};

constexpr Ef key_ef_of(SecretKind kind) noexcept {
    return kind == SecretKind::auth_pin ? Ef::jpki_auth_pin : Ef::kenkaku_collation_b;
}

// The 19-byte DER prefix of a SHA-256 DigestInfo (PKCS#1 v1.5, RFC 8017 §9.2 note 1).
inline constexpr std::array<std::uint8_t, 19> kSha256DigestInfoPrefix = {
    0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

class Commands {
public:
    Commands() = delete;

    static CommandApdu select_ap(Ap ap);
    static CommandApdu select_jpki_ap() { return select_ap(Ap::jpki); }
    static CommandApdu select_kenkaku_ap() { return select_ap(Ap::kenkaku); }

    // SELECT EF by FID (P1 02, P2 0C: no FCI). Throws Error(ONSHI_E_INTERNAL) for a value that is
    // not an Ef member.
    static CommandApdu select_ef(Ef ef);

    // READ BINARY of the current EF. offset < 0x8000 (P1 bit 8 clear: no SFI), 1 <= le <= 256
    // (256 is encoded as 00). Throws Error(ONSHI_E_INTERNAL) on out-of-range arguments.
    static CommandApdu read_binary(std::uint16_t offset, std::uint16_t le);

    // READ BINARY with an extended Le (00 B0 P1 P2 00 Le1 Le2; 1 <= le <= 65536, 65536 as 0000):
    // only the reader diagnosis's probe on a file that needs no secret.
    static CommandApdu read_binary_extended(std::uint16_t offset, std::uint32_t le);

    // Empty VERIFY 00 20 00 80: asks the tries left (63Cx) and spends nothing.
    static CommandApdu verify_query();

    // VERIFY 00 20 00 80 Lc <secret>. Validates the shape first (Error ONSHI_E_PIN_FORMAT /
    // ONSHI_E_COLLATION_B_FORMAT); the command is marked carries_secret and wipes itself.
    static CommandApdu verify(SecretKind kind, const SecureBuffer &secret);

    // COMPUTE DIGITAL SIGNATURE 80 2A 00 80 33 <SHA-256 DigestInfo> 00 with the current key EF.
    static CommandApdu sign_sha256(std::span<const std::uint8_t, 32> digest);

    // The same short case-2 command (READ BINARY or GET RESPONSE, no data, no secret) with another
    // Le: a T=0 card that answered 6Cxx wants it again with Le = xx. Throws ONSHI_E_INTERNAL for
    // any other command.
    static CommandApdu with_le(const CommandApdu &command, std::uint16_t le);

    // GET RESPONSE 00 C0 00 00 Le, only to fetch data a T=0 card announced with 61xx.
    static CommandApdu get_response(std::uint8_t le);
};

}  // namespace onshi::card
