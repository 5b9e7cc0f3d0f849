// v1 Secret.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "model/objects/data_value.h"
#include "model/objects/object_meta.h"

namespace sasim::model {

struct Secret {
  ObjectMeta metadata;
  std::string type = "Opaque";  // defaulted by the API when empty
  std::map<std::string, DataValue> data;
  std::optional<bool> immutable;

  const DataValue* data_value(const std::string& key) const {
    auto it = data.find(key);
    return it == data.end() ? nullptr : &it->second;
  }
};

}  // namespace sasim::model
