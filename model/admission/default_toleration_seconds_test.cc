// The DefaultTolerationSeconds plugin (upstream's admission_test.go cases).
#include "model/admission/default_toleration_seconds.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace sasim::model::admission {
namespace {

using nlohmann::json;

const json kNotReady = {{"key", "node.kubernetes.io/not-ready"}, {"operator", "Exists"}, {"effect", "NoExecute"},
                        {"tolerationSeconds", 300}};
const json kUnreachable = {{"key", "node.kubernetes.io/unreachable"}, {"operator", "Exists"}, {"effect", "NoExecute"},
                           {"tolerationSeconds", 300}};

json tolerations_after(json tolerations, Operation operation = Operation::kCreate, std::string subresource = "") {
  Pod pod;
  if (!tolerations.is_null()) pod.spec.extra = std::make_shared<const json>(json{{"tolerations", std::move(tolerations)}});
  admit_default_toleration_seconds(
      Attributes{.operation = operation, .resource = "pods", .subresource = std::move(subresource), .namespace_ = "default",
                 .name = "p"},
      pod);
  return pod.spec.extra ? pod.spec.extra->value("tolerations", json()) : json();
}

TEST_CASE("a pod without tolerations gets both for 300 seconds") {
  CHECK(tolerations_after(json()) == json::array({kNotReady, kUnreachable}));
  CHECK(tolerations_after(json(), Operation::kUpdate) == json::array({kNotReady, kUnreachable}));
  CHECK(tolerations_after(json(), Operation::kUpdate, "status").is_null());
}

TEST_CASE("existing tolerations of the taints are kept and not duplicated") {
  const json own_not_ready = {{"key", "node.kubernetes.io/not-ready"}, {"operator", "Exists"}, {"effect", "NoExecute"},
                              {"tolerationSeconds", 60}};
  CHECK(tolerations_after(json::array({own_not_ready})) == json::array({own_not_ready, kUnreachable}));
  CHECK(tolerations_after(json::array({own_not_ready, kUnreachable})) == json::array({own_not_ready, kUnreachable}));
  // An empty key tolerates every taint of the effect; an empty effect every effect.
  const json everything = {{"operator", "Exists"}};
  CHECK(tolerations_after(json::array({everything})) == json::array({everything}));
  const json other_effect = {{"key", "node.kubernetes.io/unreachable"}, {"operator", "Exists"}, {"effect", "NoSchedule"}};
  CHECK(tolerations_after(json::array({other_effect})) == json::array({other_effect, kNotReady, kUnreachable}));
}

}  // namespace
}  // namespace sasim::model::admission
