#include "model/objects/base64.h"

#include <array>
#include <cstdint>

#include <fmt/format.h>

namespace sasim::model {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_decode_map() {
  std::array<std::uint8_t, 256> map{};
  for (auto& v : map) v = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    map[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return map;
}
constexpr std::array<std::uint8_t, 256> kDecodeMap = make_decode_map();

bool is_newline(char c) { return c == '\n' || c == '\r'; }

struct Quantum {
  std::size_t next = 0;   // where the next quantum starts
  std::size_t length = 0; // decoded bytes
  bool error = false;
  std::size_t error_offset = 0;
};

// Go's (*Encoding).decodeQuantum for StdEncoding (padding '=', not strict).
Quantum decode_quantum(std::string_view src, std::size_t si, std::array<std::uint8_t, 3>& dst) {
  std::array<std::uint8_t, 4> dbuf{};
  std::size_t dlen = 4;
  Quantum q;
  auto fail = [&](std::size_t offset) {
    q.error = true;
    q.error_offset = offset;
    q.next = si;
    return q;
  };
  for (std::size_t j = 0; j < dbuf.size(); ++j) {
    if (src.size() == si) {
      if (j == 0) {
        q.next = si;
        return q;
      }
      return fail(si - j);  // padding is required
    }
    const char in = src[si];
    ++si;
    const std::uint8_t out = kDecodeMap[static_cast<unsigned char>(in)];
    if (out != kInvalid) {
      dbuf[j] = out;
      continue;
    }
    if (is_newline(in)) {
      --j;
      continue;
    }
    if (in != '=') return fail(si - 1);
    // Padding: only after two or three symbols.
    if (j == 0 || j == 1) return fail(si - 1);
    if (j == 2) {
      while (si < src.size() && is_newline(src[si])) ++si;
      if (si == src.size()) return fail(src.size());
      if (src[si] != '=') return fail(si - 1);
      ++si;
    }
    while (si < src.size() && is_newline(src[si])) ++si;
    if (si < src.size()) {
      q.error = true;  // trailing garbage after the padding
      q.error_offset = si;
    }
    dlen = j;
    break;
  }
  const std::uint32_t val = static_cast<std::uint32_t>(dbuf[0]) << 18 | static_cast<std::uint32_t>(dbuf[1]) << 12 |
                            static_cast<std::uint32_t>(dbuf[2]) << 6 | dbuf[3];
  dst[0] = static_cast<std::uint8_t>(val >> 16);
  dst[1] = static_cast<std::uint8_t>(val >> 8);
  dst[2] = static_cast<std::uint8_t>(val);
  q.next = si;
  q.length = dlen - 1;
  return q;
}

}  // namespace

std::string Base64Error::message() const { return fmt::format("illegal base64 data at input byte {}", offset); }

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[v >> 18 & 0x3f];
    out += kAlphabet[v >> 12 & 0x3f];
    out += kAlphabet[v >> 6 & 0x3f];
    out += kAlphabet[v & 0x3f];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kAlphabet[v >> 18 & 0x3f];
    out += kAlphabet[v >> 12 & 0x3f];
    out += rest == 2 ? kAlphabet[v >> 6 & 0x3f] : '=';
    out += '=';
  }
  return out;
}

sim::Result<std::string, Base64Error> base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::size_t si = 0;
  std::array<std::uint8_t, 3> quantum{};
  while (true) {
    const Quantum q = decode_quantum(text, si, quantum);
    if (q.error) return sim::unexpected(Base64Error{q.error_offset});
    for (std::size_t k = 0; k < q.length; ++k) out += static_cast<char>(quantum[k]);
    // A short quantum was padded, and decode_quantum has checked that only
    // newlines follow it.
    if (q.next >= text.size() || q.length < 3) break;
    si = q.next;
  }
  return out;
}

}  // namespace sasim::model
