// What `up` makes for every persona in DIR: keys and certificates issued by the test CA, the face
// photo, the 券面 files, the CRL, and DIR/personas.json (persona -> certificate serials, for the
// reference gateway).
#pragma once

#include <map>
#include <string>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/bytes.h"
#include "common/test_ca.h"
#include "persona/persona.h"

namespace sandbox {

struct PersonaMaterial {
  const Persona* persona = nullptr;
  PkeyPtr auth_key, sign_key;
  IssuedCert auth_cert, sign_cert;
  Bytes ca_cert_der;
  Bytes face_jp2;
  Bytes card_face;   // 券面事項確認AP EF 0002
  Bytes age_record;  // 券面事項確認AP EF 0001
};

using PersonaMaterials = std::map<std::string, PersonaMaterial>;

// Creates (or reuses the keys of) DIR/ca and DIR/personas/<id>/, writes DIR/ca/crl.pem and
// DIR/personas.json.
PersonaMaterials prepare_personas(const std::string& dir);

// The material that `up` already made in DIR, read back without issuing anything (the running
// gateway knows exactly those certificates): for `onshi-sandbox card` beside a running sandbox.
// Throws SandboxError when DIR holds no complete set.
PersonaMaterials load_personas(const std::string& dir);

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;
// The catalogue fields of one persona (id, descriptions, PIN, 照合番号B, ...) as JSON members.
void write_persona_fields(JsonWriter& w, const Persona& p);

}  // namespace sandbox
