// Content of the 券面事項入力補助AP (Kenhojo). onshi must never select its EF 0001 (the 個人番号);
// the sandbox has it so that tests can prove that from the APDU journal.
#pragma once

#include "card/card_model.h"
#include "persona/persona_material.h"

namespace sandbox {

inline const Bytes kKenhojoAid = {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};

// EFs: 0001 個人番号 (fictitious; PIN 0011 or 照合番号A 0014), 0002 基本4情報 (0011 or 照合番号B
// 0015), 0003 integrity record, 0004 CV certificate, 0005 AP basic info;
// keys 0011 PIN (the persona's PIN, 3 tries), 0012 (arrives blocked), 0014 A, 0015 B.
Application make_kenhojo_ap(const PersonaMaterial& m);

}  // namespace sandbox
