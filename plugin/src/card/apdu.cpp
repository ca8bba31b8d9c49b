#include "card/apdu.h"

#include "util/secure_buffer.h"

namespace onshi::card {

// A VERIFY's data is a PIN: wipe it with the command.
CommandApdu::~CommandApdu() {
    if (carries_secret_) secure_wipe(bytes_.data(), bytes_.size());
}

}  // namespace onshi::card
