#include "process_usage.h"

#include <dirent.h>

#include <fstream>
#include <string>

namespace onshi::soak {

namespace {

// A "Name:   value kB" line of /proc/self/status.
long status_field(const std::string &name) {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(name + ":", 0) == 0) return std::stol(line.substr(name.size() + 1));
    return -1;
}

long open_fds() {
    DIR *d = ::opendir("/proc/self/fd");
    if (!d) return -1;
    long n = 0;
    while (const dirent *e = ::readdir(d))
        if (e->d_name[0] != '.') ++n;
    ::closedir(d);
    return n - 1;  // the directory stream's own descriptor
}

}  // namespace

ProcessUsage process_usage() { return {status_field("VmRSS"), open_fds(), status_field("Threads")}; }

}  // namespace onshi::soak
