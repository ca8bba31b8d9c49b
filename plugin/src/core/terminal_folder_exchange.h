// The file side of a 個別照会 through the 資格確認端末's folders (docs/folder-interface.md §個別照会):
// a request file put into `req` atomically, the terminal's answer looked up in `res`, and the
// request withdrawn on cancel or timeout. It touches no file but its own request and its own
// temporary file: answers and everything else in the folders belong to the terminal.
#pragma once

#include "core/config.h"

#include <optional>
#include <string>
#include <string_view>

namespace onshi::core {

class TerminalFolderExchange {
public:
    explicit TerminalFolderExchange(TerminalFoldersConfig folders) : folders_(std::move(folders)) {}

    // Writes `bytes` to a temporary name in req that no watcher matches (hidden, not *.xml), then
    // renames it to `name`. POSIX: 0640. Throws Error(ONSHI_E_TERMINAL_FOLDERS) naming the folder.
    void post(const std::string &name, std::string_view bytes) const;

    // The answer for `id` in res (OQSsiquc01res_<id>.xml, or …_<id>_<suffix>.xml): its name and
    // bytes, or nullopt when none is there yet. `full_scan` also lists the folder for the suffixed
    // names; without it only the plain name is tried (cheap enough for every poll).
    struct Answer {
        std::string name;
        std::string bytes;
    };
    std::optional<Answer> find_answer(std::string_view id, bool full_scan) const;
    // The same file read again (a writer that writes in place may not have finished).
    std::optional<std::string> reread(const std::string &name) const;

    // Removes the request file `name` from req if it is still there (the terminal may have taken
    // it already). Never any other file.
    void withdraw(const std::string &name) const;

private:
    TerminalFoldersConfig folders_;
};

}  // namespace onshi::core
