#include "card/pcsc_errors.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

TEST(PcscErrors, Mapping) {
    struct Row { std::uint32_t code; PcscOp op; onshi_status want; };
    for (Row r : {Row{0x8010001D, PcscOp::context, ONSHI_E_PCSC_UNAVAILABLE},  // NO_SERVICE
                  Row{0x8010001E, PcscOp::list, ONSHI_E_PCSC_UNAVAILABLE},     // SERVICE_STOPPED
                  Row{0x80100013, PcscOp::wait, ONSHI_E_PCSC_UNAVAILABLE},     // COMM_ERROR (pcscd died)
                  Row{0x80100069, PcscOp::transmit, ONSHI_E_CARD_REMOVED},     // REMOVED_CARD
                  Row{0x8010000C, PcscOp::transmit, ONSHI_E_CARD_REMOVED},     // NO_SMARTCARD
                  Row{0x80100016, PcscOp::transmit, ONSHI_E_CARD_REMOVED},     // NOT_TRANSACTED
                  Row{0x80100068, PcscOp::transmit, ONSHI_E_CARD_REMOVED},     // RESET_CARD
                  Row{0x8010000C, PcscOp::connect, ONSHI_E_NO_CARD},
                  Row{0x80100069, PcscOp::connect, ONSHI_E_NO_CARD},
                  Row{0x8010000B, PcscOp::connect, ONSHI_E_CARD_IN_USE},       // SHARING_VIOLATION
                  Row{0x80100009, PcscOp::connect, ONSHI_E_NO_READER},         // UNKNOWN_READER
                  Row{0x80100017, PcscOp::connect, ONSHI_E_NO_READER},         // READER_UNAVAILABLE
                  Row{0x8010002E, PcscOp::list, ONSHI_E_NO_READER},
                  Row{0x8010000F, PcscOp::connect, ONSHI_E_NOT_MYNUMBER_CARD}, // PROTO_MISMATCH
                  Row{0x80100066, PcscOp::connect, ONSHI_E_CARD_ERROR},        // UNRESPONSIVE
                  Row{0x80100002, PcscOp::wait, ONSHI_E_CANCELLED},
                  Row{0x8010000A, PcscOp::wait, ONSHI_E_TIMEOUT},
                  Row{0x8010006A, PcscOp::connect, ONSHI_E_PCSC_UNAVAILABLE},
                  Row{0x8010006A, PcscOp::transmit, ONSHI_E_CARD_REMOVED},
                  Row{0x80100099, PcscOp::transmit, ONSHI_E_CARD_ERROR},
                  Row{0x80100099, PcscOp::context, ONSHI_E_PCSC_UNAVAILABLE}}) {
        Error e = pcsc_error(r.code, r.op, "SCardX");
        EXPECT_EQ(e.status(), r.want) << pcsc_code_text(r.code);
        EXPECT_NE(e.detail().en.find("SCardX"), std::string::npos);
        EXPECT_FALSE(e.detail().ja.empty());
    }
}

TEST(PcscErrors, DeadContexts) {
    EXPECT_TRUE(pcsc_context_is_dead(0x8010001D));
    EXPECT_TRUE(pcsc_context_is_dead(0x8010001E));
    EXPECT_TRUE(pcsc_context_is_dead(0x80100013));
    EXPECT_TRUE(pcsc_context_is_dead(0x8010006A));
    EXPECT_FALSE(pcsc_context_is_dead(0x80100069));
    EXPECT_FALSE(pcsc_context_is_dead(0x8010000A));
    EXPECT_EQ(pcsc_code_text(0x8010001D), "0x8010001D SCARD_E_NO_SERVICE");
}

TEST(PcscErrors, EveryNamedCodeHasItsSpecificationNameInTexts) {
    // The values are the specification's (pcsc-lite's pcsclite.h, Windows winerror.h).
    EXPECT_EQ(scard::insufficient_buffer, 0x80100008u);
    EXPECT_EQ(scard::invalid_parameter, 0x80100004u);
    EXPECT_EQ(scard::invalid_value, 0x80100011u);
    EXPECT_EQ(scard::no_readers_available, 0x8010002Eu);
    EXPECT_EQ(pcsc_code_text(scard::insufficient_buffer), "0x80100008 SCARD_E_INSUFFICIENT_BUFFER");
    EXPECT_EQ(pcsc_code_text(scard::removed_card), "0x80100069 SCARD_W_REMOVED_CARD");
    for (std::uint32_t code :
         {scard::internal_error, scard::cancelled, scard::invalid_handle, scard::invalid_parameter, scard::no_memory,
          scard::insufficient_buffer, scard::unknown_reader, scard::timeout, scard::sharing_violation,
          scard::no_smartcard, scard::unknown_card, scard::proto_mismatch, scard::not_ready, scard::invalid_value,
          scard::system_cancelled, scard::comm_error, scard::not_transacted, scard::reader_unavailable,
          scard::no_service, scard::service_stopped, scard::no_readers_available, scard::unsupported_card,
          scard::unresponsive_card, scard::unpowered_card, scard::reset_card, scard::removed_card,
          scard::security_violation})
        EXPECT_NE(pcsc_code_text(code).find(" SCARD_"), std::string::npos) << pcsc_code_text(code);
    EXPECT_EQ(pcsc_code_text(0x80100099), "0x80100099");
}

}  // namespace
}  // namespace onshi::card
