// The 個別照会 files of the 資格確認端末's folder interface (docs/folder-interface.md §個別照会): the
// request the program writes into `req`, the names that pair it with the terminal's answer in
// `res`, and the answer read into the one result model.
//
//   query_xml          OQSsiquc01req body: XmlMsg / MessageHeader (MedicalInstitutionCode when
//                      known, ArbitraryFileIdentifier) / MessageBody / QualificationConfirmSearchInfo
//                      with the official elements in their order, Shift_JIS like the terminal's
//                      own files;
//   request_file_name  OQSsiquc01req_<id>.xml;
//   is_answer_for      OQSsiquc01res_<id>.xml or OQSsiquc01res_<id>_<anything>.xml;
//   write_answer       the answer's bytes -> host JSON with "source": "terminal".
#pragma once

#include "gateway/result_notices.h"

#include "util/json_writer.h"

#include <string>
#include <string_view>

namespace onshi::gateway {

// The search keys, already validated (core/insurance_request.h); values exactly as they go into
// the file (InsurerNumber padded to 8 characters).
struct InsuranceQuery {
    std::string insurer_number;
    std::string card_symbol;      // empty: no element (後期高齢者 cards have none)
    std::string identification_number;
    std::string branch_number;    // empty: no element
    std::string birthdate;        // YYYYMMDD
    std::string limit_consent;    // LimitApplicationCertificateRelatedConsFlg, "0" or "1"
};

// Throws Error(ONSHI_E_VALIDATION) when a value has no Shift_JIS code (naming the element only).
std::string query_xml(const InsuranceQuery &query, std::string_view institution_code, std::string_view file_id);

std::string request_file_name(std::string_view id);
bool is_answer_for(std::string_view file_name, std::string_view id);

// The answer's result. Throws Error(ONSHI_E_TERMINAL_ANSWER) when it cannot be read (the import's
// ONSHI_E_PARSE, with its message), Error(ONSHI_E_ELIGIBILITY_ERROR) when it says the query was
// not processed (SegmentOfResult other than 1: ErrorCode and message kept).
void write_answer(json::Writer &out, std::string_view answer_bytes, const CheckDigitRule &check_digit = {});

}  // namespace onshi::gateway
