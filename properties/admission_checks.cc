#include "properties/admission_checks.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "model/admission/mirror_pod.h"
#include "model/objects/constants.h"
#include "properties/invariant.h"

namespace sasim::properties {
namespace {

bool mounts_token_path(const model::Container& container) {
  for (const model::VolumeMount& mount : container.volume_mounts) {
    if (mount.mount_path == model::kDefaultApiTokenMountPath) return true;
  }
  return false;
}

// Containers with something mounted at the token path, as "kind name".
std::vector<std::string> containers_with_token_mount(const model::Pod& pod) {
  std::vector<std::string> out;
  auto scan = [&](const std::vector<model::Container>& containers, const char* what) {
    for (const model::Container& c : containers) {
      if (mounts_token_path(c)) out.push_back(fmt::format("{} {}", what, c.name));
    }
  };
  scan(pod.spec.init_containers, "init container");
  scan(pod.spec.containers, "container");
  scan(pod.spec.ephemeral_containers, "ephemeral container");
  return out;
}

// Init and regular containers without it: admission mounts into every one
// of those (never into ephemeral containers).
std::vector<std::string> containers_without_token_mount(const model::Pod& pod) {
  std::vector<std::string> out;
  auto scan = [&](const std::vector<model::Container>& containers, const char* what) {
    for (const model::Container& c : containers) {
      if (!mounts_token_path(c)) out.push_back(fmt::format("{} {}", what, c.name));
    }
  };
  scan(pod.spec.init_containers, "init container");
  scan(pod.spec.containers, "container");
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string pod_name(const model::Pod& pod) {
  return object_ref(model::Kind::kPod, pod.metadata.namespace_, pod.metadata.name);
}

}  // namespace

Violation pod_violation(std::string_view invariant, const model::Pod& pod, sim::Time now, std::string message) {
  Violation v;
  v.invariant = std::string(invariant);
  v.time = now;
  v.message = std::move(message);
  v.objects.push_back(object_ref(model::Kind::kPod, pod.metadata.namespace_, pod.metadata.name));
  v.objects.push_back(
      object_ref(model::Kind::kServiceAccount, pod.metadata.namespace_, pod.spec.service_account_name));
  return v;
}

CheckOutcome check_pod_uses_existing_serviceaccount(const model::Pod& pod, const model::ObjectPtr& service_account,
                                                    sim::Time now) {
  CheckOutcome out;
  if (model::admission::is_mirror_pod(pod)) return out;
  out.checks = 1;
  if (model::as<model::ServiceAccount>(service_account) != nullptr) return out;
  out.violations.push_back(pod_violation(
      kAdmittedPodsUseExistingServiceAccount, pod, now,
      fmt::format("{} was admitted although its ServiceAccount {} did not exist", pod_name(pod),
                  pod.spec.service_account_name.empty() ? std::string("(none named)")
                                                        : "\"" + pod.spec.service_account_name + "\"")));
  return out;
}

std::optional<bool> expected_automount(const model::Pod& pod, const model::ServiceAccount* account) {
  if (pod.spec.automount_service_account_token.has_value()) return pod.spec.automount_service_account_token;
  if (account == nullptr) return std::nullopt;
  if (account->automount_service_account_token.has_value()) return account->automount_service_account_token;
  return true;
}

CheckOutcome check_pod_follows_automount(const model::Pod& pod, const model::ServiceAccount* decided_with,
                                         const model::admission::Config& config, sim::Time now) {
  CheckOutcome out;
  if (model::admission::is_mirror_pod(pod)) return out;
  const std::optional<bool> automount = expected_automount(pod, decided_with);
  if (!automount) return out;
  out.checks = 1;
  const bool should = config.mount_service_account_token && *automount;
  if (!should) {
    const std::vector<std::string> mounted = containers_with_token_mount(pod);
    if (!mounted.empty()) {
      out.violations.push_back(pod_violation(
          kAdmittedPodsFollowAutomount, pod, now,
          fmt::format("{} was admitted with a token mount at {} ({}) although automount is off", pod_name(pod),
                      model::kDefaultApiTokenMountPath, join(mounted))));
    }
    return out;
  }
  // Without requireAPIToken (and the bound volume), admission lets a pod
  // through when the account has no token yet: missing is allowed then.
  if (!config.require_api_token && !config.bound_service_account_token_volume) return out;
  const std::vector<std::string> missing = containers_without_token_mount(pod);
  if (!missing.empty()) {
    out.violations.push_back(pod_violation(kAdmittedPodsFollowAutomount, pod, now,
                                           fmt::format("{} was admitted without a token mount at {} in {}",
                                                       pod_name(pod), model::kDefaultApiTokenMountPath, join(missing))));
  }
  return out;
}

CheckOutcome check_pod_inherits_image_pull_secrets(const model::Pod& pod, const model::ObjectPtr& service_account,
                                                   sim::Time now) {
  CheckOutcome out;
  if (model::admission::is_mirror_pod(pod)) return out;
  const auto* sa = model::as<model::ServiceAccount>(service_account);
  if (sa == nullptr) return out;
  out.checks = 1;
  if (!pod.spec.image_pull_secrets.empty() || sa->image_pull_secrets.empty()) return out;
  out.violations.push_back(pod_violation(
      kAdmittedPodsInheritImagePullSecrets, pod, now,
      fmt::format("{} was admitted without imagePullSecrets although its ServiceAccount has [{}]", pod_name(pod),
                  join(sa->image_pull_secrets))));
  return out;
}

}  // namespace sasim::properties
