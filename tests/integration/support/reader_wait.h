// The reader monitor identifies an arriving card (pcsc.identify_cards, on by default) before its
// listing shows the card. A suite that counts a check's APDUs in the sandbox journal therefore
// swaps cards with swap_card(): once the listing shows the new card, its probe's three APDUs are
// done and everything journaled afterwards is the check's own.
#pragma once

#include "sandbox_runner.h"

#include <onshi/onshi.h>

#include <string>

namespace onshi::it {

// Polls onshi_list_readers until `reader` is listed with (or without) a card; false after
// `timeout_ms`.
bool wait_card_listed(onshi_context *ctx, const std::string &reader, bool present, int timeout_ms = 5000);

// The "medium" the listing gives the card in `reader` ("card", "android", "unknown", ...); "" when
// the reader has no card or is not listed.
std::string listed_medium(onshi_context *ctx, const std::string &reader);

// Removes the slot's card, waits until the listing shows the reader empty, inserts `persona` and
// waits until the listing shows it (identified). False when any step failed.
bool swap_card(const SandboxRunner &sandbox, onshi_context *ctx, int slot, const std::string &reader,
               const std::string &persona);

}  // namespace onshi::it
