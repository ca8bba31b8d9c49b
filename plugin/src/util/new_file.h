// Writing a file of onshi's own in one go on POSIX, as the credential store, the face export, the
// 個別照会's request and the face watcher's state do before they rename it into place.
#pragma once

#ifndef _WIN32

#include <string>
#include <string_view>

namespace onshi {

// Creates `path` exclusively (never an existing file, never through a symbolic link), gives it
// `mode` whatever the umask, writes all of `bytes`, and with `durable` flushes it to the disk.
// Returns 0, or the errno of the step that failed; the half-written file is then removed (it
// was created here, so it is the caller's own).
int write_new_file(const std::string &path, std::string_view bytes, unsigned mode, bool durable);

}  // namespace onshi

#endif
