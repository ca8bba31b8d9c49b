#include "gateway/terminal_query.h"

#include "gateway/face_export.h"
#include "gateway/xml_result_import.h"
#include "util/error.h"

namespace onshi::gateway {
namespace {

std::string escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        default: out += c;
        }
    }
    return out;
}

void element(std::string &xml, const char *name, std::string_view value) {
    xml += "<";
    xml += name;
    xml += ">" + escaped(value) + "</";
    xml += name;
    xml += ">\r\n";
}

constexpr std::string_view kRequestPrefix = "OQSsiquc01req_";
constexpr std::string_view kAnswerPrefix = "OQSsiquc01res_";

}  // namespace

std::string query_xml(const InsuranceQuery &query, std::string_view institution_code, std::string_view file_id) {
    // Declaration as the public writers of req files have it (OQSDrug2 BulkQualificationService).
    std::string xml = "<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"no\"?>\r\n<XmlMsg>\r\n<MessageHeader>\r\n";
    if (!institution_code.empty()) element(xml, "MedicalInstitutionCode", institution_code);
    element(xml, "ArbitraryFileIdentifier", file_id);
    xml += "</MessageHeader>\r\n<MessageBody>\r\n<QualificationConfirmSearchInfo>\r\n";
    element(xml, "InsurerNumber", query.insurer_number);
    if (!query.card_symbol.empty()) element(xml, "InsuredCardSymbol", query.card_symbol);
    element(xml, "InsuredIdentificationNumber", query.identification_number);
    if (!query.branch_number.empty()) element(xml, "InsuredBranchNumber", query.branch_number);
    element(xml, "Birthdate", query.birthdate);
    element(xml, "LimitApplicationCertificateRelatedConsFlg", query.limit_consent);
    xml += "</QualificationConfirmSearchInfo>\r\n</MessageBody>\r\n</XmlMsg>\r\n";
    try {
        return to_shift_jis(xml);
    } catch (const Error &) {
        // Only the symbol and the number can hold characters other than ASCII digits.
        throw Error(ONSHI_E_VALIDATION,
                    {"InsuredCardSymbol or InsuredIdentificationNumber has a character with no Shift_JIS code",
                     "InsuredCardSymbol または InsuredIdentificationNumber に Shift_JIS にない文字があります"});
    }
}

std::string request_file_name(std::string_view id) { return std::string(kRequestPrefix) + std::string(id) + ".xml"; }

bool is_answer_for(std::string_view name, std::string_view id) {
    if (name.size() < kAnswerPrefix.size() + id.size() + 4 || name.substr(0, kAnswerPrefix.size()) != kAnswerPrefix ||
        name.substr(name.size() - 4) != ".xml")
        return false;
    const std::string_view rest = name.substr(kAnswerPrefix.size(), name.size() - kAnswerPrefix.size() - 4);
    if (rest.substr(0, id.size()) != id) return false;
    return rest.size() == id.size() || rest[id.size()] == '_';
}

void write_answer(json::Writer &out, std::string_view answer_bytes, const CheckDigitRule &check_digit) {
    try {
        write_result_from_xml(out, answer_bytes, check_digit, "terminal");
    } catch (const Error &e) {
        if (e.status() != ONSHI_E_PARSE) throw;
        throw Error(ONSHI_E_TERMINAL_ANSWER, {"the terminal's answer cannot be read: " + e.detail().en,
                                              "資格確認端末の応答を読み取れません: " + e.detail().ja});
    }
}

}  // namespace onshi::gateway
