// The sandbox daemon: the process `up` forks. It lives in the private mount + network namespace,
// owns pcscd (its child) and one VpcdLink thread per inserted card, writes the APDU journal and
// serves the control socket. SIGTERM (from `down`) stops everything it started and exits 0.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "card/reader_profile.h"
#include "persona/persona_material.h"

#include <map>

namespace sandbox {

constexpr int kMaxPcscdDownMs = 10000;  // restart-pcscd's pause; within the control client's timeout

struct DaemonOptions {
  std::string dir;
  int readers = 1;
  std::vector<std::pair<int, std::string>> cards;  // slot -> persona id
  int apdu_delay_ms = 0;
  std::map<int, ReaderProfile> reader_profiles;  // slot -> profile (absent: plain)
};

// Runs in the forked child. Reports "ok" or "error <message>" on ready_fd once pcscd is started
// and the cards are connecting, then serves until SIGTERM/SIGINT or until pcscd dies by itself
// (a restart-pcscd request kills and restarts it without ending the daemon). Never returns.
[[noreturn]] void run_daemon(const DaemonOptions& options, PersonaMaterials materials, int ready_fd);

}  // namespace sandbox
