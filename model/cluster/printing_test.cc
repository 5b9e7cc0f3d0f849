// Objects from a running cluster print as the seed documents show them.
#include <catch2/catch.hpp>

#include "model/cluster/test_harness.h"
#include "model/objects/constants.h"
#include "model/objects/print.h"

namespace sasim::model {
namespace {

using testing::Harness;

TEST_CASE("a manually created token Secret is populated and describes as in the seed") {
  Harness h(41);
  h.run_for(sim::Duration::seconds(1));
  REQUIRE(h.create(testing::service_account("default", "build-robot")).ok());
  h.run_for(sim::Duration::seconds(5));
  Secret s;
  s.metadata.namespace_ = "default";
  s.metadata.name = "build-robot-secret";
  s.metadata.annotations[std::string(kServiceAccountNameKey)] = "build-robot";
  s.type = std::string(kSecretTypeServiceAccountToken);
  REQUIRE(h.create(Object(s)).ok());
  h.run_for(sim::Duration::seconds(5));
  ObjectPtr populated = h.store().get(Kind::kSecret, "default", "build-robot-secret");
  REQUIRE(populated);
  const std::string text = describe(*populated, EncodeOptions{}, DescribeContext{});
  INFO(text);
  const std::string uid = meta(*h.store().get(Kind::kServiceAccount, "default", "build-robot")).uid;
  CHECK(text.find("Name:         build-robot-secret\n") != std::string::npos);
  CHECK(text.find("Namespace:    default\n") != std::string::npos);
  CHECK(text.find("kubernetes.io/service-account.name: build-robot") != std::string::npos);
  CHECK(text.find("kubernetes.io/service-account.uid: " + uid) != std::string::npos);
  CHECK(text.find("Type:  kubernetes.io/service-account-token") != std::string::npos);
  CHECK(text.find("namespace:  7 bytes") != std::string::npos);
  CHECK(text.find("ca.crt:") != std::string::npos);
  CHECK(text.find("token:      eyJ") != std::string::npos);
}

TEST_CASE("a ServiceAccount prints as kubectl get -o yaml shows it") {
  Harness h(42);
  h.run_for(sim::Duration::seconds(1));
  REQUIRE(h.create(testing::service_account("default", "build-robot")).ok());
  h.run_for(sim::Duration::seconds(5));
  ObjectPtr sa = h.store().get(Kind::kServiceAccount, "default", "build-robot");
  const std::string yaml = to_yaml(encode_object(*sa, EncodeOptions{}));
  INFO(yaml);
  const auto& account = std::get<ServiceAccount>(*sa);
  REQUIRE(account.secrets.size() == 1);
  CHECK(yaml.rfind("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  creationTimestamp: \"2020-01-01T00:00:0", 0) == 0);
  CHECK(yaml.find("  name: build-robot\n  namespace: default\n  resourceVersion: \"") != std::string::npos);
  CHECK(yaml.find("secrets:\n- name: " + account.secrets[0].name + "\n") != std::string::npos);
  const std::string table = print_table(Kind::kServiceAccount, h.store().list(Kind::kServiceAccount, "default"), h.simulator.now());
  INFO(table);
  CHECK(table.rfind("NAME          SECRETS   AGE\nbuild-robot   1         5s\ndefault       1         6s\n", 0) == 0);
}

}  // namespace
}  // namespace sasim::model
