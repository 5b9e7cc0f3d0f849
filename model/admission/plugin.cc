#include "model/admission/plugin.h"

#include <fmt/format.h>

#include <string>
#include <utility>

#include "model/admission/automount.h"
#include "model/admission/errors.h"
#include "model/admission/mirror_pod.h"
#include "model/admission/mountable_secrets.h"
#include "model/admission/service_account_lookup.h"
#include "model/admission/token_volume.h"
#include "model/objects/constants.h"

namespace sasim::model::admission {

namespace {

using coverage::Probe;

// shouldIgnore. 1.20 ignores every subresource; the CVE-2023-2728 fix lets
// ephemeralcontainers through.
bool should_ignore(const Attributes& attributes, const Pod* pod, const Config& config) {
  if (attributes.resource != kPodsResource) return true;
  if (!attributes.subresource.empty() &&
      !(config.ephemeral_containers_fix && attributes.subresource == kEphemeralContainersSubresource)) {
    return true;
  }
  return pod == nullptr;
}

// getServiceAccount (R4), or, in the broken variant that stops at the
// cache, the cached account or NotFound.
sim::Task<LookupResult> lookup_account(Env& env, const std::string& ns, const std::string& name, const Config& config) {
  if (config.broken.no_live_lookup) {
    if (const ServiceAccount* cached = env.cached_service_account(ns, name)) co_return LookupResult(*cached);
    co_return sim::unexpected(status_not_found("serviceaccount", name));
  }
  co_return co_await get_service_account(env, ns, name);
}

// R5, or, in the broken variant, the account's setting before the pod's.
bool automount(const Pod& pod, const ServiceAccount& sa, const Config& config) {
  if (config.broken.ignore_automount) return true;
  if (config.broken.account_automount_wins && sa.automount_service_account_token) {
    return *sa.automount_service_account_token;
  }
  return should_automount(pod, sa);
}

// Upstream wraps with %v (1.20) or %w; either prints the status's message.
ApiStatus lookup_forbidden(const Attributes& attributes, const Pod* pod, const ApiStatus& error) {
  return forbidden(attributes, pod,
                   fmt::format("error looking up service account {}/{}: {}", attributes.namespace_,
                               pod->spec.service_account_name, error.message));
}

ApiStatus no_service_account(const Attributes& attributes, const Pod* pod) {
  return forbidden(
      attributes, pod,
      fmt::format("no service account specified for pod {}/{}", attributes.namespace_, pod->metadata.name));
}

// limitEphemeralContainerSecretReferences (R10).
sim::Task<std::optional<ApiStatus>> validate_ephemeral_containers(const Attributes& attributes, const Pod* pod,
                                                                  Env& env, const Config& config) {
  if (pod->spec.service_account_name.empty()) co_return no_service_account(attributes, pod);
  LookupResult sa = co_await lookup_account(env, attributes.namespace_, pod->spec.service_account_name, config);
  if (!sa.ok()) co_return lookup_forbidden(attributes, pod, sa.error());
  if (!enforce_mountable_secrets(sa.value(), config)) co_return std::nullopt;
  // Upstream returns this violation unwrapped, not as Forbidden.
  if (auto violation = limit_ephemeral_container_secret_references(sa.value(), *pod, config)) {
    co_return unstructured_error(std::move(*violation));
  }
  co_return std::nullopt;
}

}  // namespace

bool handles(Operation operation, const Config& config) {
  return operation == Operation::kCreate || (config.ephemeral_containers_fix && operation == Operation::kUpdate);
}

sim::Task<std::optional<ApiStatus>> mutate(Attributes attributes, Pod* pod, Env& env, Config config) {
  if (!handles(attributes.operation, config) || should_ignore(attributes, pod, config)) {
    env.probe(Probe::kR2Ignored);
    co_return std::nullopt;
  }
  if (attributes.operation != Operation::kCreate) co_return std::nullopt;
  env.probe(Probe::kR1PodCreateHandled);
  // The kubelet deletes a mirror pod whose spec differs from its static pod.
  if (is_mirror_pod(*pod)) co_return co_await validate(attributes, pod, env, config);

  if (pod->spec.service_account_name.empty()) {
    env.probe(Probe::kR4NameDefaulted);
    pod->spec.service_account_name = std::string(kDefaultServiceAccountName);
  }
  LookupResult sa = co_await lookup_account(env, attributes.namespace_, pod->spec.service_account_name, config);
  if (!sa.ok() && config.broken.admit_without_account) co_return std::nullopt;
  if (!sa.ok()) {
    env.probe(Probe::kR4AccountNotFound);
    co_return lookup_forbidden(attributes, pod, sa.error());
  }

  if (!automount(*pod, sa.value(), config)) env.probe(Probe::kR5AutomountOff);
  if (config.mount_service_account_token && automount(*pod, sa.value(), config)) {
    // Upstream returns API statuses as they are and makes other errors
    // Forbidden; the only error here (L1's ServerTimeout) is a status.
    std::optional<ApiStatus> error = mount_service_account_token(sa.value(), *pod, env, config);
    if (error) co_return error;
  }
  if (pod->spec.image_pull_secrets.empty() && !sa.value().image_pull_secrets.empty()) {
    env.probe(Probe::kR7PullSecretsCopied);
  }
  if (pod->spec.image_pull_secrets.empty() || config.broken.overwrite_image_pull_secrets) {
    pod->spec.image_pull_secrets = sa.value().image_pull_secrets;
  }
  co_return co_await validate(attributes, pod, env, config);
}

sim::Task<std::optional<ApiStatus>> validate(Attributes attributes, const Pod* pod, Env& env, Config config) {
  if (!handles(attributes.operation, config) || should_ignore(attributes, pod, config)) co_return std::nullopt;
  if (config.ephemeral_containers_fix && attributes.operation == Operation::kUpdate &&
      attributes.subresource == kEphemeralContainersSubresource) {
    co_return co_await validate_ephemeral_containers(attributes, pod, env, config);
  }
  if (attributes.operation != Operation::kCreate) co_return std::nullopt;

  if (is_mirror_pod(*pod)) {
    env.probe(Probe::kR8MirrorPod);
    if (auto reason = validate_mirror_pod(*pod)) co_return forbidden(attributes, pod, *reason);
    co_return std::nullopt;
  }
  // 1.20 has no such check and looks the empty name up; Admit always sets
  // a name first, so only a validate() without mutate() can tell.
  if (config.ephemeral_containers_fix && pod->spec.service_account_name.empty()) {
    co_return no_service_account(attributes, pod);
  }
  LookupResult sa = co_await lookup_account(env, attributes.namespace_, pod->spec.service_account_name, config);
  if (!sa.ok() && config.broken.admit_without_account) co_return std::nullopt;
  if (!sa.ok()) {
    env.probe(Probe::kR4AccountNotFound);
    co_return lookup_forbidden(attributes, pod, sa.error());
  }
  if (enforce_mountable_secrets(sa.value(), config)) {
    env.probe(Probe::kR9MountableSecretsEnforced);
    if (auto violation = limit_secret_references(sa.value(), *pod, config)) {
      env.probe(Probe::kR9SecretRefused);
      co_return forbidden(attributes, pod, *violation);
    }
  }
  co_return std::nullopt;
}

sim::Task<std::optional<ApiStatus>> admit(Attributes attributes, Pod* pod, const Pod* /*old_pod*/, Env& env,
                                          Config config) {
  std::optional<ApiStatus> rejected = co_await mutate(attributes, pod, env, config);
  if (rejected) co_return rejected;
  co_return co_await validate(std::move(attributes), pod, env, std::move(config));
}

sim::Task<std::optional<ApiStatus>> admit(Attributes attributes, Object* object, const Object* old_object, Env& env,
                                          Config config) {
  Pod* pod = object != nullptr ? std::get_if<Pod>(object) : nullptr;
  const Pod* old_pod = old_object != nullptr ? std::get_if<Pod>(old_object) : nullptr;
  return admit(std::move(attributes), pod, old_pod, env, std::move(config));
}

}  // namespace sasim::model::admission
