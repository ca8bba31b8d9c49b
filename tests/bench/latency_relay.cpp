#include "latency_relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <stdexcept>
#include <string>

namespace bench {

namespace {

using Clock = std::chrono::steady_clock;

struct Chunk {
    Clock::time_point due;
    std::string bytes;
    bool eof = false;
};

// One direction of a connection: a reader stamps each chunk with its delivery time, a writer
// delivers it then; two threads so that a chunk waiting for its time never delays the reading
// (and so the stamping) of the next.
class Pipe {
public:
    Pipe(int from, int to, std::chrono::milliseconds delay, std::chrono::milliseconds first_extra)
        : from_(from), to_(to), delay_(delay), first_extra_(first_extra) {}
    void start() {
        reader_ = std::thread([this] { read_loop(); });
        writer_ = std::thread([this] { write_loop(); });
    }
    void join() {
        if (reader_.joinable()) reader_.join();
        if (writer_.joinable()) writer_.join();
    }

private:
    void push(Chunk c) {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(c));
        ready_.notify_one();
    }
    void read_loop() {
        char buf[16384];
        bool first = true;
        for (;;) {
            ssize_t n = ::recv(from_, buf, sizeof buf, 0);
            auto due = Clock::now() + delay_ + (first ? first_extra_ : std::chrono::milliseconds(0));
            if (n <= 0) {
                push({due, {}, true});
                return;
            }
            push({due, std::string(buf, static_cast<std::size_t>(n)), false});
            first = false;
        }
    }
    void write_loop() {
        for (;;) {
            Chunk c;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [&] { return !queue_.empty(); });
                c = std::move(queue_.front());
                queue_.pop_front();
            }
            std::this_thread::sleep_until(c.due);
            if (c.eof) {
                ::shutdown(to_, SHUT_WR);
                return;
            }
            for (std::size_t sent = 0; sent < c.bytes.size();) {
                ssize_t n = ::send(to_, c.bytes.data() + sent, c.bytes.size() - sent, MSG_NOSIGNAL);
                if (n <= 0) {  // the other side is gone: stop reading for it too
                    ::shutdown(from_, SHUT_RD);
                    drain();
                    return;
                }
                sent += static_cast<std::size_t>(n);
            }
        }
    }
    void drain() {  // until the reader's end of stream, so that the reader never blocks on us
        std::unique_lock lock(mutex_);
        for (;;) {
            ready_.wait(lock, [&] { return !queue_.empty(); });
            bool eof = queue_.front().eof;
            queue_.pop_front();
            if (eof) return;
        }
    }

    int from_, to_;
    std::chrono::milliseconds delay_, first_extra_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Chunk> queue_;
    std::thread reader_, writer_;
};

int listen_on_loopback(int &port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(fd, 64) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port = ntohs(a.sin_port);
    return fd;
}

int connect_to_loopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void no_delay(int fd) {  // the relay adds the latency; Nagle must not add more
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

struct LatencyRelay::Connection {
    Connection(int client, int server, int rtt_ms)
        : client_fd(client), server_fd(server),
          up(client, server, std::chrono::milliseconds(rtt_ms / 2), std::chrono::milliseconds(rtt_ms)),
          down(server, client, std::chrono::milliseconds(rtt_ms - rtt_ms / 2), std::chrono::milliseconds(0)) {
        up.start();
        down.start();
    }
    ~Connection() {
        ::shutdown(client_fd, SHUT_RDWR);
        ::shutdown(server_fd, SHUT_RDWR);
        up.join();
        down.join();
        ::close(client_fd);
        ::close(server_fd);
    }
    int client_fd, server_fd;
    Pipe up, down;
};

LatencyRelay::LatencyRelay(int target_port, int rtt_ms) : target_port_(target_port), rtt_ms_(rtt_ms) {
    listen_fd_ = listen_on_loopback(port_);
    acceptor_ = std::thread([this] { accept_loop(); });
}

LatencyRelay::~LatencyRelay() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    ::close(listen_fd_);
    std::lock_guard lock(mutex_);
    open_.clear();
}

void LatencyRelay::accept_loop() {
    while (!stopping_) {
        int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            if (stopping_) return;
            continue;
        }
        int server = connect_to_loopback(target_port_);
        if (server < 0) {
            ::close(client);
            continue;
        }
        no_delay(client);
        no_delay(server);
        ++connections_;
        std::lock_guard lock(mutex_);
        open_.push_back(std::make_unique<Connection>(client, server, rtt_ms_));
    }
}

}  // namespace bench
