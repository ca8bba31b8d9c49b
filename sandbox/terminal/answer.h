// The 資格確認端末 emulator's documents (docs/folder-interface.md §個別照会): a 個別照会 request read
// from its file, the insured person it names looked up among the reference gateway's records, and
// the official 資格確認結果 XML a terminal answers with (the same for a face check-in file). Pure
// functions: the folders and the faults are emulator.h's.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/registry.h"

namespace sandbox::terminal {

// The leaf elements of a request file (QualificationConfirmSearchInfo and the header), by name.
// The bytes may be Shift_JIS (the declaration says so) or UTF-8. Nullopt when it is no XmlMsg.
std::optional<std::map<std::string, std::string>> read_request(const std::string& bytes);

// The person whose record has these InsurerNumber (leading spaces ignored), InsuredCardSymbol,
// InsuredIdentificationNumber, InsuredBranchNumber (when given) and Birthdate.
std::optional<gateway::InsuredPerson> find_person(const std::vector<gateway::InsuredPerson>& persons,
                                                  const std::map<std::string, std::string>& request);

struct AnswerOptions {
  bool shift_jis = false;      // CharacterCodeIdentifier 1 and CP932 bytes; else 0 and UTF-8
  std::string error_code;      // non-empty: SegmentOfResult 9 with this ErrorCode, no body
  std::string now;             // yyyyMMddHHmmss (ProcessExecutionTime; its date is the confirmation date)
  std::string reference = "2"; // ReferenceClassification
};

// The answer to `request` for `person` (nullopt: no record, QualificationValidity 4).
std::string answer_xml(const std::map<std::string, std::string>& request,
                       const std::optional<gateway::InsuredPerson>& person, const AnswerOptions& options);

// UTF-8 -> CP932; throws SandboxError for a character without a code.
std::string to_cp932(const std::string& utf8);

}  // namespace sandbox::terminal
