// Finding out what answers on a reader — card, Android, iPhone, 住基カード, other — before anyone is
// asked for a secret (docs/smartphones.md): the reader monitor runs this when a card arrives, so
// that reader listings and ONSHI_EVENT_CARD_INSERTED carry the medium.
#pragma once

#include "card/medium.h"
#include "card/reader_system.h"

#include <onshi/onshi.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace onshi::core {

// nullopt when the medium could not be told (the card left, another program holds it, PC/SC).
using MediumProbe = std::function<std::optional<card::Medium>(const std::string &reader)>;

// Connects to `reader`, reads the JPKI token (SELECT AP, SELECT 0006, READ BINARY: no secret, no
// 券面 AP) and disconnects, resetting the card. Never throws.
std::optional<card::Medium> probe_medium(card::ReaderSystem &system, const std::string &reader) noexcept;

// ONSHI_MEDIUM_* of a medium; ONSHI_MEDIUM_UNKNOWN for nullopt.
int32_t medium_code(std::optional<card::Medium> medium) noexcept;

// "card", "android", ...; "unknown" for nullopt.
const char *medium_text(std::optional<card::Medium> medium) noexcept;

}  // namespace onshi::core
