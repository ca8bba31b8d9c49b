// A TCP port on 127.0.0.1 that takes connections (the kernel completes them from the listen
// backlog) and never says a word: a gateway that hangs. A job that talks to it stays unfinished
// until its own timeout, which makes "not ended yet" a state a test can count on.
#pragma once

#ifdef _WIN32
#include <winsock2.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace abi_test {

class SilentServer {
public:
    SilentServer() {
#ifdef _WIN32
        WSADATA wsa;
        WSAStartup(MAKEWORD(2, 2), &wsa);
#endif
        socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;  // any free port
        if (::bind(socket_, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0 ||
            ::listen(socket_, 64) != 0)
            return;
#ifdef _WIN32
        int length = sizeof address;
#else
        socklen_t length = sizeof address;
#endif
        if (::getsockname(socket_, reinterpret_cast<sockaddr *>(&address), &length) == 0) port_ = ntohs(address.sin_port);
    }
    ~SilentServer() {
#ifdef _WIN32
        closesocket(socket_);
        WSACleanup();
#else
        ::close(socket_);
#endif
    }
    SilentServer(const SilentServer &) = delete;
    SilentServer &operator=(const SilentServer &) = delete;

    // 0 when no port could be had.
    int port() const { return port_; }

private:
#ifdef _WIN32
    SOCKET socket_ = INVALID_SOCKET;
#else
    int socket_ = -1;
#endif
    int port_ = 0;
};

}  // namespace abi_test
