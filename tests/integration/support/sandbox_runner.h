// Drives one onshi-sandbox for an integration suite: `up`, `down`, cards in and out, gateway fault
// switches, and the files the sandbox writes in its DIR (plugin.json, setup.json, the gateway's
// request log). One process = one sandbox: libpcsclite reads PCSCLITE_CSOCK_NAME once per process,
// so use_pcscd() must run before the first PC/SC call of the process.
#pragma once

#include <cstddef>
#include <string>

namespace onshi::it {

// The whole file as bytes ("" when it cannot be read).
std::string read_all(const std::string &path);
void write_all(const std::string &path, const std::string &text);
// What a shell command printed on stdout.
std::string output_of(const std::string &command);
// Occurrences of `what` in `text`.
std::size_t count_of(const std::string &text, const std::string &what);

class SandboxRunner {
public:
    SandboxRunner(std::string binary, std::string dir) : binary_(std::move(binary)), dir_(std::move(dir)) {}

    const std::string &dir() const { return dir_; }
    const std::string &binary() const { return binary_; }

    // `onshi-sandbox ARGS --dir DIR`, quiet; its exit code.
    int run(const std::string &args) const;
    // Stops a sandbox of DIR, removes `fresh` (paths under DIR, e.g. "terminal gateway"), starts
    // one with `up_args` and points this process's libpcsclite at its pcscd. True when it is up.
    bool up(const std::string &up_args, const std::string &fresh = "terminal gateway apdu.jsonl") const;
    int down() const { return run("down"); }
    void use_pcscd() const;

    int insert(int slot, const std::string &persona) const;
    int remove(int slot) const;
    // Removes whatever the slot holds, then inserts `persona` (a fresh card: full tries).
    int put_card(int slot, const std::string &persona) const;
    int gateway_fault(const std::string &mode, int ms = -1) const;

    // DIR/plugin.json's gateway url and CA file ("" when absent).
    std::string gateway_url() const;
    std::string gateway_ca() const;
    std::string setup_json() const { return read_all(dir_ + "/setup.json"); }
    // Requests to `endpoint` (e.g. "/v1/confirmations") in DIR/gateway/requests.jsonl so far.
    std::size_t gateway_requests(const std::string &endpoint) const;

private:
    std::string binary_, dir_;
};

}  // namespace onshi::it
