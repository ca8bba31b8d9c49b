// What this process holds right now, from /proc/self: resident memory, open file descriptors and
// threads. The soak compares them between the end of its warm-up and its end.
#pragma once

namespace onshi::soak {

struct ProcessUsage {
    long rss_kb = -1;
    long fds = -1;
    long threads = -1;
};

ProcessUsage process_usage();

}  // namespace onshi::soak
