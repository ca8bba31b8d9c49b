#include "card/standalone_card.h"

#include <csignal>
#include <cstdio>
#include <stdexcept>

#include "card/journal.h"
#include "card/virtual_card.h"
#include "card/vpcd_link.h"
#include "persona/persona_material.h"

namespace sandbox {

int run_standalone_card(const std::string& dir, const std::string& persona, std::uint16_t port,
                        int apdu_delay_ms) {
  PersonaMaterials materials = load_personas(dir);  // never re-issue: the gateway knows these
  auto m = materials.find(persona);
  if (m == materials.end()) throw std::runtime_error("unknown persona '" + persona + "'");

  // Block the stop signals before the card's thread starts, so that only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  Journal journal(dir + "/apdu-port-" + std::to_string(port) + ".jsonl");
  VpcdLink link(0, port, persona, build_card(m->second), journal, apdu_delay_ms);
  link.start();
  std::printf("card %s: connecting to 127.0.0.1:%u (vpcd protocol)\n", persona.c_str(), port);
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  link.stop();
  return 0;
}

}  // namespace sandbox
