// Checks on the raw bytes of an input file before YAML parsing. yaml-cpp
// reads invalid UTF-8 and control characters without complaint (it drops
// some, mangles others), so they are refused here, at their exact position.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sasim::scenarios {

// Files larger than this are refused before parsing: a scenario is a page
// of text, and the cap keeps a mistaken path (a disk image, a log) from
// taking the machine's memory.
inline constexpr std::size_t kMaxInputBytes = std::size_t{16} << 20;

struct TextProblem {
  std::size_t offset = 0;  // of the offending byte
  std::string message{};
};

// The first byte sequence that is not valid UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF included), or a character that
// YAML does not allow in a stream (C0 controls other than tab, LF and CR;
// DEL; C1 controls other than NEL; U+FFFE and U+FFFF), or nullopt. A
// leading byte-order mark is allowed.
std::optional<TextProblem> check_text(std::string_view text);

// 1-based line and column (in bytes) of `offset`.
struct LineColumn {
  int line = 1;
  int column = 1;
};
LineColumn line_column(std::string_view text, std::size_t offset);

}  // namespace sasim::scenarios
