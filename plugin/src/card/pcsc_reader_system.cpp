#include "card/pcsc_reader_system.h"

#include "card/pcsc_api.h"
#include "card/pcsc_errors.h"
#include "util/error.h"
#include "util/secure_buffer.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <vector>
#include <thread>

namespace onshi::card {
namespace {

using ReaderState = PcscReaderState;

constexpr char kPnpReader[] = "\\\\?PnP?\\Notification";
// Waits are cut into slices so that a cancel racing with the start of a wait (SCardCancel is a
// no-op when nothing is blocked) costs at most one slice, and readers are re-listed on platforms
// where the PnP pseudo reader does not fire (vpcd, old pcsc-lite).
constexpr std::chrono::milliseconds kWaitSlice{500};
constexpr std::size_t kMaxReaders = 64;
constexpr std::size_t kMaxReaderListBytes = 64 * 1024;

std::uint32_t code(LONG rv) { return pcsc_code(rv); }

// PC/SC part 10 (Interoperability Specification for ICCs and Personal Computer Systems, Part 10,
// §2.2): the control code that asks a reader for its feature list. pcsc-lite's reader.h and
// Windows' winsmcrd.h both define SCARD_CTL_CODE, with different formulas; 3400 is the function.
// (A platform header without it fails to compile here, which is the point: no formula of our own.)
constexpr DWORD kGetFeatureRequest = SCARD_CTL_CODE(3400);

// Vendor attributes (PC/SC part 3, SCARD_CLASS_VENDOR_INFO): name, IFD type, IFD version.
constexpr DWORD kAttrVendorName = 0x00010100;
constexpr DWORD kAttrVendorIfdType = 0x00010101;
constexpr DWORD kAttrVendorIfdVersion = 0x00010102;

// One SCARDCONTEXT, established on first use and dropped when the service went away.
class Context {
public:
    Context() = default;
    Context(const Context &) = delete;
    Context &operator=(const Context &) = delete;
    ~Context() { drop(); }

    SCARDCONTEXT get() {
        std::lock_guard lock(mutex_);
        if (!valid_) {
            SCARDCONTEXT h{};
            LONG rv = SCardEstablishContext(SCARD_SCOPE_USER, nullptr, nullptr, &h);
            if (rv != SCARD_S_SUCCESS) throw pcsc_error(code(rv), PcscOp::context, "SCardEstablishContext");
            handle_ = h;
            valid_ = true;
        }
        return handle_;
    }

    bool established() {
        std::lock_guard lock(mutex_);
        return valid_;
    }

    void drop() noexcept {
        std::lock_guard lock(mutex_);
        if (valid_) SCardReleaseContext(handle_);
        valid_ = false;
    }

    // Safe from any thread; wakes a blocking SCardGetStatusChange on this context.
    void cancel() noexcept {
        std::lock_guard lock(mutex_);
        if (valid_) SCardCancel(handle_);
    }

    // Throws the mapped error, dropping the context first when the service is gone.
    [[noreturn]] void fail(LONG rv, PcscOp op, const char *call) {
        if (pcsc_context_is_dead(code(rv))) drop();
        throw pcsc_error(code(rv), op, call);
    }

private:
    std::mutex mutex_;
    SCARDCONTEXT handle_{};
    bool valid_ = false;
};

std::vector<std::string> reader_names(Context &ctx) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        SCARDCONTEXT h = ctx.get();
        DWORD len = 0;
        LONG rv = ONSHI_PCSC_A(SCardListReaders)(h, nullptr, nullptr, &len);
        if (code(rv) == scard::no_readers_available) return {};
        if (rv != SCARD_S_SUCCESS) ctx.fail(rv, PcscOp::list, "SCardListReaders");
        if (len == 0 || len > kMaxReaderListBytes) return {};
        std::vector<char> buf(len);
        rv = ONSHI_PCSC_A(SCardListReaders)(h, nullptr, buf.data(), &len);
        if (code(rv) == scard::no_readers_available) return {};
        if (code(rv) == scard::insufficient_buffer /* a reader arrived in between */) continue;
        if (rv != SCARD_S_SUCCESS) ctx.fail(rv, PcscOp::list, "SCardListReaders");
        std::vector<std::string> names;
        len = std::min<DWORD>(len, static_cast<DWORD>(buf.size()));
        for (std::size_t i = 0; i < len && buf[i] != '\0' && names.size() < kMaxReaders;) {
            std::size_t end = i;
            while (end < len && buf[end] != '\0') ++end;
            names.emplace_back(buf.data() + i, end - i);
            i = end + 1;
        }
        return names;
    }
    return {};
}

