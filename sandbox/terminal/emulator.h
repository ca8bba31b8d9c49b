// The 資格確認端末 emulator (README.md, "The terminal emulator"): DIR/oqs/{req,res,face} as a
// face-recognition terminal shares them. `up` starts it as `terminal-serve`; it answers every
// OQSsiquc01req_<id>.xml in req with OQSsiquc01res_<id>.xml in res from the reference gateway's
// records (the same personas), then removes the request as a terminal does. `face-checkin`
// writes a face file as if a persona had checked in at the face reader.
//
// Faults (DIR/oqs/fault.json, set with `terminal-fault`): none, slow (answer after ms), silent
// (never answer, leave the request), malformed (not XML), partial (half a file, written in place,
// never finished), pieces (the whole file written in place in two parts, ms apart), shift_jis
// (answer in Shift_JIS), error (SegmentOfResult 9 with ErrorCode EMU0001).
#pragma once

#include <string>

namespace sandbox::terminal {

// DIR/oqs/{req,res,face}, created if missing (0770: the folders hold personal data).
void make_folders(const std::string& dir);

// Starts `onshi-sandbox terminal-serve --dir DIR` in the background; its pid in DIR/oqs/terminal.pid.
int start_terminal(const std::string& dir);
// Stops it (only a process whose command line names this DIR); idempotent.
void stop_terminal(const std::string& dir);

bool valid_fault_mode(const std::string& mode);
const char* fault_modes_text();
void set_terminal_fault(const std::string& dir, const std::string& mode, int ms);

// The face file for a persona (its record as the terminal's result XML); returns its name.
std::string face_checkin(const std::string& dir, const std::string& persona_id, bool shift_jis);

// The loop of terminal-serve (never returns).
[[noreturn]] void serve_main(int argc, char** argv);

}  // namespace sandbox::terminal
