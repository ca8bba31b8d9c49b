// onshi_soak (issue 7, part 4): N PIN checks through the C ABI against the sandbox, each with a
// fault drawn at random (seeded; the seed is printed) from the fault matrix: gateway faults,
// TLS faults, the clock off, the card pulled at a random APDU, pcscd restarted mid-check.
// Every check must end with exactly one final event whose status the injected fault allows,
// with at most one VERIFY (the typed PIN, answered 9000) in the sandbox's APDU journal; a check
// without a fault must succeed. RSS, open file descriptors and threads are printed at the start,
// after the warm-up and at the end; descriptors and threads must not grow after the warm-up,
// RSS not by more than --rss-tolerance-kb (not asserted under a sanitizer, whose allocator keeps
// freed memory in quarantine; LeakSanitizer checks leaks there instead).
//
//   onshi_soak [--checks N] [--seed S] [--warmup W] [--rss-tolerance-kb K] [--dir DIR] [--log FILE] [--sandbox BIN]
//
// Needs root (the sandbox's namespaces); exits 77 without it. Prints soak.* figures.
#include <onshi/onshi.h>

#include "apdu_journal.h"
#include "personas.h"
#include "reader_wait.h"
#include "plugin_setup.h"
#include "process_usage.h"
#include "sandbox_runner.h"

#include <rapidjson/document.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace onshi::it;
using onshi::soak::process_usage;
using onshi::soak::ProcessUsage;
using Clock = std::chrono::steady_clock;

// Short, so that the timeout faults (about twice this each) cost little; long enough that a
// loaded CI machine (2 cores, ctest -j2) does not turn a plain check into a timeout.
constexpr int kGatewayTimeoutMs = 1000;
const std::string kRequest = R"({"reader":"Virtual PCD 00 00"})";

enum class Fault {
    none,
    slow_within_timeout,
    slow_beyond_timeout,
    no_answer,
    refused,
    http500,
    malformed,
    oversized,
    dropped,
    wrong_host_certificate,
    expired_certificate,
    other_ca,
    tls_1_1,
    clock_off,
    card_pulled,
    pcscd_restart,
    phone_pulled,    // an Android phone (docs/smartphones.md) taken away at a random APDU
    phone_last_try,  // a phone with one PIN try left, the host not allowing it
};

struct FaultKind {
    Fault fault;
    const char *name;
    int weight;                      // relative frequency
    const char *mode;                // gateway-fault mode ("none" when the fault is elsewhere)
    int ms;                          // its --ms, -1 for none
    bool new_connection;             // the fault meets new connections only: reopen the context
    std::set<onshi_status> allowed;  // statuses the fault may end a check with
};

