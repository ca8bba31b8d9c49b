// The daemon's control socket DIR/control.sock (unix stream, mode 0600). One request line per
// connection, one reply line:
//   insert <slot> <persona>   remove <slot> [after <apdus>]   restart-pcscd <down_ms>   status   down
//   -> "ok[ <payload>]" | "usage <message>" (bad argument) | "error <message>"
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace sandbox {

class ControlServer {
public:
  using Handler = std::function<std::string(const std::string& request)>;
  ControlServer(std::string path, Handler handler);  // binds and listens
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  void start();
  void stop();  // stops accepting, joins, removes the socket file

private:
  void run();

  std::string path_;
  Handler handler_;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace sandbox
