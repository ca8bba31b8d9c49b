#include "core/medium_probe.h"

#include "card/card_session.h"
#include "card/mynumber_card.h"

#include <exception>

namespace onshi::core {

std::optional<card::Medium> probe_medium(card::ReaderSystem &system, const std::string &reader) noexcept {
    try {
        std::unique_ptr<card::CardChannel> channel = system.connect(reader);
        if (!channel) return std::nullopt;
        card::CardSession session(*channel);
        return card::MyNumberCard(session).read_medium();
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

int32_t medium_code(std::optional<card::Medium> medium) noexcept {
    if (!medium) return ONSHI_MEDIUM_UNKNOWN;
    switch (*medium) {
    case card::Medium::card: return ONSHI_MEDIUM_CARD;
    case card::Medium::android: return ONSHI_MEDIUM_ANDROID;
    case card::Medium::iphone: return ONSHI_MEDIUM_IPHONE;
    case card::Medium::juki: return ONSHI_MEDIUM_JUKI;
    case card::Medium::other: return ONSHI_MEDIUM_OTHER;
    }
    return ONSHI_MEDIUM_UNKNOWN;
}

const char *medium_text(std::optional<card::Medium> medium) noexcept {
    return medium ? card::medium_name(*medium) : "unknown";
}

}  // namespace onshi::core
