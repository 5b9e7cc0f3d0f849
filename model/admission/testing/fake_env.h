// FakeEnv: the apiserver as the plugin's tests need it. Caches and the
// store are plain maps the test fills; live GETs and sleeps complete at
// once and are recorded, so that a test can count attempts and intervals.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/admission/env.h"

namespace sasim::model::admission::testing {

class FakeEnv final : public Env {
 public:
  explicit FakeEnv(std::uint64_t seed = 1) : prng_(seed) {}

  // The informer caches (what upstream's tests add to the informer store).
  void cache(ServiceAccount sa) { cached_sas_[key(sa.metadata)] = std::move(sa); }
  void cache(Secret secret) { cached_secrets_[key(secret.metadata)] = std::move(secret); }
  // The apiserver's store, read by live GETs (upstream's fake clientset).
  void store(ServiceAccount sa) { stored_sas_[key(sa.metadata)] = std::move(sa); }

  // When set, every live GET fails with this status.
  std::optional<ApiStatus> live_error;
  // The first this many live GETs answer NotFound whatever the store holds:
  // the account is created while admission retries.
  int not_found_before = 0;
  // When set, generate_name appends it instead of random characters, as
  // upstream's testGenerateName appends "abc123".
  std::optional<std::string> generated_suffix;

  std::vector<std::string> live_gets;  // "ns/name", one per GET
  std::vector<sim::Duration> sleeps;
  std::vector<std::string> generated_bases;
  int secret_lists = 0;

  const ServiceAccount* cached_service_account(const std::string& ns, const std::string& name) override {
    auto it = cached_sas_.find({ns, name});
    return it == cached_sas_.end() ? nullptr : &it->second;
  }
  std::vector<const Secret*> cached_secrets(const std::string& ns) override {
    ++secret_lists;
    std::vector<const Secret*> out;
    for (const auto& [k, secret] : cached_secrets_) {
      if (k.first == ns) out.push_back(&secret);
    }
    return out;
  }
  sim::Task<LiveGetResult> live_get_service_account(const std::string& ns, const std::string& name) override {
    live_gets.push_back(ns + "/" + name);
    if (live_error) co_return sim::unexpected(*live_error);
    if (static_cast<int>(live_gets.size()) <= not_found_before) co_return std::optional<ServiceAccount>();
    auto it = stored_sas_.find({ns, name});
    if (it == stored_sas_.end()) co_return std::optional<ServiceAccount>();
    co_return std::optional<ServiceAccount>(it->second);
  }
  sim::Task<void> sleep(sim::Duration duration) override {
    sleeps.push_back(duration);
    co_return;
  }
  sim::Prng& prng() override { return prng_; }
  std::string generate_name(std::string_view base) override {
    generated_bases.emplace_back(base);
    if (generated_suffix) return std::string(base) + *generated_suffix;
    return Env::generate_name(base);
  }

 private:
  using Key = std::pair<std::string, std::string>;
  static Key key(const ObjectMeta& meta) { return {meta.namespace_, meta.name}; }

  sim::Prng prng_;
  std::map<Key, ServiceAccount> cached_sas_;
  std::map<Key, Secret> cached_secrets_;
  std::map<Key, ServiceAccount> stored_sas_;
};

}  // namespace sasim::model::admission::testing
