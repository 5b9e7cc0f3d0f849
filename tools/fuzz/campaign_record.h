// OUT/fuzz.json: what one `sasim fuzz` campaign (or one `--shard I/N` of it)
// ran and found, for machines: CI jobs, and `sasim merge`, which joins the
// records of N shards into the record (and summary) one machine would have
// written for the whole campaign.
//
// Everything but "performance" depends only on the campaign's flags and
// sasim's build. The counterexample is named by its file in the same
// directory, so that a record stays true when the directory is copied.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/result.h"
#include "tools/fuzz/campaign.h"

namespace sasim::tools::fuzz {

inline constexpr const char* kCampaignRecordFile = "fuzz.json";

struct CampaignRecord {
  std::string sasim{};  // "0.1.0 (commit abc123def456)": shards of different builds do not merge
  // The flags that make the campaign (seed, cases or time, size, faults,
  // broken variants, shrink budget, shard); out_dir is where the record lies.
  CampaignOptions options{};
  CampaignResult result{};
};

nlohmann::json render_campaign_record(const CampaignRecord& record);
// A record read back from `dir` (which becomes options.out_dir, and holds the
// counterexample); an error names what is missing or malformed.
sim::Result<CampaignRecord> parse_campaign_record(const nlohmann::json& json, const std::string& dir);

// "sasim run PATH --broken A --broken B": how to replay a counterexample.
std::string replay_command(const std::string& path, const std::vector<std::string>& broken);

// The flags that make this campaign again, as `sasim fuzz` takes them
// ("--seed 7 --cases 300 --size 12 --broken X"), defaults left out.
std::string campaign_flags(const CampaignOptions& options);

}  // namespace sasim::tools::fuzz
