// onshi-sandbox: virtual My Number Cards behind a private pcscd, for host developers and tests.
#include <cstdio>
#include <exception>

#include "cli/cli.h"

int main(int argc, char** argv) {
  try {
    return sandbox::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "onshi-sandbox: %s\n", e.what());
    return 1;
  }
}
