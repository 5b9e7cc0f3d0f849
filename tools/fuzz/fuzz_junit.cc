#include "tools/fuzz/fuzz_junit.h"

#include <filesystem>

#include <fmt/format.h>

namespace sasim::tools::fuzz {

reports::JUnitSuite fuzz_junit_suite(const CampaignOptions& options, const CampaignResult* result,
                                     const std::vector<Replay>& replays) {
  reports::JUnitSuite suite;
  suite.name = fmt::format("sasim fuzz, seed {}, shard {}/{}", options.seed, options.shard_index, options.shard_count);
  suite.properties = {{"seed", std::to_string(options.seed)},
                      {"shard", fmt::format("{}/{}", options.shard_index, options.shard_count)}};
  if (!options.broken.empty()) suite.properties.emplace_back("broken", fmt::format("{}", fmt::join(options.broken, ",")));
  for (const Replay& replay : replays) {
    reports::JUnitCase c;
    c.name = "failure database: " + std::filesystem::path(replay.entry.path).filename().string();
    c.classname = "sasim fuzz";
    c.time = replay.wall_seconds;
    if (replay.still_fails) {
      c.outcome = reports::JUnitCase::Outcome::kFailed;
      c.message = replay.message;
      c.details = fmt::format("{}\ncounterexample: {}\nreplay: sasim run {}{}", replay.message, replay.entry.path,
                              replay.entry.path, options.broken.empty() ? "" : " --broken " + fmt::format("{}", fmt::join(options.broken, " --broken ")));
    } else {
      c.system_out = replay.message + " (removed from the database)";
    }
    suite.time += replay.wall_seconds;
    suite.cases.push_back(std::move(c));
  }
  if (result != nullptr) {
    reports::JUnitCase c;
    c.name = fmt::format("shard {}/{}: {} cases", options.shard_index, options.shard_count, result->cases);
    c.classname = "sasim fuzz";
    c.time = result->wall_seconds;
    if (!result->error.empty()) {
      c.outcome = reports::JUnitCase::Outcome::kError;
      c.message = result->error;
      c.details = render_summary(options, *result);
    } else if (result->failing_index) {
      c.outcome = reports::JUnitCase::Outcome::kFailed;
      c.message = result->failure_kind + ": " + result->failure_message;
      c.details = render_summary(options, *result);
    } else if (!result->stopped.empty()) {
      c.outcome = reports::JUnitCase::Outcome::kError;
      c.message = result->stopped + "; the campaign is unfinished";
      c.details = render_summary(options, *result);
    }
    c.system_out = fmt::format("{:.0f} cases/s (one core)", result->cases_per_second);
    suite.time += result->wall_seconds;
    suite.cases.push_back(std::move(c));
  }
  return suite;
}

}  // namespace sasim::tools::fuzz
