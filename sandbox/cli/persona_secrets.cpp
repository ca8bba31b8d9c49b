#include "cli/persona_secrets.h"

#include <rapidjson/document.h>

#include "gateway/insured_data.h"

namespace sandbox {

namespace {

void secret(JsonWriter& w, const std::string& persona, const char* kind, const std::string& value) {
  if (value.empty()) return;
  w.StartObject();
  w.Key("persona");
  w.String(persona);
  w.Key("kind");
  w.String(kind);
  w.Key("value");
  w.String(value);
  w.EndObject();
}

// The insurance record the reference gateway answers with for this persona (kinds insurer_number,
// insured_name, name_kana, insured_card_symbol, insured_identification_number, insured_branch_number).
void insured_secrets(JsonWriter& w, const std::string& persona, const std::string& result_json) {
  rapidjson::Document d;
  d.Parse(result_json.c_str(), result_json.size());
  if (d.HasParseError() || !d.IsObject()) throw SandboxError("bad insured record of " + persona);
  static constexpr struct {
    const char* element;
    const char* kind;
  } kFields[] = {
      {"InsurerNumber", "insurer_number"},
      {"InsuredName", "insured_name"},
      {"NameKana", "name_kana"},
      {"InsuredCardSymbol", "insured_card_symbol"},
      {"InsuredIdentificationNumber", "insured_identification_number"},
      {"InsuredBranchNumber", "insured_branch_number"},
  };
  for (const auto& f : kFields) {
    auto it = d.FindMember(f.element);
    if (it != d.MemberEnd() && it->value.IsString()) secret(w, persona, f.kind, it->value.GetString());
  }
}

}  // namespace

void write_persona_secrets(JsonWriter& w) {
  w.StartObject();
  w.Key("secrets");
  w.StartArray();
  for (const Persona& p : persona_catalogue()) {
    secret(w, p.id, "pin", p.pin);
    secret(w, p.id, "sign_password", p.sign_password);
    secret(w, p.id, "collation_number_b", collation_number_b(p));
    secret(w, p.id, "security_code", p.security_code);
    secret(w, p.id, "name", p.name);
    secret(w, p.id, "address", p.address);
    secret(w, p.id, "birth_date", p.birth_date);  // YYYYMMDD; the scan derives the other formats
    if (has_kenkaku(p)) secret(w, p.id, "individual_number", fictitious_individual_number(p));
  }
  for (const gateway::InsuredPerson& person : gateway::seed_insured_persons())
    if (!person.result_json.empty()) insured_secrets(w, person.person_id, person.result_json);
  w.EndArray();
  w.EndObject();
}

}  // namespace sandbox
