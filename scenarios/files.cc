#include "scenarios/files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "scenarios/text_checks.h"

namespace sasim::scenarios {

std::string resolve_path(const std::string& base_file, const std::string& path) {
  const std::filesystem::path relative(path);
  if (relative.is_absolute()) return path;
  const std::filesystem::path directory = std::filesystem::path(base_file).parent_path();
  if (directory.empty()) return relative.lexically_normal().generic_string();
  return (directory / relative).lexically_normal().generic_string();
}

sim::Result<std::string, std::string> read_file(const std::string& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (error || status.type() == std::filesystem::file_type::not_found) {
    if (status.type() == std::filesystem::file_type::not_found) return sim::unexpected(std::string("no such file"));
    return sim::unexpected(fmt::format("cannot read: {}", error.message()));
  }
  if (status.type() == std::filesystem::file_type::directory) return sim::unexpected(std::string("is a directory"));
  std::ifstream in(path, std::ios::binary);
  if (!in) return sim::unexpected(fmt::format("cannot open: {}", std::strerror(errno)));
  // Read at most one byte past the limit: devices and pipes have no size to ask for.
  std::string bytes;
  constexpr std::size_t kChunk = 1 << 16;
  char buffer[kChunk];
  while (in && bytes.size() <= kMaxInputBytes) {
    in.read(buffer, kChunk);
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (bytes.size() > kMaxInputBytes) {
    return sim::unexpected(
        fmt::format("file too large: more than {} bytes (the limit is {} MiB)", kMaxInputBytes, kMaxInputBytes >> 20));
  }
  if (in.bad()) return sim::unexpected(std::string("read error"));
  return bytes;
}

}  // namespace sasim::scenarios
