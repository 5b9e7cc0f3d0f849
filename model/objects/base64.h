// Standard base64 (RFC 4648 with padding), as Secret `data` carries it on the
// wire. Decoding follows Go's encoding/base64 StdEncoding exactly, so that a
// bad manifest gets Go's message: `illegal base64 data at input byte N`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/result.h"

namespace sasim::model {

std::string base64_encode(std::string_view bytes);

// As Go: `\r` and `\n` are skipped anywhere, padding is required, and the
// error carries the offset Go reports.
struct Base64Error {
  std::size_t offset = 0;
  std::string message() const;  // "illegal base64 data at input byte 4"
};
sim::Result<std::string, Base64Error> base64_decode(std::string_view text);

}  // namespace sasim::model
