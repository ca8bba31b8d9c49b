// The sandbox's personas (`onshi-sandbox personas --json`): the PIN and 照合番号B of each.
#pragma once

#include <map>
#include <string>

namespace onshi::it {

struct Persona {
    std::string pin;
    std::string collation_b;
};

// persona id -> secrets (personas without a PIN or 照合番号B get ""); empty when the sandbox
// binary cannot be run.
std::map<std::string, Persona> load_personas(const std::string &sandbox_binary);

}  // namespace onshi::it
