// v1 Namespace: only its lifecycle matters here (Active, then Terminating
// while the namespace controller empties it, then gone).
#pragma once

#include <string>
#include <vector>

#include "model/objects/extra_fields.h"
#include "model/objects/object_meta.h"

namespace sasim::model {

enum class NamespacePhase { kActive, kTerminating };

struct Namespace {
  ObjectMeta metadata;
  // spec.finalizers; the apiserver sets [kubernetes] on create, and the
  // namespace controller removes it once the contents are gone.
  std::vector<std::string> spec_finalizers;
  NamespacePhase phase = NamespacePhase::kActive;
  ExtraFields status_extra;  // status.conditions, written while terminating
};

}  // namespace sasim::model
