#include "model/kubelet/token_manager.h"

#include <fmt/format.h>

#include "model/auth/go_text.h"

namespace sasim::model::kubelet {
namespace {

// Go's %#v of a []string: []string(nil) for nil (the kubelet sends nil
// audiences when the source names none; our requests have no nil/empty
// distinction, and an empty list never reaches here), else []string{"a", "b"}.
std::string go_sharp_v(const std::vector<std::string>& items) {
  if (items.empty()) return "[]string(nil)";
  std::string out = "[]string{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ", ";
    out += auth::go_quote(items[i]);
  }
  return out + "}";
}

}  // namespace

std::string token_cache_key(const std::string& sa_name, const std::string& ns, const TokenRequest& request) {
  // keyFunc dereferences the pointers: a missing ref prints as the zero struct.
  const BoundObjectReference ref = request.bound_object_ref.value_or(BoundObjectReference{});
  return fmt::format("{}/{}/{}/{}/v1.BoundObjectReference{{Kind:{}, APIVersion:{}, Name:{}, UID:{}}}",
                     auth::go_quote(sa_name), auth::go_quote(ns), go_sharp_v(request.audiences),
                     request.expiration_seconds.value_or(0), auth::go_quote(ref.kind), auth::go_quote(ref.api_version),
                     auth::go_quote(ref.name), auth::go_quote(ref.uid));
}

sim::Duration token_refresh_jitter(double unit) {
  return sim::Duration::seconds(static_cast<std::int64_t>(unit * static_cast<double>(kTokenMaxJitterSeconds)));
}

bool token_requires_refresh(const TokenRequest& cached, sim::Time now, sim::Duration jitter) {
  // Upstream logs "Expiration seconds was nil for token request" and keeps it.
  if (!cached.expiration_seconds || !cached.expiration_timestamp) return false;
  const std::int64_t ttl = *cached.expiration_seconds;
  // In nanoseconds since the start, signed: iat' may lie before time 0.
  const std::int64_t exp = cached.expiration_timestamp->ns();
  const std::int64_t iat = exp - sim::Duration::seconds(ttl).ns();
  const std::int64_t t = now.ns();
  if (t > iat + (kTokenMaxTtl - jitter).ns()) return true;
  // Within 20 % of the TTL (integer seconds, as upstream divides) plus the jitter.
  return t > exp - sim::Duration::seconds(ttl * 20 / 100).ns() - jitter.ns();
}

TokenManager::Lookup TokenManager::lookup(const std::string& ns, const std::string& sa_name,
                                          const TokenRequest& request, sim::Time now,
                                          const std::function<sim::Duration()>& jitter) const {
  Lookup look;
  look.key = token_cache_key(sa_name, ns, request);
  auto it = cache_.find(look.key);
  if (it != cache_.end() && (broken_never_refresh_ || !token_requires_refresh(*it->second, now, jitter()))) {
    look.fresh = it->second;
  }
  return look;
}

TokenResult TokenManager::finish(const std::string& key, sim::Time now, const TokenFetch& fetch) {
  TokenResult result;
  if (fetch.token) {
    cache_[key] = fetch.token;
    result.token = fetch.token;
    result.refreshed = true;
    return result;
  }
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    result.error = "failed to fetch token: " + fetch.error;
  } else if (it->second->expiration_timestamp && now > *it->second->expiration_timestamp) {
    // Decided on the status time (the request's TTL), even when the JWT
    // itself was extended to a year.
    result.error = fmt::format("token {} expired and refresh failed: {}", key, fetch.error);
  } else {
    // "Couldn't update token": the old one is handed back.
    result.token = it->second;
    result.kept_old = true;
  }
  return result;
}

TokenResult TokenManager::get(const std::string& ns, const std::string& sa_name, const TokenRequest& request,
                              sim::Time now, const std::function<sim::Duration()>& jitter,
                              const std::function<TokenFetch()>& fetch) {
  Lookup look = lookup(ns, sa_name, request, now, jitter);
  if (look.fresh) return TokenResult{.token = look.fresh};
  return finish(look.key, now, fetch());
}

std::size_t TokenManager::cleanup(sim::Time now) {
  return std::erase_if(cache_, [&](const auto& entry) {
    return entry.second->expiration_timestamp && now > *entry.second->expiration_timestamp;
  });
}

void TokenManager::delete_service_account_token(const std::string& pod_uid) {
  std::erase_if(cache_, [&](const auto& entry) {
    return entry.second->bound_object_ref && entry.second->bound_object_ref->uid == pod_uid;
  });
}

sim::Time TokenManager::earliest_expiry() const {
  sim::Time earliest = sim::Time::never();
  for (const auto& [key, token] : cache_) {
    if (token->expiration_timestamp && *token->expiration_timestamp < earliest) earliest = *token->expiration_timestamp;
  }
  return earliest;
}

}  // namespace sasim::model::kubelet
