// The context's configuration (docs/config.md), parsed and validated once at onshi_open.
#pragma once

#include "core/face_watch_config.h"
#include "gateway/face_export.h"
#include "gateway/gateway_config.h"
#include "util/log.h"
#include "util/secure_buffer.h"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace onshi::core {

// The 資格確認端末's folders for 個別照会 (docs/folder-interface.md §個別照会); empty req: none.
struct TerminalFoldersConfig {
    std::string req;
    std::string res;
    std::chrono::milliseconds timeout{30'000};  // how long a query waits for the answer by default
    std::string institution_code;                // MedicalInstitutionCode for the request's header
};

struct Config {
    std::string locale = "ja";            // "ja" or "en": language of messages
    std::size_t max_jobs = 1024;          // unreleased jobs before ONSHI_E_BUSY
    std::chrono::milliseconds pin_timeout{120'000};  // how long a job waits for onshi_provide_pin
    std::chrono::milliseconds card_wait{0};          // how long a check waits for a card to be placed
    std::string log_file;
    LogLevel log_level = LogLevel::off;
    bool pcsc_enabled = true;             // false: no reader monitor, checks fail with PCSC_UNAVAILABLE
    bool identify_cards = true;           // the monitor identifies each arriving card's medium
    std::string gateway_json = "{}";      // the "gateway" object as given
    gateway::GatewayConfig gateway;       // ... validated (gateway_config.h)
    std::string credential_dir;           // terminal key and certificate
    // Encrypts terminal.key at rest (encrypted PKCS#8); null: the key file is stored as is.
    std::shared_ptr<const SecureBuffer> credential_passphrase;
    // Completed checks also written to the receipt program's face folder (docs/folder-interface.md).
    gateway::FaceExportConfig face_export;
    // 資格確認結果 files arriving in a folder become ONSHI_EVENT_RESULT_ARRIVED (docs/folder-interface.md).
    FaceWatchConfig face_watch;
    // 個別照会 through the 資格確認端末's req/res folders (docs/folder-interface.md).
    TerminalFoldersConfig terminal_folders;
    // Where the terminal key lives: false = terminal.key ("file"), true = a TPM 2.0 ("tpm", Linux).
    bool key_store_tpm = false;

    // Throws Error(ONSHI_E_CONFIG) naming the offending key. Empty text = defaults.
    static Config parse(std::string_view json);
};

}  // namespace onshi::core