// Names + card presence, with one non-blocking SCardGetStatusChange.
std::vector<ReaderInfo> list_with_presence(Context &ctx) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        std::vector<std::string> names = reader_names(ctx);
        if (names.empty()) return {};
        std::vector<ReaderState> states(names.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
            states[i] = ReaderState{};
            states[i].szReader = names[i].c_str();
            states[i].dwCurrentState = SCARD_STATE_UNAWARE;
        }
        LONG rv = ONSHI_PCSC_A(SCardGetStatusChange)(ctx.get(), 0, states.data(), static_cast<DWORD>(states.size()));
        if (code(rv) == scard::unknown_reader /* one left in between */) continue;
        if (rv != SCARD_S_SUCCESS && code(rv) != scard::timeout)
            ctx.fail(rv, PcscOp::list, "SCardGetStatusChange");
        std::vector<ReaderInfo> out;
        for (std::size_t i = 0; i < names.size(); ++i)
            out.push_back({names[i], (states[i].dwEventState & SCARD_STATE_PRESENT) != 0});
        return out;
    }
    return {};
}

// ---- a connected card ---------------------------------------------------------------------------

class PcscCardChannel final : public CardChannel {
public:
    PcscCardChannel(std::unique_ptr<Context> ctx, SCARDHANDLE card, DWORD protocol, std::vector<std::uint8_t> atr)
        : ctx_(std::move(ctx)), card_(card), protocol_(protocol), atr_(std::move(atr)) {}

    ~PcscCardChannel() override {
        // Reset, so the verified PIN / 照合番号B state does not linger for the next program.
        if (!dead_) SCardDisconnect(card_, SCARD_RESET_CARD);
        ctx_->drop();
    }

    ResponseApdu transmit(const CommandApdu &command) override {
        if (dead_) throw *dead_error_;
        const std::vector<std::uint8_t> &c = command.bytes();
        // Short APDUs: 256 data bytes + SW at most; an extended probe: 65536 + SW.
        std::uint8_t short_recv[258];
        std::vector<std::uint8_t> long_recv(command.extended() ? 65538 : 0);
        std::uint8_t *recv = command.extended() ? long_recv.data() : short_recv;
        const std::size_t recv_size = command.extended() ? long_recv.size() : sizeof short_recv;
        DWORD recv_len = static_cast<DWORD>(recv_size);
        const SCARD_IO_REQUEST *pci = protocol_ == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
        LONG rv = SCardTransmit(card_, pci, c.data(), static_cast<DWORD>(c.size()), nullptr, recv, &recv_len);
        if (rv != SCARD_S_SUCCESS) {
            Error e = pcsc_error(code(rv), PcscOp::transmit, "SCardTransmit");
            if (e.status() == ONSHI_E_CARD_REMOVED || e.status() == ONSHI_E_PCSC_UNAVAILABLE) die(e);
            throw e;
        }
        try {
            ResponseApdu r = parse_response({recv, std::min<std::size_t>(recv_len, recv_size)});
            secure_wipe(recv, recv_size);
            return r;
        } catch (const Error &e) {
            if (e.status() == ONSHI_E_CARD_REMOVED) die(e);  // 0 bytes: pulled mid-APDU (§8)
            throw;
        }
    }

    const std::vector<std::uint8_t> &atr() const override { return atr_; }

    ReaderDetails reader_details() const override {
        ReaderDetails d;
        d.protocol = protocol_ == SCARD_PROTOCOL_T1 ? "T=1" : protocol_ == SCARD_PROTOCOL_T0 ? "T=0" : "";
        if (dead_) return d;
        d.vendor_name = text_attribute(kAttrVendorName);
        d.ifd_type = text_attribute(kAttrVendorIfdType);
        d.ifd_version = hex_attribute(kAttrVendorIfdVersion);
        return d;
    }

