// The eligibility result as hosts get it (docs/gateway-protocol.md §4), written once from the
// official 資格確認結果 (OQSsiquc01res) as JSON - the gateway's POST /v1/confirmations answer or an
// imported result XML - and what the check adds to it:
//
//   {"verdict": "eligible" | "not_eligible" | "needs_attention",
//    "source": "xml",                                   (only when given)
//    "confirmation": {"id": "...", "method": "pin" | "visual", "time": "..."},   (only when given)
//    "medium": "card" | "android",                       (checks only, since 1.1)
//    "XmlMsg": {...exactly as received...},
//    "labels": {"QualificationValidity": {"ja": "有効", "en": "Valid"}, ...},
//    "notices": [{"code": ..., "ja": ..., "en": ..., ...}],   (only when any, since 1.1)
//    "timing": {"card_ms": n, "warm_up_wait_ms": n, "network_ms": n, "other_ms": n,
//               "total_ms": n},                         (only when given: a check's)
//    "app_text": {...}}                                 (app text imports only, since 1.1)
//
// XmlMsg is copied unchanged (strings byte for byte: "  123456", "010"). labels has one member per
// coded element present (code_tables.h), in document order: a {"ja","en"} object when the element
// occurs once, an array of {"ja","en"} | null (one entry per occurrence, in the order
// onshi_result_field indexes them) when it occurs more than once. Unknown codes and empty values
// get no label (null inside an array); they never make the result fail.
//
// Not to be confused with core/job_result.h: that is what an onshi_result handle holds for any job
// (this JSON for a check, an error, a terminal job's answer), with its field index and photo.
#pragma once

#include "gateway/result_notices.h"
#include "util/error.h"
#include "util/json_writer.h"

#include <rapidjson/document.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::gateway {

enum class Verdict { eligible, not_eligible, needs_attention };

// "eligible", "not_eligible", "needs_attention".
const char *verdict_name(Verdict verdict);

// The gateway's "confirmation" member; absent for imported XML.
struct Confirmation {
    std::string id;
    std::string method;  // "pin" | "visual"
    std::string time;    // YYYYMMDDHHmmss
};

// Where a check spent its time, for hosts' logs and the benchmarks; "other" is what the rest
// leaves of the total. card includes the time a patient took to type the PIN when asked for it.
struct CheckTiming {
    std::chrono::steady_clock::duration card{}, warm_up_wait{}, network{}, total{};
};

// What the result carries besides the official one.
struct ResultDetails {
    std::optional<Confirmation> confirmation;
    std::string source;  // e.g. "xml"; empty = no "source" member
    std::optional<CheckTiming> timing;
    std::string medium;            // what answered the card phase ("card", "android"); empty = no member
    std::vector<Notice> notices;   // the gateway's (result_notices.h)
    CheckDigitRule check_digit;    // when set, 医療扶助 numbers are checked (public_assistance_notices)
    // onshi's own members that only one source has (e.g. the app text's "app_text"), written last.
    std::function<void(json::Writer &)> write_extra;
};

// The verdict of an official result ({"XmlMsg": {...}}), per docs/eligibility-format.md §Verdict:
//   eligible        SegmentOfResult 1, ProcessingResultStatus 1, QualificationValidity 1 and
//                   exactly one ResultOfQualificationConfirmation;
//   not_eligible    SegmentOfResult 1 and QualificationValidity 2 (無効) or 4 (該当資格なし);
//   needs_attention everything else (validity 3, 5, 6, missing, processing errors, 0 or 2+ results).
// Throws Error(bad_shape_status) when `result` is not {"XmlMsg": {"MessageHeader": {...}, ...}}
// with string leaves.
Verdict verdict_of(const rapidjson::Value &result, onshi_status bad_shape_status = ONSHI_E_GATEWAY_PROTOCOL);

// Throws Error(ONSHI_E_ELIGIBILITY_ERROR) when the official result says it was not processed:
// SegmentOfResult other than 1 (absent included: the existence of an answer is no success) or
// ProcessingResultStatus other than 1. The message keeps the result's own code and text
// (ErrorCode / ErrorMessage, ProcessingResultCode / ProcessingResultMessage). `result` as for
// verdict_of.
void require_processed(const rapidjson::Value &result, onshi_status bad_shape_status = ONSHI_E_GATEWAY_PROTOCOL);

// Writes the host JSON for an official result into `out` (whose field index, if any, sees it in
// the same pass). One code path for the gateway answer and the XML import. Throws
// Error(bad_shape_status) naming the offending member when the shape is wrong; then nothing has
// been written.
void write_eligibility_result(json::Writer &out, const rapidjson::Value &result, const ResultDetails &details,
                              onshi_status bad_shape_status = ONSHI_E_GATEWAY_PROTOCOL);

// The same JSON as text, from a document or from JSON text (parsed with util/json limits suited to
// results: 4 MiB, depth 64).
std::string eligibility_result_json(const rapidjson::Value &result, const ResultDetails &details,
                                    onshi_status bad_shape_status = ONSHI_E_GATEWAY_PROTOCOL);
std::string eligibility_result_json(std::string_view result_json, const ResultDetails &details,
                                    onshi_status bad_shape_status = ONSHI_E_GATEWAY_PROTOCOL);

}  // namespace onshi::gateway
