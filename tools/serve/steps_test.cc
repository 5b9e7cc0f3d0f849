#include "tools/serve/steps.h"

#include <catch2/catch.hpp>

namespace sasim::tools::serve {
namespace {

api::ApiCall call(model::Verb verb, model::Kind kind, std::string ns, std::string name) {
  api::ApiCall c;
  c.request.verb = verb;
  c.request.kind = kind;
  c.request.namespace_ = std::move(ns);
  c.request.name = std::move(name);
  return c;
}

TEST_CASE("each call becomes the step that sends the same request") {
  const scenarios::Step get = call_step(call(model::Verb::kGet, model::Kind::kSecret, "examplens", "tok"), "GET x");
  CHECK(get.action_key == "get");
  CHECK(get.namespace_ == "examplens");
  CHECK(std::get<scenarios::GetAction>(get.action).object.name == "tok");
  CHECK(get.name == std::optional<std::string>("GET x"));

  const scenarios::Step all = call_step(call(model::Verb::kList, model::Kind::kServiceAccount, "", ""), "GET");
  CHECK(std::get<scenarios::ListAction>(all.action).all_namespaces);
  const scenarios::Step namespaces = call_step(call(model::Verb::kList, model::Kind::kNamespace, "", ""), "GET");
  CHECK_FALSE(std::get<scenarios::ListAction>(namespaces.action).all_namespaces);

  api::ApiCall patch = call(model::Verb::kPatch, model::Kind::kServiceAccount, "default", "default");
  patch.request.patch_type = model::PatchType::kJson;
  patch.request.merge_patch = std::make_shared<const nlohmann::json>(nlohmann::json::parse(R"([{"op":"remove","path":"/a"}])"));
  const scenarios::Step patched = call_step(patch, "PATCH");
  CHECK(std::get<scenarios::PatchAction>(patched.action).type == scenarios::PatchAction::Type::kJson);
  CHECK(std::get<scenarios::PatchAction>(patched.action).patch.json[0]["op"] == "remove");

  api::ApiCall del = call(model::Verb::kDelete, model::Kind::kServiceAccount, "default", "x");
  del.request.preconditions.uid = "u";
  del.request.preconditions.resource_version = 12;
  const scenarios::Step delete_step = call_step(del, "DELETE");
  const auto& deleted = std::get<scenarios::DeleteAction>(delete_step.action);
  CHECK(deleted.uid == std::optional<std::string>("u"));
  CHECK(deleted.resource_version == std::optional<std::string>("12"));
}

TEST_CASE("a step expects what its request got") {
  scenarios::Step step = call_step(call(model::Verb::kGet, model::Kind::kSecret, "default", "nosuch"), "GET");
  model::ApiResponse ok;
  expect_outcome(step, ok);
  CHECK_FALSE(step.expect.has_value());
  model::ApiResponse missing;
  missing.error = model::status_not_found("secrets", "nosuch");
  expect_outcome(step, missing);
  REQUIRE(step.expect.has_value());
  const auto& error = std::get<scenarios::ExpectError>(step.expect->what);
  CHECK(error.code == 404);
  CHECK(error.reason == std::optional<std::string>("NotFound"));

  scenarios::Step review = review_step(api::TokenReviewCall{"tok", {}, {}}, "POST");
  model::TokenReviewResult rejected;
  rejected.error = "Token has been invalidated";
  expect_review(review, rejected);
  CHECK(std::get<scenarios::ExpectRejected>(review.expect->what).substring == "Token has been invalidated");
}

}  // namespace
}  // namespace sasim::tools::serve
