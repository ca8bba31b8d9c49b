// The sandbox's APDU journal (DIR/apdu.jsonl): one line per APDU a virtual card answered, the
// witness of what the plugin sent. VERIFY data is masked by the sandbox ("...*").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace onshi::it {

struct JournalLine {
    int slot = -1;
    std::string c, r;  // command and response in hex ("" response: the card vanished at it)
    // A VERIFY that carried a secret (a try spent or a success), not a tries query.
    bool verify_with_data() const { return c.rfind("0020", 0) == 0 && !c.empty() && c.back() == '*'; }
    bool is_verify() const { return c.rfind("0020", 0) == 0; }
};

std::vector<JournalLine> read_journal(const std::string &dir);

// The lines of one slot from index `from` (into the whole journal) up to `to`.
std::vector<JournalLine> slot_lines(const std::vector<JournalLine> &all, std::size_t from, std::size_t to, int slot);

// A command without a signature's data (80 2A: header and Lc), else all of it.
std::string command_shape(const std::string &c);

// VERIFYs with data among `lines`.
long verifies_with_data(const std::vector<JournalLine> &lines);

// Tries the card itself last reported for a slot, from its answers to VERIFY in `lines`: 63Cx -> x,
// 6983 -> 0, 9000 to a VERIFY with data -> `max_tries` (a success resets the counter); -1 when the
// lines hold no VERIFY answer.
int pin_tries_reported(const std::vector<JournalLine> &lines, int max_tries = 3);

// Tries the card answered to the first tries query (a VERIFY without data) among `lines`: what
// the card held when that job began; -1 when there is none.
int pin_tries_queried(const std::vector<JournalLine> &lines);

}  // namespace onshi::it
