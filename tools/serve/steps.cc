#include "tools/serve/steps.h"

namespace sasim::tools::serve {
namespace {

scenarios::ObjectRef ref(model::Kind kind, const std::string& name) {
  scenarios::ObjectRef out;
  out.kind = kind;
  out.name = name;
  return out;
}

scenarios::Manifest manifest(const api::ApiCall& call) {
  scenarios::Manifest out;
  out.json = call.manifest;
  out.object = *call.request.body;
  return out;
}

}  // namespace

scenarios::Step call_step(const api::ApiCall& call, std::string label) {
  const model::ApiRequest& request = call.request;
  scenarios::Step step;
  step.name = std::move(label);
  // Cluster-scoped kinds and lists across namespaces keep the default.
  if (model::is_namespaced(request.kind) && !request.namespace_.empty()) step.namespace_ = request.namespace_;
  switch (request.verb) {
    case model::Verb::kGet:
      step.action_key = "get";
      step.action = scenarios::GetAction{.object = ref(request.kind, request.name), .print = scenarios::PrintFormat::kNone};
      break;
    case model::Verb::kList: {
      step.action_key = "list";
      scenarios::ListAction list;
      list.kind = request.kind;
      list.all_namespaces = model::is_namespaced(request.kind) && request.namespace_.empty();
      step.action = list;
      break;
    }
    case model::Verb::kCreate: {
      step.action_key = "create";
      scenarios::CreateAction create;
      create.objects.push_back(manifest(call));
      step.action = std::move(create);
      break;
    }
    case model::Verb::kUpdate:
      step.action_key = "replace";
      step.action = scenarios::ReplaceAction{manifest(call)};
      break;
    case model::Verb::kPatch: {
      step.action_key = "patch";
      scenarios::PatchAction patch;
      patch.object = ref(request.kind, request.name);
      patch.type = request.patch_type == model::PatchType::kStrategic ? scenarios::PatchAction::Type::kStrategic
                   : request.patch_type == model::PatchType::kJson    ? scenarios::PatchAction::Type::kJson
                                                                      : scenarios::PatchAction::Type::kMerge;
      patch.patch.json = *request.merge_patch;
      step.action = std::move(patch);
      break;
    }
    case model::Verb::kDelete: {
      step.action_key = "delete";
      scenarios::DeleteAction del;
      del.object = ref(request.kind, request.name);
      del.uid = request.preconditions.uid;
      if (request.preconditions.resource_version) {
        del.resource_version = std::to_string(*request.preconditions.resource_version);
      }
      step.action = std::move(del);
      break;
    }
    case model::Verb::kWatch:
      break;
  }
  return step;
}

scenarios::Step review_step(const api::TokenReviewCall& call, std::string label) {
  scenarios::Step step;
  step.name = std::move(label);
  step.action_key = "authenticate";
  scenarios::AuthenticateAction authenticate;
  authenticate.token.from = scenarios::TokenSource::From::kValue;
  authenticate.token.text = call.token;
  step.action = std::move(authenticate);
  return step;
}

scenarios::Step quiesce_step(sim::Duration timeout) {
  scenarios::Step step;
  step.action_key = "quiesce";
  step.action = scenarios::QuiesceAction{timeout};
  return step;
}

scenarios::Step wait_until_step(sim::Duration until) {
  scenarios::Step step;
  step.action_key = "wait";
  step.at = until;
  step.action = scenarios::WaitAction{sim::Duration::zero()};
  return step;
}

void expect_outcome(scenarios::Step& step, const std::optional<model::ApiResponse>& response) {
  if (!response || response->ok()) return;
  scenarios::ExpectError error;
  error.code = response->error->code;
  if (!response->error->reason.empty()) error.reason = response->error->reason;
  step.expect = scenarios::Expect{.location = {}, .what = error};
}

void expect_review(scenarios::Step& step, const std::optional<model::TokenReviewResult>& result) {
  if (!result) return;
  if (result->authenticated) {
    scenarios::ExpectUser user;
    user.name = result->username;
    if (!result->uid.empty()) user.uid = result->uid;
    step.expect = scenarios::Expect{.location = {}, .what = user};
  } else {
    step.expect = scenarios::Expect{.location = {}, .what = scenarios::ExpectRejected{result->error}};
  }
}

}  // namespace sasim::tools::serve
