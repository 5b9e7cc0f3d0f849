// Test support: a Cluster on its own Simulator, with blocking helpers that
// send the user's requests through kubectl and run the simulation until the
// answer arrives.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "model/cluster/cluster.h"
#include "model/objects/testing/fake_token.h"

namespace sasim::model::testing {

// The tokens controller's tokens, unsigned and telling what they belong
// to: "token:NAMESPACE/ACCOUNT/SECRET".
inline controllers::TokenGenerator naming_token_generator() {
  return [](const ServiceAccount& sa, const std::string& secret, std::uint64_t) -> std::shared_ptr<const LazyValue> {
    return std::make_shared<FakeToken>("token:" + sa.metadata.namespace_ + "/" + sa.metadata.name + "/" + secret);
  };
}

// Release 1.MINOR's behaviour with `gates` set as --feature-gates sets them.
inline versions::Behaviour release_behaviour(int minor, const std::map<std::string, bool>& gates = {}) {
  auto resolved = versions::resolve_feature_gates(versions::KubeVersion{minor}, gates);
  SIM_CHECK(resolved.ok(), "feature gates not valid for the release");
  return versions::behaviour_of(resolved.value());
}

// The default cluster, running release 1.MINOR with `gates`.
inline ClusterConfig release(int minor, const std::map<std::string, bool>& gates = {}) {
  ClusterConfig config = default_cluster_config();
  config.version = "1." + std::to_string(minor);
  config.behaviour = release_behaviour(minor, gates);
  return config;
}

struct Harness {
  sim::Simulator simulator;
  Cluster cluster;
  explicit Harness(std::uint64_t seed, ClusterConfig config = default_cluster_config())
      : simulator(seed), cluster(simulator, std::move(config)) {}

  const Store& store() const { return cluster.apiserver().store(); }

  // Runs until the response arrives; nullopt if it never does.
  std::optional<ApiResponse> try_send(std::unique_ptr<ApiRequest> request) {
    std::optional<ApiResponse> response;
    cluster.submit(std::move(request), [&](ApiResponse r) { response = std::move(r); });
    simulator.run({.stop_when = [&] { return response.has_value(); }});
    return response;
  }
  ApiResponse send(std::unique_ptr<ApiRequest> request) {
    std::optional<ApiResponse> response = try_send(std::move(request));
    SIM_CHECK(response.has_value(), "no response to a request");
    return std::move(*response);
  }
  static std::unique_ptr<ApiRequest> request(Verb verb, Kind kind, std::string ns, std::string name) {
    auto r = std::make_unique<ApiRequest>();
    r->verb = verb;
    r->kind = kind;
    r->namespace_ = std::move(ns);
    r->name = std::move(name);
    return r;
  }
  ApiResponse create(Object object) {
    auto r = request(Verb::kCreate, kind_of(object), meta(object).namespace_, meta(object).name);
    r->body = std::make_shared<const Object>(std::move(object));
    return send(std::move(r));
  }
  ApiResponse update(Object object) {
    auto r = request(Verb::kUpdate, kind_of(object), meta(object).namespace_, meta(object).name);
    r->body = std::make_shared<const Object>(std::move(object));
    return send(std::move(r));
  }
  ApiResponse patch(Kind kind, std::string ns, std::string name, nlohmann::json merge) {
    auto r = request(Verb::kPatch, kind, std::move(ns), std::move(name));
    r->merge_patch = std::make_shared<const nlohmann::json>(std::move(merge));
    return send(std::move(r));
  }
  ApiResponse remove(Kind kind, std::string ns, std::string name, Preconditions preconditions = {}) {
    auto r = request(Verb::kDelete, kind, std::move(ns), std::move(name));
    r->preconditions = std::move(preconditions);
    return send(std::move(r));
  }
  void run_for(sim::Duration d) { simulator.run({.until = simulator.now() + d}); }
  void settle(sim::Duration timeout = sim::Duration::minutes(10)) {
    simulator.run({.until = simulator.now() + timeout, .until_quiescent = true});
  }
};

inline Object pod(std::string ns, std::string name, std::string service_account = "") {
  Pod p;
  p.metadata.namespace_ = std::move(ns);
  p.metadata.name = std::move(name);
  p.spec.service_account_name = std::move(service_account);
  Container c;
  c.name = "app";
  c.image = "nginx";
  p.spec.containers.push_back(std::move(c));
  return p;
}

inline Object service_account(std::string ns, std::string name) {
  ServiceAccount sa;
  sa.metadata.namespace_ = std::move(ns);
  sa.metadata.name = std::move(name);
  return sa;
}

}  // namespace sasim::model::testing
