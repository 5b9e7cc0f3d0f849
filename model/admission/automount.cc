#include "model/admission/automount.h"

namespace sasim::model::admission {

bool should_automount(const Pod& pod, const ServiceAccount& sa) {
  if (pod.spec.automount_service_account_token) return *pod.spec.automount_service_account_token;
  if (sa.automount_service_account_token) return *sa.automount_service_account_token;
  return true;
}

}  // namespace sasim::model::admission
