// Deep equality of objects: every field, kept extra fields by value, Secret
// data by bytes (DataValue::same_bytes, which compares a lazy token by
// identity first and signs only when it must). The types have no operator==
// because a shared ExtraFields pointer would compare by address.
#pragma once

#include "model/objects/object.h"

namespace sasim::model {

bool equivalent(const Object& a, const Object& b);
bool equivalent(const ObjectMeta& a, const ObjectMeta& b);
bool equivalent(const PodSpec& a, const PodSpec& b);
// Null and an empty object are the same: both mean "nothing kept".
bool equivalent(const ExtraFields& a, const ExtraFields& b);

}  // namespace sasim::model
