#include "tools/fuzz/campaign_record.h"

#include <filesystem>
#include <memory>

#include <fmt/format.h>

namespace sasim::tools::fuzz {
namespace {

using nlohmann::json;

// Reads one field of a record, or says which and why not.
class Fields {
 public:
  explicit Fields(std::string& error) : error_(error) {}

  const json* get(const json& object, const char* key, const char* where) {
    if (!error_.empty()) return nullptr;
    if (!object.is_object() || !object.contains(key)) {
      error_ = fmt::format("{}: missing \"{}\"", where, key);
      return nullptr;
    }
    return &object.at(key);
  }
  std::uint64_t u64(const json& object, const char* key, const char* where) {
    const json* v = get(object, key, where);
    // Parsed text gives unsigned numbers; a document built in memory, signed ones.
    if (v != nullptr && (v->is_number_unsigned() || (v->is_number_integer() && v->get<std::int64_t>() >= 0))) {
      return v->get<std::uint64_t>();
    }
    if (v != nullptr) error_ = fmt::format("{}: \"{}\" is not an unsigned integer", where, key);
    return 0;
  }
  std::string text(const json& object, const char* key, const char* where) {
    const json* v = get(object, key, where);
    if (v != nullptr && v->is_string()) return v->get<std::string>();
    if (v != nullptr) error_ = fmt::format("{}: \"{}\" is not a string", where, key);
    return {};
  }
  bool flag(const json& object, const char* key, const char* where) {
    const json* v = get(object, key, where);
    if (v != nullptr && v->is_boolean()) return v->get<bool>();
    if (v != nullptr) error_ = fmt::format("{}: \"{}\" is not true or false", where, key);
    return false;
  }
  double real(const json& object, const char* key, const char* where) {
    const json* v = get(object, key, where);
    if (v != nullptr && v->is_number()) return v->get<double>();
    if (v != nullptr) error_ = fmt::format("{}: \"{}\" is not a number", where, key);
    return 0;
  }