const std::vector<FaultKind> &fault_kinds() {
    static const std::vector<FaultKind> kinds = {
        {Fault::none, "none", 40, "none", -1, false, {ONSHI_OK}},
        {Fault::slow_within_timeout, "slow_within_timeout", 4, "slow", kGatewayTimeoutMs / 4, false, {ONSHI_OK}},
        {Fault::slow_beyond_timeout, "slow_beyond_timeout", 2, "slow", 3 * kGatewayTimeoutMs, false, {ONSHI_E_GATEWAY_TIMEOUT}},
        {Fault::no_answer, "no_answer", 2, "timeout", -1, false, {ONSHI_E_GATEWAY_TIMEOUT}},
        {Fault::refused, "refused", 4, "refuse", -1, false, {ONSHI_E_NETWORK}},
        {Fault::http500, "http500", 4, "http500", -1, false, {ONSHI_E_GATEWAY_ERROR}},
        {Fault::malformed, "malformed_json", 4, "malformed", -1, false, {ONSHI_E_GATEWAY_PROTOCOL}},
        {Fault::oversized, "oversized_body", 4, "oversized", -1, false, {ONSHI_E_GATEWAY_PROTOCOL}},
        {Fault::dropped, "connection_dropped", 4, "close", -1, false, {ONSHI_E_NETWORK}},
        {Fault::wrong_host_certificate, "wrong_host_certificate", 3, "wrong-host-cert", -1, true, {ONSHI_E_TLS}},
        {Fault::expired_certificate, "expired_certificate", 3, "expired-cert", -1, true, {ONSHI_E_TLS}},
        {Fault::other_ca, "other_ca", 3, "none", -1, true, {ONSHI_E_TLS}},
        {Fault::tls_1_1, "tls_1_1_only", 3, "tls1.1", -1, true, {ONSHI_E_TLS}},
        {Fault::clock_off, "clock_off", 4, "skew", 600000, false, {ONSHI_E_REJECTED}},
        {Fault::card_pulled, "card_pulled", 8, "none", -1, false, {ONSHI_E_CARD_REMOVED, ONSHI_E_NO_CARD}},
        // pcscd killed and back while the check runs: wherever it lands, one of these, or the
        // check got through before (or after) the outage. (A restarted pcscd answers a card
        // handle of the old one with SCARD_W_SECURITY_VIOLATION: PCSC_UNAVAILABLE, not CARD_ERROR.)
        {Fault::pcscd_restart, "pcscd_restart", 1, "none", -1, false,
         {ONSHI_OK, ONSHI_E_PCSC_UNAVAILABLE, ONSHI_E_CARD_REMOVED, ONSHI_E_NO_READER, ONSHI_E_NO_CARD}},
        {Fault::phone_pulled, "phone_pulled", 4, "none", -1, false, {ONSHI_E_CARD_REMOVED, ONSHI_E_NO_CARD}},
        {Fault::phone_last_try, "phone_last_try", 2, "none", -1, false, {ONSHI_E_LAST_TRY_REFUSED}},
    };
    return kinds;
}

struct Options {
    long checks = 300;
    unsigned long seed = 0;
    bool seed_given = false;
    long warmup = -1;
    long rss_tolerance_kb = 8192;
    std::string dir = ONSHI_SOAK_DIR;
    std::string log;  // the plugin's log file (debug level), for diagnosing a violation
    // The sandbox binary; a long run wants a copy of its own, or rebuilding the tree under it
    // makes the fault switches fail while the binary is being linked.
    std::string sandbox = ONSHI_SANDBOX_BIN;
};

bool parse_options(int argc, char **argv, Options &o) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char * { return i + 1 < argc ? argv[++i] : nullptr; };
        const char *v = nullptr;
        if (a == "--checks" && (v = value())) o.checks = std::atol(v);
        else if (a == "--seed" && (v = value())) o.seed = std::strtoul(v, nullptr, 10), o.seed_given = true;
        else if (a == "--warmup" && (v = value())) o.warmup = std::atol(v);
        else if (a == "--rss-tolerance-kb" && (v = value())) o.rss_tolerance_kb = std::atol(v);
        else if (a == "--dir" && (v = value())) o.dir = v;
        else if (a == "--log" && (v = value())) o.log = v;
        else if (a == "--sandbox" && (v = value())) o.sandbox = v;
        else return false;
    }
    if (o.warmup < 0) o.warmup = std::min<long>(200, o.checks / 5);
    return o.checks > 0 && o.warmup < o.checks;
}

// New lines of DIR/apdu.jsonl since the last call (the journal only grows).
class JournalFollower {
public:
    explicit JournalFollower(const std::string &path) : path_(path) {}
    std::vector<JournalLine> next() {
        std::vector<JournalLine> out;
        if (!in_.is_open()) in_.open(path_);
        if (!in_.is_open()) return out;
        in_.clear();
        for (std::string piece; std::getline(in_, piece);) {
            if (in_.eof()) {  // no newline yet: the sandbox is still writing it
                pending_ += piece;
                break;
            }
            const std::string line = pending_ + piece;
            pending_.clear();
            rapidjson::Document d;
            d.Parse(line.c_str());
            if (d.IsObject() && d.HasMember("slot") && d.HasMember("c") && d.HasMember("r") && d["c"].IsString() && d["r"].IsString())
                out.push_back({d["slot"].GetInt(), d["c"].GetString(), d["r"].GetString()});
        }
        in_.clear();
        return out;
    }

private:
    std::string path_;
    std::ifstream in_;
    std::string pending_;
};

