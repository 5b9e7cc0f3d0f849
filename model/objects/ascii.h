// ASCII case folding, as Go's strings.ToLower does for the ASCII names the
// apiserver compares (kinds, resources, media types): bytes outside A-Z are
// kept as they are.
#pragma once

#include <string>
#include <string_view>

namespace sasim::model {

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace sasim::model
