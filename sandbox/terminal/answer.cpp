#include "terminal/answer.h"

#include <iconv.h>
#include <rapidjson/document.h>

#include <string_view>
#include <utility>

#include "common/bytes.h"

namespace sandbox::terminal {
namespace {

std::string convert(const std::string& in_text, const char* to, const char* from) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1))  // NOLINT(performance-no-int-to-ptr): iconv_open's failure value
    throw SandboxError(std::string("iconv cannot convert ") + from + " to " + to);
  std::string out(in_text.size() * 3 + 16, '\0');
  char* in = const_cast<char*>(in_text.data());
  std::size_t in_left = in_text.size(), out_left = out.size();
  char* dst = out.data();
  const std::size_t r = iconv(cd, &in, &in_left, &dst, &out_left);
  iconv_close(cd);
  if (r == static_cast<std::size_t>(-1)) throw SandboxError(std::string("a character has no code in ") + to);
  out.resize(out.size() - out_left);
  return out;
}

std::string unescape(const std::string& s) {
  static const std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    for (const auto& [entity, replacement] : kEntities) {
      if (s.compare(i, entity.size(), entity) == 0) {
        c = replacement;
        i += entity.size() - 1;
        break;
      }
    }
    out += c;
  }
  return out;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

void leaf(std::string& xml, const std::string& name, const std::string& value) {
  xml += "<" + name + ">" + escape(value) + "</" + name + ">\r\n";
}

// A record's JSON as elements: objects nest, arrays repeat their element, strings are leaves.
void elements(std::string& xml, const std::string& name, const rapidjson::Value& v) {
  if (v.IsString()) {
    leaf(xml, name, std::string(v.GetString(), v.GetStringLength()));
  } else if (v.IsArray()) {
    for (const auto& item : v.GetArray()) elements(xml, name, item);
  } else if (v.IsObject()) {
    xml += "<" + name + ">\r\n";
    for (const auto& m : v.GetObject()) elements(xml, m.name.GetString(), m.value);
    xml += "</" + name + ">\r\n";
  }
}

std::string ltrim(const std::string& s) {
  const auto p = s.find_first_not_of(' ');
  return p == std::string::npos ? std::string() : s.substr(p);
}

std::string member(const rapidjson::Value& o, const char* name) {
  const auto it = o.FindMember(name);
  return it != o.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
}

}  // namespace

std::string to_cp932(const std::string& utf8) { return convert(utf8, "CP932", "UTF-8"); }

std::optional<std::map<std::string, std::string>> read_request(const std::string& bytes) {
  std::string text = bytes;
  const auto decl_end = bytes.find("?>");
  const std::string decl = decl_end == std::string::npos ? std::string() : bytes.substr(0, decl_end);
  if (decl.find("Shift_JIS") != std::string::npos || decl.find("shift_jis") != std::string::npos) {
    try {
      text = convert(bytes, "UTF-8", "CP932");
    } catch (const SandboxError&) {
      return std::nullopt;
    }
  }
  if (text.find("<XmlMsg>") == std::string::npos || text.find("</XmlMsg>") == std::string::npos) return std::nullopt;
  std::map<std::string, std::string> out;
  // Leaves only: <Name>text</Name> with no element inside.
  std::size_t pos = 0;
  while ((pos = text.find('<', pos)) != std::string::npos) {
    const auto close = text.find('>', pos);
    if (close == std::string::npos) break;
    const std::string name = text.substr(pos + 1, close - pos - 1);
    if (name.empty() || name[0] == '/' || name[0] == '?' || name.find(' ') != std::string::npos) {
      pos = close;
      continue;
    }
    const std::string end_tag = "</" + name + ">";
    const auto end = text.find(end_tag, close);
    if (end != std::string::npos && text.find('<', close + 1) == end)
      out[name] = unescape(text.substr(close + 1, end - close - 1));
    pos = close;
  }
  return out;
}

