// TokenManager: the kubelet's cache of service-account tokens
// (pkg/kubelet/token), rules K2-K7.
//
// The projected volume asks it for a token on every SetUp. A cached token is
// handed back without an API call until it needs a refresh: 80 % into its
// request TTL or 24 h after it was issued, each less a jitter of 0 to 9 whole
// seconds drawn afresh at every look. The times are the TokenRequest's
// status (`expirationTimestamp`, the requested TTL), never the JWT's `exp`,
// which the apiserver may have extended to a year: the kubelet cannot tell.
//
// Fetching is the caller's (it is an API call through the kubelet's client,
// so it takes time and faults apply), hence two halves:
//
//   TokenManager::Lookup look = manager.lookup(ns, sa, request, now, jitter);
//   if (look.fresh) use(*look.fresh);
//   else result = manager.finish(look.key, now, co_await fetch(...));
//
// The cache key leaves out the ServiceAccount's uid, as upstream's does until
// 1.34 (kubernetes#132802): a recreated account's pods keep getting the token
// minted for the old account until its refresh point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/objects/token_request.h"
#include "sim/time.h"

namespace sasim::model::kubelet {

// K7.
inline constexpr sim::Duration kTokenMaxTtl = sim::Duration::hours(24);
inline constexpr sim::Duration kTokenGcPeriod = sim::Duration::minutes(1);
inline constexpr std::int64_t kTokenMaxJitterSeconds = 10;

// keyFunc: fmt.Sprintf("%q/%q/%#v/%#v/%#v", name, namespace, audiences,
// expirationSeconds, boundObjectRef), with Go's %#v spelling, e.g.
// "default"/"ns"/[]string(nil)/3607/v1.BoundObjectReference{Kind:"Pod", APIVersion:"v1", Name:"p", UID:"u"}
std::string token_cache_key(const std::string& sa_name, const std::string& ns, const TokenRequest& request);

// The jitter of one look: time.Duration(rand.Float64()*10) * time.Second,
// so a whole number of seconds in [0, 9]. `unit` is a draw in [0, 1).
sim::Duration token_refresh_jitter(double unit);

// requiresRefresh (K4) of a cached answer at `now` with that jitter. An
// answer without expirationSeconds is never refreshed.
bool token_requires_refresh(const TokenRequest& cached, sim::Time now, sim::Duration jitter);

// What the token request returned: the answer, or the error's message.
struct TokenFetch {
  std::shared_ptr<const TokenRequest> token;
  std::string error{};
};

// The outcome of GetServiceAccountToken.
struct TokenResult {
  std::shared_ptr<const TokenRequest> token;  // null on error
  std::string error{};                        // "failed to fetch token: ..." or "token ... expired and refresh failed: ..."
  bool refreshed = false;                    // a new token came from the apiserver
  bool kept_old = false;                      // the refresh failed, the old one is still before its status expiry
};

class TokenManager {
 public:
  struct Lookup {
    std::string key;
    std::shared_ptr<const TokenRequest> fresh;  // set: use it, no API call
  };

  // K3. `jitter` is drawn only when a cached entry is looked at.
  Lookup lookup(const std::string& ns, const std::string& sa_name, const TokenRequest& request, sim::Time now,
                const std::function<sim::Duration()>& jitter) const;
  // Broken variant kubelet-never-refreshes: a cached token is handed back
  // whatever its age.
  void set_broken_never_refresh(bool on) { broken_never_refresh_ = on; }
  bool broken_never_refresh() const { return broken_never_refresh_; }
  // K5: stores a fetched token, or decides what a failed fetch means.
  TokenResult finish(const std::string& key, sim::Time now, const TokenFetch& fetch);

  // Both halves at once, for a fetch that answers at `now` (tests).
  TokenResult get(const std::string& ns, const std::string& sa_name, const TokenRequest& request, sim::Time now,
                  const std::function<sim::Duration()>& jitter, const std::function<TokenFetch()>& fetch);

  // K6: the minute's GC, dropping entries whose status expiry has passed.
  // Returns how many went.
  std::size_t cleanup(sim::Time now);
  // K6: DeleteServiceAccountToken(podUID), on the volume's teardown.
  void delete_service_account_token(const std::string& pod_uid);

  std::size_t size() const { return cache_.size(); }
  bool contains(const std::string& key) const { return cache_.count(key) != 0; }
  // The cached answer for `key`, or null: what a lookup would judge (the
  // kubelet's idle syncs ask when its next refresh falls due).
  std::shared_ptr<const TokenRequest> cached(const std::string& key) const {
    auto it = cache_.find(key);
    return it != cache_.end() ? it->second : nullptr;
  }
  // The earliest status expiry in the cache (the next time cleanup has work), or never.
  sim::Time earliest_expiry() const;

 private:
  std::map<std::string, std::shared_ptr<const TokenRequest>> cache_;
  bool broken_never_refresh_ = false;
};

}  // namespace sasim::model::kubelet
