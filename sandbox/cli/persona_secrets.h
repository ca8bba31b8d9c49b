// Every value of every persona that a log or an error message of onshi must never show: what
// unlocks the card (PIN, 署名用パスワード, 照合番号B, セキュリティコード), who the person is (name,
// kana, birth date, address, the stand-in 個人番号) and the insurance record (保険者番号, 記号,
// 番号, 枝番). `onshi-sandbox personas --secrets` prints them for the log scan
// (scripts/scan-logs.sh), so a new persona is scanned for without anyone listing it twice.
#pragma once

#include "persona/persona_material.h"

namespace sandbox {

// {"secrets":[{"persona":ID,"kind":KIND,"value":TEXT},...]}; the kinds are listed in the .cpp.
void write_persona_secrets(JsonWriter& w);

}  // namespace sandbox
