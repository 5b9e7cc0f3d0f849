// §5 accuracy: scenarios whose timing follows from the client rate limits
// alone, computed here from first principles and compared with the report.
//
// N namespaces are created at once (a 100 us apiserver, so creating them
// all takes a few milliseconds). Every controller client is a token bucket
// (qps, burst) that starts full; once drained, its k-th request (counting
// from 1) cannot be sent before (k - burst) / qps. Requests per controller,
// from the controllers' code:
//  - serviceaccounts controller: one ListAndWatch per informer (namespaces,
//    accounts), then one CREATE per namespace: the cluster's four plus N;
//  - tokens controller: one ListAndWatch per informer (accounts, Secrets),
//    then per new account a GET (T3.2), a CREATE of the Secret (T3.5) and
//    an UPDATE of the account (T3.7); the Secret it created is already
//    populated, so its own Secret event costs nothing.
// When a controller is the bottleneck its queue never empties, so its last
// request goes out exactly then; the commit follows one apiserver latency
// later.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "scenarios/parser.h"
#include "tools/report/sweep.h"

namespace sasim::tools {
namespace {

constexpr int kInformers = 2;
constexpr int kClusterNamespaces = 4;  // default, kube-node-lease, kube-public, kube-system
constexpr double kLatency = 100e-6;  // the scenario's apiserver latency, seconds

std::string scenario_text(int namespaces, const std::string& actors) {
  std::string text = "name: accuracy\nactors:\n  apiserver: {latency: 100us}\n" + actors + "objects:\n";
  for (int i = 0; i < namespaces; ++i) {
    text += fmt::format("  - {{apiVersion: v1, kind: Namespace, metadata: {{name: ns-{}}}}}\n", i);
  }
  return text;
}

std::vector<reports::SpanSummary> report_of(const std::string& text, std::uint64_t seeds) {
  auto parsed = scenarios::parse_scenario_text(text, "accuracy.yaml");
  if (!parsed) FAIL(parsed.error().render());
  auto result = run_sweep(parsed.value(), SweepOptions{.first = 1, .last = seeds, .jobs = 2});
  REQUIRE(result.ok());
  CHECK(result.value().failed == 0);
  return reports::summarize(result.value().report);
}

const reports::SpanSummary& span(const std::vector<reports::SpanSummary>& all, const std::string& name) {
  for (const auto& s : all) {
    if (s.span == name) return s;
  }
  FAIL("no span " + name);
  return all.front();
}

double seconds(sim::Duration d) { return static_cast<double>(d.ns()) / 1e9; }
double seconds(sim::Time t) { return seconds(t.since_start()); }

// The time by which a client's k-th request is sent when it is saturated.
double kth_request(int k, double qps, int burst) { return std::max(0.0, (k - burst) / qps); }

TEST_CASE("200 namespaces at 20 qps and burst 30 get their tokens when the tokens controller's bucket allows") {
  constexpr int n = 200;
  const auto summary = report_of(scenario_text(n, ""), 3);
  const int accounts = n + kClusterNamespaces;

  // Every namespace got its account and every account its token.
  CHECK(span(summary, "default-serviceaccount-ready").count == 3 * n);
  CHECK(span(summary, "token-ready").count == 3 * accounts);
  CHECK(span(summary, "token-ready").open == 0);

  const double last_account = kth_request(kInformers + accounts, 20, 30) + kLatency;  // 8.8 s
  const double last_token = kth_request(kInformers + 3 * accounts, 20, 30) + kLatency;  // 29.2 s
  CHECK(seconds(span(summary, "default-serviceaccount-ready").last_end) == Approx(last_account).epsilon(0.005));
  CHECK(seconds(span(summary, "token-ready").last_end) == Approx(last_token).epsilon(0.005));
  // The slowest account is the last: created at last_account, ready at
  // last_token.
  CHECK(seconds(span(summary, "token-ready").max) == Approx(last_token - last_account).epsilon(0.005));
}

TEST_CASE("with a slower serviceaccounts controller the tokens controller keeps up and tokens follow the accounts") {
  constexpr int n = 100;
  const auto summary = report_of(scenario_text(n,
                                               "  serviceaccounts-controller: {qps: 10, burst: 10}\n"
                                               "  tokens-controller: {qps: 50, burst: 30}\n"),
                                 2);
  const int accounts = n + kClusterNamespaces;
  const double last_account = kth_request(kInformers + accounts, 10, 10) + kLatency;  // 9.6 s
  CHECK(seconds(span(summary, "default-serviceaccount-ready").last_end) == Approx(last_account).epsilon(0.005));
  // Three requests at 50 qps need 60 ms of tokens per account, and one comes
  // every 100 ms: the last token follows its account within a few
  // milliseconds (watch latency, three round trips).
  CHECK(seconds(span(summary, "token-ready").last_end) == Approx(last_account).epsilon(0.005));
  CHECK(seconds(span(summary, "token-ready").p50) < 0.06);
}

TEST_CASE("the analytic check can fail: a figure off by 2 percent is caught") {
  constexpr int n = 50;
  const auto summary = report_of(scenario_text(n, ""), 1);
  const double last_token = kth_request(kInformers + 3 * (n + kClusterNamespaces), 20, 30) + kLatency;
  CHECK(seconds(span(summary, "token-ready").last_end) == Approx(last_token).epsilon(0.005));
  CHECK_FALSE(seconds(span(summary, "token-ready").last_end) == Approx(last_token * 1.02).epsilon(0.005));
}

}  // namespace
}  // namespace sasim::tools
