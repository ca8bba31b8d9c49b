#include "pcscd/control_server.h"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/bytes.h"

namespace sandbox {

ControlServer::ControlServer(std::string path, Handler handler)
    : path_(std::move(path)), handler_(std::move(handler)) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path_.size() >= sizeof addr.sun_path) throw SandboxError("control socket path too long: " + path_);
  std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
  ::unlink(path_.c_str());
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw SandboxError(std::string("socket: ") + std::strerror(errno));
  const mode_t old = ::umask(077);
  const int rc = ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::umask(old);
  if (rc != 0 || ::listen(listen_fd_, 8) != 0) {
    const int e = errno;
    ::close(listen_fd_);
    throw SandboxError("cannot listen on " + path_ + ": " + std::strerror(e));
  }
}

ControlServer::~ControlServer() {
  stop();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

void ControlServer::start() { thread_ = std::thread([this] { run(); }); }

void ControlServer::stop() {
  if (stopping_.exchange(true)) return;
  ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
  if (thread_.joinable()) thread_.join();
  ::unlink(path_.c_str());
}

void ControlServer::run() {
  while (!stopping_) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string request;
    char c = 0;
    while (request.size() < 4096 && ::recv(fd, &c, 1, 0) == 1 && c != '\n') request.push_back(c);
    std::string reply;
    try {
      reply = handler_(request);
    } catch (const std::exception& e) {
      reply = std::string("error ") + e.what();
    }
    reply.push_back('\n');
    const ssize_t n = ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
    (void)n;
    ::close(fd);
  }
}

}  // namespace sandbox
