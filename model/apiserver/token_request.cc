#include "model/apiserver/token_request.h"

#include <algorithm>
#include <fmt/format.h>

#include "model/auth/bound_claims.h"
#include "model/auth/bound_token.h"
#include "model/objects/timestamp.h"

namespace sasim::model {
namespace {

// validation.ValidateTokenRequest's bounds (MinTokenAgeSec, MaxTokenAgeSec).
constexpr std::int64_t kMinTokenSeconds = 10 * 60;
constexpr std::int64_t kMaxTokenSeconds = std::int64_t{1} << 32;

ApiStatus invalid(std::string_view name, std::vector<FieldError> errors) {
  ApiStatus status = status_invalid(kTokenRequestQualifiedKind, name, errors);
  status.details.group = "authentication.k8s.io";
  status.details.kind = "TokenRequest";
  return status;
}

// upstream prints the number unquoted: `Invalid value: 5: may not ...`.
FieldError invalid_seconds(std::int64_t value, std::string_view detail) {
  return FieldError{"FieldValueInvalid", "spec.expirationSeconds", std::to_string(value),
                    fmt::format("{}: {}", value, detail), false};
}

// ValidateTokenRequest (VAL): the name in its error is always "".
std::optional<ApiStatus> validate(std::int64_t seconds) {
  std::vector<FieldError> errors;
  if (seconds < kMinTokenSeconds) errors.push_back(invalid_seconds(seconds, "may not specify a duration less than 10 minutes"));
  if (seconds > kMaxTokenSeconds) errors.push_back(invalid_seconds(seconds, "may not specify a duration larger than 2^32 seconds"));
  if (errors.empty()) return std::nullopt;
  return invalid("", std::move(errors));
}

// schema.ParseGroupVersion, as FromAPIVersionAndKind uses it: "" and "/"
// are the empty group version, no slash is a core version, one slash is
// group/version, more is unparsable (and then only the kind is kept).
struct GroupVersionKind {
  std::string group, version, kind;
  // GroupVersionKind.String(): "<group>/<version>, Kind=<kind>".
  std::string text() const { return fmt::format("{}/{}, Kind={}", group, version, kind); }
};

GroupVersionKind from_api_version_and_kind(const std::string& api_version, const std::string& kind) {
  GroupVersionKind gvk;
  gvk.kind = kind;
  if (api_version.empty() || api_version == "/") return gvk;
  const auto slashes = std::count(api_version.begin(), api_version.end(), '/');
  if (slashes == 0) {
    gvk.version = api_version;
  } else if (slashes == 1) {
    const std::size_t at = api_version.find('/');
    gvk.group = api_version.substr(0, at);
    gvk.version = api_version.substr(at + 1);
  }
  return gvk;
}

struct Bound {
  auth::BoundObjects objects;
  bool pod = false;
};

// B6: the bound object, read from storage.
sim::Result<Bound, ApiStatus> resolve_bound(const versions::Behaviour& behaviour, const Store& store,
                                           const std::string& ns, const std::string& name,
                                           const BoundObjectReference& ref) {
  const GroupVersionKind gvk = from_api_version_and_kind(ref.api_version, ref.kind);
  Bound bound;
  std::string uid;
  if (gvk.group.empty() && gvk.kind == "Pod") {
    const auto* pod = as<Pod>(store.get(Kind::kPod, ns, ref.name));
    if (pod == nullptr) return sim::unexpected(status_not_found("pods", ref.name));
    if (pod->spec.service_account_name != name) {
      return sim::unexpected(status_bad_request(fmt::format(
          "cannot bind token for serviceaccount \"{}\" to pod running with different serviceaccount name.", name)));
    }
    uid = pod->metadata.uid;
    bound.objects.pod = auth::ClaimRef{pod->metadata.name, pod->metadata.uid};
    bound.pod = true;
    // 1.29+ (ServiceAccountTokenPodNodeInfo): the pod's node, without its
    // uid when the node is gone.
    if (behaviour.token_pod_node_info && !pod->spec.node_name.empty()) {
      const ObjectPtr node = store.get(Kind::kNode, "", pod->spec.node_name);
      bound.objects.node = auth::ClaimRef{pod->spec.node_name, node ? meta(*node).uid : std::string()};
    }
  } else if (gvk.group.empty() && gvk.kind == "Secret") {
    const auto* secret = as<Secret>(store.get(Kind::kSecret, ns, ref.name));
    if (secret == nullptr) return sim::unexpected(status_not_found("secrets", ref.name));
    uid = secret->metadata.uid;
    bound.objects.secret = auth::ClaimRef{secret->metadata.name, secret->metadata.uid};
  } else if (gvk.group.empty() && gvk.kind == "Node" && behaviour.token_request_knows_nodes) {
    if (!behaviour.token_node_binding) {
      return sim::unexpected(status_bad_request(
          "cannot bind token to a Node object as the \"ServiceAccountTokenNodeBinding\" feature-gate is disabled"));
    }
    const ObjectPtr node = store.get(Kind::kNode, "", ref.name);
    if (!node) return sim::unexpected(status_not_found("nodes", ref.name));
    uid = meta(*node).uid;
    bound.objects.node = auth::ClaimRef{ref.name, uid};
  } else {
    // Node falls here until 1.29.
    return sim::unexpected(status_bad_request(fmt::format("cannot bind token to object of type {}", gvk.text())));
  }
  if (!ref.uid.empty() && uid != ref.uid) {
    // NewConflict with the Kind as the resource: `on Pod "x"`.
    return sim::unexpected(status_conflict(
        gvk.group.empty() ? gvk.kind : gvk.kind + "." + gvk.group, ref.name,
        fmt::format("the UID in the bound object reference ({}) does not match the UID in record. The object might have "
                    "been deleted and then recreated",
                    ref.uid)));
  }
  return bound;
}

bool all_in(const std::vector<std::string>& wanted, const std::vector<std::string>& set) {
  return std::all_of(wanted.begin(), wanted.end(),
                     [&](const std::string& a) { return std::find(set.begin(), set.end(), a) != set.end(); });
}

TokenRequestOutcome fail(ApiStatus status) {
  TokenRequestOutcome out;
  out.error = std::move(status);
  return out;
}

}  // namespace

TokenRequestOutcome create_token(const versions::Behaviour& behaviour, const TokenIssuerConfig& config,
                                 const Store& store, const std::string& ns, const std::string& name,
                                 const TokenRequest& body, const TokenRequestContext& context) {
  if (!config.key || config.issuers.empty()) {
    // NewREST serves no TokenREST without an issuer: the subresource does not exist.
    ApiStatus missing = status_not_found("serviceaccounts", name);
    missing.message = "the server could not find the requested resource";
    return fail(std::move(missing));
  }
  const bool lookup_first = behaviour.token_request_order == versions::TokenRequestOrder::kLookupFirst;
  auto req = std::make_shared<TokenRequest>(body);
  req->token.reset();
  req->expiration_timestamp.reset();
  const std::int64_t requested_seconds = req->expiration_seconds.value_or(kDefaultTokenRequestExpirationSeconds);
  req->expiration_seconds = requested_seconds;

  // B1 (1.24+, #94637): the generic create handler checks the body's
  // namespace against the URL's first, and fills in an empty one.
  if (behaviour.token_request_body_namespace_checked) {
    if (req->metadata.namespace_.empty()) req->metadata.namespace_ = ns;
    if (req->metadata.namespace_ != ns) {
      return fail(status_bad_request("the namespace of the provided object does not match the namespace sent on the request"));
    }
  }

  const ServiceAccount* sa = nullptr;
  if (lookup_first) {
    // B3 steps 2-3: a name or namespace in the body must be the URL's.
    if (!req->metadata.name.empty() && req->metadata.name != name) {
      return fail(invalid(name, {field_invalid("metadata.name", req->metadata.name,
                                               "must match the service account name if specified")}));
    }
    if (!req->metadata.namespace_.empty() && req->metadata.namespace_ != ns) {
      return fail(invalid(name, {field_invalid("metadata.namespace", req->metadata.namespace_,
                                               "must match the service account namespace if specified")}));
    }
    // B3 steps 4-7: the account, then defaults, then validation.
    sa = as<ServiceAccount>(store.get(Kind::kServiceAccount, ns, name));
    if (sa == nullptr) return fail(status_not_found("serviceaccounts", name));
    if (req->audiences.empty()) req->audiences = config.api_audiences;
    if (req->metadata.name.empty()) req->metadata.name = sa->metadata.name;
    if (req->metadata.namespace_.empty()) req->metadata.namespace_ = sa->metadata.namespace_;
    req->metadata.creation_timestamp = context.now;
    req->has_creation_timestamp = true;
    if (auto refused = validate(requested_seconds)) return fail(*refused);
  } else {
    // B2: validation on the request as sent, then the account.
    if (auto refused = validate(requested_seconds)) return fail(*refused);
    sa = as<ServiceAccount>(store.get(Kind::kServiceAccount, ns, name));
    if (sa == nullptr) return fail(status_not_found("serviceaccounts", name));
  }

  // B5-B6: the bound object.
  Bound bound;
  if (req->bound_object_ref) {
    auto resolved = resolve_bound(behaviour, store, ns, name, *req->bound_object_ref);
    if (!resolved) return fail(resolved.error());
    bound = std::move(resolved).value();
  }
  if (!lookup_first && req->audiences.empty()) req->audiences = config.api_audiences;

  TokenRequestOutcome out;
  if (config.broken.ignore_expiration) req->expiration_seconds = kDefaultTokenRequestExpirationSeconds;
  const bool extensible = !config.broken.ignore_expiration && config.extend_expiration;
  // B7: the cap, with a warning from 1.24.
  if (config.max_expiration_seconds > 0 && *req->expiration_seconds > config.max_expiration_seconds) {
    if (behaviour.warn_when_expiration_capped) {
      out.warnings.push_back(fmt::format("requested expiration of {} seconds shortened to {} seconds",
                                         *req->expiration_seconds, config.max_expiration_seconds));
    }
    req->expiration_seconds = config.max_expiration_seconds;
  }

  // B8: a pod-bound token asked for for exactly 3607 s lives a year, with a
  // warnafter at 3607 s; from 1.24 only for the apiserver's own audiences.
  std::int64_t exp = *req->expiration_seconds;
  std::int64_t warn_after = 0;
  if (extensible && bound.pod && exp == auth::kWarnOnlyBoundTokenExpirationSeconds &&
      (!behaviour.extension_requires_api_audiences || all_in(req->audiences, config.api_audiences))) {
    warn_after = exp;
    exp = behaviour.expiration_extension_seconds;
  }

  // B9: the claims and the token.
  const std::int64_t now_unix = wall_seconds(context.now, context.epoch_unix_seconds);
  auth::ClaimsOptions options;
  options.reject_pod_and_secret = behaviour.claims_reject_pod_and_secret;
  options.jti = behaviour.token_jti;
  auto claims = auth::make_bound_claims(config.issuers.front(), ns, auth::ClaimRef{sa->metadata.name, sa->metadata.uid},
                                        bound.objects, exp, warn_after, req->audiences, now_unix, options, context.jti);
  if (!claims) return fail(status_internal_error(claims.error().message));
  if (behaviour.token_jti && !context.jti.empty()) {
    out.audit_annotations["authentication.kubernetes.io/issued-credential-id"] = "JTI=" + context.jti;
  }
  req->token = DataValue(std::shared_ptr<const LazyValue>(
      std::make_shared<const auth::BoundToken>(config.key, std::move(claims).value(), context.nonce_seed)));
  // B10: the status time is the capped request, not the extended JWT exp.
  req->expiration_timestamp = context.now + sim::Duration::seconds(*req->expiration_seconds);
  out.response = std::move(req);
  return out;
}

}  // namespace sasim::model
