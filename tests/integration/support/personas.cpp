#include "personas.h"

#include "sandbox_runner.h"

#include <rapidjson/document.h>

namespace onshi::it {

std::map<std::string, Persona> load_personas(const std::string &sandbox_binary) {
    rapidjson::Document doc;
    const std::string out = output_of(sandbox_binary + " personas --json");
    doc.Parse(out.c_str());
    std::map<std::string, Persona> personas;
    if (!doc.IsObject() || !doc.HasMember("personas") || !doc["personas"].IsArray()) return personas;
    for (const auto &p : doc["personas"].GetArray()) {
        auto text = [&](const char *key) { return p.HasMember(key) && p[key].IsString() ? std::string(p[key].GetString()) : ""; };
        personas[text("id")] = {text("pin"), text("collation_number_b")};
    }
    return personas;
}

}  // namespace onshi::it
