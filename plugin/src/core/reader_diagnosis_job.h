// onshi_reader_diagnose: a job on the reader's lane that reports what the reader, its driver and
// the card or phone in it look like (card/reader_diagnosis.h), with no secret spent and no personal
// data in the report. The report is the job's result (docs/abi.md §Reader diagnosis):
//   {"diagnosis": {"personal_data", "reader", "card", "pin", "collation_b", "certificate",
//                  "apdus", "extended_length"}}
#pragma once

#include "card/reader_diagnosis.h"
#include "core/config.h"
#include "core/context.h"
#include "core/reader_monitor.h"
#include "core/services.h"
#include "util/log.h"

#include <string>
#include <string_view>

namespace onshi::core {

struct DiagnosisRequest {
    std::string reader;  // empty: the first reader with a card
    // {"reader": "..."} or empty text. Throws Error(ONSHI_E_INVALID_ARGUMENT) naming the member.
    static DiagnosisRequest parse(std::string_view text);
};

// The procedure for Context::submit: chooses the reader (ONSHI_E_NO_READER / ONSHI_E_NO_CARD at
// once, without waiting for a card), connects, diagnoses and writes the report.
Context::Procedure make_reader_diagnosis_procedure(const Services &services, const ReaderMonitor *monitor,
                                                   Logger *logger, DiagnosisRequest request);

// The report of a diagnosis made on `reader`, dated `now` (the expiry notice's "today").
std::shared_ptr<const JobResult> diagnosis_report(const std::string &reader, const card::CardDiagnosis &d,
                                                  std::chrono::system_clock::time_point now);

}  // namespace onshi::core