 private:
  std::string& error_;
};

}  // namespace

std::string replay_command(const std::string& path, const std::vector<std::string>& broken) {
  std::string out = "sasim run " + path;
  for (const std::string& b : broken) out += " --broken " + b;
  return out;
}

std::string campaign_flags(const CampaignOptions& options) {
  std::string out = fmt::format("--seed {}", options.seed);
  if (options.wall_seconds) out += fmt::format(" --time {}s", *options.wall_seconds);
  else out += fmt::format(" --cases {}", options.cases.value_or(1000));
  const CampaignOptions defaults;
  if (options.generator.max_steps != defaults.generator.max_steps) out += fmt::format(" --size {}", options.generator.max_steps);
  if (options.generator.version != defaults.generator.version) out += " --version " + options.generator.version;
  if (!options.generator.faults) out += " --no-faults";
  if (options.shrink.max_runs != defaults.shrink.max_runs) out += fmt::format(" --max-shrink {}", options.shrink.max_runs);
  for (const std::string& b : options.broken) out += " --broken " + b;
  return out;
}

nlohmann::json render_campaign_record(const CampaignRecord& record) {
  const CampaignOptions& o = record.options;
  const CampaignResult& r = record.result;
  json failure;  // null without one
  if (r.failing_index) {
    failure = {{"case", *r.failing_index},
               {"kind", r.failure_kind},
               {"message", r.failure_message},
               {"object", r.failure_object},
               {"originalSteps", r.original_steps},
               {"shrunkSteps", r.shrunk_steps},
               {"shrinkRuns", r.shrink_runs},
               {"counterexample", r.counterexample_path.empty()
                                      ? json()
                                      : json(std::filesystem::path(r.counterexample_path).filename().string())},
               {"replayConfirmed", r.replay_confirmed},
               {"failsOnCorrectBuild", r.fails_on_correct_build},
               {"error", r.error}};
  }
  return {{"kind", "sasim fuzz campaign"},
          {"format", 1},
          {"sasim", record.sasim},
          {"campaign",
           {{"seed", o.seed},
            {"cases", o.wall_seconds ? json() : json(o.cases.value_or(1000))},
            {"timeSeconds", o.wall_seconds ? json(*o.wall_seconds) : json()},
            {"version", o.generator.version},
            {"size", o.generator.max_steps},
            {"faults", o.generator.faults},
            {"maxShrink", o.shrink.max_runs},
            {"broken", o.broken}}},
          {"shard", {{"index", o.shard_index}, {"count", o.shard_count}}},
          {"cases", r.cases},
          {"failures", r.failures},
          {"failure", std::move(failure)},
          // Every probe's hit count over this shard's cases, in registry order:
          // shards of a passing campaign add up to what one machine counts. A
          // failing campaign records none: the case one machine stops at
          // depends on the split (its --json keeps the counts).
          {"coverage", r.failing_index ? json::array() : json(r.coverage)},
          {"performance", {{"wallSeconds", r.wall_seconds}, {"casesPerSecond", r.cases_per_second}}}};
}

namespace {

// Fills `out` from the record; the error, or empty.
std::string read_record(const nlohmann::json& document, const std::string& dir, CampaignRecord& out) {
  if (!document.is_object() || !document.contains("kind") || document["kind"] != "sasim fuzz campaign") {
    return "not a record of sasim fuzz (no \"kind\": \"sasim fuzz campaign\")";
  }
  std::string error;
  Fields f(error);
  if (f.u64(document, "format", "fuzz.json") != 1 && error.empty()) {
    return "format " + document["format"].dump() + " is not one this sasim reads (1)";
  }
  out.sasim = f.text(document, "sasim", "fuzz.json");
  CampaignOptions& o = out.options;
  o.out_dir = dir;
  if (const nlohmann::json* c = f.get(document, "campaign", "fuzz.json")) {
    o.seed = f.u64(*c, "seed", "campaign");
    if (const nlohmann::json* cases = f.get(*c, "cases", "campaign"); cases != nullptr && !cases->is_null()) {
      o.cases = f.u64(*c, "cases", "campaign");
    }
    if (const nlohmann::json* time = f.get(*c, "timeSeconds", "campaign"); time != nullptr && !time->is_null()) {
      o.wall_seconds = f.real(*c, "timeSeconds", "campaign");
    }
    o.generator.version = f.text(*c, "version", "campaign");
    o.generator.max_steps = static_cast<int>(f.u64(*c, "size", "campaign"));
    o.generator.faults = f.flag(*c, "faults", "campaign");
    o.shrink.max_runs = static_cast<int>(f.u64(*c, "maxShrink", "campaign"));
    if (const nlohmann::json* broken = f.get(*c, "broken", "campaign")) {
      if (!broken->is_array()) error = "campaign: \"broken\" is not an array";
      for (const nlohmann::json& b : broken->is_array() ? *broken : nlohmann::json::array()) {
        if (!b.is_string()) {
          error = "campaign: \"broken\" holds a value that is not a string";
          break;
        }
        o.broken.push_back(b.get<std::string>());
      }
    }
  }
  if (const nlohmann::json* s = f.get(document, "shard", "fuzz.json")) {
    o.shard_index = f.u64(*s, "index", "shard");
    o.shard_count = f.u64(*s, "count", "shard");
  }
  CampaignResult& r = out.result;
  r.cases = f.u64(document, "cases", "fuzz.json");
  r.failures = f.u64(document, "failures", "fuzz.json");
  if (const nlohmann::json* failure = f.get(document, "failure", "fuzz.json"); failure != nullptr && !failure->is_null()) {
    r.failing_index = f.u64(*failure, "case", "failure");
    r.failure_kind = f.text(*failure, "kind", "failure");
    r.failure_message = f.text(*failure, "message", "failure");
    r.failure_object = f.text(*failure, "object", "failure");
    r.original_steps = f.u64(*failure, "originalSteps", "failure");
    r.shrunk_steps = f.u64(*failure, "shrunkSteps", "failure");
    r.shrink_runs = static_cast<int>(f.u64(*failure, "shrinkRuns", "failure"));
    if (const nlohmann::json* file = f.get(*failure, "counterexample", "failure"); file != nullptr && !file->is_null()) {
      const std::string name = f.text(*failure, "counterexample", "failure");
      // A file name, never a path: the record only speaks of its own directory.
      if (error.empty() && (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")) {
        error = "failure: \"counterexample\" is not a file name";
      }
      r.counterexample_path = (std::filesystem::path(dir) / name).string();
      r.replay_command = replay_command(r.counterexample_path, o.broken);
    }
    r.replay_confirmed = f.flag(*failure, "replayConfirmed", "failure");
    r.fails_on_correct_build = f.flag(*failure, "failsOnCorrectBuild", "failure");
    r.error = f.text(*failure, "error", "failure");
  }
  if (const nlohmann::json* coverage = f.get(document, "coverage", "fuzz.json")) {
    if (!coverage->is_array()) error = "\"coverage\" is not an array";
    for (const nlohmann::json& count : coverage->is_array() ? *coverage : nlohmann::json::array()) {
      if (!count.is_number_unsigned()) {
        error = "\"coverage\" holds a value that is not a count";
        break;
      }
      r.coverage.push_back(count.get<std::uint64_t>());
    }
  }
  if (const nlohmann::json* p = f.get(document, "performance", "fuzz.json")) {
    r.wall_seconds = f.real(*p, "wallSeconds", "performance");
    r.cases_per_second = f.real(*p, "casesPerSecond", "performance");
  }
  if (!error.empty()) return error;
  if (o.shard_count == 0 || o.shard_index >= o.shard_count) {
    return fmt::format("shard {}/{} is not a shard (0 <= I < N)", o.shard_index, o.shard_count);
  }
  if (o.cases.has_value() == o.wall_seconds.has_value()) {
    return "campaign: exactly one of \"cases\" and \"timeSeconds\" must be set";
  }
  if (r.failures != (r.failing_index ? 1u : 0u)) return "\"failures\" does not match \"failure\"";
  return "";
}

}  // namespace

sim::Result<CampaignRecord> parse_campaign_record(const nlohmann::json& json, const std::string& dir) {
  // On the heap: GCC 12 sees the Forger's shared_ptr of a CampaignRecord on
  // the stack as maybe uninitialized (a false positive under -Werror).
  auto out = std::make_unique<CampaignRecord>();
  std::string error = read_record(json, dir, *out);
  if (!error.empty()) return sim::unexpected(sim::Error{std::move(error)});
  return std::move(*out);
}

}  // namespace sasim::tools::fuzz
