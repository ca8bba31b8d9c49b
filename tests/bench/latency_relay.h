// LatencyRelay: a TCP relay on 127.0.0.1 that delivers every byte half a round trip after it
// arrived, in both directions, so that a loopback gateway behaves like one `rtt_ms` away. TLS
// handshakes and HTTP round trips pay their real number of RTTs (a warm request one, a cold
// TLS 1.3 connection three), which a delay on the server's responses alone cannot model. The
// kernel's TCP handshake with the relay is instant, so the relay holds a connection's first
// client bytes back one extra RTT: the SYN / SYN-ACK exchange the client would have waited for.
// (Traffic shaping with tc netem would be the other way; the CI kernel has no sch_netem.)
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace bench {

class LatencyRelay {
public:
    // Relays to 127.0.0.1:target_port; throws std::runtime_error when it cannot listen.
    LatencyRelay(int target_port, int rtt_ms);
    ~LatencyRelay();
    LatencyRelay(const LatencyRelay &) = delete;
    LatencyRelay &operator=(const LatencyRelay &) = delete;

    int port() const { return port_; }
    int connections() const { return connections_.load(); }

private:
    struct Connection;
    void accept_loop();

    int target_port_;
    int rtt_ms_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    std::mutex mutex_;
    std::list<std::unique_ptr<Connection>> open_;
    std::thread acceptor_;
};

}  // namespace bench
