#include "tools/fuzz/failure_cause.h"

#include <algorithm>
#include <regex>

namespace sasim::tools::fuzz {
namespace {

bool same_text(std::string_view a, std::string_view b) { return normalise(a) == normalise(b); }

// An empty message or object in a cause matches any (a cause known by its
// kind alone, as in failure-database entries of older sasims).
bool matches(std::string_view said, const std::string& wanted) { return wanted.empty() || same_text(said, wanted); }

}  // namespace

std::string normalise(std::string_view text) {
  // Order matters: tokens and uids contain digit runs of their own.
  static const std::regex kToken(R"(eyJ[A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]*)*(\.\.\.[A-Za-z0-9_\-]+)?)");
  static const std::regex kUid(R"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
  static const std::regex kGeneratedSuffix(R"(-token-[a-z0-9]{5}\b)");
  static const std::regex kNumber(R"([0-9]+\.[0-9]+|[0-9]{2,})");
  std::string out(text);
  out = std::regex_replace(out, kToken, "<token>");
  out = std::regex_replace(out, kUid, "<uid>");
  out = std::regex_replace(out, kGeneratedSuffix, "-token-*");
  out = std::regex_replace(out, kNumber, "<n>");
  return out;
}

bool same_cause(const FailureCause& a, const FailureCause& b) {
  return a.kind == b.kind && same_text(a.object, b.object) && same_text(a.message, b.message);
}

bool fails_for(const reports::RunRecord& record, const FailureCause& cause) {
  if (cause.kind == "reference-model" || cause.kind == "settle") {
    const std::string action = cause.kind == "settle" ? "settle" : "check";
    return std::any_of(record.steps.begin(), record.steps.end(), [&](const reports::StepRecord& step) {
      // A counterexample's check step is named after its disagreement; so
      // is a TokenRequest step that expects the release's answer.
      const std::string& said = cause.kind == "settle" ? step.message : step.name;
      const bool right_action =
          step.action == action || (cause.kind == "reference-model" && step.action == "tokenRequest");
      return right_action && !step.ok && matches(said, cause.message);
    });
  }
  for (const reports::InvariantRecord& inv : record.invariants) {
    if (inv.name != cause.kind) continue;
    for (const reports::ViolationRecord& v : inv.violations) {
      if (v.known_weakness || !matches(v.message, cause.message)) continue;
      const bool names_object =
          cause.object.empty() || std::any_of(v.objects.begin(), v.objects.end(),
                                              [&](const std::string& o) { return same_text(o, cause.object); });
      if (names_object) return true;
    }
  }
  return false;
}

std::string describe(const FailureCause& cause) {
  return cause.kind + (cause.object.empty() ? "" : " on " + cause.object) + ": " + cause.message;
}

}  // namespace sasim::tools::fuzz
