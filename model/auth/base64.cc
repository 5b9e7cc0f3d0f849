#include "model/auth/base64.h"

#include <array>
#include <cstdint>

namespace sasim::model::auth {
namespace {

constexpr std::string_view kStdAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> reverse_table(std::string_view alphabet) {
  std::array<std::uint8_t, 256> table{};
  table.fill(kInvalid);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}

constexpr std::array<std::uint8_t, 256> kStdReverse = reverse_table(kStdAlphabet);
constexpr std::array<std::uint8_t, 256> kUrlReverse = reverse_table(kUrlAlphabet);

std::string encode(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += alphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
  if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
  out += alphabet[v >> 18 & 63];
  out += alphabet[v >> 12 & 63];
  if (rest == 2) out += alphabet[v >> 6 & 63];
  if (pad) out.append(3 - rest, '=');
  return out;
}

// With `padded`, the text must be whole 4-character quanta and a short last
// group must be completed by exactly the right number of '='.
std::optional<std::string> decode(std::string_view text, const std::array<std::uint8_t, 256>& reverse,
                                  bool padded) {
  std::size_t data_len = text.size();
  if (padded) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t pads = 0;
    while (pads < 2 && data_len > 0 && text[data_len - 1] == '=') {
      --data_len;
      ++pads;
    }
    // "Q===" or "QQQ" followed by padding that does not close its quantum.
    if (pads > 0 && (data_len % 4) + pads != 4) return std::nullopt;
  }
  if (data_len % 4 == 1) return std::nullopt;

  std::string out;
  out.reserve(data_len / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < data_len; ++i) {
    const std::uint8_t v = reverse[static_cast<unsigned char>(text[i])];
    if (v == kInvalid) return std::nullopt;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) { return encode(bytes, kStdAlphabet, true); }

std::optional<std::string> base64_decode(std::string_view text) { return decode(text, kStdReverse, true); }

std::string base64url_encode(std::string_view bytes) { return encode(bytes, kUrlAlphabet, false); }

std::optional<std::string> base64url_decode(std::string_view text) {
  return decode(text, kUrlReverse, false);
}

std::optional<std::string> base64url_decode_go(std::string_view text) {
  std::string kept;
  kept.reserve(text.size());
  for (char c : text) {
    if (c != '\r' && c != '\n') kept += c;
  }
  return decode(kept, kUrlReverse, false);
}

}  // namespace sasim::model::auth
