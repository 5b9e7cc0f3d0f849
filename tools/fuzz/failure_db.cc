#include "tools/fuzz/failure_db.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenarios/parser.h"
#include "tools/fuzz/campaign.h"
#include "tools/runner/runner.h"

namespace sasim::tools::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHeader = "# sasim-fuzz-db: ";

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ",") + w;
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string word; std::getline(in, word, ',');) {
    if (!word.empty()) out.push_back(word);
  }
  return out;
}

std::optional<DbEntry> read_entry(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string first;
  if (!in || !std::getline(in, first) || first.rfind(kHeader, 0) != 0) return std::nullopt;
  DbEntry entry{path.string(), {}, {}};
  std::string header = first.substr(kHeader.size());
  // The message comes last and is the rest of the line: it has spaces.
  if (const std::size_t at = header.find(" message="); at != std::string::npos) {
    entry.cause.message = header.substr(at + 9);
    header.resize(at);
  }
  std::stringstream fields(header);
  for (std::string field; fields >> field;) {
    if (field.rfind("kind=", 0) == 0) entry.cause.kind = field.substr(5);
    if (field.rfind("broken=", 0) == 0) entry.broken = split(field.substr(7));
    if (field.rfind("object=", 0) == 0) entry.cause.object = field.substr(7);
  }
  if (entry.cause.kind.empty()) return std::nullopt;
  return entry;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

std::vector<DbEntry> db_entries(const std::string& dir, const std::vector<std::string>& broken) {
  std::vector<DbEntry> out;
  std::error_code error;
  if (!fs::is_directory(dir, error)) return out;
  for (const fs::directory_entry& file : fs::directory_iterator(dir, error)) {
    if (file.path().extension() != ".yaml") continue;
    std::optional<DbEntry> entry = read_entry(file.path());
    if (entry && sorted(entry->broken) == sorted(broken)) out.push_back(std::move(*entry));
  }
  std::sort(out.begin(), out.end(), [](const DbEntry& a, const DbEntry& b) { return a.path < b.path; });
  return out;
}

std::vector<Replay> replay_db(const std::string& dir, const std::vector<std::string>& broken) {
  std::vector<Replay> out;
  for (DbEntry& entry : db_entries(dir, broken)) {
    const auto started = std::chrono::steady_clock::now();
    Replay replay{std::move(entry), false, {}, 0};
    auto parsed = scenarios::parse_scenario_file(replay.entry.path);
    if (!parsed) {
      // Written by an older sasim whose format this one no longer reads:
      // it proves nothing now.
      replay.message = "no longer parses: " + parsed.error().render();
    } else {
      RunOptions options;
      options.broken = broken;
      auto record = run_scenario(parsed.value(), options);
      if (!record) {
        replay.message = "no longer runs: " + record.error().render();
      } else if (fails_for(record.value(), replay.entry.cause)) {
        replay.still_fails = true;
        replay.message = replay.entry.cause.kind + ": still fails (" + record.value().replay_command + ")";
      } else {
        replay.message = replay.entry.cause.kind + ": passes now";
      }
    }
    if (!replay.still_fails) {
      std::error_code ignored;
      fs::remove(replay.entry.path, ignored);
    }
    replay.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out.push_back(std::move(replay));
  }
  return out;
}

sim::Result<std::string> save_to_db(const std::string& dir, const std::string& counterexample,
                                    const FailureCause& cause, const std::vector<std::string>& broken) {
  const std::string& kind = cause.kind;
  std::error_code error;
  fs::create_directories(dir, error);
  if (error || !fs::is_directory(dir)) {
    return sim::unexpected(sim::Error{"cannot create the failure database " + dir});
  }
  std::ifstream in(counterexample, std::ios::binary);
  if (!in) return sim::unexpected(sim::Error{"cannot read " + counterexample});
  std::stringstream text;
  text << in.rdbuf();
  std::string name = fs::path(counterexample).stem().string() + "-" + kind;
  if (!broken.empty()) name += "-broken-" + join(sorted(broken));
  std::replace(name.begin(), name.end(), ',', '+');
  const std::string path = (fs::path(dir) / (name + ".yaml")).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << kHeader << "kind=" << kind;
  if (!broken.empty()) out << " broken=" << join(sorted(broken));
  if (!cause.object.empty()) out << " object=" << cause.object;
  // One line: a message never spans lines, but make sure.
  std::string message = cause.message;
  std::replace(message.begin(), message.end(), '\n', ' ');
  if (!message.empty()) out << " message=" << message;
  out << "\n" << text.str();
  out.close();
  if (!out) return sim::unexpected(sim::Error{"cannot write " + path});
  return path;
}

}  // namespace sasim::tools::fuzz
