// Windows: terminal.key sealed with DPAPI (CryptProtectData) for the Windows user the host runs
// as, so that a copied file is useless on another PC or to another user. The default key
// protector on Windows when no credential_passphrase is configured (the passphrase, when given,
// wins: it is what the installer chose). Stored as text armour around the DPAPI blob:
//   -----BEGIN ONSHI DPAPI PRIVATE KEY-----
//   base64(blob)
//   -----END ONSHI DPAPI PRIVATE KEY-----
// An unsealed PEM key (a store enrolled before) is still read; the next save() seals it.
#pragma once

#include "registration/credential_store.h"

#include <memory>

namespace onshi::registration {

// Throws Error(ONSHI_E_NOT_SUPPORTED) on platforms without DPAPI.
std::shared_ptr<const KeyProtector> make_dpapi_key_protector();

}  // namespace onshi::registration
