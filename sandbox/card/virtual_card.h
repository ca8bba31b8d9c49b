// Assembles the card of one persona: ATR plus the applications its kind of card carries.
#pragma once

#include <memory>

#include "card/card_model.h"
#include "persona/persona_material.h"

namespace sandbox {

std::unique_ptr<CardModel> build_card(const PersonaMaterial& m);

}  // namespace sandbox
