// What the apiserver tells an admission plugin about a request
// (admission.Attributes, without the objects, which are passed alongside).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sasim::model::admission {

enum class Operation : std::uint8_t { kCreate, kUpdate, kDelete, kConnect };

struct Attributes {
  Operation operation = Operation::kCreate;
  std::string resource = "pods";  // the plural REST resource
  std::string subresource;        // "", "status", "ephemeralcontainers", ...
  std::string namespace_;
  // The name in the request path. Rejections do not use it: upstream names
  // the object in them (see forbidden.h).
  std::string name;
};

inline constexpr std::string_view kPodsResource = "pods";
inline constexpr std::string_view kEphemeralContainersSubresource = "ephemeralcontainers";

}  // namespace sasim::model::admission
