// R5: the pod's automountServiceAccountToken wins in both directions, then
// the account's, then true.
#include "model/admission/automount.h"

#include <catch2/catch.hpp>

namespace sasim::model::admission {
namespace {

TEST_CASE("should_automount: pod then service account then true") {
  struct Case {
    std::optional<bool> pod;
    std::optional<bool> sa;
    bool want;
  };
  const Case cases[] = {
      {std::nullopt, std::nullopt, true}, {std::nullopt, true, true}, {std::nullopt, false, false},
      {true, std::nullopt, true},         {true, true, true},         {true, false, true},
      {false, std::nullopt, false},       {false, true, false},       {false, false, false},
  };
  for (const Case& c : cases) {
    Pod pod;
    pod.spec.automount_service_account_token = c.pod;
    ServiceAccount sa;
    sa.automount_service_account_token = c.sa;
    INFO("pod " << (c.pod ? (*c.pod ? "true" : "false") : "nil") << " sa "
                << (c.sa ? (*c.sa ? "true" : "false") : "nil"));
    CHECK(should_automount(pod, sa) == c.want);
  }
}

}  // namespace
}  // namespace sasim::model::admission
