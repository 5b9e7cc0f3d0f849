#include "api/protobuf.h"

#include <catch2/catch.hpp>

#include <string>

namespace sasim::api {
namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

// Bodies kubectl 1.32.5 sent (captured from the wire).
TEST_CASE("kubectl 1.32's create namespace body") {
  const auto manifest = protobuf_manifest(unhex(
      "6b3873000a0f0a02763112094e616d65737061636512210a190a096578616d706c656e7312001a0022002a0032003800420012001a020a00"
      "1a002200"));
  REQUIRE(manifest.ok());
  CHECK(manifest.value() == nlohmann::json::parse(
                                R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"examplens"}})"));
}

TEST_CASE("kubectl 1.32's create serviceaccount and create secret bodies") {
  const auto account = protobuf_manifest(unhex(
      "6b3873000a140a027631120e536572766963654163636f756e7412290a270a106d79736572766963656163636f756e7412001a07646566"
      "61756c7422002a003200380042001a002200"));
  REQUIRE(account.ok());
  CHECK(account.value()["metadata"] == nlohmann::json::parse(R"({"name":"myserviceaccount","namespace":"default"})"));
  const auto generic = protobuf_manifest(unhex(
      "6b3873000a0c0a027631120653656372657412250a130a0367656e12001a0022002a0032003800420012060a01611201621a064f706171"
      "75651a002200"));
  REQUIRE(generic.ok());
  CHECK(generic.value() == nlohmann::json::parse(
                               R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"gen"},"data":{"a":"Yg=="},"type":"Opaque"})"));
}

TEST_CASE("what is not a readable protobuf object") {
  CHECK_FALSE(protobuf_manifest("{}").ok());
  const auto truncated = protobuf_manifest(unhex("6b3873000a0f0a0276"));
  REQUIRE_FALSE(truncated.ok());
  CHECK_FALSE(truncated.error().unsupported_kind);
  // TokenRequest (authentication.k8s.io/v1): a kind this reader does not know.
  const auto other = protobuf_manifest(unhex(
      "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e52657175657374121a0a100a0012001a"
      "0022002a0032003800420012001a040a0012001a002200"));
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().unsupported_kind);
}

}  // namespace
}  // namespace sasim::api
