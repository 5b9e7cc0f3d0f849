#include "model/admission/service_account_lookup.h"

#include "model/objects/constants.h"

namespace sasim::model::admission {

sim::Task<LookupResult> get_service_account(Env& env, std::string ns, std::string name) {
  if (const ServiceAccount* cached = env.cached_service_account(ns, name)) {
    env.probe(coverage::Probe::kR4CacheHit);
    co_return LookupResult(*cached);
  }
  env.probe(coverage::Probe::kR4LiveLookup);

  const int attempts =
      name == kDefaultServiceAccountName ? kDefaultServiceAccountLookupAttempts : kServiceAccountLookupAttempts;
  const sim::Duration retry_interval =
      sim::Duration::milliseconds(env.prng().uniform_int(kLookupRetryIntervalMinMs, kLookupRetryIntervalMaxMs));
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (attempt != 0) co_await env.sleep(retry_interval);
    LiveGetResult got = co_await env.live_get_service_account(ns, name);
    if (!got.ok()) {
      if (!is_not_found(got.error())) co_return sim::unexpected(got.error());
      continue;
    }
    if (got.value() && attempt != 0 && name == kDefaultServiceAccountName) {
      env.probe(coverage::Probe::kA7DefaultFoundAfterRetry);
    }
    if (got.value()) co_return LookupResult(*std::move(got).value());
  }
  co_return sim::unexpected(status_not_found("serviceaccount", name));
}

}  // namespace sasim::model::admission
