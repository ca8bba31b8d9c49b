// Import of an official 資格確認結果 XML (OQSsiquc01res_*.xml, as the face-recognition terminal's
// 連携アプリ writes it to its res / face folders) into the eligibility result (eligibility_result.h).
//
// Bytes -> encoding (XML declaration first, then CharacterCodeIdentifier 0 UTF-8 / 1 Shift_JIS;
// Shift_JIS is decoded as CP932) -> UTF-8 -> pugixml -> {"XmlMsg": {...}} with every element as a
// member of its own name, every leaf a string (exactly as in the file), repeated elements as
// arrays (ResultOfQualificationConfirmation, SpecificDiseasesCertificateInfo and MedicalTicketInfo
// always) -> the host JSON, with "source": "xml" and no "confirmation".
//
// Hostile input is refused with Error(ONSHI_E_PARSE) and a ja/en message that says where: more
// than kMaxResultXmlBytes, invalid bytes for the encoding, malformed XML, a DOCTYPE (no DTDs, no
// entities), nesting deeper than kMaxResultXmlDepth, a root other than XmlMsg.
#pragma once

#include "gateway/result_notices.h"

#include "util/json_writer.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace onshi::gateway {

inline constexpr std::size_t kMaxResultXmlBytes = 4u << 20;
inline constexpr unsigned kMaxResultXmlDepth = 32;

// Offset of the first byte that is not well-formed UTF-8 or is a control character XML forbids
// (tab, LF and CR are allowed), or npos.
std::size_t invalid_utf8_at(std::string_view text);

// {"XmlMsg": {...}} as JSON text (the same shape as the gateway's "result" member).
std::string official_json_from_xml(std::string_view xml_bytes);

// Writes the host JSON (eligibility_result.h) of an official result XML into `out`; nothing is
// written when the XML is refused.
// With `check_digit`, 医療扶助 numbers whose check digit does not check get a notice
// (result_notices.h). A file whose result says it was not processed is refused with
// ONSHI_E_ELIGIBILITY_ERROR (eligibility_result.h require_processed).
// `source` is the result's "source" member: "xml" for an imported file, "terminal" for the
// 資格確認端末's answer to a 個別照会.
void write_result_from_xml(json::Writer &out, std::string_view xml_bytes, const CheckDigitRule &check_digit = {},
                           std::string source = "xml");
// The same JSON as text.
std::string result_json_from_xml(std::string_view xml_bytes, const CheckDigitRule &check_digit = {});

}  // namespace onshi::gateway
