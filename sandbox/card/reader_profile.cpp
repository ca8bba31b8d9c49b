#include "card/reader_profile.h"

#include <algorithm>

namespace sandbox {

namespace {

constexpr std::uint16_t kNoPendingData = 0x6985;  // GET RESPONSE with nothing announced

// A made-up contactless ATR (PC/SC part 3 §3.1.3.2.3): 3B 88 80 01, the Type B answer's
// application data (4 bytes) and protocol info (3 bytes) with MBLI, then TCK.
Bytes odd_atr() {
  Bytes atr = {0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x77, 0x81, 0x81, 0x00};
  std::uint8_t tck = 0;
  for (std::size_t i = 1; i < atr.size(); ++i) tck ^= atr[i];
  atr.push_back(tck);
  return atr;
}

bool is_verify_with_data(const Bytes& c) { return c.size() > 5 && c[0] == 0x00 && c[1] == 0x20; }

}  // namespace

std::optional<ReaderProfile> reader_profile_from_name(const std::string& name) {
  for (auto p : {ReaderProfile::plain, ReaderProfile::short_only, ReaderProfile::t0_contact, ReaderProfile::odd_atr,
                 ReaderProfile::flaky_field})
    if (name == reader_profile_name(p)) return p;
  return std::nullopt;
}

const char* reader_profile_name(ReaderProfile profile) {
  switch (profile) {
    case ReaderProfile::plain: return "plain";
    case ReaderProfile::short_only: return "short-only";
    case ReaderProfile::t0_contact: return "t0-contact";
    case ReaderProfile::odd_atr: return "odd-atr";
    case ReaderProfile::flaky_field: return "flaky-field";
  }
  return "plain";
}

Bytes ReaderFront::atr(const CardModel& card) const {
  // A foreign card keeps its own ATR: the profile is about the My Number Card behind the reader.
  if (profile_ == ReaderProfile::odd_atr) return odd_atr();
  return card.atr();
}

bool ReaderFront::vanishes_at(const Bytes& command) {
  if (profile_ != ReaderProfile::flaky_field || vanished_) return false;
  if (verified_once_) {
    vanished_ = true;
    return true;
  }
  if (is_verify_with_data(command)) verified_once_ = true;
  return false;
}

Bytes ReaderFront::transmit(CardModel& card, const Bytes& command) {
  switch (profile_) {
    case ReaderProfile::short_only: {
      const auto c = parse_command(command);
      if (c && c->extended) return response(sw::wrong_length);  // the reader refuses it
      Bytes r = card.transmit(command);
      return r;
    }
    case ReaderProfile::t0_contact: return transmit_t0(card, command);
    case ReaderProfile::plain:
    case ReaderProfile::odd_atr:
    case ReaderProfile::flaky_field: return card.transmit(command);
  }
  return card.transmit(command);
}

Bytes ReaderFront::transmit_t0(CardModel& card, const Bytes& command) {
  const auto c = parse_command(command);
  if (c && c->extended) return response(sw::wrong_length);
  if (c && c->cla == 0x00 && c->ins == 0xC0) {  // GET RESPONSE
    if (pending_.empty()) return response(kNoPendingData);
    const std::size_t le = c->le.value_or(256);
    if (le != std::min<std::size_t>(pending_.size(), 256)) {
      const auto exact = static_cast<std::uint8_t>(std::min<std::size_t>(pending_.size(), 256) & 0xFF);
      return response(static_cast<std::uint16_t>(0x6C00 | exact));
    }
    Bytes out(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(le));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(le));
    if (pending_.empty()) return response(std::move(out), sw::ok);
    return response(std::move(out), static_cast<std::uint16_t>(0x6100 | std::min<std::size_t>(pending_.size(), 255)));
  }
  pending_.clear();
  Bytes r = card.transmit(command);
  if (!c || r.size() <= 2) return r;
  const std::uint16_t status = static_cast<std::uint16_t>((r[r.size() - 2] << 8) | r[r.size() - 1]);
  Bytes data(r.begin(), r.end() - 2);
  if (!c->data.empty()) {  // case 4: the answer waits for GET RESPONSE
    if (status != sw::ok) return r;
    pending_ = std::move(data);
    return response(static_cast<std::uint16_t>(0x6100 | (pending_.size() >= 256 ? 0 : pending_.size())));
  }
  // case 2: P3 is Le; a card that has another number of bytes says so and sends nothing.
  const std::size_t le = c->le.value_or(256);
  if (status == sw::ok && data.size() != le)
    return response(static_cast<std::uint16_t>(0x6C00 | (data.size() & 0xFF)));
  return r;
}

}  // namespace sandbox
