// §4 actors, §8 invariants and the run's limits.
#include <fmt/format.h>

#include "scenarios/parts.h"
#include "scenarios/reader.h"

namespace sasim::scenarios::parse {

namespace {

constexpr std::int64_t kMaxCount = 1'000'000;

std::optional<sim::DurationDistribution> distribution(const YamlNode& map, std::string_view key) {
  const YamlNode* v = map.find(key);
  if (!given(v)) return std::nullopt;
  return read_distribution(*v);
}

std::optional<sim::Duration> duration(const YamlNode& map, std::string_view key) {
  const YamlNode* v = map.find(key);
  if (!given(v)) return std::nullopt;
  return read_duration(*v);
}

std::optional<std::int64_t> integer(const YamlNode& map, std::string_view key, std::int64_t min) {
  const YamlNode* v = map.find(key);
  if (!given(v)) return std::nullopt;
  return read_int(*v, min, kMaxCount);
}

ControllerKnobs controller(const YamlNode& node, bool tokens) {
  static constexpr std::string_view kKeys[] = {"workers", "qps", "burst", "syncLatency", "restartDelay", "watchLag"};
  static constexpr std::string_view kTokenKeys[] = {"workers",     "qps",          "burst",   "maxRetries",
                                                    "syncLatency", "restartDelay", "watchLag"};
  if (tokens) check_map(node, "a map of controller knobs", kTokenKeys);
  else check_map(node, "a map of controller knobs", kKeys);
  ControllerKnobs knobs;
  knobs.location = node.location;
  knobs.workers = integer(node, "workers", 1);
  knobs.qps = integer(node, "qps", 1);
  knobs.burst = integer(node, "burst", 1);
  if (tokens) knobs.max_retries = integer(node, "maxRetries", 0);
  knobs.sync_latency = duration(node, "syncLatency");
  knobs.restart_delay = duration(node, "restartDelay");
  knobs.watch_lag = duration(node, "watchLag");
  return knobs;
}

}  // namespace

Actors parse_actors(const YamlNode& node) {
  check_map(node, "a map from actor names to their knobs", kActorNames, "actor");
  Actors actors;
  for (std::size_t i = 0; i < node.entries(); ++i) {
    const std::string& name = node.key(i).text;
    const YamlNode& knobs = node.value(i);
    if (knobs.is_null()) continue;
    if (name == "apiserver") {
      static constexpr std::string_view kKeys[] = {"latency", "watchLatency"};
      check_map(knobs, "a map of apiserver knobs", kKeys);
      actors.apiserver = {.location = knobs.location,
                          .latency = distribution(knobs, "latency"),
                          .watch_latency = distribution(knobs, "watchLatency")};
    } else if (name == "admission") {
      static constexpr std::string_view kKeys[] = {"latency", "watchLag"};
      check_map(knobs, "a map of admission knobs", kKeys);
      actors.admission = {.location = knobs.location,
                          .latency = distribution(knobs, "latency"),
                          .watch_lag = duration(knobs, "watchLag")};
    } else if (name == "tokens-controller") {
      actors.tokens_controller = controller(knobs, true);
    } else if (name == "serviceaccounts-controller") {
      actors.serviceaccounts_controller = controller(knobs, false);
    } else if (name == "namespace-controller") {
      actors.namespace_controller = controller(knobs, false);
    } else if (name == "root-ca-cert-publisher") {
      actors.root_ca_publisher = controller(knobs, false);
    } else if (name == "legacy-token-cleaner") {
      actors.legacy_token_cleaner = controller(knobs, false);
    } else if (name == "kubelet") {
      static constexpr std::string_view kKeys[] = {"syncPeriod", "podStartLatency", "podStopLatency", "watchLag"};
      check_map(knobs, "a map of kubelet knobs", kKeys);
      actors.kubelet = {.location = knobs.location,
                        .sync_period = duration(knobs, "syncPeriod"),
                        .pod_start_latency = distribution(knobs, "podStartLatency"),
                        .pod_stop_latency = distribution(knobs, "podStopLatency"),
                        .watch_lag = duration(knobs, "watchLag")};
      if (actors.kubelet.sync_period && *actors.kubelet.sync_period <= sim::Duration::zero()) {
        fail(knobs.find("syncPeriod")->location, "syncPeriod must be positive");
      }
    } else if (name == "workload") {
      static constexpr std::string_view kKeys[] = {"authEvery", "reloadToken"};
      check_map(knobs, "a map of workload knobs", kKeys);
      actors.workload = {.location = knobs.location, .auth_every = duration(knobs, "authEvery"), .reload_token = {}};
      if (const YamlNode* reload = knobs.find("reloadToken"); reload != nullptr && !reload->is_null()) {
        actors.workload.reload_token = read_bool(*reload);
      }
      if (actors.workload.auth_every && *actors.workload.auth_every <= sim::Duration::zero()) {
        fail(knobs.find("authEvery")->location, "authEvery must be positive");
      }
    }
  }
  return actors;
}

InvariantSelection parse_invariants(const YamlNode& node) {
  InvariantSelection selection;
  selection.location = node.location;
  if (node.is_scalar() && (node.text == "all" || node.text == "none")) {
    selection.mode = node.text == "all" ? InvariantSelection::Mode::kAll : InvariantSelection::Mode::kNone;
    return selection;
  }
  if (!node.is_sequence()) {
    fail(node.location, fmt::format("expected all, none or a list of invariant names, got {}", describe(node)));
  }
  selection.mode = InvariantSelection::Mode::kList;
  for (const YamlNode& item : node.children) {
    std::string name = read_choice(item, "invariant", kInvariantNames);
    for (const std::string& earlier : selection.names) {
      if (earlier == name) fail(item.location, fmt::format("invariant \"{}\" is listed twice", name));
    }
    selection.names.push_back(std::move(name));
  }
  return selection;
}

Limits parse_limits(const YamlNode& node) {
  static constexpr std::string_view kKeys[] = {"time", "events", "settle"};
  check_map(node, "a map with time, events and settle", kKeys);
  Limits limits;
  limits.location = node.location;
  if (const YamlNode* v = node.find("time"); given(v)) {
    limits.time = read_duration(*v);
    if (limits.time <= sim::Duration::zero()) fail(v->location, "the time limit must be positive");
  }
  if (const YamlNode* v = node.find("events"); given(v)) {
    limits.events = read_uint64(*v);
    if (limits.events == 0) fail(v->location, "the event limit must be positive");
  }
  if (const YamlNode* v = node.find("settle"); given(v)) limits.settle = read_duration(*v);
  return limits;
}

}  // namespace sasim::scenarios::parse
