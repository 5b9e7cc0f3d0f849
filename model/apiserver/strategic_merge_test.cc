#include "model/apiserver/strategic_merge.h"

#include <catch2/catch.hpp>

namespace sasim::model {
namespace {

using nlohmann::json;

TEST_CASE("strategic merge merges keyed lists and replaces the others") {
  struct Case {
    const char* name;
    Kind kind;
    const char* original;
    const char* patch;
    const char* expected;
  };
  const Case cases[] = {
      {"an account's secrets merge by name", Kind::kServiceAccount, R"({"secrets":[{"name":"a"}]})",
       R"({"secrets":[{"name":"b"}]})", R"({"secrets":[{"name":"a"},{"name":"b"}]})"},
      {"an account's imagePullSecrets are replaced", Kind::kServiceAccount, R"({"imagePullSecrets":[{"name":"a"}]})",
       R"({"imagePullSecrets":[{"name":"b"}]})", R"({"imagePullSecrets":[{"name":"b"}]})"},
      {"a delete directive removes one element", Kind::kServiceAccount, R"({"secrets":[{"name":"a"},{"name":"b"}]})",
       R"({"secrets":[{"name":"a","$patch":"delete"}]})", R"({"secrets":[{"name":"b"}]})"},
      {"containers merge by name and their fields merge", Kind::kPod,
       R"({"spec":{"containers":[{"name":"app","image":"nginx:1"},{"name":"side","image":"x"}]}})",
       R"({"spec":{"containers":[{"name":"app","image":"nginx:2"}]}})",
       R"({"spec":{"containers":[{"name":"app","image":"nginx:2"},{"name":"side","image":"x"}]}})"},
      {"volume mounts merge by mount path", Kind::kPod,
       R"({"spec":{"containers":[{"name":"app","volumeMounts":[{"name":"a","mountPath":"/a"}]}]}})",
       R"({"spec":{"containers":[{"name":"app","volumeMounts":[{"name":"b","mountPath":"/b"}]}]}})",
       R"({"spec":{"containers":[{"name":"app","volumeMounts":[{"name":"a","mountPath":"/a"},{"name":"b","mountPath":"/b"}]}]}})"},
      {"null deletes a key", Kind::kServiceAccount, R"({"automountServiceAccountToken":false,"secrets":[]})",
       R"({"automountServiceAccountToken":null})", R"({"secrets":[]})"},
      {"a replace directive replaces the list", Kind::kServiceAccount, R"({"secrets":[{"name":"a"}]})",
       R"({"secrets":[{"name":"b"},{"$patch":"replace"}]})", R"({"secrets":[{"name":"b"}]})"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(strategic_merge(c.kind, json::parse(c.original), json::parse(c.patch)) == json::parse(c.expected));
  }
}

}  // namespace
}  // namespace sasim::model
