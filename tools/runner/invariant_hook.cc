#include "tools/runner/invariant_hook.h"

#include "properties/checker.h"

namespace sasim::tools {
namespace {

class CheckerHook final : public InvariantHook {
 public:
  CheckerHook(model::Cluster& cluster, const std::vector<std::string>& names,
              std::shared_ptr<const properties::VerifyingKey> key, properties::EvaluationMode mode)
      : checker_(cluster, names, std::move(key), mode) {
    checker_.attach();
  }

  void check_eventually(sim::Time now) override { checker_.check_eventually(now); }

  std::string check_now(const std::string& name, sim::Time now) override {
    auto summary = checker_.summarize_now(name, now);
    if (!summary) return "invariant " + name + " is not checked in this run";
    if (summary->violation_count == 0) return "";
    std::string out = name + " is violated: " + summary->first->message;
    if (summary->violation_count > 1) out += " (and " + std::to_string(summary->violation_count - 1) + " more)";
    return out;
  }

  std::vector<reports::InvariantRecord> records() const override {
    std::vector<reports::InvariantRecord> out;
    for (const properties::InvariantResult& result : checker_.results()) {
      reports::InvariantRecord record;
      record.name = std::string(result.info.name);
      record.kind = std::string(properties::kind_name(result.info.kind));
      record.held = result.held();
      for (const properties::Violation& v : result.violations) {
        reports::ViolationRecord violation;
        violation.time = v.time;
        violation.message = v.message;
        violation.objects = v.objects;
        if (v.known) {
          violation.known_weakness = v.known->weakness;
          violation.known_upstream = v.known->upstream;
        }
        record.violations.push_back(std::move(violation));
      }
      out.push_back(std::move(record));
    }
    return out;
  }

 private:
  properties::InvariantChecker checker_;
};

}  // namespace

std::unique_ptr<InvariantHook> make_invariant_hook(model::Cluster& cluster, const scenarios::Scenario& scenario,
                                                   std::shared_ptr<const properties::VerifyingKey> key,
                                                   properties::EvaluationMode mode) {
  std::vector<std::string> names;
  switch (scenario.invariants.mode) {
    case scenarios::InvariantSelection::Mode::kNone:
      return nullptr;
    case scenarios::InvariantSelection::Mode::kAll:
      for (const properties::InvariantInfo& info : properties::all_invariants()) names.emplace_back(info.name);
      break;
    case scenarios::InvariantSelection::Mode::kList:
      names = scenario.invariants.names;
      break;
  }
  return std::make_unique<CheckerHook>(cluster, names, std::move(key), mode);
}

}  // namespace sasim::tools
