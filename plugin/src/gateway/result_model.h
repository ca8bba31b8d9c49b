// The result model: turns the official 資格確認結果 (OQSsiquc01res) as JSON - from the gateway's
// POST /v1/confirmations answer or from an imported result XML - into the JSON hosts get
// (docs/gateway-protocol.md §4):
//
//   {"verdict": "eligible" | "not_eligible" | "needs_attention",
//    "source": "xml",                                   (only when given)
//    "confirmation": {"id": "...", "method": "pin" | "visual", "time": "..."},   (only when given)
//    "XmlMsg": {...exactly as received...},
//    "labels": {"QualificationValidity": {"ja": "有効", "en": "Valid"}, ...}}
//
// XmlMsg is copied unchanged (strings byte for byte: "  123456", "010"). labels has one member per
// coded element present (code_tables.h), in document order: a {"ja","en"} object when the element
// occurs once, an array of {"ja","en"} | null (one entry per occurrence, in the order
// onshi_result_field indexes them) when it occurs more than once. Unknown codes and empty values
// get no label (null inside an array); they never make the result fail.
#pragma once

#include "util/error.h"

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

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

struct ResultOptions {
    std::optional<Confirmation> confirmation;
    std::string source;  // e.g. "xml"; empty = no "source" member
};

// The verdict of an official result ({"XmlMsg": {...}}), per docs/eligibility-format.md §Verdict:
//   eligible        SegmentOfResult 1, ProcessingResultStatus 1, QualificationValidity 1 and
//                   exactly one ResultOfQualificationConfirmation;
//   not_eligible    SegmentOfResult 1 and QualificationValidity 2 (無効) or 4 (該当資格なし);
//   needs_attention everything else (validity 3, 5, 6, missing, processing errors, 0 or 2+ results).
// Throws Error(bad_shape_status) when `result` is not {"XmlMsg": {"MessageHeader": {...}, ...}}
// with string leaves.
Verdict verdict_of(const rapidjson::Value &result, onshi_status bad_shape_status = ONSHI_E_GATEWAY_PROTOCOL);

// The host JSON for an official result. One code path for the gateway answer and the XML import.
// Throws Error(bad_shape_status) naming the offending member when the shape is wrong.
std::string result_json_with_labels(const rapidjson::Value &result, const ResultOptions &options,
                                    onshi_status bad_shape_status = ONSHI_E_GATEWAY_PROTOCOL);
// Same, from JSON text (parsed with util/json limits suited to results: 4 MiB, depth 64).
std::string result_json_with_labels(std::string_view result_json, const ResultOptions &options,
                                    onshi_status bad_shape_status = ONSHI_E_GATEWAY_PROTOCOL);

}  // namespace onshi::gateway
