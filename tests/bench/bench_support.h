// What the benchmark programs share: their own sandbox (a private pcscd with virtual cards and the
// reference gateway), the plugin configuration that points at it, counting APDUs in the sandbox's
// journal, and percentiles. No onshi symbol here, so that a program can load the library itself. Every program prints name=value lines and fails (exit 1)
// only when the work it measures does not complete or a figure is missing, never on a timing.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace bench {

class Sandbox {
public:
    Sandbox(std::string bin, std::string dir) : bin_(std::move(bin)), dir_(std::move(dir)) {}
    // A fresh facility (no terminal yet, so enrolling never meets the limit), then
    // `up <args> --dir DIR`, and PCSCLITE_CSOCK_NAME for this process (before any PC/SC call).
    bool up(const std::string &args);
    void down();
    int run(const std::string &args) const;  // `onshi-sandbox ARGS --dir DIR`, quiet; exit code
    std::string personas_json() const;
    std::string persona_field(const std::string &persona, const std::string &field) const;
    const std::string &dir() const { return dir_; }
    // APDUs in the journal so far, of one slot or (slot < 0) of all.
    std::size_t journal_apdus(int slot = 0) const;
    // DER size of the persona's authentication certificate; 0 when it cannot be read.
    std::size_t auth_certificate_size(const std::string &persona) const;
    // The gateway port of DIR/plugin.json; 0 when absent.
    int gateway_port() const;

private:
    std::string bin_, dir_;
};

std::string read_all(const std::string &path);
std::size_t count_lines(const std::string &path, const std::string &needle);

// DIR/plugin.json with English messages, a card wait, an info-level log file DIR/plugin.log (the
// only place that says when a TLS connection opens) and, when relay_port > 0, the gateway reached
// through 127.0.0.1:relay_port.
std::string plugin_config(const std::string &dir, int relay_port);

// DIR/setup.json without its gateway_url (the context's gateway, maybe a relay, is the one to
// use); "" when missing or malformed.
std::string setup_json(const std::string &dir);

// Nearest-rank percentile, p in (0, 1]; 0 for an empty sample.
double percentile(std::vector<double> v, double p);

// Prints name=value with two decimals.
void print_figure(const char *name, double value);

// One "--name value" option of a bench program: a whole number in [min, max] into *number, or
// (number == nullptr) any text into *text.
struct Option {
    const char *name;
    int *number;
    long min, max;
    std::string *text;
};
inline Option number_option(const char *name, int *target, long min, long max) { return {name, target, min, max, nullptr}; }
inline Option text_option(const char *name, std::string *target) { return {name, nullptr, 0, 0, target}; }

// The main() of the bench programs that drive a sandbox: parses argv as "--name value" pairs (exit
// 2 with `usage` on a missing, unknown or out-of-range one), skips with 77 unless root (the
// sandbox's private namespaces need it), then runs run(sandbox) with the sandbox binary and
// directory as the options left them, taking the sandbox down and failing (1) on an exception.
int sandbox_main(const char *program, const char *usage, int argc, char **argv, std::initializer_list<Option> options,
                 const std::string &sandbox_bin, const std::string &sandbox_dir,
                 const std::function<int(Sandbox &)> &run);

}  // namespace bench
