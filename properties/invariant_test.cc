// The registry of invariants and the object names violations carry.
#include "properties/invariant.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "properties/violation.h"

namespace sasim::properties {
namespace {

TEST_CASE("the registry lists the thirteen invariants of the scenario format in its order and then the project's") {
  const std::vector<InvariantInfo>& all = all_invariants();
  REQUIRE(all.size() == 19);
  CHECK(all.front().name == "every-namespace-has-default-serviceaccount");
  CHECK(all[9].name == "uids-are-unique");
  CHECK(all[10].name == "running-pods-hold-valid-tokens");
  CHECK(all[11].name == "bound-tokens-respect-their-objects");
  CHECK(all[12].name == "cleaned-legacy-tokens-were-unused");
  CHECK(all[13].name == "token-secrets-hold-correct-data");
  CHECK(all.back().name == "token-reviews-are-correct");
  std::set<std::string_view> names;
  int eventually = 0;
  for (const InvariantInfo& info : all) {
    names.insert(info.name);
    CHECK_FALSE(info.meaning.empty());
    if (info.kind == InvariantKind::kEventually) ++eventually;
  }
  CHECK(names.size() == 19);
  CHECK(eventually == 8);
}

TEST_CASE("find_invariant knows exact names only") {
  const InvariantInfo* info = find_invariant("deleted-tokens-do-not-authenticate");
  REQUIRE(info != nullptr);
  CHECK(info->kind == InvariantKind::kAlways);
  CHECK(kind_name(info->kind) == "always");
  CHECK(kind_name(find_invariant(kTokenSecretsArePopulated)->kind) == "eventually");
  CHECK(find_invariant("Deleted-Tokens-Do-Not-Authenticate") == nullptr);
  CHECK(find_invariant("all") == nullptr);
  CHECK(find_invariant("") == nullptr);
}

TEST_CASE("object references name kind then namespace then name and parse back") {
  CHECK(object_ref(model::Kind::kSecret, "default", "default-token-abcde") == "secret/default/default-token-abcde");
  CHECK(object_ref(model::Kind::kServiceAccount, "ns", "robot") == "serviceaccount/ns/robot");
  CHECK(object_ref(model::Kind::kNamespace, "", "kube-system") == "namespace/kube-system");
  auto parsed = parse_object_ref("serviceaccount/ns/robot");
  REQUIRE(parsed.has_value());
  CHECK(parsed->kind == model::Kind::kServiceAccount);
  CHECK(parsed->namespace_ == "ns");
  CHECK(parsed->name == "robot");
  auto ns = parse_object_ref("namespace/kube-system");
  REQUIRE(ns.has_value());
  CHECK(ns->kind == model::Kind::kNamespace);
  CHECK(ns->name == "kube-system");
  CHECK_FALSE(parse_object_ref("sa/ns/robot").has_value());
  CHECK_FALSE(parse_object_ref("secret/ns").has_value());
  CHECK_FALSE(parse_object_ref("secret/ns/a/b").has_value());
  CHECK_FALSE(parse_object_ref("namespace/a/b").has_value());
  CHECK_FALSE(parse_object_ref("robot").has_value());
}

}  // namespace
}  // namespace sasim::properties
