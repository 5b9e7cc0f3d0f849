// Go's strconv.ParseBool, which upstream uses to read annotations.
#pragma once

#include <optional>
#include <string_view>

namespace sasim::model::admission {

// 1 t T TRUE true True are true; 0 f F FALSE false False are false; anything
// else (" true", "yes", "") is an error, nullopt.
std::optional<bool> parse_go_bool(std::string_view text);

}  // namespace sasim::model::admission
