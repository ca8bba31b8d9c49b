// How a reader that clinics buy stands between the card and PC/SC (issue 18), reproduced on the
// card side of a vpcd slot (`up --reader-profile SLOT=PROFILE`):
//   plain        vpcd as it is: short and extended APDUs, the card's own ATR.
//   short-only   a reader that passes short APDUs only: an extended command gets 6700 from the reader
//                and never reaches the card, so no answer carries more than 256 data bytes.
//   t0-contact   the answers of a T=0 contact link (ISO/IEC 7816-3 §10.3.3, 7816-4 §5.3.4): a command
//                with data whose answer has data gets 61xx and the data waits for GET RESPONSE
//                (00 C0 00 00 Le); a command without data whose Le differs from what the card has gets
//                6Cxx (xx = the exact length) and nothing else; extended length does not exist (6700).
//                vpcd still negotiates T=1 with pcscd (docs/pcsc-harness.md), so only the answers
//                are T=0's.
//   odd-atr      a contactless reader that makes up its own ATR (PC/SC part 3: 3B 88 80 01 + eight
//                historical bytes from the Type B answer + TCK) instead of the card's contact ATR.
//   flaky-field  a card at the edge of the field: once per insertion it vanishes at the first
//                C-APDU after the first VERIFY with data (that APDU is never answered), and comes back
//                a few hundred milliseconds later, powered up afresh (its verified state gone).
// One instance per link, used by the link's thread only.
#pragma once

#include <optional>
#include <string>

#include "card/apdu.h"
#include "card/card_model.h"
#include "common/bytes.h"

namespace sandbox {

enum class ReaderProfile { plain, short_only, t0_contact, odd_atr, flaky_field };

std::optional<ReaderProfile> reader_profile_from_name(const std::string& name);
const char* reader_profile_name(ReaderProfile profile);

// How long a flaky-field card stays away.
constexpr int kFlakyFieldAbsenceMs = 500;

class ReaderFront {
public:
  explicit ReaderFront(ReaderProfile profile) : profile_(profile) {}

  ReaderProfile profile() const { return profile_; }
  Bytes atr(const CardModel& card) const;
  // True when the card must vanish at this C-APDU instead of answering it (flaky-field).
  bool vanishes_at(const Bytes& command);
  // The answer the reader hands back for `command`.
  Bytes transmit(CardModel& card, const Bytes& command);
  // The card left the field (or the reader powered it down): pending T=0 data is gone.
  void reset() { pending_.clear(); }

private:
  Bytes transmit_t0(CardModel& card, const Bytes& command);

  ReaderProfile profile_;
  Bytes pending_;          // t0-contact: data announced by 61xx, fetched by GET RESPONSE
  bool verified_once_ = false;  // flaky-field: a VERIFY with data has gone through
  bool vanished_ = false;       // flaky-field: it has vanished once already
};

}  // namespace sandbox
