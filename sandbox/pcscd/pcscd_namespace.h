// The sandbox's private pcscd: a mount + network namespace in which DIR/run is bound over
// /run/pcscd (so the daemon's compiled-in socket path lands in DIR/run/pcscd.comm and the
// system's /run/pcscd is never touched) and vpcd's TCP ports exist only on a private loopback.
// Readers: ceil(N/2) reader.conf entries, each with its OWN copy of libifdvpcd.so (entries that
// share one .so alias each other's slots), each entry = 2 slots.
#pragma once

#include <cstdint>
#include <string>

#include <sys/types.h>

namespace sandbox {

constexpr std::uint16_t kFirstVpcdPort = 35963;  // vpcd's stock port; entry k uses 35963 + 2k
constexpr int kMaxReaders = 16;                  // pcsc-lite serves at most 16 readers

inline int reader_entries(int readers) { return (readers + 1) / 2; }
inline std::uint16_t slot_port(int slot) {
  return static_cast<std::uint16_t>(kFirstVpcdPort + slot);
}
// reader.conf FRIENDLYNAME of entry k: "Virtual PCD" for k = 0, then "Virtual PCD B", "... C", ...
std::string entry_friendly_name(int entry);
// PC/SC reader name of a slot: slots 0, 1 = "Virtual PCD 00 00", "Virtual PCD 00 01";
// slots 2, 3 = "Virtual PCD B 00 00", "Virtual PCD B 00 01"; slots 4, 5 = "Virtual PCD C 00 00", ...
std::string reader_name(int slot);

// Copies the driver per entry into DIR/drivers and writes DIR/reader.conf.d/vpcd.
void write_reader_config(const std::string& dir, int readers);

// Moves the calling (single-threaded) process into new mount + network namespaces, makes all
// mounts private, binds run_dir over /run/pcscd and brings up loopback.
void enter_private_namespaces(const std::string& run_dir);

// Starts pcscd --foreground -c DIR/reader.conf.d (output to log_path); it gets SIGTERM when the
// calling process dies.
pid_t spawn_pcscd(const std::string& dir, const std::string& log_path);
// SIGTERM, wait up to timeout_ms, then SIGKILL. pid must be our child.
void stop_child(pid_t pid, int timeout_ms);

}  // namespace sandbox
