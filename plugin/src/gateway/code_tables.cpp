#include "gateway/code_tables.h"

#include <array>
#include <cstddef>

namespace onshi::gateway {
namespace {

struct Code {
    std::string_view code;
    std::string_view ja;
    std::string_view en;
};

struct Table {
    std::string_view id;
    const Code *codes;
    std::size_t count;
};

template <std::size_t N>
constexpr Table table(std::string_view id, const std::array<Code, N> &codes) {
    return {id, codes.data(), N};
}

// ---- the tables (docs/eligibility-format.md §Code tables) -------------------------------------

constexpr std::array<Code, 2> kCd001{{{"0", "未同意", "Not consented"}, {"1", "同意", "Consented"}}};
constexpr std::array<Code, 2> kCd002{{{"1", "マイナンバーカード", "My Number Card"},
                                      {"2", "被保険者証情報", "Health insurance card data"}}};
// 9 is the documented failure; 3 appears in one comment only (treated as unknown).
constexpr std::array<Code, 3> kCd003{{{"1", "正常終了", "Completed"},
                                      {"2", "処理中", "In progress"},
                                      {"9", "異常終了", "Failed"}}};
constexpr std::array<Code, 2> kCd004{{{"1", "正常終了", "Completed"}, {"2", "エラー", "Error"}}};
// 0/1 per myclinic and the face files; the watcher's 1/2 numbering is not followed.
constexpr std::array<Code, 2> kCd005{{{"0", "UTF-8", "UTF-8"}, {"1", "Shift_JIS", "Shift_JIS"}}};
constexpr std::array<Code, 6> kCd006{{{"1", "有効", "Valid"},
                                      {"2", "無効", "Invalid"},
                                      {"3", "無効（新しい資格あり）", "Invalid (a newer qualification exists)"},
                                      {"4", "該当資格なし", "No matching qualification"},
                                      {"5", "複数該当", "Multiple matches"},
                                      {"6", "有効（未登録）", "Valid (not registered)"}}};
constexpr std::array<Code, 3> kCd007{{{"1", "男", "Male"}, {"2", "女", "Female"}, {"3", "未設定", "Not set"}}};
constexpr std::array<Code, 4> kCd008{{{"01", "死亡", "Death"},
                                      {"02", "生活保護受給開始", "Start of public assistance"},
                                      {"03", "医療保険等の資格取得", "Joined another health insurance"},
                                      {"99", "その他", "Other"}}};
constexpr std::array<Code, 2> kCd009{{{"1", "本人", "Insured person"}, {"2", "家族", "Dependent"}}};
constexpr std::array<Code, 8> kCd010{{{"01", "被保険者証（一般）", "Health insurance card (general)"},
                                      {"02", "被保険者証（退職）", "Health insurance card (retired)"},
                                      {"03", "短期被保険者証（一般）", "Short-term insurance card (general)"},
                                      {"04", "短期被保険者証（退職）", "Short-term insurance card (retired)"},
                                      {"05", "被保険者資格証明書", "Certificate of insured status"},
                                      {"06", "特例退職被保険者証", "Special retiree insurance card"},
                                      {"07", "自衛官診療証", "Self-Defense Forces medical card"},
                                      {"A1", "医療扶助", "Medical assistance"}}};
constexpr std::array<Code, 3> kCd011{{{"01", "限度額適用認定証", "Ceiling-amount certificate"},
                                      {"02", "限度額適用・標準負担額減額認定証",
                                       "Ceiling-amount and standard meal-cost reduction certificate"},
                                      {"03", "標準負担額減額認定証", "Standard meal-cost reduction certificate"}}};
constexpr std::array<Code, 16> kCd012{{{"A01", "ア", "Category A (under 70)"},
                                       {"A02", "イ", "Category I (under 70)"},
                                       {"A03", "ウ", "Category U (under 70)"},
                                       {"A04", "エ", "Category E (under 70)"},
                                       {"A05", "オ", "Category O (under 70, tax-exempt)"},
                                       {"A06", "オ（境）", "Category O (borderline)"},
                                       {"B01", "現役並みⅢ", "Working-level income III (70+)"},
                                       {"B02", "現役並みⅡ", "Working-level income II (70+)"},
                                       {"B03", "現役並みⅠ", "Working-level income I (70+)"},
                                       {"B04", "一般", "General (70-74)"},
                                       {"B05", "低所得Ⅱ", "Low income II"},
                                       {"B06", "低所得Ⅰ", "Low income I"},
                                       {"B07", "低所得Ⅰ（老福）", "Low income I (old-age welfare pension)"},
                                       {"B08", "低所得Ⅰ（境）", "Low income I (borderline)"},
                                       {"B09", "一般Ⅱ", "General II (late-stage elderly)"},
                                       {"B10", "一般Ⅰ", "General I (late-stage elderly)"}}};
constexpr std::array<Code, 3> kCd013{{{"1", "人工透析を必要とする慢性腎不全", "Chronic renal failure requiring dialysis"},
                                      {"2", "先天性血液凝固因子障害（第VIII因子、第IX因子）",
                                       "Congenital coagulation factor disorder (factor VIII, IX)"},
                                      {"3", "血液凝固因子製剤の投与に起因するHIV感染症",
                                       "HIV infection caused by coagulation factor products"}}};
constexpr std::array<Code, 2> kCd014{{{"0", "変更なし", "Unchanged"},
                                      {"1", "変更あり または 判定不能", "Changed or undeterminable"}}};
// Only 1 is documented by the main sources; a 2 (就学中) in one watcher stays unlabelled.
constexpr std::array<Code, 1> kCd015{{{"1", "未就学", "Preschool child"}}};
constexpr std::array<Code, 4> kCd016{{{"0", "同意なし", "Not consented"},
                                      {"1", "同意あり", "Consented"},
                                      {"2", "同意有効期限切れ", "Consent expired"},
                                      {"3", "同意取得困難", "Consent could not be obtained"}}};
constexpr std::array<Code, 2> kCd017{{{"1", "電子処方箋", "Electronic prescription"},
                                      {"2", "紙の処方箋", "Paper prescription"}}};
constexpr std::array<Code, 2> kCd018{{{"01", "医療券", "Medical ticket"}, {"02", "調剤券", "Dispensing ticket"}}};
constexpr std::array<Code, 5> kCd019{{{"01", "入院", "Inpatient"},
                                      {"02", "入院外", "Outpatient"},
                                      {"03", "歯科", "Dental"},
                                      {"04", "調剤", "Dispensing"},
                                      {"05", "訪問看護", "Home-visit nursing"}}};
constexpr std::array<Code, 2> kCd020{{{"01", "単独", "Single"}, {"02", "併用", "Combined"}}};
constexpr std::array<Code, 2> kCdPresence{{{"01", "あり", "Yes"}, {"02", "なし", "No"}}};  // 021/023/024/025
constexpr std::array<Code, 1> kCd022{{{"1", "不整合あり", "Inconsistent"}}};
constexpr std::array<Code, 2> kCd026{{{"0", "一致", "Matches"}, {"1", "不一致", "Does not match"}}};

struct Binding {
    std::string_view element;
    Table table;
};

// Element -> table. Spelling variants seen in the sources are listed too
// (docs/eligibility-format.md §Result fields).
const std::array kBindings{
    Binding{"LimitApplicationCertificateRelatedConsFlg", table("OQSCD001", kCd001)},
    Binding{"ReferenceClassification", table("OQSCD002", kCd002)},
    Binding{"SegmentOfResult", table("OQSCD003", kCd003)},
    Binding{"ProcessingResultStatus", table("OQSCD004", kCd004)},
    Binding{"CharacterCodeIdentifier", table("OQSCD005", kCd005)},
    Binding{"QualificationValidity", table("OQSCD006", kCd006)},
    Binding{"Sex1", table("OQSCD007", kCd007)},
    Binding{"Sex2", table("OQSCD007", kCd007)},
    Binding{"ReasonOfLoss", table("OQSCD008", kCd008)},
    Binding{"PersonalFamilyClassification", table("OQSCD009", kCd009)},
    Binding{"InsuredCardClassification", table("OQSCD010", kCd010)},
    Binding{"LimitApplicationCertificateClassification", table("OQSCD011", kCd011)},
    Binding{"LimitApplicationCertificateClassificationFlag", table("OQSCD012", kCd012)},
    Binding{"SpecificDiseasesDiseaseCategory", table("OQSCD013", kCd013)},
    Binding{"LimitApplicationCertificateChanged", table("OQSCD014", kCd014)},
    Binding{"PreschoolClassification", table("OQSCD015", kCd015)},
    Binding{"SpecificDiseasesCertificateRelatedConsFlg", table("OQSCD016", kCd016)},
    Binding{"SpecificHealthCheckupsInfoConsFlg", table("OQSCD016", kCd016)},
    Binding{"PharmacistsInfoConsFlg", table("OQSCD016", kCd016)},
    Binding{"PharmaceuticalInfoConsFlg", table("OQSCD016", kCd016)},
    Binding{"DiagnosisInfoConsFlg", table("OQSCD016", kCd016)},
    Binding{"OperationInfoConsFlg", table("OQSCD016", kCd016)},
    Binding{"PrescriptionIssueSelect", table("OQSCD017", kCd017)},
    Binding{"TicketType", table("OQSCD018", kCd018)},
    Binding{"MedicalTreatmentType", table("OQSCD019", kCd019)},
    Binding{"SingleOrCombinedUse", table("OQSCD020", kCd020)},
    Binding{"StatusOfSocialInsurance", table("OQSCD021", kCdPresence)},
    Binding{"ConsistencyFlag", table("OQSCD022", kCd022)},
    Binding{"StatusOfInfecton", table("OQSCD023", kCdPresence)},
    Binding{"StatusOfInfection", table("OQSCD023", kCdPresence)},
    Binding{"StatusOfElderlyMedicalCare", table("OQSCD024", kCdPresence)},
    Binding{"StatusOfPrefecturalExpenses", table("OQSCD025", kCdPresence)},
    Binding{"DesignatedMedicalInstitutionFlag", table("OQSCD026", kCd026)},
};

constexpr std::array<std::string_view, 2> kRatioElements{"InsuredPartialContributionRatio",
                                                         "ElderlyRecipientContributionRatio"};

const Binding *binding_of(std::string_view element) {
    for (const auto &b : kBindings)
        if (b.element == element) return &b;
    return nullptr;
}

bool is_ratio(std::string_view element) {
    for (auto r : kRatioElements)
        if (r == element) return true;
    return false;
}

std::optional<Label> ratio_label(std::string_view value) {
    if (value.size() != 3) return std::nullopt;
    int percent = 0;
    for (char c : value) {
        if (c < '0' || c > '9') return std::nullopt;
        percent = percent * 10 + (c - '0');
    }
    if (percent > 100) return std::nullopt;
    std::string wari = std::to_string(percent / 10);
    if (percent % 10) wari += "." + std::to_string(percent % 10);
    return Label{wari + "割", std::to_string(percent) + "%"};
}

}  // namespace

bool is_coded_element(std::string_view element) { return binding_of(element) || is_ratio(element); }

std::string_view code_table_of(std::string_view element) {
    if (const Binding *b = binding_of(element)) return b->table.id;
    return is_ratio(element) ? "ratio" : "";
}

std::optional<Label> code_label(std::string_view element, std::string_view value) {
    if (is_ratio(element)) return ratio_label(value);
    const Binding *b = binding_of(element);
    if (!b) return std::nullopt;
    for (std::size_t i = 0; i < b->table.count; ++i) {
        const Code &c = b->table.codes[i];
        if (c.code == value) return Label{std::string(c.ja), std::string(c.en)};
    }
    return std::nullopt;
}

}  // namespace onshi::gateway
