// v1 ServiceAccount.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/objects/object_meta.h"

namespace sasim::model {

// core/v1 ObjectReference as ServiceAccount.secrets uses it. The tokens
// controller writes only `name`; users may write the rest, and it is kept.
struct ObjectReference {
  std::string name{};
  std::string namespace_{};
  std::string kind{};
  std::string api_version{};
  std::string uid{};
  std::string resource_version{};
  std::string field_path{};
  bool operator==(const ObjectReference&) const = default;
};

struct ServiceAccount {
  ObjectMeta metadata;
  std::vector<ObjectReference> secrets;
  std::vector<std::string> image_pull_secrets;  // LocalObjectReference names
  std::optional<bool> automount_service_account_token;
};

}  // namespace sasim::model