class Soak {
public:
    Soak(const Options &o, SandboxRunner sandbox) : options_(o), sandbox_(std::move(sandbox)), journal_(o.dir + "/apdu.jsonl") {}

    bool setup(const std::string &pin, const std::string &phone_pin, const std::string &last_try_pin) {
        pin_ = pin;
        phone_pin_ = phone_pin;
        last_try_pin_ = last_try_pin;
        if (!open()) return false;
        if (enroll_from_setup(ctx_, options_.dir) != ONSHI_OK) {
            std::fprintf(stderr, "soak: enrollment failed; see %s/gateway/gateway.log\n", options_.dir.c_str());
            return false;
        }
        journal_.next();
        // Undisturbed, to learn how many APDUs a check sends (the range of the card pulls).
        const Ended first = check(ctx_);
        const std::vector<JournalLine> apdus = journal_.next();
        apdus_per_check_ = static_cast<int>(apdus.size());
        if (first.status != ONSHI_OK || apdus_per_check_ < 2) {
            std::fprintf(stderr, "soak: the first check ended %s with %d APDUs\n", onshi_status_name(first.status), apdus_per_check_);
            return false;
        }
        // The same for the Android phone (its own sequence: VERIFY before the certificate).
        if (!put("phone-android")) return false;
        journal_.next();
        const Ended phone = check(ctx_, phone_pin_);
        apdus_per_phone_check_ = static_cast<int>(journal_.next().size());
        if (phone.status != ONSHI_OK || apdus_per_phone_check_ < 2 || !put("valid-honnin")) {
            std::fprintf(stderr, "soak: the first phone check ended %s with %d APDUs\n", onshi_status_name(phone.status),
                         apdus_per_phone_check_);
            return false;
        }
        journal_.next();
        return true;
    }

    // One check with a random fault; false on a violation (printed).
    bool step(std::mt19937_64 &rng) {
        const FaultKind &kind = draw(rng);
        ++injected_[kind.name];
        if (kind.new_connection && !reopen()) return violation(kind, "cannot reopen the context");
        set_gateway_mode(kind.mode, kind.ms);
        onshi_context *ctx = ctx_;
        onshi_context *other = nullptr;
        if (kind.fault == Fault::other_ca) {
            other = open_context(options_.dir + "/gateway/other-ca.pem");
            if (!other) return violation(kind, "cannot open a context that trusts another CA");
            ctx = other;
        }
        const bool phone = kind.fault == Fault::phone_pulled || kind.fault == Fault::phone_last_try;
        if (phone) {
            if (!put(kind.fault == Fault::phone_pulled ? "phone-android" : "phone-android-last-try"))
                return violation(kind, "cannot put the phone on the reader");
            journal_.next();  // the monitor's identification of the phone is not the check's
        }
        if (kind.fault == Fault::card_pulled || kind.fault == Fault::phone_pulled) {
            std::uniform_int_distribution<int> at(1, phone ? apdus_per_phone_check_ : apdus_per_check_);
            if (sandbox_.run("remove --slot 0 --after-apdus " + std::to_string(at(rng))) != 0) return violation(kind, "cannot arm the card pull");
        }
        std::thread outage;
        if (kind.fault == Fault::pcscd_restart) outage = std::thread([&] { sandbox_.run("restart-pcscd --down-ms 300"); });
        const Ended e = check(ctx, kind.fault == Fault::phone_pulled    ? phone_pin_
                                   : kind.fault == Fault::phone_last_try ? last_try_pin_
                                                                         : pin_);
        if (outage.joinable()) outage.join();
        if (other) onshi_close(other);
        ++outcomes_[onshi_status_name(e.status)];

        bool ok = true;
        if (e.hung) ok = violation(kind, "no final event within 60 s (a hang)");
        if (e.finals != 1) ok = violation(kind, std::to_string(e.finals) + " final events");
        if (!kind.allowed.count(e.status)) ok = violation(kind, std::string("ended ") + onshi_status_name(e.status) + ": " + e.text);
        int verifies = 0;
        for (const JournalLine &l : journal_.next())
            if (l.verify_with_data()) {
                ++verifies;
                // "" = the card vanished at this APDU and never processed it.
                if (l.r != "9000" && !l.r.empty()) ok = violation(kind, "a VERIFY answered " + l.r + " (a PIN try spent)");
            }
        if (verifies > 1) ok = violation(kind, std::to_string(verifies) + " VERIFYs with the PIN in one check");
        if (kind.fault == Fault::phone_last_try && verifies != 0)
            ok = violation(kind, "the phone's last try was spent without the host's consent");
        if (kind.fault == Fault::card_pulled || phone) restore_card();
        if (kind.fault == Fault::pcscd_restart && !wait_until_card_seen())
            ok = violation(kind, "the plugin did not see the card again within 10 s of pcscd's return");
        return ok;
    }

