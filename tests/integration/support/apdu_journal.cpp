#include "apdu_journal.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>

namespace onshi::it {

std::vector<JournalLine> read_journal(const std::string &dir) {
    std::vector<JournalLine> lines;
    std::ifstream in(dir + "/apdu.jsonl");
    for (std::string l; std::getline(in, l);) {
        rapidjson::Document d;
        d.Parse(l.c_str());
        if (!d.IsObject() || !d.HasMember("slot") || !d.HasMember("c") || !d.HasMember("r")) continue;
        lines.push_back({d["slot"].GetInt(), d["c"].GetString(), d["r"].GetString()});
    }
    return lines;
}

std::vector<JournalLine> slot_lines(const std::vector<JournalLine> &all, std::size_t from, std::size_t to, int slot) {
    std::vector<JournalLine> out;
    for (std::size_t i = from; i < std::min(to, all.size()); ++i)
        if (all[i].slot == slot) out.push_back(all[i]);
    return out;
}

std::string command_shape(const std::string &c) { return c.rfind("802A", 0) == 0 ? c.substr(0, 10) : c; }

long verifies_with_data(const std::vector<JournalLine> &lines) {
    return std::count_if(lines.begin(), lines.end(), [](const JournalLine &l) { return l.verify_with_data(); });
}

int pin_tries_reported(const std::vector<JournalLine> &lines, int max_tries) {
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        if (!it->is_verify() || it->r.size() < 4) continue;
        const std::string sw = it->r.substr(it->r.size() - 4);
        if (sw.rfind("63C", 0) == 0 || sw.rfind("63c", 0) == 0) return std::stoi(sw.substr(3), nullptr, 16);
        if (sw == "6983") return 0;
        if (sw == "9000" && it->verify_with_data()) return max_tries;
    }
    return -1;
}

int pin_tries_queried(const std::vector<JournalLine> &lines) {
    for (const JournalLine &l : lines) {
        if (!l.is_verify() || l.verify_with_data() || l.r.size() < 4) continue;
        const std::string sw = l.r.substr(l.r.size() - 4);
        if (sw.rfind("63C", 0) == 0 || sw.rfind("63c", 0) == 0) return std::stoi(sw.substr(3), nullptr, 16);
        if (sw == "6983") return 0;
    }
    return -1;
}

}  // namespace onshi::it
