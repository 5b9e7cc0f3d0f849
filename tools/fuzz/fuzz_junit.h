// `sasim fuzz --junit FILE`: the campaign as JUnit XML (reports/junit.h):
// one suite, with a case per failure-database entry replayed and one for the
// shard's campaign, failed with its counterexample (what failed, the file,
// the replay command) when it found one.
#pragma once

#include <vector>

#include "reports/junit.h"
#include "tools/fuzz/campaign.h"
#include "tools/fuzz/failure_db.h"

namespace sasim::tools::fuzz {

reports::JUnitSuite fuzz_junit_suite(const CampaignOptions& options, const CampaignResult* result,
                                     const std::vector<Replay>& replays);

}  // namespace sasim::tools::fuzz