std::optional<gateway::InsuredPerson> find_person(const std::vector<gateway::InsuredPerson>& persons,
                                                  const std::map<std::string, std::string>& request) {
  const auto get = [&](const char* k) {
    const auto it = request.find(k);
    return it == request.end() ? std::string() : it->second;
  };
  for (const auto& p : persons) {
    if (p.result_json.empty()) continue;
    rapidjson::Document rec;
    rec.Parse(p.result_json.c_str());
    if (!rec.IsObject()) continue;
    if (ltrim(member(rec, "InsurerNumber")) != ltrim(get("InsurerNumber"))) continue;
    if (member(rec, "InsuredCardSymbol") != get("InsuredCardSymbol")) continue;
    if (member(rec, "InsuredIdentificationNumber") != get("InsuredIdentificationNumber")) continue;
    if (!get("InsuredBranchNumber").empty() && member(rec, "InsuredBranchNumber") != get("InsuredBranchNumber")) continue;
    if (member(rec, "Birthdate") != get("Birthdate")) continue;
    return p;
  }
  return std::nullopt;
}

std::string answer_xml(const std::map<std::string, std::string>& request,
                       const std::optional<gateway::InsuredPerson>& person, const AnswerOptions& o) {
  const auto get = [&](const char* k) {
    const auto it = request.find(k);
    return it == request.end() ? std::string() : it->second;
  };
  std::string xml = std::string("<?xml version=\"1.0\" encoding=\"") + (o.shift_jis ? "Shift_JIS" : "UTF-8") +
                    "\" standalone=\"no\"?>\r\n<XmlMsg>\r\n<MessageHeader>\r\n";
  leaf(xml, "ProcessExecutionTime", o.now);
  leaf(xml, "QualificationConfirmationDate", o.now.substr(0, 8));
  if (!get("MedicalInstitutionCode").empty()) leaf(xml, "MedicalInstitutionCode", get("MedicalInstitutionCode"));
  if (!get("ArbitraryFileIdentifier").empty()) leaf(xml, "ArbitraryFileIdentifier", get("ArbitraryFileIdentifier"));
  leaf(xml, "ReferenceClassification", o.reference);
  leaf(xml, "SegmentOfResult", o.error_code.empty() ? "1" : "9");
  if (!o.error_code.empty()) {
    leaf(xml, "ErrorCode", o.error_code);
    leaf(xml, "ErrorMessage", "資格確認端末（模擬）が照会を処理できませんでした");
  }
  leaf(xml, "CharacterCodeIdentifier", o.shift_jis ? "1" : "0");
  xml += "</MessageHeader>\r\n";
  if (o.error_code.empty()) {
    xml += "<MessageBody>\r\n";
    leaf(xml, "ProcessingResultStatus", "1");
    leaf(xml, "QualificationValidity", person ? person->qualification_validity : "4");
    if (person && !person->result_json.empty()) {
      rapidjson::Document rec;
      rec.Parse(person->result_json.c_str());
      auto& a = rec.GetAllocator();
      const bool consent = get("LimitApplicationCertificateRelatedConsFlg") == "1";
      rec.AddMember("LimitApplicationCertificateRelatedConsFlg", rapidjson::Value(consent ? "1" : "0"), a);
      if (consent) {
        rec.AddMember("LimitApplicationCertificateRelatedConsTime", rapidjson::Value(o.now.c_str(), a), a);
        if (!person->limit_info_json.empty()) {
          rapidjson::Document info(&a);
          info.Parse(person->limit_info_json.c_str());
          rec.AddMember("LimitApplicationCertificateRelatedInfo", rapidjson::Value(info, a), a);
        }
      }
      xml += "<ResultList>\r\n";
      elements(xml, "ResultOfQualificationConfirmation", rec);
      xml += "</ResultList>\r\n";
    }
    xml += "</MessageBody>\r\n";
  }
  xml += "</XmlMsg>\r\n";
  return o.shift_jis ? to_cp932(xml) : xml;
}

}  // namespace sandbox::terminal
