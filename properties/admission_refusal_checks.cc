#include "properties/admission_refusal_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "model/objects/constants.h"
#include "properties/admission_checks.h"
#include "properties/invariant.h"

namespace sasim::properties {
namespace {

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// Go's strconv.ParseBool, as the plugin reads the annotation: only these
// spellings parse, and an error counts as false.
bool go_parse_bool_true(const std::string& text) {
  return text == "1" || text == "t" || text == "T" || text == "TRUE" || text == "true" || text == "True";
}

// L1's "referenced token": the account lists a Secret that the cache holds
// as a token of this account.
bool references_cached_token(const model::ServiceAccount& sa, const model::client::Informer& secrets) {
  for (const model::ObjectReference& ref : sa.secrets) {
    const auto* secret = model::as<model::Secret>(secrets.get(sa.metadata.namespace_, ref.name));
    if (secret == nullptr || secret->type != model::kSecretTypeServiceAccountToken) continue;
    const std::string* name = secret->metadata.annotation(std::string(model::kServiceAccountNameKey));
    const std::string* uid = secret->metadata.annotation(std::string(model::kServiceAccountUidKey));
    if (name == nullptr || *name != sa.metadata.name) continue;
    if (uid == nullptr || uid->empty() || *uid == sa.metadata.uid) return true;
  }
  return false;
}

std::optional<std::string> check_containers(const char* label, const std::vector<model::Container>& containers,
                                            const std::set<std::string>& allowed, bool env_from) {
  for (const model::Container& c : containers) {
    for (const model::EnvVar& env : c.env) {
      if (env.secret_key_ref && allowed.count(env.secret_key_ref->name) == 0) {
        return fmt::format("{} {} env {} names Secret {}", label, c.name, env.name, env.secret_key_ref->name);
      }
    }
    if (!env_from) continue;
    for (const model::EnvFromSource& from : c.env_from) {
      if (from.secret_ref && allowed.count(*from.secret_ref) == 0) {
        return fmt::format("{} {} envFrom names Secret {}", label, c.name, *from.secret_ref);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

bool enforces_mountable_secrets(const model::ServiceAccount& account, const model::admission::Config& config) {
  if (config.limit_secret_references) return true;
  const std::string* value = account.metadata.annotation(std::string(model::kEnforceMountableSecretsAnnotation));
  return value != nullptr && go_parse_bool_true(*value);
}

std::optional<std::string> unlisted_secret_reference(const model::Pod& pod, const model::ServiceAccount& account,
                                                     const model::admission::Config& config) {
  std::set<std::string> allowed;
  for (const model::ObjectReference& ref : account.secrets) allowed.insert(ref.name);
  for (const model::Volume& volume : pod.spec.volumes) {
    if (volume.secret && allowed.count(volume.secret->secret_name) == 0) {
      return fmt::format("volume {} names Secret {}", volume.name, volume.secret->secret_name);
    }
  }
  if (auto found = check_containers("init container", pod.spec.init_containers, allowed, config.env_from_fix)) {
    return found;
  }
  if (auto found = check_containers("container", pod.spec.containers, allowed, config.env_from_fix)) return found;
  const std::set<std::string> pull(account.image_pull_secrets.begin(), account.image_pull_secrets.end());
  for (const std::string& name : pod.spec.image_pull_secrets) {
    if (pull.count(name) == 0) return fmt::format("imagePullSecret {}", name);
  }
  return std::nullopt;
}

CheckOutcome check_pod_rejection(const model::Pod& pod, const model::ApiStatus& status,
                                 const model::PodAdmission& admission, const model::client::Informer& secret_cache,
                                 const model::admission::Config& config, sim::Time now) {
  CheckOutcome out;
  out.checks = 1;
  const std::string& ns = pod.metadata.namespace_;
  const std::string& name = pod.spec.service_account_name;
  const std::string pod_ref = object_ref(model::Kind::kPod, ns, pod.metadata.name);
  auto wrong = [&](const std::string& why) {
    out.violations.push_back(pod_violation(kPodRejectionsHaveCause, pod, now,
                                           fmt::format("{} was refused (\"{}\") although {}", pod_ref, status.message,
                                                       why)));
    return out;
  };
  const std::string& message = status.message;
  if (contains(message, "error looking up service account")) {
    if (!contains(message, "serviceaccount \"" + name + "\" not found")) return out;  // another lookup error
    // The failing lookup: the reads after the last cache read.
    std::size_t first = admission.reads.size();
    while (first > 0 && !admission.reads[first - 1].from_cache) --first;
    if (first == 0) return wrong("admission never read its cache");
    const std::size_t live = admission.reads.size() - first;
    for (std::size_t i = first - 1; i < admission.reads.size(); ++i) {
      if (admission.reads[i].account) {
        return wrong(admission.reads[i].from_cache ? "its cache held the account" : "a live GET found the account");
      }
    }
    const std::size_t want = name == model::kDefaultServiceAccountName ? 10 : 1;
    if (live != want) {
      return wrong(fmt::format("1.20 looks an account missing from its cache up live {} time{}, and it did {}", want,
                               want == 1 ? "" : "s", live));
    }
    return out;
  }
  if (status.reason == "ServerTimeout" && contains(message, "No API token found for service account")) {
    const model::ServiceAccount* sa = admission.mutated_with();
    if (!config.require_api_token) return wrong("requireAPIToken is off");
    if (config.bound_service_account_token_volume) return wrong("the bound token volume needs no token Secret");
    if (sa == nullptr) return wrong("admission found no account to mount a token of");
    if (expected_automount(pod, sa) == std::optional<bool>(false)) return wrong("automount is off for the pod");
    if (references_cached_token(*sa, secret_cache)) {
      return wrong(fmt::format("serviceaccount/{}/{} references a token Secret admission's cache holds", ns, name));
    }
    return out;
  }
  if (contains(message, "is not allowed because service account")) {
    const model::ServiceAccount* sa = admission.validated_with();
    if (sa == nullptr) return wrong("admission found no account");
    if (!enforces_mountable_secrets(*sa, config)) return wrong("mountable secrets are not enforced for it");
    if (!unlisted_secret_reference(pod, *sa, config)) {
      return wrong(fmt::format("every Secret it references is listed by serviceaccount/{}/{}", ns, name));
    }
    return out;
  }
  if (contains(message, "a mirror pod may not")) {
    if (pod.metadata.annotation(std::string(model::kMirrorPodAnnotation)) == nullptr) {
      return wrong("it is not a mirror pod");
    }
    return out;
  }
  return wrong("the ServiceAccount admission plugin of 1.20 gives no such refusal");
}

CheckOutcome check_pod_respects_mountable_secrets(const model::Pod& pod, const model::PodAdmission& admission,
                                                  const model::admission::Config& config, sim::Time now) {
  CheckOutcome out;
  if (pod.metadata.annotation(std::string(model::kMirrorPodAnnotation)) != nullptr) return out;
  const model::ServiceAccount* sa = admission.validated_with();
  if (sa == nullptr || !enforces_mountable_secrets(*sa, config)) return out;
  out.checks = 1;
  if (auto found = unlisted_secret_reference(pod, *sa, config)) {
    out.violations.push_back(pod_violation(
        kAdmittedPodsRespectMountableSecrets, pod, now,
        fmt::format("{} was admitted although mountable secrets are enforced for its account and its {}, which "
                    "the account does not list",
                    object_ref(model::Kind::kPod, pod.metadata.namespace_, pod.metadata.name), *found)));
  }
  return out;
}

}  // namespace sasim::properties