    std::optional<std::vector<std::uint8_t>> feature_list() override {
        if (dead_) throw *dead_error_;
        std::uint8_t out[256];
        DWORD out_len = 0;
        LONG rv = SCardControl(card_, kGetFeatureRequest, nullptr, 0, out, sizeof out, &out_len);
        if (rv != SCARD_S_SUCCESS) {
            Error e = pcsc_error(code(rv), PcscOp::transmit, "SCardControl");
            if (e.status() == ONSHI_E_CARD_REMOVED || e.status() == ONSHI_E_PCSC_UNAVAILABLE) die(e);
            return std::nullopt;  // the reader does not know the control code: no part 10 features
        }
        return std::vector<std::uint8_t>(out, out + std::min<std::size_t>(out_len, sizeof out));
    }

private:
    std::vector<std::uint8_t> attribute(DWORD id) const {
        std::uint8_t buf[256];
        DWORD len = sizeof buf;
        if (SCardGetAttrib(card_, id, buf, &len) != SCARD_S_SUCCESS) return {};
        return {buf, buf + std::min<std::size_t>(len, sizeof buf)};
    }
    // Printable ASCII only, trailing NULs dropped: a driver's string is shown to support staff.
    std::string text_attribute(DWORD id) const {
        std::string out;
        for (std::uint8_t b : attribute(id)) {
            if (b == 0) break;
            out += (b >= 0x20 && b < 0x7F) ? static_cast<char>(b) : '?';
        }
        return out;
    }
    std::string hex_attribute(DWORD id) const {
        static const char digits[] = "0123456789ABCDEF";
        std::string out;
        for (std::uint8_t b : attribute(id)) {
            out += digits[b >> 4];
            out += digits[b & 0xF];
        }
        return out;
    }

    [[noreturn]] void die(const Error &e) {
        // Remember why, and answer every later transmit the same way without touching PC/SC.
        dead_ = true;
        dead_error_ = std::make_unique<Error>(e);
        SCardDisconnect(card_, SCARD_LEAVE_CARD);  // frees the handle; the card is gone anyway
        throw e;
    }

    std::unique_ptr<Context> ctx_;
    SCARDHANDLE card_;
    DWORD protocol_;
    std::vector<std::uint8_t> atr_;
    bool dead_ = false;
    std::unique_ptr<Error> dead_error_;
};

// ---- the reader system ---------------------------------------------------------------------------

class PcscReaderSystem final : public ReaderSystem {
public:
    std::vector<ReaderInfo> list_readers() override {
        std::lock_guard lock(query_mutex_);
        const bool had_context = query_.established();
        try {
            return list_with_presence(query_);
        } catch (const Error &) {
            // A context from before a service restart fails (NO_SERVICE) and is dropped even when
            // the service is back: only a fresh context tells whether it is really down.
            if (!had_context || query_.established()) throw;
            return list_with_presence(query_);
        }
    }

