#include "card/virtual_card.h"

#include "card/jpki_ap.h"
#include "card/kenhojo_ap.h"
#include "card/kenkaku_ap.h"

namespace sandbox {

std::unique_ptr<CardModel> build_card(const PersonaMaterial& m) {
  const Persona& p = *m.persona;
  std::vector<Application> apps;
  if (has_jpki(p)) apps.push_back(make_jpki_ap(m));
  if (has_kenkaku(p)) {
    apps.push_back(make_kenkaku_ap(m));
    apps.push_back(make_kenhojo_ap(m));
  }
  return std::make_unique<CardModel>(from_hex(p.atr_hex), std::move(apps));
}

}  // namespace sandbox
