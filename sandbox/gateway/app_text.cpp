#include "gateway/app_text.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cstdio>

namespace sandbox::gateway {

namespace {

struct Era {
  const char* name;
  int first_day;
};

// Newest first: the first era whose first day is not after the date.
constexpr std::array<Era, 5> kEras{{{"令和", 20190501}, {"平成", 19890108}, {"昭和", 19261225},
                                    {"大正", 19120730}, {"明治", 18681023}}};

std::string text_of(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it != object.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, s.find_last_not_of(' ') - b + 1);
}

// "030" -> "3割".
std::string ratio_text(const std::string& ratio) {
  if (ratio.size() != 3) return ratio;
  return std::to_string(std::stoi(ratio) / 10) + "割";
}

std::string limit_flag_text(const std::string& code) {
  static const std::array<std::pair<const char*, const char*>, 6> flags{
      {{"A01", "ア"}, {"A02", "イ"}, {"A03", "ウ"}, {"A04", "エ"}, {"A05", "オ"}, {"A06", "オ（境）"}}};
  for (const auto& [c, t] : flags)
    if (code == c) return t;
  return code;
}

}  // namespace

std::string wareki(const std::string& ymd) {
  if (ymd.size() != 8 || ymd.find_first_not_of("0123456789") != std::string::npos) return ymd;
  const int date = std::stoi(ymd);
  for (const Era& e : kEras) {
    if (date < e.first_day) continue;
    const int year = date / 10000 - e.first_day / 10000 + 1;
    const std::string y = year == 1 ? "元" : std::to_string(year);
    return std::string(e.name) + y + "年" + std::to_string(date / 100 % 100) + "月" + std::to_string(date % 100) + "日";
  }
  return ymd;
}

std::optional<std::string> render_app_text(const InsuredPerson& person, const std::string& confirmation_date) {
  if (person.result_json.empty()) return std::nullopt;
  rapidjson::Document r;
  r.Parse(person.result_json.c_str());
  std::string out;
  auto line = [&out](const char* label, const std::string& value) {
    if (!value.empty()) out += std::string(label) + "：" + value + "\r\n";
  };
  line("確認日", wareki(confirmation_date));
  line("氏名", text_of(r, "Name"));
  line("フリガナ", text_of(r, "NameKana"));
  line("生年月日", wareki(text_of(r, "Birthdate")));
  const std::string sex = text_of(r, "Sex1");
  line("性別", sex == "1" ? "男" : sex == "2" ? "女" : "");
  line("保険者番号", trimmed(text_of(r, "InsurerNumber")));
  line("記号", text_of(r, "InsuredCardSymbol"));
  line("番号", text_of(r, "InsuredIdentificationNumber"));
  line("枝番", text_of(r, "InsuredBranchNumber"));
  const std::string family = text_of(r, "PersonalFamilyClassification");
  line("本人・家族の別", family == "1" ? "本人" : family == "2" ? "家族" : "");
  line("被保険者氏名", text_of(r, "InsuredName"));
  line("資格取得年月日", wareki(text_of(r, "QualificationDate")));
  line("有効開始日", wareki(text_of(r, "InsuredCardValidDate")));
  line("有効終了日", wareki(text_of(r, "InsuredCardExpirationDate")));
  line("保険者名", text_of(r, "InsurerName"));
  line("住所", text_of(r, "Address"));
  const std::string ratio = text_of(r, "InsuredPartialContributionRatio");
  if (!ratio.empty()) line("一部負担金割合", ratio_text(ratio));
  if (r.HasMember("ElderlyRecipientCertificateInfo")) {
    const rapidjson::Value& e = r["ElderlyRecipientCertificateInfo"];
    out += "高齢受給者証\r\n";
    line("交付年月日", wareki(text_of(e, "ElderlyRecipientCertificateDate")));
    line("有効開始年月日", wareki(text_of(e, "ElderlyRecipientValidStartDate")));
    line("有効終了年月日", wareki(text_of(e, "ElderlyRecipientValidEndDate")));
    line("一部負担金割合", ratio_text(text_of(e, "ElderlyRecipientContributionRatio")));
  }
  if (!person.limit_info_json.empty()) {
    rapidjson::Document l;
    l.Parse(person.limit_info_json.c_str());
    out += "限度額適用認定証\r\n";
    line("区分", limit_flag_text(text_of(l, "LimitApplicationCertificateClassificationFlag")));
    line("交付年月日", wareki(text_of(l, "LimitApplicationCertificateDate")));
    line("有効開始年月日", wareki(text_of(l, "LimitApplicationCertificateValidStartDate")));
    line("有効終了年月日", wareki(text_of(l, "LimitApplicationCertificateValidEndDate")));
  }
  return out;
}

std::string record_json(const InsuredPerson& person) {
  rapidjson::Document r;
  r.Parse(person.result_json.empty() ? "{}" : person.result_json.c_str());
  if (!person.limit_info_json.empty()) {
    rapidjson::Document l(&r.GetAllocator());
    l.Parse(person.limit_info_json.c_str());
    r.AddMember("LimitApplicationCertificateRelatedInfo", rapidjson::Value(l, r.GetAllocator()), r.GetAllocator());
  }
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  r.Accept(w);
  return sb.GetString();
}

}  // namespace sandbox::gateway
