// Go's strconv.FormatFloat(f, fmt, -1, 64) for the three forms the printers
// need: 'g' (go-yaml's floats), and 'f' / 'e' (encoding/json's, which picks
// between them). Shortest round-trip digits come from std::to_chars.
#pragma once

#include <string>

namespace sasim::model {

// `format` is 'g', 'f' or 'e'.
std::string go_format_float(double value, char format);
// encoding/json's float64 text: 'f', or 'e' outside [1e-6, 1e21), "e-07" cut to "e-7".
std::string go_json_float(double value);

}  // namespace sasim::model
