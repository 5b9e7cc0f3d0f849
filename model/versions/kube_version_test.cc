#include "model/versions/kube_version.h"

#include <catch2/catch.hpp>

namespace sasim::model::versions {
namespace {

TEST_CASE("versions parse as 1.MINOR from 1.20 to 1.33 and print back") {
  for (int minor = 20; minor <= 33; ++minor) {
    const std::string text = "1." + std::to_string(minor);
    auto v = KubeVersion::parse(text);
    REQUIRE(v.has_value());
    CHECK(v->minor == minor);
    CHECK(v->to_string() == text);
  }
  CHECK(all_versions().size() == kVersionCount);
  CHECK(all_versions().front().to_string() == "1.20");
  CHECK(all_versions().back().to_string() == "1.33");
}

TEST_CASE("anything but a supported minor is not a version") {
  for (const char* bad : {"1.19", "1.34", "1.20.3", "v1.20", "1.020", "1.", "1", "", "2.20", "1.2x", "1.-20"}) {
    INFO(bad);
    CHECK_FALSE(KubeVersion::parse(bad).has_value());
  }
}

TEST_CASE("versions order by minor") {
  CHECK(KubeVersion{20} < KubeVersion{21});
  CHECK(KubeVersion{33}.index() == 13);
}

}  // namespace
}  // namespace sasim::model::versions
