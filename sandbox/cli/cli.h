// Command line of onshi-sandbox: up, insert, remove, personas, status, down.
// Exit codes: 0 success, 1 failure, 2 bad arguments, 3 (status) no sandbox running.
#pragma once

namespace sandbox {

int run_cli(int argc, char** argv);

}  // namespace sandbox
