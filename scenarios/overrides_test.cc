// --set ACTOR.KEY=VALUE and cluster.KEY=VALUE: the file's YAML changed
// before the schema is read, so the override is checked like the file.
#include <catch2/catch.hpp>

#include "scenarios/parser.h"

namespace sasim::scenarios {
namespace {

const char* kScenario = R"(name: overridden
actors:
  tokens-controller: {qps: 20, workers: 2}
cluster: {serviceAccountLookup: true}
)";

sim::Result<Scenario, Diagnostic> with(std::vector<std::string> sets) {
  return parse_scenario_text(kScenario, "o.yaml", sets);
}

TEST_CASE("set overrides replace or add actor knobs and cluster keys and limits") {
  auto parsed = with({"tokens-controller.qps=50", "serviceaccounts-controller.burst=7",
                      "apiserver.latency={exponential: 5ms}", "cluster.serviceAccountLookup=false",
                      "cluster.admission.requireAPIToken=false", "limits.settle=1m"});
  if (!parsed) FAIL(parsed.error().render());
  const Scenario& s = parsed.value();
  CHECK(s.actors.tokens_controller.qps == 50);
  CHECK(s.actors.tokens_controller.workers == 2);  // the file's other knobs stay
  CHECK(s.actors.serviceaccounts_controller.burst == 7);
  REQUIRE(s.actors.apiserver.latency.has_value());
  CHECK(s.actors.apiserver.latency->describe() == "{exponential: 5ms}");
  CHECK_FALSE(s.cluster.service_account_lookup);
  CHECK_FALSE(s.cluster.require_api_token);
  CHECK(s.limits.settle == sim::Duration::minutes(1));
}

TEST_CASE("a bad set override is an error at the override") {
  CHECK(with({"tokens-controller.qps=fast"}).error().render() ==
        "--set tokens-controller.qps=fast:1:23: error: expected an integer, got the string \"fast\"");
  CHECK(with({"token-controller.qps=5"}).error().render().rfind(
            "--set token-controller.qps=5:1:1: error: unknown actor \"token-controller\" (did you mean \"tokens-controller\"?)",
            0) == 0);
  CHECK(with({"qps=5"}).error().render().find("names no knob") != std::string::npos);
  CHECK(with({"tokens-controller.qps"}).error().render().find("expected ACTOR.KEY=VALUE") != std::string::npos);
  CHECK(with({"cluster.version=1.99"})
            .error()
            .render()
            .find("unsupported Kubernetes version \"1.99\" (supported: 1.20, 1.21, 1.22, 1.23, 1.24, 1.25, 1.26, 1.27, 1.28, 1.29, 1.30, 1.31, 1.32, 1.33)") !=
        std::string::npos);
}

}  // namespace
}  // namespace sasim::scenarios
