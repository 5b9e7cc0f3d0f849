// Violation: one breach of an invariant, as plain data. The JSON report
// (scenario format §9) renders it; nothing here knows about JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/objects/object.h"
#include "sim/time.h"

namespace sasim::properties {

// An upstream Kubernetes weakness that explains a violation (§8 "Known
// upstream weaknesses"): the run reports it as known instead of failing,
// unless --strict.
struct KnownWeakness {
  std::string weakness{};  // short name, e.g. "invalid-token-never-replaced"
  std::string upstream{};  // "kubernetes/kubernetes#NNNN"
  bool operator==(const KnownWeakness&) const = default;
};

struct Violation {
  std::string invariant{};
  sim::Time time{};
  std::string message{};
  // The objects involved, as "secret/ns/name" or "namespace/name" (see
  // object_ref), most relevant first.
  std::vector<std::string> objects{};
  std::optional<KnownWeakness> known{};
};

// What one evaluation of an invariant found: how many things it looked at
// (so that a report can tell "held over 0 checks" from "held over 500") and
// what broke.
struct CheckOutcome {
  std::uint64_t checks = 0;
  std::vector<Violation> violations{};
  // The outcome read more than stored objects (the apiserver's
  // authenticator, whose caches and clock move without a commit): an
  // incremental checker must evaluate it again even where nothing changed.
  bool reads_beyond_store = false;
};

// kubectl's singular kind, then the namespace (namespaced kinds only), then
// the name: "secret/default/default-token-abcde", "namespace/kube-system".
std::string object_ref(model::Kind kind, std::string_view ns, std::string_view name);
std::string object_ref(const model::Object& object);

struct ObjectRef {
  model::Kind kind = model::Kind::kNamespace;
  std::string namespace_{};
  std::string name{};
};
// The inverse of object_ref; nullopt for anything it would not produce.
std::optional<ObjectRef> parse_object_ref(std::string_view ref);

}  // namespace sasim::properties