    // Fault switched off, a fresh context, a few plain checks: the same state at the end of the
    // warm-up and at the end, so that their figures compare.
    bool settle(int plain_checks) {
        set_gateway_mode("none", -1);
        if (!reopen()) return false;
        for (int i = 0; i < plain_checks; ++i) {
            const Ended e = check(ctx_);
            journal_.next();
            ++settle_checks_;
            if (e.status != ONSHI_OK) {
                std::fprintf(stderr, "soak: a plain check after the faults ended %s: %s\n", onshi_status_name(e.status), e.text.c_str());
                return false;
            }
        }
        return true;
    }

    void close() {
        if (ctx_) onshi_close(ctx_);
        ctx_ = nullptr;
    }

    long violations() const { return violations_; }
    long settle_checks() const { return settle_checks_; }
    const std::map<std::string, long> &outcomes() const { return outcomes_; }
    const std::map<std::string, long> &injected() const { return injected_; }

private:
    struct Ended {
        onshi_status status = ONSHI_E_INTERNAL;
        std::string text;
        int finals = 0;
        bool hung = false;
    };

    const FaultKind &draw(std::mt19937_64 &rng) {
        std::vector<int> weights;
        for (const FaultKind &k : fault_kinds()) weights.push_back(k.weight);
        std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
        return fault_kinds()[pick(rng)];
    }

