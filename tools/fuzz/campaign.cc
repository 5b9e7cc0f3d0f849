#include "tools/fuzz/campaign.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "model/faults/weakness_log.h"
#include "model/versions/behaviour.h"
#include "model/versions/feature_gates.h"
#include "properties/known_weaknesses.h"
#include "properties/violation.h"
#include "scenarios/parser.h"
#include "scenarios/writer.h"
#include "sim/coverage.h"
#include "tools/runner/coverage_report.h"
#include "tools/fuzz/campaign_record.h"
#include "tools/fuzz/upgrades.h"
#include "tools/runner/runner.h"

namespace sasim::tools::fuzz {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// What the reference model is compared with: the settled store, the
// known-bad paths the model took on the way, and who deleted what (the
// evidence some of those paths' rules need).
struct EndState final : RunObserver, model::ApiServerObserver {
  std::vector<model::ObjectPtr> objects;
  std::map<std::tuple<model::Kind, std::string, std::string>, model::ObjectPtr> by_key;
  std::vector<model::faults::WeaknessRecord> weaknesses;
  properties::Audit deletions;
  std::vector<TokenRequestExchange> token_requests;  // the user's, in order
  std::int64_t epoch_unix_seconds = 0;

  void on_world(model::Cluster& cluster, sim::Simulator& /*simulator*/) override {
    cluster.apiserver().add_observer(this);
    epoch_unix_seconds = cluster.config().apiserver.epoch_unix_seconds;
  }
  void on_user_request(const model::ApiRequest& request, const model::ApiResponse* response, sim::Time /*sent*/,
                       sim::Time /*answered*/, int /*retries*/) override {
    if (!request.token_request) return;
    TokenRequestExchange x{.request = request.token_request};
    if (response != nullptr && response->ok()) x.response = response->token_request;
    else if (response != nullptr) x.code = response->error->code;
    token_requests.push_back(std::move(x));
  }
  void on_commit(const model::StoreChange& change, sim::Time /*now*/) override { deletions.on_commit(change); }
  void on_end(const model::Cluster& cluster, sim::Simulator& /*simulator*/) override {
    for (model::Kind kind : model::kAllKinds) {
      // The cluster's own: the fuzzer never writes nodes or ConfigMaps.
      if (kind == model::Kind::kNode || kind == model::Kind::kConfigMap) continue;
      for (model::ObjectPtr& object : cluster.apiserver().store().list(kind)) {
        const model::ObjectMeta& m = model::meta(*object);
        by_key[{kind, m.namespace_, m.name}] = object;
        objects.push_back(std::move(object));
      }
    }
    weaknesses = cluster.weaknesses().records();
  }
  properties::Evidence evidence() const {
    return properties::Evidence{
        .get = [this](model::Kind kind, const std::string& ns, const std::string& name) -> model::ObjectPtr {
          auto it = by_key.find({kind, model::is_namespaced(kind) ? ns : std::string(), name});
          return it == by_key.end() ? nullptr : it->second;
        },
        .deletions = &deletions};
  }
};

void judge(const FuzzCase& c, const scenarios::Scenario& scenario, const EndState& end, CaseOutcome& out) {
  std::set<std::string> known_objects;
  for (const reports::InvariantRecord& inv : out.record.invariants) {
    for (const reports::ViolationRecord& v : inv.violations) {
      if (v.known_weakness) known_objects.insert(v.objects.begin(), v.objects.end());
    }
  }
  for (const reports::InvariantRecord& inv : out.record.invariants) {
    for (const reports::ViolationRecord& v : inv.violations) {
      if (v.known_weakness || out.failed) continue;
      out.failed = true;
      out.kind = inv.name;
      out.message = v.message;
      if (!v.objects.empty()) out.object = v.objects.front();
    }
  }
  if (out.failed) return;
  for (const reports::StepRecord& step : out.record.steps) {
    if (step.action == "settle" && !step.ok) {
      out.failed = true;
      out.kind = "settle";
      out.message = step.message;
      return;
    }
  }
  std::vector<bool> accepted(scenario.steps.size(), false);
  for (const reports::StepRecord& step : out.record.steps) {
    if (step.index < accepted.size()) accepted[step.index] = step.ok;
  }
  // A known-bad path the model recorded explains, by its weakness's rule,
  // the end state of what it left behind: the reference model, which knows
  // nothing of faults, must not call that a failure.
  const properties::Evidence evidence = end.evidence();
  std::vector<Disagreement> disagreements = compare_token_requests(c, end.token_requests, end.epoch_unix_seconds);
  for (Disagreement& d : compare_with_reference(c, accepted, end.objects)) disagreements.push_back(std::move(d));
  for (Disagreement& d : disagreements) {
    if (known_objects.count(d.object) != 0) continue;
    if (properties::explained_by_records(end.weaknesses, {d.object}, evidence)) continue;
    out.disagreements.push_back(std::move(d));
  }
  if (!out.disagreements.empty()) {
    out.failed = true;
    out.kind = "reference-model";
    out.message = out.disagreements.front().message;
    out.object = out.disagreements.front().object;
  }
}

// "expected success, got 409 AlreadyExists: ..." (the runner's wording) to
// an expectation of that answer.
// The expectation that makes a replay accept what the apiserver answered a
// step that expected success: its code and reason, from the step's typed
// status.
std::optional<scenarios::Expect> expect_from(const reports::StepRecord& step) {
  if (step.ok || !step.status) return std::nullopt;
  scenarios::ExpectError error;
  error.code = step.status->code;
  if (!step.status->reason.empty()) error.reason = step.status->reason;
  return scenarios::Expect{.location = {}, .what = error};
}

}  // namespace

