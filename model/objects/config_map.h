// v1 ConfigMap: string data and binary data under configuration keys. In the
// simulation its one user is the root-CA publisher, which keeps
// kube-root-ca.crt in every namespace for the projected token volume.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "model/objects/object_meta.h"

namespace sasim::model {

struct ConfigMap {
  ObjectMeta metadata;
  std::map<std::string, std::string> data;
  // binaryData: raw bytes (base64 on the wire).
  std::map<std::string, std::string> binary_data;
  std::optional<bool> immutable;

  const std::string* data_value(const std::string& key) const {
    auto it = data.find(key);
    return it == data.end() ? nullptr : &it->second;
  }
};

}  // namespace sasim::model
