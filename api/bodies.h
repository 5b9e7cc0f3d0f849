// Request bodies to JSON documents and objects, answering what does not
// decode as the apiserver's handlers do: 415 for a media type it cannot
// read, 400 with Go's JSON syntax messages, "the object provided is
// unrecognized (must be of type ServiceAccount): ..." when the type cannot
// be told, "<Kind> in version \"v1\" cannot be handled as a <Kind>: ..." when
// it can but the content does not fit.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/media.h"
#include "model/api/status.h"
#include "model/objects/codec.h"
#include "sim/result.h"

namespace sasim::api {

// The apiserver's limit on request bodies (3 MiB): larger ones get 413.
inline constexpr std::size_t kMaxBodyBytes = 3 * 1024 * 1024;

// A JSON or YAML body as JSON. JSON syntax errors carry Go's message;
// `context` prefixes it ("couldn't get version/kind; json parse error: ").
// Other media types: 415. YAML: the first document.
sim::Result<nlohmann::json, model::ApiStatus> parse_body(std::string_view body, BodyType type);

struct DecodedObject {
  model::Object object;
  // The manifest the object decoded from: kind and apiVersion filled in from
  // the endpoint when the body had none, fields the 1.20 apiserver ignores
  // (keys its types do not have) dropped. `sasim serve --record` writes it.
  nlohmann::json manifest;
};

// A create or update body for an endpoint of `kind`.
sim::Result<DecodedObject, model::ApiStatus> decode_object_body(std::string_view body, BodyType type, model::Kind kind,
                                                                const model::EncodeOptions& encode);

}  // namespace sasim::api
