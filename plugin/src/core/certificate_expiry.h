// The certificate-expiry rule of docs/certificate-expiry.md §2, applied by the terminal for a reader
// diagnosis only: at a check the gateway decides (a terminal with a wrong clock must never turn a
// patient away), so this is advice for support staff, by this PC's clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace onshi::core {

struct CivilDate {
    int year = 0, month = 0, day = 0;
    friend auto operator<=>(const CivilDate &, const CivilDate &) = default;
    std::string iso() const;        // "2026-02-28"
    std::string year_month() const; // "2026-02"
};

// The Japan-time (UTC+9) calendar date of a moment.
CivilDate japan_date(std::chrono::system_clock::time_point t);

// notAfter of a DER X.509 certificate; nullopt when it does not parse.
std::optional<std::chrono::system_clock::time_point> certificate_not_after(std::span<const std::uint8_t> der);

struct ExpiryReading {
    enum class Notice : std::uint8_t {
        none,            // before the renewal window
        expires_soon,    // CERT_EXPIRES_SOON: E - 3 months <= today <= E
        expired_grace,   // CERT_EXPIRED_GRACE: E < today <= L
        expired,         // past L: a check would end with ONSHI_E_CERT_EXPIRED
    };
    Notice notice = Notice::none;
    CivilDate usable_until;  // L: the last day of the third month after E's month
};

ExpiryReading read_expiry(CivilDate expires_on, CivilDate today);

// "CERT_EXPIRES_SOON", "CERT_EXPIRED_GRACE", "CERT_EXPIRED", or "" for none.
const char *notice_code(ExpiryReading::Notice notice) noexcept;

}  // namespace onshi::core
