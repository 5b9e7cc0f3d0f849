// DataValue: shared bytes read, describe and compare as the plain bytes do.
#include "model/objects/data_value.h"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace sasim::model {
namespace {

TEST_CASE("DataValue with shared bytes is the same value as plain bytes") {
  const auto ca = std::make_shared<const std::string>("-----BEGIN CERTIFICATE-----\nMII...\n");
  const DataValue shared(ca);
  const DataValue other_shared(ca);
  const DataValue plain{std::string(*ca)};
  CHECK(shared.bytes() == *ca);
  CHECK(&shared.bytes() == ca.get());  // not copied
  CHECK(shared.describe() == plain.describe());
  CHECK_FALSE(shared.empty());
  CHECK_FALSE(shared.is_lazy());
  CHECK(shared.lazy() == nullptr);
  CHECK(shared.same_bytes(other_shared));
  CHECK(shared.same_bytes(plain));
  CHECK(plain.same_bytes(shared));
  CHECK_FALSE(shared.same_bytes(DataValue(std::string("other"))));
  CHECK(DataValue(std::make_shared<const std::string>()).empty());
}

}  // namespace
}  // namespace sasim::model
