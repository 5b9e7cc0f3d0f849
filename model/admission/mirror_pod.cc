#include "model/admission/mirror_pod.h"

#include "model/admission/pod_secrets.h"
#include "model/objects/constants.h"

namespace sasim::model::admission {

bool is_mirror_pod(const Pod& pod) { return pod.metadata.annotation(std::string(kMirrorPodAnnotation)) != nullptr; }

std::optional<std::string> validate_mirror_pod(const Pod& pod) {
  if (!pod.spec.service_account_name.empty()) return "a mirror pod may not reference service accounts";
  if (!pod_secret_names(pod).empty()) return "a mirror pod may not reference secrets";
  if (has_service_account_token_projection(pod)) {
    return "a mirror pod may not use ServiceAccountToken volume projections";
  }
  return std::nullopt;
}

}  // namespace sasim::model::admission
