#include "card/pcsc_errors.h"

#include <cstdio>

namespace onshi::card {
namespace {

// Values from the PC/SC workgroup specification (identical in pcsc-lite and Windows winerror.h).
enum : std::uint32_t {
    kCancelled = 0x80100002,
    kInvalidHandle = 0x80100003,
    kNoMemory = 0x80100006,
    kTimeout = 0x8010000A,
    kSharingViolation = 0x8010000B,
    kNoSmartcard = 0x8010000C,
    kUnknownCard = 0x8010000D,
    kProtoMismatch = 0x8010000F,
    kNotReady = 0x80100010,
    kSystemCancelled = 0x80100012,
    kCommError = 0x80100013,
    kUnknownReader = 0x80100009,
    kNotTransacted = 0x80100016,
    kReaderUnavailable = 0x80100017,
    kNoService = 0x8010001D,
    kServiceStopped = 0x8010001E,
    kNoReadersAvailable = 0x8010002E,
    kUnsupportedCard = 0x80100065,
    kUnresponsiveCard = 0x80100066,
    kUnpoweredCard = 0x80100067,
    kResetCard = 0x80100068,
    kRemovedCard = 0x80100069,
    kSecurityViolation = 0x8010006A,
    kInternalError = 0x80100001,
};

const char *name_of(std::uint32_t code) {
    switch (code) {
    case kCancelled: return "SCARD_E_CANCELLED";
    case kInvalidHandle: return "SCARD_E_INVALID_HANDLE";
    case kNoMemory: return "SCARD_E_NO_MEMORY";
    case kTimeout: return "SCARD_E_TIMEOUT";
    case kSharingViolation: return "SCARD_E_SHARING_VIOLATION";
    case kNoSmartcard: return "SCARD_E_NO_SMARTCARD";
    case kUnknownCard: return "SCARD_E_UNKNOWN_CARD";
    case kProtoMismatch: return "SCARD_E_PROTO_MISMATCH";
    case kNotReady: return "SCARD_E_NOT_READY";
    case kSystemCancelled: return "SCARD_E_SYSTEM_CANCELLED";
    case kCommError: return "SCARD_F_COMM_ERROR";
    case kUnknownReader: return "SCARD_E_UNKNOWN_READER";
    case kNotTransacted: return "SCARD_E_NOT_TRANSACTED";
    case kReaderUnavailable: return "SCARD_E_READER_UNAVAILABLE";
    case kNoService: return "SCARD_E_NO_SERVICE";
    case kServiceStopped: return "SCARD_E_SERVICE_STOPPED";
    case kNoReadersAvailable: return "SCARD_E_NO_READERS_AVAILABLE";
    case kUnsupportedCard: return "SCARD_W_UNSUPPORTED_CARD";
    case kUnresponsiveCard: return "SCARD_W_UNRESPONSIVE_CARD";
    case kUnpoweredCard: return "SCARD_W_UNPOWERED_CARD";
    case kResetCard: return "SCARD_W_RESET_CARD";
    case kRemovedCard: return "SCARD_W_REMOVED_CARD";
    case kSecurityViolation: return "SCARD_W_SECURITY_VIOLATION";
    case kInternalError: return "SCARD_F_INTERNAL_ERROR";
    default: return nullptr;
    }
}

}  // namespace

std::string pcsc_code_text(std::uint32_t code) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(code));
    const char *name = name_of(code);
    return name ? std::string(buf) + " " + name : std::string(buf);
}

bool pcsc_context_is_dead(std::uint32_t code) noexcept {
    // COMM_ERROR is what a blocked call sees when pcscd dies; INVALID_HANDLE what Windows gives
    // for a context from before a Smart Card service restart; SECURITY_VIOLATION what a restarted
    // pcscd answers for a card handle the old one gave out (seen in the soak: 11 of 107 restarts).
    return code == kNoService || code == kServiceStopped || code == kCommError ||
           code == kInvalidHandle || code == kSecurityViolation;
}

Error pcsc_error(std::uint32_t code, PcscOp op, const char *call) {
    const std::string c = std::string(call) + ": " + pcsc_code_text(code);
    auto e = [&](onshi_status s, const char *en, const char *ja) {
        return Error(s, {std::string(en) + " (" + c + ")", std::string(ja) + "（" + c + "）"});
    };
    // Where the status's clerk sentence already says it all, the detail for IT is the call and code.
    auto code_only = [&](onshi_status s) { return Error(s, {c, c}); };
    switch (code) {
    case kNoService:
    case kServiceStopped:
    case kCommError:
    case kSystemCancelled:
        return code_only(ONSHI_E_PCSC_UNAVAILABLE);
    case kInvalidHandle:
    case kSecurityViolation:
        if (op == PcscOp::transmit)
            return e(ONSHI_E_CARD_REMOVED, "the connection to the card was lost", "カードとの接続が失われました");
        return e(ONSHI_E_PCSC_UNAVAILABLE, "the smart-card service was restarted",
                 "スマートカードサービスが再起動されました");
    case kNoReadersAvailable:
    case kUnknownReader:
    case kReaderUnavailable:
        return code_only(ONSHI_E_NO_READER);
    case kSharingViolation:
        return code_only(ONSHI_E_CARD_IN_USE);
    case kNoSmartcard:
    case kRemovedCard:
        if (op == PcscOp::connect)
            return code_only(ONSHI_E_NO_CARD);
        return code_only(ONSHI_E_CARD_REMOVED);
    case kResetCard:
    case kNotTransacted:
        // During a transmit both mean the card vanished (docs/pcsc-harness.md §A card pull: a
        // pulled card gives NOT_TRANSACTED before pcscd notices, then REMOVED_CARD); a reset one
        // has lost our state.
        return e(ONSHI_E_CARD_REMOVED, "the card was taken off the reader or reset",
                 "カードが読み取り機から離れたか、リセットされました");
    case kUnsupportedCard:
    case kUnknownCard:
    case kProtoMismatch:
        return e(ONSHI_E_NOT_MYNUMBER_CARD, "the card does not speak T=0 or T=1",
                 "カードが対応していない通信方式です");
    case kUnresponsiveCard:
    case kUnpoweredCard:
        return e(ONSHI_E_CARD_ERROR, "the card does not respond", "カードが応答しません");
    case kNoMemory:
        return code_only(ONSHI_E_NO_MEMORY);
    case kTimeout:
        return e(ONSHI_E_TIMEOUT, "the smart-card service did not answer in time",
                 "スマートカードサービスが時間内に応答しません");
    case kCancelled:
        return code_only(ONSHI_E_CANCELLED);
    default:
        break;
    }
    if (op == PcscOp::transmit || op == PcscOp::connect)
        return e(ONSHI_E_CARD_ERROR, "the card reader reported an error", "カードリーダーがエラーを返しました");
    return e(ONSHI_E_PCSC_UNAVAILABLE, "the smart-card service reported an error",
             "スマートカードサービスがエラーを返しました");
}

}  // namespace onshi::card
