// The apiserver's three patch types, on an object as the API shows it.
#include <nlohmann/json.hpp>
#include <string>

#include "model/apiserver/json_patch.h"
#include "model/apiserver/strategic_merge.h"
#include "model/objects/codec.h"
#include "tools/fuzz_inputs/targets.h"

namespace sasim::tools::fuzz_inputs {

// ["merge" | "strategic" | "json", OBJECT, PATCH]: OBJECT is a manifest that
// must decode (the stored object), PATCH what a client sends. The steps are
// ApiServer::patch's, with the api layer's check that a merge patch is a
// JSON object; the patched document is decoded again as the apiserver does.
void fuzz_patch(std::string_view input) {
  const nlohmann::json parsed = nlohmann::json::parse(input.begin(), input.end(), nullptr, false);
  if (!parsed.is_array() || parsed.size() != 3 || !parsed[0].is_string()) return;
  const std::string type = parsed[0].get<std::string>();
  auto stored = model::decode_object(parsed[1]);
  if (!stored.ok()) return;
  nlohmann::json document = model::encode_object(stored.value());
  const nlohmann::json& patch = parsed[2];
  if (type == "json") {
    auto patched = model::apply_json_patch(document, patch);
    if (!patched.ok()) return;
    document = std::move(patched).value();
  } else if (type == "strategic" && patch.is_object()) {
    document = model::strategic_merge(model::kind_of(stored.value()), document, patch);
  } else if (type == "merge" && patch.is_object()) {
    document.merge_patch(patch);
  } else {
    return;
  }
  (void)model::decode_object(document);
}

}  // namespace sasim::tools::fuzz_inputs
