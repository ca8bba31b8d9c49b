// What onshi.h itself promises, read from its text: each function's "@since" and "@retval" lines,
// and every line that declares a name (enumerators, struct members). The ABI tests hold the
// library to these promises, so that the header's lists cannot drift from what the calls return.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace abi_test {

struct DocumentedFunction {
    std::string since;                 // "1.0", "" when the comment has no @since
    std::set<std::string> statuses;    // the @retval names
    bool returns_status = false;       // declared as returning onshi_status
};

// Function name -> what the comment block right above its declaration says. Declarations that
// share one comment (onshi_status_name / onshi_status_message) share its notes.
std::map<std::string, DocumentedFunction> documented_functions(const std::string &header_text);

// Lines that declare an enumerator ("ONSHI_X = ...") or a member of onshi_event, with the comment
// text that belongs to it (its own line, plus a comment line right above for aliases).
struct DeclaredName {
    std::string name;
    std::string notes;
};
std::vector<DeclaredName> declared_names(const std::string &header_text);

// The header the tests were built against (ONSHI_TEST_HEADER), as text.
std::string read_header();

// The statuses the library knows, by name (from onshi_status_name over the code ranges).
std::map<std::string, int> known_statuses();

// Statuses every function may return besides its list (the header's convention).
inline const std::set<std::string> kAlwaysPossible = {"ONSHI_E_NO_MEMORY", "ONSHI_E_INTERNAL"};

}  // namespace abi_test
