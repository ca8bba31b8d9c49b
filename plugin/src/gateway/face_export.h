// The face-folder export (docs/folder-interface.md §Export): a completed check's official result
// written as the file a face-recognition terminal would have left in its `face` folder, so that a
// receipt program that reads 外来型 folders gets onshi's checks with no change of its own.
//
//   face_file_xml    the official result ({"XmlMsg": ...} of the host JSON) as XML bytes: every
//                    element and value as received, in the JSON's order, repeated elements
//                    repeated, CharacterCodeIdentifier set to the file's encoding (1 Shift_JIS,
//                    0 UTF-8), nothing else added (no photo, no onshi member);
//   write_face_file  the bytes under a new OQSsiquc01res_face_onshi<NNNNNN>_<yyyyMMddHHmmss>.xml:
//                    written to a temporary name no watcher matches, flushed, then moved into
//                    place without ever replacing a file (the next number is taken instead), so a
//                    reader never sees half a file and no name is used twice. POSIX: 0640.
//
// Failures throw Error(ONSHI_E_FACE_EXPORT) saying what and where (the folder and the file
// name: never a value of the result).
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace onshi::gateway {

enum class FaceEncoding { shift_jis, utf8 };

struct FaceExportConfig {
    std::string dir;  // empty: no export
    FaceEncoding encoding = FaceEncoding::shift_jis;
};

// "shift_jis" / "utf-8" (as in the configuration); nullopt-like false for anything else.
bool face_encoding_named(std::string_view name, FaceEncoding &out);

// `result` is a host result JSON (eligibility_result.h) or {"XmlMsg": ...}. Throws
// Error(ONSHI_E_FACE_EXPORT) when it has no XmlMsg, or a character has no Shift_JIS code.
std::string face_file_xml(const rapidjson::Value &result, FaceEncoding encoding);

// The file name for local time `when` and number `n` (1-based).
std::string face_file_name(std::chrono::system_clock::time_point when, std::uint32_t n);

// UTF-8 text as Shift_JIS (CP932) bytes, as the face files and the terminal's request files are
// written. Throws Error(ONSHI_E_FACE_EXPORT) for a character without a CP932 code.
std::string to_shift_jis(const std::string &utf8);

// Writes `bytes` into config.dir as a new face file; returns its name (not the path).
std::string write_face_file(const FaceExportConfig &config, std::string_view bytes,
                            std::chrono::system_clock::time_point when);

}  // namespace onshi::gateway
