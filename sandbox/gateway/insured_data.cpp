#include "gateway/insured_data.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "persona/persona.h"

namespace sandbox::gateway {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// One fictitious record. Insurer numbers are given without their check digit (computed below).
struct Spec {
  const char* persona;
  const char* validity;      // QualificationValidity (OQSCD006)
  const char* kana;          // NameKana, half-width katakana with a half-width space
  const char* card_class;    // InsuredCardClassification (OQSCD010)
  const char* insurer_body;  // 法別2 + 都道府県2 + 保険者別3 (or 国保: 都道府県2 + 3)
  const char* symbol;        // InsuredCardSymbol (nullptr: none, as on 後期高齢者 cards)
  const char* number;        // InsuredIdentificationNumber
  const char* branch;        // InsuredBranchNumber (nullptr: none)
  const char* family;        // PersonalFamilyClassification (OQSCD009)
  const char* insured_name;  // InsuredName (世帯主/被保険者); nullptr: the person's own name
  const char* insurer_name;
  const char* qualification_date;
  const char* issuance_date;
  const char* disqualification_date = nullptr;
  const char* reason_of_loss = nullptr;  // OQSCD008
  const char* partial_ratio = nullptr;   // InsuredPartialContributionRatio (後期高齢者)
  bool elderly = false;                  // ElderlyRecipientCertificateInfo, ratio 020
  bool limit = false;                    // LimitApplicationCertificateRelatedInfo 01 / A03
  bool medical_aid = false;              // 医療扶助: PublicExpenseResultList (docs/public-assistance.md)
};

const std::vector<Spec>& specs() {
  static const std::vector<Spec> v = {
      {"valid-honnin", "1", "ｼｹﾝ ﾀﾛｳ", "01", "0613048", "1234", "567", "00", "1", nullptr,
       "架空電機健康保険組合", "20180401", "20180410"},
      {"valid-kazoku", "1", "ｼｹﾝ ﾊﾅｺ", "01", "0613048", "1234", "567", "01", "2", "試験　太郎",
       "架空電機健康保険組合", "20180401", "20180410"},
      {"elderly-70", "1", "ｼｹﾝ ｲﾁﾛｳ", "01", "13805", "架空", "2468", "00", "1", nullptr,
       "架空区国民健康保険", "20190701", "20240610", nullptr, nullptr, nullptr, true},
      {"koki-39", "1", "ｼｹﾝ ｳﾒ", "01", "3913004", nullptr, "00012345", nullptr, "1", nullptr,
       "架空県後期高齢者医療広域連合", "20200303", "20250801", nullptr, nullptr, "010"},
      {"limit-cert", "1", "ｼｹﾝ ｼﾞﾛｳ", "01", "0113001", "7010203", "45", "00", "1", nullptr,
       "架空健康保険協会　東京支部", "20100401", "20100415", nullptr, nullptr, nullptr, false, true},
      {"lost-qualification", "2", "ｼｹﾝ ｻﾌﾞﾛｳ", "01", "0627012", "88", "1203", "00", "1", nullptr,
       "架空商事健康保険組合", "20120401", "20120405", "20260331", "03"},
      {"new-qualification", "3", "ｼｹﾝ ｼﾛｳ", "01", "0614015", "21", "3003", "00", "1", nullptr,
       "架空物産健康保険組合", "20230401", "20230407", "20261031", "03"},
      {"no-record", "4", "ｼｹﾝ ｺﾞﾛｳ", "", "", nullptr, "", nullptr, "", nullptr, "", "", ""},
      {"revoked-cert", "1", "ｼｹﾝ ﾛｸﾛｳ", "01", "0127001", "5020304", "12", "00", "1", nullptr,
       "架空健康保険協会　大阪支部", "20150401", "20150410"},
      {"cert-expiring", "1", "ｼｹﾝ ｼﾞｭｳｲﾁｺ", "01", "0127001", "5020306", "56", "00", "1", nullptr,
       "架空健康保険協会　大阪支部", "20170401", "20170410"},
      {"cert-grace", "1", "ｼｹﾝ ｼﾞｭｳｼﾞﾛｳ", "01", "0127001", "5020307", "78", "00", "1", nullptr,
       "架空健康保険協会　大阪支部", "20140401", "20140410"},
      {"cert-expired", "1", "ｼｹﾝ ﾅﾅｺ", "01", "0127001", "5020305", "34", "00", "1", nullptr,
       "架空健康保険協会　大阪支部", "20160401", "20160410"},
      {"phone-android", "1", "ｼｹﾝ ｽﾏｺ", "01", "0613048", "1234", "571", "00", "1", nullptr,
       "架空電機健康保険組合", "20220401", "20220410"},
      {"phone-android-blocked", "1", "ｼｹﾝ ｽﾏｵ", "01", "0613048", "1234", "572", "00", "1", nullptr,
       "架空電機健康保険組合", "20220401", "20220410"},
      {"phone-android-last-try", "1", "ｼｹﾝ ｽﾏﾐ", "01", "0613048", "1234", "573", "00", "1", nullptr,
       "架空電機健康保険組合", "20220401", "20220410"},
      {"phone-iphone", "1", "ｼｹﾝ ｱｲﾀ", "01", "0613048", "1234", "574", "00", "1", nullptr,
       "架空電機健康保険組合", "20230401", "20230410"},
      // 医療扶助: InsurerNumber is the 公費負担者番号 (法別 12), InsuredIdentificationNumber the
      // 受給者番号 (6 digits + check digit), InsurerName the 福祉事務所; no symbol, branch or 本人・家族.
      {"seikatsu-hogo", "1", "ｼｹﾝ ﾌｼﾞｮ", "A1", "1213201", nullptr, "", nullptr, "", nullptr,
       "架空区福祉事務所", "20240401", "20240401", nullptr, nullptr, nullptr, false, false, true},
      {"blocked-pin", "1", "ｼｹﾝ ﾊﾁﾛｳ", "01", "3113001", "国家架空", "7788", "00", "1", nullptr,
       "架空省共済組合", "20090401", "20090401"},
      {"last-try", "1", "ｼｹﾝ ｷｭｳｺ", "01", "0113001", "7010204", "78", "00", "1", nullptr,
       "架空健康保険協会　東京支部", "20210401", "20210412"},
      {"juki-card", "1", "ｼｹﾝ ｼﾞｭｳﾛｳ", "01", "0114001", "3010101", "9", "00", "1", nullptr,
       "架空健康保険協会　神奈川支部", "19830401", "19830410"},
  };
  return v;
}

void member(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value);
}