    std::vector<ReaderInfo> wait_for_change(const std::vector<ReaderInfo> &known,
                                            std::chrono::milliseconds timeout) override {
        using clock = std::chrono::steady_clock;
        // Over a day counts as "forever" (avoids overflow in the deadline).
        const bool forever = timeout > std::chrono::hours(24);
        const auto deadline = clock::now() + (forever ? std::chrono::milliseconds(0) : timeout);

        std::vector<ReaderInfo> now = list_with_presence(watch_);
        while (true) {
            if (cancel_pending_.exchange(false) || now != known) return now;
            auto left = forever ? kWaitSlice
                                : std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
            if (left <= std::chrono::milliseconds(0)) return now;
            auto slice = std::min(left, kWaitSlice);

            // Start from what we saw last time (with its event counter), so a card that changed
            // and came back within a slice, or a sharing-state change, does not wake us forever.
            std::vector<ReaderState> states;
            states.reserve(now.size() + 1);
            for (const ReaderInfo &r : now) {
                ReaderState s{};
                s.szReader = r.name.c_str();
                auto it = last_state_.find(r.name);
                bool same = it != last_state_.end() && ((it->second & SCARD_STATE_PRESENT) != 0) == r.card_present;
                s.dwCurrentState = same ? (it->second & ~static_cast<DWORD>(SCARD_STATE_CHANGED))
                                        : (r.card_present ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY);
                states.push_back(s);
            }
            if (pnp_supported_) {
                ReaderState s{};
                s.szReader = kPnpReader;
                // Windows compares the reader count kept in the high word; pcsc-lite counts itself.
                s.dwCurrentState = static_cast<DWORD>(now.size()) << 16;
                states.push_back(s);
            }
            if (states.empty()) {
                // Nothing to wait on (no readers, no PnP): sleep a slice, waking early on cancel.
                std::unique_lock lock(sleep_mutex_);
                sleep_cv_.wait_for(lock, slice, [&] { return cancel_pending_.load(); });
                now = list_with_presence(watch_);
                continue;
            }

            LONG rv = ONSHI_PCSC_A(SCardGetStatusChange)(watch_.get(), static_cast<DWORD>(slice.count()), states.data(),
                                             static_cast<DWORD>(states.size()));
            std::uint32_t c = code(rv);
            if (rv == SCARD_S_SUCCESS) {
                for (std::size_t i = 0; i < now.size(); ++i) last_state_[now[i].name] = states[i].dwEventState;
            } else if (c == scard::cancelled) {
                cancel_pending_ = false;
                return list_with_presence(watch_);
            } else if (c == scard::unknown_reader || c == scard::invalid_parameter ||
                       c == scard::invalid_value) {
                // Either a reader left in between (the new list differs and we return it), or this
                // platform does not know the PnP pseudo reader: then wait without it and rely on
                // re-listing every slice.
                std::vector<ReaderInfo> again = list_with_presence(watch_);
                if (again == now && pnp_supported_) pnp_supported_ = false;
                now = std::move(again);
                continue;
            } else if (c != scard::timeout && c != scard::no_readers_available) {
                watch_.fail(rv, PcscOp::wait, "SCardGetStatusChange");
            }
            now = list_with_presence(watch_);
            // Forget readers that left, so the map stays bounded.
            for (auto it = last_state_.begin(); it != last_state_.end();) {
                bool present = std::any_of(now.begin(), now.end(), [&](const ReaderInfo &r) { return r.name == it->first; });
                it = present ? std::next(it) : last_state_.erase(it);
            }
        }
    }

    void cancel_wait() override {
        {
            std::lock_guard lock(sleep_mutex_);
            cancel_pending_ = true;
        }
        sleep_cv_.notify_all();
        watch_.cancel();
    }

    std::unique_ptr<CardChannel> connect(const std::string &reader) override {
        auto ctx = std::make_unique<Context>();
        SCARDCONTEXT h = ctx->get();
        SCARDHANDLE card{};
        DWORD protocol = 0;
        LONG rv = SCARD_S_SUCCESS;
        for (int attempt = 0;; ++attempt) {
            rv = ONSHI_PCSC_A(SCardConnect)(h, reader.c_str(), SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                              &card, &protocol);
            if (code(rv) != scard::sharing_violation || attempt >= 5) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        if (rv != SCARD_S_SUCCESS) throw pcsc_error(code(rv), PcscOp::connect, "SCardConnect");

        std::uint8_t atr[64];
        DWORD atr_len = sizeof atr;
        DWORD state = 0;
        DWORD proto = 0;
        DWORD name_len = 0;
        rv = ONSHI_PCSC_A(SCardStatus)(card, nullptr, &name_len, &state, &proto, atr, &atr_len);
        if (rv != SCARD_S_SUCCESS) {
            SCardDisconnect(card, SCARD_LEAVE_CARD);
            throw pcsc_error(code(rv), PcscOp::connect, "SCardStatus");
        }
        std::vector<std::uint8_t> atr_bytes(atr, atr + std::min<std::size_t>(atr_len, sizeof atr));
        return std::make_unique<PcscCardChannel>(std::move(ctx), card, protocol, std::move(atr_bytes));
    }

private:
    std::mutex query_mutex_;
    Context query_;  // list_readers(), any thread, serialised by query_mutex_
    Context watch_;  // wait_for_change() (one thread at a time) and cancel_wait()
    std::map<std::string, DWORD> last_state_;  // monitor thread only
    bool pnp_supported_ = true;                // monitor thread only
    std::atomic<bool> cancel_pending_{false};
    std::mutex sleep_mutex_;
    std::condition_variable sleep_cv_;
};

}  // namespace

std::unique_ptr<ReaderSystem> make_pcsc_reader_system() { return std::make_unique<PcscReaderSystem>(); }

}  // namespace onshi::card
