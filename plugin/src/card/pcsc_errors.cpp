#include "card/pcsc_errors.h"

#include <cstdio>

namespace onshi::card {
namespace {

const char *name_of(std::uint32_t code) {
    using namespace scard;
    switch (code) {
    case internal_error: return "SCARD_F_INTERNAL_ERROR";
    case cancelled: return "SCARD_E_CANCELLED";
    case invalid_handle: return "SCARD_E_INVALID_HANDLE";
    case invalid_parameter: return "SCARD_E_INVALID_PARAMETER";
    case no_memory: return "SCARD_E_NO_MEMORY";
    case insufficient_buffer: return "SCARD_E_INSUFFICIENT_BUFFER";
    case unknown_reader: return "SCARD_E_UNKNOWN_READER";
    case timeout: return "SCARD_E_TIMEOUT";
    case sharing_violation: return "SCARD_E_SHARING_VIOLATION";
    case no_smartcard: return "SCARD_E_NO_SMARTCARD";
    case unknown_card: return "SCARD_E_UNKNOWN_CARD";
    case proto_mismatch: return "SCARD_E_PROTO_MISMATCH";
    case not_ready: return "SCARD_E_NOT_READY";
    case invalid_value: return "SCARD_E_INVALID_VALUE";
    case system_cancelled: return "SCARD_E_SYSTEM_CANCELLED";
    case comm_error: return "SCARD_F_COMM_ERROR";
    case not_transacted: return "SCARD_E_NOT_TRANSACTED";
    case reader_unavailable: return "SCARD_E_READER_UNAVAILABLE";
    case no_service: return "SCARD_E_NO_SERVICE";
    case service_stopped: return "SCARD_E_SERVICE_STOPPED";
    case no_readers_available: return "SCARD_E_NO_READERS_AVAILABLE";
    case unsupported_card: return "SCARD_W_UNSUPPORTED_CARD";
    case unresponsive_card: return "SCARD_W_UNRESPONSIVE_CARD";
    case unpowered_card: return "SCARD_W_UNPOWERED_CARD";
    case reset_card: return "SCARD_W_RESET_CARD";
    case removed_card: return "SCARD_W_REMOVED_CARD";
    case security_violation: return "SCARD_W_SECURITY_VIOLATION";
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
    return code == scard::no_service || code == scard::service_stopped || code == scard::comm_error ||
           code == scard::invalid_handle || code == scard::security_violation;
}

Error pcsc_error(std::uint32_t code, PcscOp op, const char *call) {
    const std::string c = std::string(call) + ": " + pcsc_code_text(code);
    auto e = [&](onshi_status s, const char *en, const char *ja) {
        return Error(s, {std::string(en) + " (" + c + ")", std::string(ja) + "（" + c + "）"});
    };
    // Where the status's clerk sentence already says it all, the detail for IT is the call and code.
    auto code_only = [&](onshi_status s) { return Error(s, {c, c}); };
    switch (code) {
    case scard::no_service:
    case scard::service_stopped:
    case scard::comm_error:
    case scard::system_cancelled:
        return code_only(ONSHI_E_PCSC_UNAVAILABLE);
    case scard::invalid_handle:
    case scard::security_violation:
        if (op == PcscOp::transmit)
            return e(ONSHI_E_CARD_REMOVED, "the connection to the card was lost", "カードとの接続が失われました");
        return e(ONSHI_E_PCSC_UNAVAILABLE, "the smart-card service was restarted",
                 "スマートカードサービスが再起動されました");
    case scard::no_readers_available:
    case scard::unknown_reader:
    case scard::reader_unavailable:
        return code_only(ONSHI_E_NO_READER);
    case scard::sharing_violation:
        return code_only(ONSHI_E_CARD_IN_USE);
    case scard::no_smartcard:
    case scard::removed_card:
        if (op == PcscOp::connect)
            return code_only(ONSHI_E_NO_CARD);
        return code_only(ONSHI_E_CARD_REMOVED);
    case scard::reset_card:
    case scard::not_transacted:
        // During a transmit both mean the card vanished (docs/pcsc-harness.md §A card pull: a
        // pulled card gives NOT_TRANSACTED before pcscd notices, then REMOVED_CARD); a reset one
        // has lost our state.
        return e(ONSHI_E_CARD_REMOVED, "the card was taken off the reader or reset",
                 "カードが読み取り機から離れたか、リセットされました");
    case scard::unsupported_card:
    case scard::unknown_card:
    case scard::proto_mismatch:
        return e(ONSHI_E_NOT_MYNUMBER_CARD, "the card does not speak T=0 or T=1",
                 "カードが対応していない通信方式です");
    case scard::unresponsive_card:
    case scard::unpowered_card:
        return e(ONSHI_E_CARD_ERROR, "the card does not respond", "カードが応答しません");
    case scard::no_memory:
        return code_only(ONSHI_E_NO_MEMORY);
    case scard::timeout:
        return e(ONSHI_E_TIMEOUT, "the smart-card service did not answer in time",
                 "スマートカードサービスが時間内に応答しません");
    case scard::cancelled:
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
