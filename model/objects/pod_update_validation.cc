// ValidatePodUpdate: which parts of a running pod may change. The specs are
// compared in their API form (encode_pod_spec), after "munging" the new one
// with the old values of the fields that may change, as upstream does.
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "model/objects/codec.h"
#include "model/objects/constants.h"
#include "model/objects/field_errors.h"
#include "model/objects/validation.h"

namespace sasim::model {
namespace {

using nlohmann::json;
using Errors = std::vector<FieldError>;

constexpr std::string_view kPodUpdateForbidden =
    "pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, "
    "`spec.activeDeadlineSeconds` or `spec.tolerations` (only additions to existing tolerations)";

// Sets out[key] to from[key], or removes it when `from` has none.
void copy_field(json& out, const json& from, const char* key) {
  if (from.contains(key)) {
    out[key] = from[key];
  } else {
    out.erase(key);
  }
}

// ValidateContainerUpdates: the same number of containers, each with an image.
bool validate_container_updates(const std::vector<Container>& updated, const std::vector<Container>& old,
                                const std::string& path, Errors& errs) {
  if (updated.size() != old.size()) {
    errs.push_back(field::forbidden(path, "pod updates may not add or remove containers"));
    return false;
  }
  for (std::size_t i = 0; i < updated.size(); ++i) {
    if (updated[i].image.empty()) errs.push_back(field::required(field::child(field::index(path, i), "image")));
  }
  return true;
}

// Two kinds of change: from unset to a positive value, and lowering it.
bool validate_deadline_update(const json& updated, const json& old, Errors& errs) {
  const char* key = "activeDeadlineSeconds";
  if (updated.contains(key) && updated[key].is_number_integer()) {
    const auto value = updated[key].get<std::int64_t>();
    if (value < 0 || value > kMaxInt32) {
      errs.push_back(field::invalid_number("spec.activeDeadlineSeconds", value,
                                           fmt::format("must be between 0 and {}, inclusive", kMaxInt32)));
      return false;
    }
    if (old.contains(key) && old[key].is_number_integer() && old[key].get<std::int64_t>() < value) {
      errs.push_back(field::invalid_number("spec.activeDeadlineSeconds", value,
                                           "must be less than or equal to previous value"));
      return false;
    }
  } else if (old.contains(key)) {
    errs.push_back(field::invalid("spec.activeDeadlineSeconds", "null", "must not update from a positive integer to nil value"));
  }
  return true;
}

// validateOnlyAddedTolerations: every old toleration must still be there,
// tolerationSeconds aside.
void validate_only_added_tolerations(const json& updated, const json& old, Errors& errs) {
  const json none = json::array();
  const json& before = old.contains("tolerations") ? old["tolerations"] : none;
  const json& after = updated.contains("tolerations") ? updated["tolerations"] : none;
  if (!before.is_array() || !after.is_array()) return;
  for (const json& t : before) {
    bool found = false;
    for (const json& n : after) {
      json clone = t;
      copy_field(clone, n, "tolerationSeconds");
      found = found || clone == n;
    }
    if (!found) {
      errs.push_back(field::forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
      return;
    }
  }
}

// A stable stand-in for upstream's cmp.Diff (see validation.h).
std::string spec_diff(const json& old, const json& munged) {
  std::string out;
  std::set<std::string> keys;
  for (const auto& [k, v] : old.items()) keys.insert(k);
  for (const auto& [k, v] : munged.items()) keys.insert(k);
  for (const std::string& k : keys) {
    const bool in_old = old.contains(k);
    const bool in_new = munged.contains(k);
    if (in_old && in_new && old[k] == munged[k]) continue;
    if (in_old) out += fmt::format("\n- \t{}: {}", k, old[k].dump());
    if (in_new) out += fmt::format("\n+ \t{}: {}", k, munged[k].dump());
  }
  return out;
}

void validate_mirror_annotation_update(const Pod& updated, const Pod& old, Errors& errs) {
  const auto& before = old.metadata.annotations;
  const auto& after = updated.metadata.annotations;
  for (const auto& [k, v] : before) {
    auto it = after.find(k);
    if (it != after.end() && it->second == v) continue;
    if (k.rfind(kMirrorPodAnnotation, 0) == 0) {
      errs.push_back(field::forbidden(field::key("metadata.annotations", k), "may not remove or update mirror pod annotation"));
    }
  }
  for (const auto& [k, v] : after) {
    if (before.contains(k)) continue;
    if (k.rfind(kMirrorPodAnnotation, 0) == 0) {
      errs.push_back(field::forbidden(field::key("metadata.annotations", k), "may not add mirror pod annotation"));
    }
  }
}

}  // namespace

std::vector<FieldError> validate_pod_update(const Pod& updated, const Pod& old) {
  Errors errs = validate_object_meta_update(updated.metadata, old.metadata);
  validate_mirror_annotation_update(updated, old, errs);
  if (!validate_container_updates(updated.spec.containers, old.spec.containers, "spec.containers", errs)) return errs;
  if (!validate_container_updates(updated.spec.init_containers, old.spec.init_containers, "spec.initContainers", errs)) {
    return errs;
  }
  const json old_spec = encode_pod_spec(old.spec);
  const json new_spec = encode_pod_spec(updated.spec);
  if (!validate_deadline_update(new_spec, old_spec, errs)) return errs;
  validate_only_added_tolerations(new_spec, old_spec, errs);
  if (new_spec == old_spec) return errs;

  json munged = new_spec;
  for (const char* list : {"containers", "initContainers"}) {
    if (!munged.contains(list) || !munged[list].is_array()) continue;
    for (std::size_t i = 0; i < munged[list].size(); ++i) copy_field(munged[list][i], old_spec[list][i], "image");
  }
  copy_field(munged, old_spec, "activeDeadlineSeconds");
  copy_field(munged, old_spec, "tolerations");
  if (munged != old_spec) errs.push_back(field::forbidden("spec", std::string(kPodUpdateForbidden) + spec_diff(old_spec, munged)));
  return errs;
}

}  // namespace sasim::model
