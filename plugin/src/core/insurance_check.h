// A 個別照会 job (onshi_check_by_insurance): the request file goes into the terminal's req folder,
// the job waits for the matching answer in res (polling: the plain name often, a full listing of
// the folder less often), and reads it into the one result model ("source": "terminal").
// Cancel and timeout withdraw the job's own request file and stop looking: a late answer is
// ignored. An answer that does not parse is read once more after a pause (a writer that writes in
// place may not have finished) before it ends the job with ONSHI_E_TERMINAL_ANSWER.
#pragma once

#include "core/context.h"
#include "core/insurance_request.h"
#include "core/terminal_folder_exchange.h"

#include <chrono>
#include <string>

namespace onshi::core {

struct InsuranceCheckTiming {
    std::chrono::milliseconds poll{5};          // the plain answer name
    std::chrono::milliseconds full_scan{100};   // the whole res folder (suffixed answer names)
    std::chrono::milliseconds settle{250};      // before an unreadable answer is read again
};

// A new id for the file names and ArbitraryFileIdentifier: letters and digits only, unique per
// process and time.
std::string new_query_id();

// `request_bytes` is the request file (gateway::query_xml with `id`), built by the caller so that
// an unencodable value is refused before the job exists.
Context::Procedure make_insurance_check_procedure(TerminalFolderExchange exchange, std::string id,
                                                  std::string request_bytes, std::chrono::milliseconds timeout,
                                                  Logger *logger, InsuranceCheckTiming timing = {});

}  // namespace onshi::core
