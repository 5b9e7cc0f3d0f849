// What a fuzz failure is, beyond which invariant failed: the shrinker keeps
// a candidate only if it fails for the same cause, and a counterexample is
// reported only if its written file replays to that cause. Otherwise a
// shrink could wander from one bug to another that happens to break the
// same invariant, or to a harness artefact.
//
// A cause is the failure's kind (an invariant's name, "reference-model" or
// "settle"), the first object it names and its message, compared after
// normalise(): values the simulation draws afresh whenever a case changes
// (generated name suffixes, uids, tokens, resourceVersions, times) are
// blanked, names the user wrote are kept.
#pragma once

#include <string>
#include <string_view>

#include "reports/run_record.h"

namespace sasim::tools::fuzz {

struct FailureCause {
  std::string kind{};     // an invariant's name, "reference-model", "settle", "scenario-error"
  std::string object{};   // "secret/ns/name"; empty when the failure names none
  std::string message{};
};

// `text` with drawn values blanked: "sa-1-token-x7k2p" -> "sa-1-token-*",
// a uid -> "<uid>", a JWT (whole or abbreviated) -> "<token>", a decimal or
// a number of two digits or more (a resourceVersion, a time) -> "<n>";
// one-digit names from the generator's pools ("sa-1") are kept.
std::string normalise(std::string_view text);

// Same kind, and the same object and message once normalised.
bool same_cause(const FailureCause& a, const FailureCause& b);

// Whether a run (a replayed counterexample) fails for `cause`: a violation
// of that invariant (not a known weakness) naming that object with that
// message, a failed `check` step whose name is that disagreement
// (reference-model), a failed settle with that message. An empty object or
// message in `cause` matches any.
bool fails_for(const reports::RunRecord& record, const FailureCause& cause);

// "KIND on OBJECT: MESSAGE", for summaries.
std::string describe(const FailureCause& cause);

}  // namespace sasim::tools::fuzz
