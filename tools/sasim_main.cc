// sasim: the command line, the one place where the layers meet.
//
// Exit codes follow the scenario-format contract: 0 passed, 1 a check
// failed, 2 invalid input or flags, 3 internal error.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "sim/duration_text.h"
#include "tools/demo.h"

namespace {

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

int usage_error(const std::string& message) {
  std::fprintf(stderr, "sasim: error: %s\n", message.c_str());
  return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"sasim: a deterministic simulator of the Kubernetes ServiceAccount machinery"};
  app.set_version_flag("--version", std::string("sasim ") + SASIM_VERSION);
  app.require_subcommand(1);

  sasim::tools::DemoOptions demo;
  std::string horizon = sasim::sim::format_duration(demo.gossip.horizon);
  CLI::App* demo_command = app.add_subcommand(
      "demo", "Run the engine demonstration (a gossip workload with crashes and lossy links) and replay it");
  demo_command->add_option("--seed", demo.seed, "Root of all randomness")->capture_default_str();
  demo_command->add_option("--peers", demo.gossip.peers, "Number of peers")->check(CLI::Range(1, 10000))
      ->capture_default_str();
  demo_command->add_option("--crashes", demo.gossip.crashes, "Crashes drawn from the seed")
      ->check(CLI::Range(0, 100000))->capture_default_str();
  demo_command->add_option("--horizon", horizon, "How long peers keep gossiping (a duration, e.g. 10s)")
      ->capture_default_str();
  demo_command->add_option("--lines", demo.trace_lines, "Trace lines to print (0: all)")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    return usage_error(error.what());
  }

  if (demo_command->parsed()) {
    const auto parsed = sasim::sim::parse_duration(horizon);
    if (!parsed.ok()) return usage_error("--horizon: " + parsed.error().message);
    demo.gossip.horizon = parsed.value();
    const auto first = sasim::tools::run_demo(demo, /*record_trace=*/true);
    const auto replay = sasim::tools::run_demo(demo, /*record_trace=*/false);
    std::string out;
    const bool identical = sasim::tools::render_demo(demo, first, replay, out);
    std::fputs(out.c_str(), stdout);
    return identical ? kExitPassed : kExitFailed;
  }
  return kExitPassed;
} catch (const std::exception& error) {
  std::fprintf(stderr, "sasim: internal error: %s\n", error.what());
  return kExitInternal;
}