// The welfare office's 医療券 (outpatient, at the sandbox's facility) and 調剤券 for this month,
// every element of MedicalTicketInfo (docs/public-assistance.md) with a fictitious value.
void write_medical_tickets(Writer& w) {
  struct Ticket {
    const char* type;        // OQSCD018: 01 医療券, 02 調剤券
    const char* treatment;   // OQSCD019: 02 入院外, 04 調剤
    const char* issue;       // 交付番号
    const char* prescriber;  // 処方箋発行元 (調剤券 only)
    const char* self_pay;    // 本人支払額
  };
  w.Key("PublicExpenseResultList");
  w.StartObject();
  w.Key("MedicalTicketInfo");
  w.StartArray();
  for (const Ticket& t : {Ticket{"01", "02", "0001234", "", "0"}, Ticket{"02", "04", "0001235", "3410712362", "1200"}}) {
    w.StartObject();
    member(w, "TicketType", t.type);
    member(w, "MedicalTicketValidDate", "20261201");
    member(w, "MedicalTicketExpirationDate", "20261231");
    member(w, "IssueNumber", t.issue);
    member(w, "MedicalTreatmentMonth", "202612");
    member(w, "DesignatedMedicalInstitutionCode", "3410712362");
    member(w, "DesignatedMedicalInstitutionFlag", "0");
    member(w, "DesignatedMedicalInstitutionName", "試験クリニック（サンドボックス）");
    member(w, "PrescriptionIssuerMedicalInstitutionCode", t.prescriber);
    member(w, "PrescriptionIssuerMedicalInstitutionName", *t.prescriber ? "試験クリニック（サンドボックス）" : "");
    member(w, "InjuryName1", "架空性上気道炎");
    member(w, "InjuryName2", "架空性腰痛症");
    member(w, "InjuryName3", "");
    member(w, "MedicalTreatmentType", t.treatment);
    member(w, "SelfPayAmount", t.self_pay);
    member(w, "DistrictContactName", "試験　担当");
    member(w, "HandlingContactName", "試験　取扱");
    member(w, "SingleOrCombinedUse", "01");
    member(w, "StatusOfSocialInsurance", "02");
    member(w, "ConsistencyFlag", "");
    member(w, "StatusOfInfecton", "02");
    member(w, "StatusOfElderlyMedicalCare", "02");
    member(w, "StatusOfPrefecturalExpenses", "02");
    member(w, "Remarks1", "サンドボックスの架空の医療券です");
    member(w, "Remarks2", "");
    member(w, "Remarks3", "");
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

char check_digit(const std::string& body) {
  int sum = 0;
  bool two = true;
  for (auto it = body.rbegin(); it != body.rend(); ++it, two = !two) {
    const int d = (*it - '0') * (two ? 2 : 1);
    sum += d / 10 + d % 10;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::vector<InsuredPerson> seed_insured_persons() {
  std::vector<InsuredPerson> out;
  for (const Spec& s : specs()) {
    const Persona* p = find_persona(s.persona);
    if (p == nullptr) continue;
    InsuredPerson person;
    person.person_id = s.persona;
    person.qualification_validity = s.validity;
    if (std::string(s.validity) == "4") {  // 該当資格なし: no ResultList at all
      out.push_back(person);
      continue;
    }
    std::string insurer = std::string(s.insurer_body) + check_digit(s.insurer_body);
    if (insurer.size() == 6) insurer = "  " + insurer;  // 国保: 6 digits, space-padded to 8
    // 受給者番号: 6 digits and a check digit, from the persona's birth date.
    const std::string number =
        s.medical_aid ? p->birth_date.substr(2, 6) + check_digit(p->birth_date.substr(2, 6)) : std::string(s.number);
    rapidjson::StringBuffer sb;
    Writer w(sb);
    w.StartObject();
    member(w, "InsuredCardClassification", s.card_class);
    member(w, "InsurerNumber", insurer);
    if (s.symbol != nullptr) member(w, "InsuredCardSymbol", s.symbol);
    member(w, "InsuredIdentificationNumber", number);
    if (s.branch != nullptr) member(w, "InsuredBranchNumber", s.branch);
    if (*s.family != '\0') member(w, "PersonalFamilyClassification", s.family);
    member(w, "InsuredName", s.insured_name != nullptr ? s.insured_name : p->name);
    member(w, "Name", p->name);
    member(w, "NameKana", s.kana);
    member(w, "Sex1", std::string(1, p->sex));
    member(w, "Birthdate", p->birth_date);
    member(w, "Address", p->address);
    member(w, "PostNumber", "123-4567");
    member(w, "QualificationDate", s.qualification_date);
    if (s.disqualification_date != nullptr) member(w, "DisqualificationDate", s.disqualification_date);
    member(w, "InsuredCertificateIssuanceDate", s.issuance_date);
    member(w, "InsuredCardValidDate", s.qualification_date);
    if (s.disqualification_date != nullptr) member(w, "InsuredCardExpirationDate", s.disqualification_date);
    if (s.partial_ratio != nullptr) member(w, "InsuredPartialContributionRatio", s.partial_ratio);
    if (s.reason_of_loss != nullptr) member(w, "ReasonOfLoss", s.reason_of_loss);
    member(w, "InsurerName", s.insurer_name);
    if (s.elderly) {
      w.Key("ElderlyRecipientCertificateInfo");
      w.StartObject();
      member(w, "ElderlyRecipientCertificateDate", "20240610");
      member(w, "ElderlyRecipientValidStartDate", "20240701");
      member(w, "ElderlyRecipientValidEndDate", "20290630");
      member(w, "ElderlyRecipientContributionRatio", "020");
      w.EndObject();
    }
    if (s.medical_aid) write_medical_tickets(w);
    w.EndObject();
    person.result_json.assign(sb.GetString(), sb.GetSize());
    if (s.limit) {
      rapidjson::StringBuffer lb;
      Writer l(lb);
      l.StartObject();
      member(l, "LimitApplicationCertificateClassification", "01");
      member(l, "LimitApplicationCertificateClassificationFlag", "A03");
      member(l, "LimitApplicationCertificateDate", "20250801");
      member(l, "LimitApplicationCertificateValidStartDate", "20250801");
      member(l, "LimitApplicationCertificateValidEndDate", "20270731");
      l.EndObject();
      person.limit_info_json.assign(lb.GetString(), lb.GetSize());
    }
    out.push_back(person);
  }
  return out;
}

}  // namespace sandbox::gateway
