// The texts of every ABI status code, the single source for what a host shows (static storage):
//   - the clerk's sentence: what happened, short, for reception staff (onshi_status_message);
//   - the next action: what staff do now (put the card back, use 目視確認, call IT, ...);
//   - the meaning: what the status means technically, the detail for IT when a failure has no
//     more precise one of its own.
// docs/abi.md §7 shows this table; tests/unit/util/status_text_test.cpp keeps the two in step.
#pragma once

#include <onshi/onshi.h>

#include <cstddef>
#include <string>

namespace onshi {

// One text in both languages the ABI offers.
struct StatusTexts {
    const char *ja;
    const char *en;

    const char *in(const std::string &locale) const noexcept { return locale == "en" ? en : ja; }
};

struct StatusEntry {
    onshi_status status;
    const char *name;
    StatusTexts sentence;
    StatusTexts action;
    StatusTexts meaning;
};

const char *status_name(onshi_status status) noexcept;
// The clerk's sentence. locale "en" gives English; anything else (including empty) gives Japanese.
const char *status_message(onshi_status status, const std::string &locale) noexcept;
// The next action for staff, same locale rule.
const char *status_action(onshi_status status, const std::string &locale) noexcept;
// The technical meaning (the default detail for IT), same locale rule.
const char *status_meaning(onshi_status status, const std::string &locale) noexcept;
// True for every code the ABI defines (tests iterate over the table).
bool status_is_known(onshi_status status) noexcept;

// The whole table, in code order, for tests and documentation checks.
const StatusEntry *status_entries(std::size_t *count) noexcept;

}  // namespace onshi
