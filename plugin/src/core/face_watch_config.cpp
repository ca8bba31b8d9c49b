#include "core/face_watch_config.h"

#include <cctype>

namespace onshi::core {

bool face_watch_mode_named(std::string_view name, FaceWatchMode &out) {
    if (name == "auto") out = FaceWatchMode::automatic;
    else if (name == "notify") out = FaceWatchMode::notify;
    else if (name == "poll") out = FaceWatchMode::poll;
    else return false;
    return true;
}

std::string default_face_watch_state(const std::string &dir, const std::string &credential_dir) {
    if (credential_dir.empty()) return {};
    // FNV-1a 64: stable across runs and platforms (std::hash is neither).
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : dir) {
        h ^= c;
        h *= 1099511628211ull;
    }
    static const char hex[] = "0123456789abcdef";
    std::string name = "face_watch-";
    for (int shift = 60; shift >= 0; shift -= 4) name += hex[(h >> shift) & 0xf];
    name += ".state";
    const char last = credential_dir.back();
    return credential_dir + (last == '/' || last == '\\' ? "" : "/") + name;
}

bool is_face_result_name(std::string_view name) {
    constexpr std::string_view prefix = "OQSsiquc01res_";
    if (name.size() <= prefix.size() + 4 || name.substr(0, prefix.size()) != prefix) return false;
    std::string_view ext = name.substr(name.size() - 4);
    if (ext[0] != '.') return false;
    for (std::size_t i = 1; i < 4; ++i)
        if (std::tolower(static_cast<unsigned char>(ext[i])) != "xml"[i - 1]) return false;
    for (char c : name)
        if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
    return true;
}

}  // namespace onshi::core
