#include "model/versions/simulated.h"

#include <catch2/catch.hpp>

namespace sasim::model::versions {
namespace {

TEST_CASE("the simulated releases are releases of the version table with 1.20 among them") {
  const std::vector<KubeVersion> simulated = simulated_versions();
  REQUIRE_FALSE(simulated.empty());
  CHECK(simulated.front() == KubeVersion{20});
  for (const KubeVersion& version : simulated) {
    CHECK(version.minor >= KubeVersion::kFirstMinor);
    CHECK(version.minor <= KubeVersion::kLastMinor);
    CHECK(is_simulated(version));
  }
  CHECK(simulated_versions_text().rfind("1.20", 0) == 0);
  CHECK_FALSE(is_simulated(KubeVersion{KubeVersion::kLastMinor + 1}));
}

}  // namespace
}  // namespace sasim::model::versions