    onshi_context *open_context(const std::string &ca_file = "") const {
        const std::string gateway = R"({"url":")" + sandbox_.gateway_url() + R"(","ca_file":")" +
                                    (ca_file.empty() ? sandbox_.gateway_ca() : ca_file) + R"(","timeout_ms":)" +
                                    std::to_string(kGatewayTimeoutMs) + R"(,"connect_timeout_ms":)" +
                                    std::to_string(kGatewayTimeoutMs) + "}";
        const std::string log = options_.log.empty() ? "" : R"(,"log":{"level":"debug","file":")" + options_.log + "\"}";
        const std::string config =
            plugin_config(options_.dir, R"({"locale":"en","card_wait_ms":5000,"gateway":)" + gateway + log + "}");
        onshi_context *ctx = nullptr;
        if (onshi_open(config.c_str(), &ctx) != ONSHI_OK) {
            std::fprintf(stderr, "soak: onshi_open: %s\n", onshi_last_error(nullptr));
            return nullptr;
        }
        return ctx;
    }
    bool open() { return (ctx_ = open_context()) != nullptr; }
    bool reopen() {
        close();
        return open();
    }

    void set_gateway_mode(const std::string &mode, int ms) {
        const std::string wanted = mode + "/" + std::to_string(ms);
        if (wanted == gateway_mode_) return;
        if (sandbox_.gateway_fault(mode, ms) == 0) gateway_mode_ = wanted;
        else std::fprintf(stderr, "soak: gateway-fault --mode %s failed\n", mode.c_str());
    }

    // The fault has cleared for the host once the plugin lists the card again (its monitor
    // retries the service about once a second; until then checks end PCSC_UNAVAILABLE at once).
    bool wait_until_card_seen() {
        const auto deadline = Clock::now() + std::chrono::seconds(10);
        while (Clock::now() < deadline) {
            char *json = nullptr;
            if (onshi_list_readers(ctx_, &json) == ONSHI_OK) {
                const bool seen = std::string(json).find(R"("card_present":true)") != std::string::npos;
                onshi_free(json);
                if (seen) return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

    // `persona` in slot 0, once the plugin lists it (identified: reader_wait.h). Removing first also
    // disarms a pull that did not happen.
    bool put(const std::string &persona) { return swap_card(sandbox_, ctx_, 0, "Virtual PCD 00 00", persona); }
    // After a pull or a phone: the card in slot 0 again.
    void restore_card() {
        if (!put("valid-honnin")) sandbox_.put_card(0, "valid-honnin");
        journal_.next();
    }

    Ended check(onshi_context *ctx) { return check(ctx, pin_); }
    Ended check(onshi_context *ctx, const std::string &pin) {
        Ended e;
        onshi_job_id job = 0;
        if (onshi_check_eligibility(ctx, kRequest.c_str(), pin.c_str(), &job) != ONSHI_OK) {
            e.status = ONSHI_E_INTERNAL;
            e.text = onshi_last_error(ctx);
            e.finals = -1;
            return e;
        }
        const auto deadline = Clock::now() + std::chrono::seconds(60);
        bool ended = false;
        for (;;) {
            onshi_event ev{};
            ev.struct_size = sizeof ev;
            // Once the final event came, drain what is queued: a second final would show here.
            const onshi_status s = onshi_poll_event(ctx, ended ? 0 : 100, &ev);
            if (s != ONSHI_OK) {
                if (ended) break;
                if (Clock::now() > deadline) {
                    e.hung = true;
                    break;
                }
                continue;
            }
            if (ev.job != job) continue;
            if (ev.type == ONSHI_EVENT_DONE || ev.type == ONSHI_EVENT_FAILED || ev.type == ONSHI_EVENT_CANCELLED) {
                ++e.finals;
                if (!ended) {
                    e.status = ev.status;
                    e.text = ev.text ? ev.text : "";
                }
                ended = true;
            }
        }
        onshi_job_release(ctx, job);
        return e;
    }

    bool violation(const FaultKind &kind, const std::string &what) {
        ++violations_;
        std::fprintf(stderr, "soak: VIOLATION after fault %s: %s\n", kind.name, what.c_str());
        return false;
    }

    Options options_;
    SandboxRunner sandbox_;
    JournalFollower journal_;
    onshi_context *ctx_ = nullptr;
    std::string pin_, phone_pin_, last_try_pin_;
    int apdus_per_check_ = 0, apdus_per_phone_check_ = 0;
    std::string gateway_mode_ = "none/-1";
    long violations_ = 0, settle_checks_ = 0;
    std::map<std::string, long> outcomes_, injected_;
};

void print_usage(const char *when, const ProcessUsage &u) {
    std::printf("soak.rss_kb.%s=%ld\nsoak.fds.%s=%ld\nsoak.threads.%s=%ld\n", when, u.rss_kb, when, u.fds, when, u.threads);
}

}  // namespace

int main(int argc, char **argv) {
    Options o;
    if (!parse_options(argc, argv, o)) {
        std::fprintf(stderr, "usage: onshi_soak [--checks N] [--seed S] [--warmup W] [--rss-tolerance-kb K] [--dir DIR] [--log FILE] [--sandbox BIN]\n");
        return 2;
    }
    if (::geteuid() != 0) {
        std::fprintf(stderr, "onshi_soak needs root for the sandbox's namespaces; skipped\n");
        return 77;
    }
    if (!o.seed_given) o.seed = static_cast<unsigned long>(std::random_device{}());
    std::printf("soak.seed=%lu\n", o.seed);
    std::fflush(stdout);
    std::mt19937_64 rng(o.seed);
    const ProcessUsage start = process_usage();

    const SandboxRunner sandbox(o.sandbox, o.dir);
    if (!sandbox.up("--readers 1 --card 0=valid-honnin", "terminal gateway apdu.jsonl")) {
        std::fprintf(stderr, "soak: onshi-sandbox up failed; see %s/sandbox.log\n", o.dir.c_str());
        return 1;
    }
    const auto personas = load_personas(o.sandbox);
    const auto honnin = personas.find("valid-honnin");
    const auto phone = personas.find("phone-android");
    const auto phone_last_try = personas.find("phone-android-last-try");
    Soak soak(o, sandbox);
    if (honnin == personas.end() || phone == personas.end() || phone_last_try == personas.end() ||
        !soak.setup(honnin->second.pin, phone->second.pin, phone_last_try->second.pin)) {
        sandbox.down();
        return 1;
    }

    constexpr int kSettleChecks = 10;
    const auto t0 = Clock::now();
    long done = 0;
    for (; done < o.warmup; ++done) soak.step(rng);
    bool settled = soak.settle(kSettleChecks);
    const ProcessUsage warm = process_usage();
    for (; done < o.checks; ++done) {
        soak.step(rng);
        if ((done + 1) % 1000 == 0) {
            const ProcessUsage now = process_usage();
            std::printf("soak.progress=%ld rss_kb=%ld fds=%ld threads=%ld violations=%ld\n", done + 1, now.rss_kb, now.fds,
                        now.threads, soak.violations());
            std::fflush(stdout);
        }
    }
    settled = soak.settle(kSettleChecks) && settled;
    const ProcessUsage end = process_usage();
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    soak.close();
    sandbox.down();

    std::printf("soak.checks=%ld\nsoak.settle_checks=%ld\nsoak.duration_s=%.1f\n", done, soak.settle_checks(), seconds);
    for (const auto &[status, n] : soak.outcomes()) std::printf("soak.outcome.%s=%ld\n", status.c_str(), n);
    long injected = 0;
    for (const auto &[kind, n] : soak.injected()) {
        std::printf("soak.faults_injected.%s=%ld\n", kind.c_str(), n);
        if (kind != "none") injected += n;
    }
    std::printf("soak.faults_injected.total=%ld\n", injected);
    print_usage("start", start);
    print_usage("warm", warm);
    print_usage("end", end);
    std::printf("soak.violations=%ld\n", soak.violations());

    bool ok = settled && soak.violations() == 0;
    if (end.fds > warm.fds) ok = false, std::fprintf(stderr, "soak: open file descriptors grew from %ld to %ld\n", warm.fds, end.fds);
    if (end.threads > warm.threads) ok = false, std::fprintf(stderr, "soak: threads grew from %ld to %ld\n", warm.threads, end.threads);
    const long rss_growth = end.rss_kb - warm.rss_kb;
    std::printf("soak.rss_growth_kb=%ld (tolerance %ld%s)\n", rss_growth, o.rss_tolerance_kb, ONSHI_SOAK_RSS_ASSERTED ? "" : ", not asserted under a sanitizer");
    if (ONSHI_SOAK_RSS_ASSERTED && rss_growth > o.rss_tolerance_kb) {
        ok = false;
        std::fprintf(stderr, "soak: RSS grew by %ld kB after the warm-up (tolerance %ld kB)\n", rss_growth, o.rss_tolerance_kb);
    }
    std::printf("soak.result=%s\n", ok ? "pass" : "FAIL");
    return ok ? 0 : 1;
}
