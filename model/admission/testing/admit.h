// Driving the plugin's chain in tests, as upstream's tests drive Admit.
#pragma once

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>

#include "model/admission/plugin.h"
#include "model/admission/testing/fake_env.h"
#include "model/admission/testing/fixtures.h"
#include "model/admission/testing/run_sync.h"

namespace sasim::model::admission::testing {

inline std::optional<ApiStatus> admit_pod(FakeEnv& env, Pod& pod, const Config& config,
                                          Attributes attributes = create_attributes()) {
  return run_sync(admit(std::move(attributes), &pod, nullptr, env, config));
}

// upstream's WithReinvocationTesting: admitting the admitted pod again
// changes nothing.
inline std::optional<ApiStatus> admit_twice(FakeEnv& env, Pod& pod, const Config& config,
                                            Attributes attributes = create_attributes()) {
  std::optional<ApiStatus> error = admit_pod(env, pod, config, attributes);
  if (!error) {
    Pod again = pod;
    CHECK_FALSE(admit_pod(env, again, config, attributes).has_value());
    CHECK(describe(again) == describe(pod));
  }
  return error;
}

inline std::string message_of(const std::optional<ApiStatus>& error) { return error ? error->message : "(admitted)"; }

inline Config no_token_required(Config config = Config{}) {
  config.require_api_token = false;
  return config;
}

}  // namespace sasim::model::admission::testing
