#include "model/versions/release_info.h"

#include <catch2/catch.hpp>

#include "model/versions/simulated.h"

namespace sasim::model::versions {

TEST_CASE("every simulated release says what its components report") {
  for (const KubeVersion& version : simulated_versions()) {
    const std::optional<ReleaseInfo> info = release_info(version);
    REQUIRE(info.has_value());
    CHECK(std::string(info->git_version).rfind("v" + version.to_string() + ".", 0) == 0);
    CHECK_FALSE(info->container_runtime_version.empty());
    CHECK_FALSE(info->os_image.empty());
    CHECK_FALSE(info->kernel_version.empty());
  }
}

TEST_CASE("a release that is not simulated has no release information") {
  for (const KubeVersion& version : all_versions()) {
    if (!is_simulated(version)) CHECK_FALSE(release_info(version).has_value());
  }
}

}  // namespace sasim::model::versions
