// Small byte and file helpers shared by the sandbox's modules.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

using Bytes = std::vector<std::uint8_t>;

// Every failure the sandbox reports to its user is a SandboxError with a readable message.
class SandboxError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const Bytes& b) { return to_hex(b.data(), b.size()); }
// Accepts upper/lower case and ignores spaces; throws SandboxError on anything else.
Bytes from_hex(std::string_view hex);
Bytes to_bytes(std::string_view s);
void append(Bytes& out, const Bytes& more);
void append(Bytes& out, std::string_view more);

void write_file(const std::string& path, const Bytes& data, unsigned mode = 0644);
void write_file(const std::string& path, std::string_view text, unsigned mode = 0644);
Bytes read_file(const std::string& path);
bool file_exists(const std::string& path);
void make_dirs(const std::string& path, unsigned mode = 0755);
// Absolute, normalised form of a path that may not exist yet (its parent must).
std::string absolute_path(const std::string& path);

std::int64_t now_unix_us();
std::int64_t monotonic_us();

}  // namespace sandbox

namespace sandbox {
inline Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
}  // namespace sandbox
