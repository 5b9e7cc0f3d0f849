#include "api/selectors.h"

#include <catch2/catch.hpp>

namespace sasim::api {
namespace {

const Resource kServiceAccounts{model::Kind::kServiceAccount};
const Resource kSecrets{model::Kind::kSecret};
const Resource kPods{model::Kind::kPod};

model::Object account(const char* ns, const char* name) {
  model::ServiceAccount sa;
  sa.metadata.namespace_ = ns;
  sa.metadata.name = name;
  return sa;
}

TEST_CASE("kubectl's field selectors: metadata.name for delete and single-object watches") {
  auto selector = parse_field_selector("metadata.name=build-robot", kServiceAccounts);
  REQUIRE(selector.ok());
  CHECK(selector.value().pinned_name() == std::optional<std::string>("build-robot"));
  CHECK(matches(selector.value(), account("default", "build-robot")));
  CHECK_FALSE(matches(selector.value(), account("default", "other")));
  // describe pod's events query.
  auto events = parse_field_selector(
      "involvedObject.name=my-pod,involvedObject.namespace=default,involvedObject.uid=abc", Resource{});
  CHECK(events.ok());
}

TEST_CASE("field selectors combine terms and support != and each kind's labels") {
  auto selector = parse_field_selector("metadata.namespace==default,metadata.name!=default", kServiceAccounts);
  REQUIRE(selector.ok());
  CHECK(matches(selector.value(), account("default", "robot")));
  CHECK_FALSE(matches(selector.value(), account("default", "default")));
  CHECK_FALSE(matches(selector.value(), account("other", "robot")));

  model::Secret token;
  token.type = "kubernetes.io/service-account-token";
  auto by_type = parse_field_selector("type=kubernetes.io/service-account-token", kSecrets);
  REQUIRE(by_type.ok());
  CHECK(matches(by_type.value(), model::Object(token)));

  model::Pod pod;
  pod.spec.service_account_name = "build-robot";
  pod.status.phase = model::PodPhase::kRunning;
  auto by_account = parse_field_selector("spec.serviceAccountName=build-robot,status.phase=Running", kPods);
  REQUIRE(by_account.ok());
  CHECK(matches(by_account.value(), model::Object(pod)));
}

TEST_CASE("unsupported field labels and terms without an operator are errors") {
  auto unsupported = parse_field_selector("spec.nodeName=n1", kServiceAccounts);
  REQUIRE_FALSE(unsupported.ok());
  CHECK(unsupported.error().message == "field label not supported: spec.nodeName");
  auto no_operator = parse_field_selector("metadata.name", kServiceAccounts);
  REQUIRE_FALSE(no_operator.ok());
  CHECK(no_operator.error().message == "invalid selector: 'metadata.name'; can't understand 'metadata.name'");
}

TEST_CASE("label selectors: equality and sets and existence and comparisons") {
  const std::map<std::string, std::string> labels{{"team", "a"}, {"tier", "web"}, {"replicas", "3"}};
  struct Case {
    const char* selector;
    bool match;
  };
  const Case cases[] = {
      {"", true},
      {"team=a", true},
      {"team==a", true},
      {"team!=a", false},
      {"team=b", false},
      {"missing!=x", true},
      {"team in (a, b)", true},
      {"team notin (a)", false},
      {"missing notin (a)", true},
      {"tier", true},
      {"!tier", false},
      {"!missing", true},
      {"team=a,tier=web", true},
      {"team=a,tier=db", false},
      {"replicas>2", true},
      {"replicas<2", false},
  };
  for (const Case& c : cases) {
    INFO(c.selector);
    auto selector = parse_label_selector(c.selector);
    REQUIRE(selector.ok());
    CHECK(matches(selector.value(), labels) == c.match);
  }
}

TEST_CASE("malformed label selectors are errors") {
  for (const char* text : {"team in a", "team in (a", "=a", "team=a tier", "a!b", "replicas>x"}) {
    INFO(text);
    auto selector = parse_label_selector(text);
    REQUIRE_FALSE(selector.ok());
    CHECK(selector.error().message.starts_with("unable to parse requirement: "));
  }
}

}  // namespace
}  // namespace sasim::api
