// How the CLI finds the sandbox's background processes again (the daemon, pcscd, the gateway):
// their pid files, /proc/PID/cmdline to tell a pid of ours from a reused one, and the one-line
// report a starting child writes on its ready pipe.
#pragma once

#include <optional>
#include <string>

namespace sandbox {

// The pid in a pid file; nullopt when the file is missing or holds no pid above 1.
std::optional<int> read_pid(const std::string& path);
// The process's command line, arguments separated by spaces; "" when it is gone.
std::string proc_cmdline(int pid);
// What a child writes on the pipe fd until it closes its end (a read error ends it early), without
// the trailing newline; closes fd.
std::string read_ready_report(int fd);

}  // namespace sandbox
