// Content negotiation as the apiserver does it: what a response is written
// as (JSON, YAML, or a meta.k8s.io Table, from the Accept header) and what a
// request body is (from its Content-Type).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sasim::api {

struct ResponseFormat {
  enum class Encoding : std::uint8_t { kJson, kYaml };
  Encoding encoding = Encoding::kJson;
  // `as=Table;g=meta.k8s.io;v=v1` (or v1beta1): the Table's group version
  // ("meta.k8s.io/v1"); empty when the object itself is asked for.
  std::string table_version;
};

// The first media range of `accept` the server can write, in the client's
// order (kubectl: the v1 Table, the v1beta1 Table, then plain JSON).
// Nothing when none fits (406). An empty Accept means JSON.
std::optional<ResponseFormat> negotiate_response(std::string_view accept);

enum class BodyType : std::uint8_t {
  kJson,
  kYaml,
  kProtobuf,
  kMergePatch,
  kStrategicMergePatch,
  kJsonPatch,
  kApplyPatch,
  kOther,
};

// The media type of a Content-Type header (parameters such as charset are
// ignored, case does not matter). An empty header means JSON, as the
// apiserver assumes.
BodyType body_type(std::string_view content_type);

// Lower-cased media type without parameters: "application/json".
std::string media_type(std::string_view header);

}  // namespace sasim::api
