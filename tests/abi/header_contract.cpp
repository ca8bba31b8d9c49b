#include "header_contract.h"

#include <onshi/onshi.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#ifndef ONSHI_TEST_HEADER
#error "ONSHI_TEST_HEADER must name abi/include/onshi/onshi.h"
#endif

namespace abi_test {

std::map<std::string, DocumentedFunction> documented_functions(const std::string &header_text) {
    static const std::regex declaration(R"(ONSHI_API\s+(.*?)\s*ONSHI_CALL\s+(onshi_[a-z0-9_]+)\()");
    static const std::regex retval(R"(@retval\s+(ONSHI_[A-Z0-9_]+))");
    static const std::regex since(R"(@since\s+(1\.[0-9]+))");
    std::map<std::string, DocumentedFunction> out;
    DocumentedFunction block;
    std::istringstream lines(header_text);
    std::string line;
    bool after_declaration = false;
    while (std::getline(lines, line)) {
        std::smatch m;
        if (line.find("/*") != std::string::npos) {
            block = {};  // a new comment block starts
            after_declaration = false;
        }
        if (std::regex_search(line, m, since)) block.since = m[1];
        if (std::regex_search(line, m, retval)) block.statuses.insert(m[1]);
        if (std::regex_search(line, m, declaration)) {
            DocumentedFunction f = block;
            f.returns_status = m[1] == "onshi_status";
            out[m[2]] = f;
            after_declaration = true;
        } else if (after_declaration && line.find_first_not_of(" \t") == std::string::npos) {
            block = {};  // a blank line ends the group that shares the comment
        }
    }
    return out;
}

std::vector<DeclaredName> declared_names(const std::string &header_text) {
    static const std::regex enumerator(R"(^\s+(ONSHI_[A-Z0-9_]+)\s*=)");
    static const std::regex member(R"(^\s+(?:const\s+)?[a-z_0-9]+\s*\*?\s*([a-z_]+);)");
    static const std::regex comment_only(R"(^\s*/\*.*\*/\s*$)");
    std::vector<DeclaredName> out;
    std::istringstream lines(header_text);
    std::string line, previous;
    bool in_event = false;
    while (std::getline(lines, line)) {
        std::smatch m;
        if (line.find("typedef struct onshi_event {") != std::string::npos) in_event = true;
        if (in_event && line.find("} onshi_event;") != std::string::npos) in_event = false;
        // A name's notes are on its own line, or (aliases) in a comment line of their own above it.
        std::string notes = line;
        if (std::regex_match(previous, comment_only)) notes = previous + "\n" + line;
        if (std::regex_search(line, m, enumerator))
            out.push_back({m[1], notes});
        else if (in_event && std::regex_search(line, m, member))
            out.push_back({"onshi_event." + m[1].str(), notes});
        previous = line;
    }
    return out;
}

std::string read_header() {
    std::ifstream in(ONSHI_TEST_HEADER, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " ONSHI_TEST_HEADER);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::map<std::string, int> known_statuses() {
    std::map<std::string, int> out;
    for (onshi_status s = 0; s < 400; ++s) {
        std::string name = onshi_status_name(s);
        if (name != "ONSHI_E_UNKNOWN") out[name] = s;
    }
    return out;
}

}  // namespace abi_test
