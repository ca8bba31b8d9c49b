// The PC/SC service seen through one small interface: pcsc-lite on Linux, winscard on Windows, a
// mock in unit tests. The core's reader monitor and the check jobs use nothing else.
#pragma once

#include "card/card_channel.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace onshi::card {

struct ReaderInfo {
    std::string name;
    bool card_present = false;

    friend bool operator==(const ReaderInfo &, const ReaderInfo &) = default;
};

class ReaderSystem {
public:
    virtual ~ReaderSystem() = default;

    // The readers now. Throws Error(ONSHI_E_PCSC_UNAVAILABLE) when the service is down; the next
    // call re-establishes the PC/SC context (a context that saw SCARD_E_NO_SERVICE never recovers).
    virtual std::vector<ReaderInfo> list_readers() = 0;

    // Blocks until the set of readers or the presence of a card differs from `known`, until
    // `timeout`, or until cancel_wait(); returns the readers as they are then. One thread at a
    // time. Throws Error(ONSHI_E_PCSC_UNAVAILABLE) when the service is down (back off and call
    // again: the context is re-established).
    virtual std::vector<ReaderInfo> wait_for_change(const std::vector<ReaderInfo> &known,
                                                    std::chrono::milliseconds timeout) = 0;
    // Wakes a wait_for_change() in another thread (SCardCancel). Safe from any thread. Sticky: a
    // cancel that arrives while no wait is running makes the next wait return at once.
    virtual void cancel_wait() = 0;

    // Connects exclusively to the card in `reader`. Throws Error(ONSHI_E_NO_READER / NO_CARD /
    // CARD_IN_USE / PCSC_UNAVAILABLE).
    virtual std::unique_ptr<CardChannel> connect(const std::string &reader) = 0;
};

}  // namespace onshi::card