namespace {

// Candidate simplifications of one object, most drastic first.
std::vector<FuzzObject> simpler_objects(const FuzzObject& o) {
  std::vector<FuzzObject> out;
  auto with = [&](auto change) {
    FuzzObject s = o;
    change(s);
    if (!(s == o)) out.push_back(std::move(s));
  };
  with([](FuzzObject& s) { s.label = 0; });
  with([](FuzzObject& s) { s.secret_refs.clear(); });
  with([](FuzzObject& s) { s.image_pull_secrets.clear(); });
  with([](FuzzObject& s) { s.automount.reset(); });
  with([](FuzzObject& s) { s.account_uid.reset(); });
  with([](FuzzObject& s) { s.service_account.clear(); });
  with([](FuzzObject& s) { s.enforce_mountable.reset(); });
  with([](FuzzObject& s) {
    s.ca.reset();
    s.namespace_value.reset();
    s.token_value.reset();
  });
  with([](FuzzObject& s) { s.init_container = false; });
  with([](FuzzObject& s) { s.secret_volume.clear(); });
  with([](FuzzObject& s) {
    s.env_secret.clear();
    s.env_from_secret.clear();
  });
  if (o.namespace_ != "default" && o.kind != model::Kind::kNamespace) with([](FuzzObject& s) { s.namespace_ = "default"; });
  return out;
}

std::vector<FuzzOp> simpler_ops(const FuzzOp& op) {
  std::vector<FuzzOp> out;
  if (op.after > sim::Duration::zero()) {
    FuzzOp s = op;
    s.after = sim::Duration::zero();
    out.push_back(s);
  }
  if (op.kind == OpKind::kRecreate || op.kind == OpKind::kReplace) {
    FuzzOp s = op;
    s.kind = OpKind::kCreate;
    out.push_back(s);
  }
  if (op.kind == OpKind::kWait && op.wait > sim::Duration::milliseconds(100)) {
    FuzzOp s = op;
    s.wait = sim::Duration::milliseconds(100);
    out.push_back(s);
  }
  if (op.kind == OpKind::kAuthenticate && op.auth.then != FuzzAuth::Then::kNothing) {
    FuzzOp s = op;
    s.auth.then = FuzzAuth::Then::kNothing;
    out.push_back(s);
  }
  if (op.kind == OpKind::kTokenRequest) {
    const FuzzTokenRequest& t = op.token_request;
    auto with = [&](auto change) {
      FuzzOp s = op;
      change(s.token_request);
      if (!(s.token_request == t)) out.push_back(std::move(s));
    };
    with([](FuzzTokenRequest& r) { r.then = FuzzTokenRequest::Then::kNothing; r.wait = {}; });
    with([](FuzzTokenRequest& r) { r.wait = {}; });
    with([](FuzzTokenRequest& r) { r.audiences.clear(); });
    with([](FuzzTokenRequest& r) { r.review_audiences.clear(); });
    with([](FuzzTokenRequest& r) { r.expiration_seconds.reset(); });
    with([](FuzzTokenRequest& r) { r.wrong_uid = false; });
    with([](FuzzTokenRequest& r) { r.create_bound = false; });
    with([](FuzzTokenRequest& r) { r.present = false; });
    with([](FuzzTokenRequest& r) {
      r.bound = FuzzTokenRequest::Bound::kNone;
      r.create_bound = false;
    });
  }
  // An upgrade of the whole control plane may be one of fewer components
  // (the timeline's versions are re-resolved: upgrades.h).
  if (op.kind == OpKind::kUpgrade && op.upgrade_components.size() > 1) {
    FuzzOp s = op;
    s.upgrade_components.resize(1);
    out.push_back(std::move(s));
  }
  if (op.kind != OpKind::kWait && op.kind != OpKind::kFault && op.kind != OpKind::kAuthenticate &&
      op.kind != OpKind::kTokenRequest && op.kind != OpKind::kUpgrade) {
    for (FuzzObject& o : simpler_objects(op.object)) {
      FuzzOp s = op;
      s.object = std::move(o);
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace

CaseSettings case_settings(const std::vector<std::string>& broken) {
  CaseSettings settings;
  settings.broken = broken;
  BuiltinKeys keys = load_builtin_keys(scenarios::SigningAlgorithm::kES256);
  settings.key = std::move(keys.key);
  settings.verifying_key = std::move(keys.verifying_key);
  return settings;
}

CaseOutcome run_case(const FuzzCase& c, const CaseSettings& settings) {
  CaseOutcome out;
  auto scenario = to_scenario(c, "fuzz-case");
  if (!scenario) {
    out.failed = true;
    out.kind = "scenario-error";
    out.message = scenario.error().message;
    return out;
  }
  EndState end;
  RunOptions options;
  options.broken = settings.broken;
  options.builtin_key = settings.key;
  options.builtin_verifying_key = settings.verifying_key;
  options.observer = &end;
  options.wall_limit = settings.wall_limit;
  auto record = run_scenario(scenario.value(), options);
  if (!record && record.error().wall_limit) {
    out.stopped = true;
    out.message = record.error().message;
    return out;
  }
  if (!record) {
    out.failed = true;
    out.kind = "scenario-error";
    out.message = record.error().render();
    return out;
  }
  out.record = std::move(record).value();
  judge(c, scenario.value(), end, out);
  return out;
}

Shrunk shrink(const FuzzCase& failing, const CaseOutcome& outcome, const CaseSettings& settings,
              const ShrinkLimits& limits) {
  Shrunk best{failing, outcome, 0};
  const FailureCause cause = outcome.cause();
  const Clock::time_point start = Clock::now();
  auto budget_left = [&] {
    return best.runs < limits.max_runs && seconds_since(start) < limits.max_wall_seconds &&
           !(settings.wall_limit != nullptr && settings.wall_limit->expired());
  };
  auto attempt = [&](const FuzzCase& candidate) {
    // Dropping ops may leave gates a release the case still reaches would
    // refuse at its upgrade: not a case the generator makes.
    if (!budget_left() || !feature_gates_hold(candidate)) return false;
    ++best.runs;
    CaseOutcome o = run_case(candidate, settings);
    if (!o.failed || !same_cause(o.cause(), cause)) return false;
    best.fuzz_case = candidate;
    best.outcome = std::move(o);
    return true;
  };
  bool improved = true;
  while (improved && budget_left()) {
    improved = false;
    // Steps, in chunks that halve down to single steps.
    for (std::size_t chunk = std::max<std::size_t>(1, best.fuzz_case.ops.size() / 2); chunk >= 1; chunk /= 2) {
      for (std::size_t at = 0; at < best.fuzz_case.ops.size();) {
        FuzzCase candidate = best.fuzz_case;
        const std::size_t end = std::min(candidate.ops.size(), at + chunk);
        candidate.ops.erase(candidate.ops.begin() + static_cast<std::ptrdiff_t>(at),
                            candidate.ops.begin() + static_cast<std::ptrdiff_t>(end));
        if (attempt(candidate)) improved = true;
        else at += chunk;
      }
      if (chunk == 1) break;
    }
    // World objects, last first (later ones may depend on earlier namespaces).
    for (std::size_t i = best.fuzz_case.world.size(); i-- > 0;) {
      FuzzCase candidate = best.fuzz_case;
      candidate.world.erase(candidate.world.begin() + static_cast<std::ptrdiff_t>(i));
      if (attempt(candidate)) improved = true;
    }
    // Simpler steps and objects.
    for (std::size_t i = 0; i < best.fuzz_case.ops.size(); ++i) {
      for (FuzzOp& op : simpler_ops(best.fuzz_case.ops[i])) {
        FuzzCase candidate = best.fuzz_case;
        candidate.ops[i] = std::move(op);
        if (attempt(candidate)) {
          improved = true;
          break;
        }
      }
    }
    // The cluster's defaults.
    // (The release stays: a failure of 1.24's is shrunk on 1.24; and so
    // does the range upgrades may reach.)
    // The feature gates: all of them, then one at a time.
    if (!best.fuzz_case.cluster.feature_gates.empty()) {
      FuzzCase candidate = best.fuzz_case;
      candidate.cluster.feature_gates.clear();
      if (attempt(candidate)) improved = true;
    }
    const std::map<std::string, bool> gates = best.fuzz_case.cluster.feature_gates;
    for (const auto& [gate, value] : gates) {
      FuzzCase candidate = best.fuzz_case;
      if (candidate.cluster.feature_gates.erase(gate) == 0) continue;
      if (attempt(candidate)) improved = true;
    }
    const std::string& version = best.fuzz_case.cluster.version;
    const std::string& last = best.fuzz_case.cluster.last_version;
    const std::map<std::string, bool>& kept = best.fuzz_case.cluster.feature_gates;
    for (const FuzzCluster& cluster :
         {FuzzCluster{.version = version, .last_version = last, .feature_gates = kept},
          FuzzCluster{.version = version, .last_version = last,
                      .service_account_lookup = best.fuzz_case.cluster.service_account_lookup,
                      .feature_gates = kept},
          FuzzCluster{.version = version, .last_version = last,
                      .limit_secret_references = best.fuzz_case.cluster.limit_secret_references,
                      .feature_gates = kept}}) {
      if (cluster == best.fuzz_case.cluster) continue;
      FuzzCase candidate = best.fuzz_case;
      candidate.cluster = cluster;
      if (attempt(candidate)) {
        improved = true;
        break;
      }
    }
    for (std::size_t i = 0; i < best.fuzz_case.world.size(); ++i) {
      for (FuzzObject& o : simpler_objects(best.fuzz_case.world[i])) {
        FuzzCase candidate = best.fuzz_case;
        candidate.world[i] = std::move(o);
        if (attempt(candidate)) {
          improved = true;
          break;
        }
      }
    }
  }
  return best;
}

scenarios::Scenario counterexample_scenario(const Shrunk& shrunk, const std::string& name) {
  auto made = to_scenario(shrunk.fuzz_case, name);
  scenarios::Scenario s = made ? std::move(made).value() : scenarios::Scenario{};
  s.description = fmt::format("A counterexample found by sasim fuzz: {}", shrunk.outcome.message);
  for (const reports::StepRecord& record : shrunk.outcome.record.steps) {
    if (record.ok || record.index >= s.steps.size()) continue;
    if (auto expect = expect_from(record)) s.steps[record.index].expect = std::move(expect);
  }
  if (shrunk.outcome.kind == "reference-model") {
    scenarios::Step settle;
    settle.index = s.steps.size();
    settle.action_key = "settle";
    settle.name = "settle before checking the reference model";
    settle.action = scenarios::SettleAction{};
    s.steps.push_back(std::move(settle));
    for (const Disagreement& d : shrunk.outcome.disagreements) {
      // An answer the release gives otherwise: the step expects the release's.
      if (d.step && d.expect && *d.step < s.steps.size()) {
        s.steps[*d.step].name = d.message;
        s.steps[*d.step].expect = *d.expect;
        continue;
      }
      scenarios::Step check;
      check.index = s.steps.size();
      check.name = d.message;
      check.namespace_ = d.namespace_;
      check.action_key = "check";
      check.action = scenarios::CheckAction{d.condition};
      s.steps.push_back(std::move(check));
    }
  }
  return s;
}

bool in_shard(std::uint64_t index, std::uint64_t shard_index, std::uint64_t shard_count) {
  return shard_count == 0 || index % shard_count == shard_index;
}

CampaignResult run_campaign(const CampaignOptions& given) {
  CampaignOptions options = given;
  if (!options.generator.forger) options.generator.forger = std::make_shared<const Forger>();
  CampaignResult result;
  const std::uint64_t total = options.cases.value_or(options.wall_seconds ? UINT64_MAX : 1000);
  CaseSettings settings = case_settings(options.broken);
  settings.wall_limit = options.wall_limit;
  const Clock::time_point start = Clock::now();
  auto wall_spent = [&] { return options.wall_limit != nullptr && options.wall_limit->expired(); };
  double last_progress = 0;
  sim::Coverage coverage;
  for (std::uint64_t index = options.shard_index; index < total; index += std::max<std::uint64_t>(1, options.shard_count)) {
    const double elapsed = seconds_since(start);
    if (options.wall_seconds && elapsed >= *options.wall_seconds) break;
    if (wall_spent()) {
      result.stopped = options.wall_limit->message();
      break;
    }
    if (options.progress != nullptr && elapsed - last_progress >= (options.progress_is_tty ? 0.25 : 5.0)) {
      last_progress = elapsed;
      std::fprintf(options.progress, "%sfuzz: %llu cases, %.0f cases/s, %.0fs%s", options.progress_is_tty ? "\r" : "",
                   static_cast<unsigned long long>(result.cases),
                   elapsed > 0 ? static_cast<double>(result.cases) / elapsed : 0.0, elapsed,
                   options.progress_is_tty ? "" : "\n");
      std::fflush(options.progress);
    }
    const FuzzCase fuzz_case = generate_case(options.generator, case_seed(options.seed, index));
    CaseOutcome outcome = run_case(fuzz_case, settings);
    if (outcome.stopped) {  // cut short: neither counted nor its coverage
      result.stopped = outcome.message;
      break;
    }
    ++result.cases;
    coverage.add(outcome.record.coverage);
    if (!outcome.failed) continue;
    result.failures = 1;
    result.failing_index = index;
    result.wall_seconds = seconds_since(start);
    break;
  }
  if (!result.failing_index) result.wall_seconds = seconds_since(start);
  result.coverage = coverage.counts();
  if (options.progress != nullptr && options.progress_is_tty) std::fputs("\n", options.progress);
  result.cases_per_second = result.wall_seconds > 0 ? static_cast<double>(result.cases) / result.wall_seconds : 0;
  if (!result.failing_index) return result;

  // Shrink the failure and write it down.
  const FuzzCase failing = generate_case(options.generator, case_seed(options.seed, *result.failing_index));
  const CaseOutcome outcome = run_case(failing, settings);
  if (outcome.stopped) {
    result.stopped = outcome.message;
    result.error = fmt::format("the failure of case {} was not shrunk: {}", *result.failing_index, result.stopped);
    return result;
  }
  result.original_steps = step_count(failing);
  const Shrunk shrunk = shrink(failing, outcome, settings, options.shrink);
  result.shrunk_steps = step_count(shrunk.fuzz_case);
  result.shrink_runs = shrunk.runs;
  result.failure_kind = shrunk.outcome.kind;
  result.failure_message = shrunk.outcome.message;
  result.failure_object = shrunk.outcome.object;

  const std::string name = fmt::format("counterexample-{}", options.seed);
  const std::string path = (std::filesystem::path(options.out_dir) / (name + ".yaml")).string();
  scenarios::Scenario scenario = counterexample_scenario(shrunk, name);
  scenario.file = path;
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << scenarios::write_scenario(scenario);
    if (!file) {
      result.error = "cannot write " + path;
      return result;
    }
  }
  result.counterexample_path = path;
  result.replay_command = replay_command(path, options.broken);
  auto parsed = scenarios::parse_scenario_file(path);
  if (!parsed) {
    result.error = "the written counterexample does not parse: " + parsed.error().render();
    return result;
  }
  RunOptions replay;
  replay.broken = options.broken;
  replay.wall_limit = options.wall_limit;
  auto replayed = run_scenario(parsed.value(), replay);
  if (!replayed && replayed.error().wall_limit) {
    result.stopped = replayed.error().message;
    result.error = fmt::format("the counterexample {} was not replayed: {}", path, result.stopped);
    return result;
  }
  result.replay_confirmed = replayed && fails_for(replayed.value(), shrunk.outcome.cause());
  if (!result.replay_confirmed) {
    result.error = fmt::format("the written counterexample {} does not replay to the same cause ({}); it is not a "
                               "confirmed counterexample",
                               path, describe(shrunk.outcome.cause()));
    return result;
  }
  if (!options.broken.empty()) {
    RunOptions correct;
    correct.wall_limit = options.wall_limit;
    auto faithful = run_scenario(parsed.value(), correct);
    if (!faithful && faithful.error().wall_limit) {
      result.stopped = faithful.error().message;
      result.error = fmt::format("the counterexample {} was not run on the correct build: {}", path, result.stopped);
      return result;
    }
    result.fails_on_correct_build = faithful && fails_for(faithful.value(), shrunk.outcome.cause());
    if (result.fails_on_correct_build) {
      result.error = fmt::format("harness bug: the counterexample {} fails for the same cause on the correct build "
                                 "too, so the broken variant is not what it shows",
                                 path);
    }
  }
  return result;
}

namespace {

// The releases the campaign's cases ran on, for what coverage they could
// reach: one, or every release of a range (--version A..B, with upgrades),
// each as it ships and with each gate it does not lock turned the other
// way (cases draw such gates: generator.h), since a path behind a gate the
// release leaves off is reachable too.
std::vector<model::versions::Behaviour> campaign_releases(const CampaignOptions& options) {
  namespace v = model::versions;
  const std::optional<VersionRange> range = parse_version_range(options.generator.version);
  if (!range) return {};
  std::vector<v::Behaviour> out;
  for (const std::string& text : range->versions()) {
    const auto version = v::KubeVersion::parse(text);
    if (!version) continue;
    const std::optional<v::Behaviour> shipped = v::default_behaviour(*version);
    if (!shipped) continue;
    out.push_back(*shipped);
    for (v::Gate gate : v::all_gates()) {
      const v::GateState state = v::gate_state(gate, *version);
      if (state.stage == v::Stage::kAbsent || state.locked) continue;
      auto flipped = v::resolve_feature_gates(*version, {{std::string(v::gate_name(gate)), !state.default_on}});
      if (flipped) out.push_back(v::behaviour_of(flipped.value()));
    }
  }
  return out;
}

}  // namespace

std::string across_machines(const CampaignOptions& options) {
  const std::string flags = campaign_flags(options);
  if (options.shard_count > 1) {
    return fmt::format("across machines: this is shard {}/{} of sasim fuzz {}; once every shard has run with its own "
                       "--out, sasim merge --out DIR SHARD_DIR... writes what one machine would",
                       options.shard_index, options.shard_count, flags);
  }
  return fmt::format("across machines: sasim fuzz {} --shard I/N --out DIR_I for I in 0..N-1, then sasim merge --out "
                     "DIR DIR_0 ... DIR_N-1",
                     flags);
}

std::string render_summary(const CampaignOptions& options, const CampaignResult& r) {
  std::string out = fmt::format("fuzz: seed {}, shard {}/{}{}: {} cases, {} failure{}, {:.2f}s, {:.0f} cases/s (one core)\n",
                                options.seed, options.shard_index, options.shard_count,
                                options.broken.empty() ? "" : ", broken " + fmt::format("{}", fmt::join(options.broken, ",")),
                                r.cases, r.failures, r.failures == 1 ? "" : "s", r.wall_seconds, r.cases_per_second);
  if (!r.stopped.empty() && !r.failing_index) {
    out += fmt::format("stopped: {}; the campaign is unfinished after {} cases\n", r.stopped, r.cases);
  }
  out += across_machines(options) + "\n";
  // Coverage is the verdict of a campaign that found nothing: what it proved
  // it exercised. A campaign stops at its first failure, at a case that
  // depends on how it was split, so its counts are not printed (--json has
  // them).
  if (!r.failing_index) return out + render_coverage_summary(r.coverage, campaign_releases(options));
  out += fmt::format("failure in case {}: {}: {}\n", *r.failing_index, r.failure_kind, r.failure_message);
  out += fmt::format("shrunk from {} steps to {} in {} runs\n", r.original_steps, r.shrunk_steps, r.shrink_runs);
  if (!r.error.empty()) return out + "error: " + r.error + "\n";
  out += fmt::format("counterexample: {} (replays to the same cause{})\n", r.counterexample_path,
                     options.broken.empty() ? "" : ", which the correct build does not show");
  out += "replay: " + r.replay_command + "\n";
  return out;
}

nlohmann::json summary_json(const CampaignOptions& options, const CampaignResult& r) {
  nlohmann::json out = nlohmann::json::object();
  out["seed"] = options.seed;
  out["shard"] = fmt::format("{}/{}", options.shard_index, options.shard_count);
  out["broken"] = options.broken;
  out["cases"] = r.cases;
  out["failures"] = r.failures;
  out["wall_seconds"] = r.wall_seconds;
  out["cases_per_second"] = r.cases_per_second;
  if (!r.stopped.empty()) out["stopped"] = r.stopped;
  if (r.failing_index) {
    nlohmann::json failure = nlohmann::json::object();
    failure["case"] = *r.failing_index;
    failure["kind"] = r.failure_kind;
    failure["object"] = r.failure_object;
    failure["message"] = r.failure_message;
    failure["original_steps"] = r.original_steps;
    failure["shrunk_steps"] = r.shrunk_steps;
    failure["counterexample"] = r.counterexample_path;
    failure["replay"] = r.replay_command;
    failure["replay_confirmed"] = r.replay_confirmed;
    if (!r.error.empty()) failure["error"] = r.error;
    out["failure"] = std::move(failure);
  }
  out["coverage"] = coverage_json(r.coverage);
  const CoverageSummary summary = summarize_coverage(r.coverage, campaign_releases(options));
  out["probes_reached"] = summary.probes_reached;
  out["probes"] = summary.probes;
  nlohmann::json unreached = nlohmann::json::array();
  for (const model::coverage::ProbeInfo* row : summary.missed) {
    unreached.push_back({{"probe", std::string(row->id)}, {"rule", std::string(row->rule)}});
  }
  for (std::size_t i = 0; i < summary.unreachable.size(); ++i) {
    const model::coverage::ProbeInfo* row = summary.unreachable[i];
    unreached.push_back({{"probe", std::string(row->id)},
                         {"rule", std::string(row->rule)},
                         {"not_reachable", summary.unreachable_reasons[i]}});
  }
  out["unreached"] = std::move(unreached);
  return out;
}

}  // namespace sasim::tools::fuzz
