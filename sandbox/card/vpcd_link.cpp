#include "card/vpcd_link.h"

#include <cerrno>
#include <chrono>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sandbox {

namespace {

bool recv_exact(int fd, std::uint8_t* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const int one = 1;
    // Linux drops quick-ACK mode by itself: re-arm it before every read.
    ::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    const ssize_t r = ::recv(fd, buf + got, n - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

bool send_frame(int fd, const Bytes& payload) {
  Bytes frame;
  frame.reserve(payload.size() + 2);
  frame.push_back(static_cast<std::uint8_t>(payload.size() >> 8));
  frame.push_back(static_cast<std::uint8_t>(payload.size() & 0xFF));
  append(frame, payload);
  std::size_t sent = 0;
  while (sent < frame.size()) {  // one send() for length + payload
    const ssize_t r = ::send(fd, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    sent += static_cast<std::size_t>(r);
  }
  return true;
}

}  // namespace

VpcdLink::VpcdLink(int slot, std::uint16_t port, std::string persona_id,
                   std::unique_ptr<CardModel> card, Journal& journal, int apdu_delay_ms,
                   ReaderProfile profile)
    : slot_(slot),
      port_(port),
      persona_id_(std::move(persona_id)),
      card_(std::move(card)),
      journal_(journal),
      apdu_delay_ms_(apdu_delay_ms),
      front_(profile) {}

VpcdLink::~VpcdLink() { stop(); }

void VpcdLink::start() { thread_ = std::thread([this] { run(); }); }

void VpcdLink::stop() {
  stopping_ = true;
  {
    std::lock_guard lock(fd_mutex_);
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  }
  if (thread_.joinable()) thread_.join();
}

void VpcdLink::pull_after(int apdus) { pull_countdown_ = apdus; }

int VpcdLink::connect_once() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void VpcdLink::run() {
  while (!stopping_) {
    const int fd = connect_once();
    if (fd < 0) {  // vpcd not listening yet (pcscd starting): retry
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    {
      std::lock_guard lock(fd_mutex_);
      if (stopping_) {
        ::close(fd);
        break;
      }
      fd_ = fd;
    }
    connected_ = true;
    serve(fd);
    connected_ = false;
    {
      std::lock_guard lock(fd_mutex_);
      ::close(fd_);
      fd_ = -1;
    }
    card_->power_off();
    front_.reset();
    if (pulled_) break;  // taken off the reader: gone for good
    // A flaky-field card stays out of the field a little longer before it comes back.
    const int away_ms = left_field_ ? kFlakyFieldAbsenceMs : 50;
    left_field_ = false;
    if (!stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(away_ms));
  }
}

bool VpcdLink::serve(int fd) {
  Bytes msg;
  for (;;) {
    std::uint8_t header[2];
    if (!recv_exact(fd, header, 2)) return false;
    const std::size_t len = (static_cast<std::size_t>(header[0]) << 8) | header[1];
    msg.resize(len);
    if (len > 0 && !recv_exact(fd, msg.data(), len)) return false;
    if (len == 1) {
      switch (msg[0]) {
        case 0x00: card_->power_off(); front_.reset(); break;
        case 0x01: card_->power_on(); front_.reset(); break;
        case 0x02: card_->reset(); front_.reset(); break;
        case 0x04:
          if (!send_frame(fd, front_.atr(*card_))) return false;
          break;
        default: break;  // unknown control byte: ignored
      }
      continue;
    }
    if (pull_countdown_.load() > 0 && pull_countdown_.fetch_sub(1) == 1) {
      journal_.record(slot_, msg, Bytes());  // never answered: pulled mid-APDU
      pulled_ = true;
      return false;
    }
    if (front_.vanishes_at(msg)) {
      journal_.record(slot_, msg, Bytes());  // never answered: the card left the field
      left_field_ = true;
      return false;
    }
    if (apdu_delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(apdu_delay_ms_));
    const Bytes response = front_.transmit(*card_, msg);
    // Journal before answering: once a client has the answer, the line is in the file.
    journal_.record(slot_, msg, response);
    if (!send_frame(fd, response)) return false;
  }
}

}  // namespace sandbox
