#include "model/admission/default_toleration_seconds.h"

#include <nlohmann/json.hpp>

namespace sasim::model::admission {
namespace {

using nlohmann::json;

constexpr const char* kNotReadyTaint = "node.kubernetes.io/not-ready";
constexpr const char* kUnreachableTaint = "node.kubernetes.io/unreachable";
constexpr int kDefaultSeconds = 300;

std::string field(const json& toleration, const char* key) {
  auto it = toleration.find(key);
  return it != toleration.end() && it->is_string() ? it->get<std::string>() : "";
}

bool tolerates(const json& tolerations, const char* taint) {
  if (!tolerations.is_array()) return false;
  for (const json& t : tolerations) {
    if (!t.is_object()) continue;
    const std::string key = field(t, "key");
    const std::string effect = field(t, "effect");
    if ((key == taint || key.empty()) && (effect == "NoExecute" || effect.empty())) return true;
  }
  return false;
}

}  // namespace

void admit_default_toleration_seconds(const Attributes& attributes, Pod& pod) {
  if (attributes.resource != kPodsResource || !attributes.subresource.empty()) return;
  if (attributes.operation != Operation::kCreate && attributes.operation != Operation::kUpdate) return;
  json spec = pod.spec.extra ? *pod.spec.extra : json::object();
  json tolerations = spec.contains("tolerations") && spec["tolerations"].is_array() ? spec["tolerations"] : json::array();
  bool added = false;
  for (const char* taint : {kNotReadyTaint, kUnreachableTaint}) {
    if (tolerates(tolerations, taint)) continue;
    tolerations.push_back(
        {{"key", taint}, {"operator", "Exists"}, {"effect", "NoExecute"}, {"tolerationSeconds", kDefaultSeconds}});
    added = true;
  }
  if (!added) return;
  spec["tolerations"] = std::move(tolerations);
  pod.spec.extra = std::make_shared<const json>(std::move(spec));
}

}  // namespace sasim::model::admission
