#include "model/apiserver/strategic_merge.h"

#include <optional>
#include <string>

namespace sasim::model {
namespace {

// The merge key of the list at `path` (field names from the object's root,
// list indices left out), as the Go types' patchMergeKey tags say.
std::optional<std::string> merge_key(Kind kind, const std::string& path) {
  if (kind == Kind::kServiceAccount && path == "/secrets") return "name";
  if (kind != Kind::kPod) return std::nullopt;
  if (path == "/spec/containers" || path == "/spec/initContainers" || path == "/spec/ephemeralContainers" ||
      path == "/spec/volumes" || path == "/spec/imagePullSecrets") {
    return "name";
  }
  for (const char* containers : {"/spec/containers", "/spec/initContainers", "/spec/ephemeralContainers"}) {
    const std::string base(containers);
    if (path == base + "/env") return "name";
    if (path == base + "/volumeMounts") return "mountPath";
  }
  return std::nullopt;
}

nlohmann::json merge_value(Kind kind, const std::string& path, const nlohmann::json& original,
                           const nlohmann::json& patch);

nlohmann::json merge_map(Kind kind, const std::string& path, const nlohmann::json& original,
                         const nlohmann::json& patch) {
  if (patch.contains("$patch") && patch["$patch"] == "replace") {
    nlohmann::json replaced = patch;
    replaced.erase("$patch");
    return replaced;
  }
  nlohmann::json out = original.is_object() ? original : nlohmann::json::object();
  for (const auto& [key, value] : patch.items()) {
    if (key == "$patch") continue;
    if (value.is_null()) {
      out.erase(key);
    } else {
      out[key] = merge_value(kind, path + "/" + key, out.contains(key) ? out[key] : nlohmann::json(), value);
    }
  }
  return out;
}

nlohmann::json merge_list(Kind kind, const std::string& path, const nlohmann::json& original,
                          const nlohmann::json& patch) {
  const std::optional<std::string> key = merge_key(kind, path);
  if (!key || !original.is_array()) return patch;
  for (const nlohmann::json& element : patch) {
    if (element.is_object() && element.contains("$patch") && element["$patch"] == "replace") {
      nlohmann::json replaced = nlohmann::json::array();
      for (const nlohmann::json& e : patch) {
        if (!(e.is_object() && e.contains("$patch"))) replaced.push_back(e);
      }
      return replaced;
    }
  }
  nlohmann::json out = original;
  for (const nlohmann::json& element : patch) {
    if (!element.is_object() || !element.contains(*key)) {
      out.push_back(element);
      continue;
    }
    const nlohmann::json& id = element[*key];
    const bool remove = element.contains("$patch") && element["$patch"] == "delete";
    bool found = false;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i].is_object() && out[i].contains(*key) && out[i][*key] == id) {
        found = true;
        if (remove) {
          out.erase(i);
        } else {
          out[i] = merge_map(kind, path, out[i], element);
        }
        break;
      }
    }
    if (!found && !remove) out.push_back(element);
  }
  return out;
}

nlohmann::json merge_value(Kind kind, const std::string& path, const nlohmann::json& original,
                           const nlohmann::json& patch) {
  if (patch.is_object()) return merge_map(kind, path, original, patch);
  if (patch.is_array()) return merge_list(kind, path, original, patch);
  return patch;
}

}  // namespace

nlohmann::json strategic_merge(Kind kind, const nlohmann::json& original, const nlohmann::json& patch) {
  return merge_value(kind, "", original, patch);
}

}  // namespace sasim::model
