// Manifests: decoding and validation of every simulated kind.
#include <nlohmann/json.hpp>
#include <string>

#include "model/objects/codec.h"
#include "model/objects/equality.h"
#include "tools/fuzz_inputs/targets.h"

namespace sasim::tools::fuzz_inputs {

namespace {

// nlohmann's parser without exceptions, as the surfaces that take JSON read
// it; a discarded value is not an input of the surface.
nlohmann::json parse_json(std::string_view input) {
  return nlohmann::json::parse(input.begin(), input.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace

void fuzz_manifest(std::string_view input) {
  const nlohmann::json manifest = parse_json(input);
  if (manifest.is_discarded()) return;
  auto decoded = model::decode_manifests(manifest);
  if (!decoded.ok()) return;
  // What decodes encodes to what the API shows, and that decodes to the
  // same object: a manifest printed by `kubectl get -o json` reads back.
  for (const model::Object& object : decoded.value()) {
    const nlohmann::json encoded = model::encode_object(object);
    auto again = model::decode_object(encoded);
    fuzz_check(again.ok(), "an encoded object does not decode: " + encoded.dump() + ": " +
                               (again.ok() ? std::string() : again.error().path + ": " + again.error().message));
    fuzz_check(model::equivalent(object, again.value()), "encode then decode changes the object: " + encoded.dump());
  }
}

}  // namespace sasim::tools::fuzz_inputs
