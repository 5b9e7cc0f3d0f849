#include "tools/fuzz/fuzz_case.h"

#include "tools/fuzz/upgrades.h"

#include <fmt/format.h>

#include "model/objects/base64.h"
#include "model/objects/codec.h"
#include "model/objects/constants.h"

namespace sasim::tools::fuzz {
namespace {

nlohmann::json name_list(const std::vector<std::string>& names) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& n : names) out.push_back({{"name", n}});
  return out;
}

scenarios::Manifest manifest(nlohmann::json object_json, const scenarios::Location& where) {
  scenarios::Manifest m;
  m.location = where;
  auto decoded = model::decode_object(object_json);
  if (decoded) m.object = std::move(decoded).value();
  m.json = std::move(object_json);
  return m;
}

scenarios::ObjectRef ref(const FuzzObject& o, const scenarios::Location& where) {
  return scenarios::ObjectRef{.location = where, .kind = o.kind, .name = o.name};
}

}  // namespace

nlohmann::json manifest_of(const FuzzObject& o, bool with_namespace) {
  nlohmann::json m = {{"apiVersion", "v1"}, {"kind", std::string(model::kind_name(o.kind))}};
  m["metadata"] = {{"name", o.name}};
  if (with_namespace && model::is_namespaced(o.kind)) m["metadata"]["namespace"] = o.namespace_;
  if (o.label != 0) m["metadata"]["labels"] = {{"fuzz", fmt::format("v{}", o.label)}};
  switch (o.kind) {
    case model::Kind::kNamespace:
      break;
    case model::Kind::kServiceAccount:
      if (o.automount) m["automountServiceAccountToken"] = *o.automount;
      if (!o.image_pull_secrets.empty()) m["imagePullSecrets"] = name_list(o.image_pull_secrets);
      if (!o.secret_refs.empty()) m["secrets"] = name_list(o.secret_refs);
      if (o.enforce_mountable) {
        m["metadata"]["annotations"] = {{std::string(model::kEnforceMountableSecretsAnnotation), *o.enforce_mountable}};
      }
      break;
    case model::Kind::kSecret:
      if (o.token) {
        m["type"] = std::string(model::kSecretTypeServiceAccountToken);
        m["metadata"]["annotations"] = {{std::string(model::kServiceAccountNameKey), o.account}};
        if (o.account_uid) m["metadata"]["annotations"][std::string(model::kServiceAccountUidKey)] = *o.account_uid;
        nlohmann::json data = nlohmann::json::object();
        if (o.ca) data[std::string(model::kServiceAccountRootCaKey)] = model::base64_encode(*o.ca);
        if (o.namespace_value) data[std::string(model::kServiceAccountNamespaceKey)] = model::base64_encode(*o.namespace_value);
        if (o.token_value) data[std::string(model::kServiceAccountTokenKey)] = model::base64_encode(*o.token_value);
        if (!data.empty()) m["data"] = data;
      } else {
        m["type"] = "Opaque";
        m["data"] = {{"key", "dmFsdWU="}};
      }
      break;
    case model::Kind::kPod: {
      nlohmann::json app = {{"name", "app"}, {"image", "busybox"}};
      if (!o.env_secret.empty()) {
        app["env"] = nlohmann::json::array(
            {{{"name", "PASSWORD"}, {"valueFrom", {{"secretKeyRef", {{"name", o.env_secret}, {"key", "key"}}}}}}});
      }
      if (!o.env_from_secret.empty()) {
        app["envFrom"] = nlohmann::json::array({{{"secretRef", {{"name", o.env_from_secret}}}}});
      }
      if (!o.secret_volume.empty()) {
        app["volumeMounts"] = nlohmann::json::array({{{"name", "creds"}, {"mountPath", "/etc/creds"}}});
      }
      nlohmann::json spec = {{"containers", nlohmann::json::array({app})}};
      if (o.init_container) {
        spec["initContainers"] = nlohmann::json::array({{{"name", "init"}, {"image", "busybox"}}});
      }
      if (!o.secret_volume.empty()) {
        spec["volumes"] = nlohmann::json::array({{{"name", "creds"}, {"secret", {{"secretName", o.secret_volume}}}}});
      }
      if (!o.service_account.empty()) spec["serviceAccountName"] = o.service_account;
      if (o.automount) spec["automountServiceAccountToken"] = *o.automount;
      if (!o.image_pull_secrets.empty()) spec["imagePullSecrets"] = name_list(o.image_pull_secrets);
      m["spec"] = spec;
      break;
    }
    case model::Kind::kNode:
    case model::Kind::kConfigMap:
      break;
  }
  return m;
}

bool bindable(const FuzzTokenRequest& t) {
  return t.bound == FuzzTokenRequest::Bound::kPod || t.bound == FuzzTokenRequest::Bound::kSecret ||
         (t.bound == FuzzTokenRequest::Bound::kNode && t.bound_name == kFuzzNode);
}

FuzzObject bound_object_of(const FuzzOp& op) {
  const FuzzTokenRequest& t = op.token_request;
  const model::Kind kind = t.bound == FuzzTokenRequest::Bound::kPod    ? model::Kind::kPod
                           : t.bound == FuzzTokenRequest::Bound::kNode ? model::Kind::kNode
                                                                       : model::Kind::kSecret;
  FuzzObject o{.kind = kind, .namespace_ = model::is_namespaced(kind) ? op.object.namespace_ : std::string(),
               .name = t.bound_name};
  // A pod of the token's account, so that a new token can be bound to it.
  if (o.kind == model::Kind::kPod) o.service_account = t.account;
  return o;
}

std::size_t step_count(const FuzzOp& op) {
  switch (op.kind) {
    case OpKind::kTokenRequest: {
      const FuzzTokenRequest& t = op.token_request;
      std::size_t n = 1 + (t.present ? 1 : 0) + (t.create_bound && bindable(t) ? 1 : 0);
      if (t.wait > sim::Duration::zero() && t.then != FuzzTokenRequest::Then::kNothing) n += 1;
      if (t.then == FuzzTokenRequest::Then::kDeleteBound) n += 1;
      if (t.then == FuzzTokenRequest::Then::kRecreateBound || t.then == FuzzTokenRequest::Then::kRecreateAccount) n += 2;
      return n;
    }
    case OpKind::kRecreate:
    case OpKind::kDeleteToken:
      return 2;
    case OpKind::kAuthenticate:
      if (op.auth.source == FuzzAuth::Source::kSecret && op.auth.then == FuzzAuth::Then::kLabelInvalid) return 5;
      if (op.auth.source == FuzzAuth::Source::kSecret && op.auth.then == FuzzAuth::Then::kAcrossMidnight) return 7;
      if (op.auth.source != FuzzAuth::Source::kAccountToken) return 1;
      return op.auth.then == FuzzAuth::Then::kNothing ? 2 : op.auth.then == FuzzAuth::Then::kDeleteSecret ? 3 : 4;
    default:
      return 1;
  }
}

std::size_t step_count(const FuzzCase& fuzz_case) {
  std::size_t n = 0;
  for (const FuzzOp& op : fuzz_case.ops) n += step_count(op);
  return n;
}

sim::Result<scenarios::Scenario> to_scenario(const FuzzCase& c, const std::string& name) {
  scenarios::Scenario s;
  s.file = name + ".yaml";
  s.name = name;
  s.description = "generated by sasim fuzz";
  s.seed = c.seed;
  s.cluster.namespaces = fuzz_cluster_namespaces();
  s.cluster.signing_algorithm = scenarios::SigningAlgorithm::kES256;
  s.cluster.version = c.cluster.version;
  s.cluster.feature_gates = c.cluster.feature_gates;
  s.cluster.service_account_lookup = c.cluster.service_account_lookup;
  s.cluster.limit_secret_references = c.cluster.limit_secret_references;
  if (c.cluster.admission_watch_lag > sim::Duration::zero()) s.actors.admission.watch_lag = c.cluster.admission_watch_lag;
  // Long waits (a day and more) need more simulated time than the
  // format's default limit leaves besides the steps and the settle.
  sim::Duration planned{};
  for (const FuzzOp& op : c.ops) {
    planned = planned + op.after + op.wait + (op.kind == OpKind::kTokenRequest ? op.token_request.wait : sim::Duration{});
    if (op.kind == OpKind::kAuthenticate && op.auth.then == FuzzAuth::Then::kAcrossMidnight) {
      planned = planned + kAcrossMidnightWait;
    }
  }
  if (planned + sim::Duration::hours(2) > s.limits.time) s.limits.time = planned + sim::Duration::hours(24);
  s.cluster.max_token_expiration = c.cluster.max_token_expiration;
  s.cluster.extend_token_expiration = c.cluster.extend_token_expiration;
  const UpgradeTimeline upgrades = upgrade_timeline(c);
  int line = 1;
  auto where = [&] { return scenarios::Location{s.file, line++, 1}; };
  for (const FuzzObject& o : c.world) {
    scenarios::Manifest m = manifest(manifest_of(o, /*with_namespace=*/true), where());
    if (!m.object) return sim::unexpected(sim::Error{"a generated world object does not decode: " + m.json.dump()});
    s.objects.push_back(std::move(m));
  }
  auto add = [&](const FuzzOp& op, scenarios::Action action, std::string key, bool first) {
    scenarios::Step step;
    step.location = where();
    step.index = s.steps.size();
    if (first && op.after > sim::Duration::zero()) step.after = op.after;
    if (op.kind != OpKind::kWait && op.kind != OpKind::kFault && op.kind != OpKind::kUpgrade &&
        op.object.kind != model::Kind::kNamespace) {
      step.namespace_ = op.object.namespace_;
    }
    step.action_key = std::move(key);
    step.action_location = step.location;
    step.action = std::move(action);
    s.steps.push_back(std::move(step));
  };
  for (std::size_t i = 0; i < c.ops.size(); ++i) {
    const FuzzOp& op = c.ops[i];
    const scenarios::Location here{s.file, line, 1};
    switch (op.kind) {
      case OpKind::kDeleteToken: {
        const std::string var = fmt::format("token{}", i);
        add(op, scenarios::GetAction{.object = ref(op.object, here)}, "get", true);
        s.steps.back().captures[var] =
            scenarios::Capture{.location = here, .object = ref(op.object, here), .jsonpath = "{.secrets[0].name}"};
        add(op,
            scenarios::DeleteAction{.object = scenarios::ObjectRef{.location = here, .kind = model::Kind::kSecret,
                                                                   .name = "${" + var + "}"}},
            "delete", false);
        break;
      }
      case OpKind::kCreate:
        add(op, scenarios::CreateAction{.objects = {manifest(manifest_of(op.object, false), here)}}, "create", true);
        break;
      case OpKind::kDelete:
        add(op, scenarios::DeleteAction{.object = ref(op.object, here)}, "delete", true);
        break;
      case OpKind::kRecreate:
        add(op, scenarios::DeleteAction{.object = ref(op.object, here)}, "delete", true);
        add(op, scenarios::CreateAction{.objects = {manifest(manifest_of(op.object, false), here)}}, "create", false);
        break;
      case OpKind::kReplace:
        add(op, scenarios::ReplaceAction{.object = manifest(manifest_of(op.object, false), here)}, "replace", true);
        break;
      case OpKind::kPatch: {
        scenarios::PatchAction patch{.object = ref(op.object, here), .type = scenarios::PatchAction::Type::kMerge};
        patch.patch.location = here;
        patch.patch.json = nlohmann::json::parse(op.patch);
        add(op, std::move(patch), "patch", true);
        break;
      }
      case OpKind::kWait:
        add(op, scenarios::WaitAction{.duration = op.wait}, "wait", true);
        break;
      case OpKind::kTokenRequest: {
        const FuzzTokenRequest& t = op.token_request;
        const std::string var = fmt::format("token{}", i);
        scenarios::TokenRequestAction request{.service_account = t.account,
                                              .audiences = t.audiences,
                                              .expiration_seconds = t.expiration_seconds};
        if (t.bound != FuzzTokenRequest::Bound::kNone) {
          static constexpr const char* kKinds[] = {"", "Pod", "Secret", "ConfigMap", "Node"};
          request.bound_object_ref = scenarios::TokenRequestAction::BoundObject{
              .kind = kKinds[static_cast<int>(t.bound)],
              .name = t.bound_name,
              .uid = t.wrong_uid ? "00000000-0000-0000-0000-00000000dead" : ""};
        }
        const FuzzObject account{.kind = model::Kind::kServiceAccount, .namespace_ = op.object.namespace_,
                                 .name = t.account};
        const FuzzObject bound = bound_object_of(op);
        bool first = true;
        if (t.create_bound && bindable(t)) {
          add(op, scenarios::CreateAction{.objects = {manifest(manifest_of(bound, false), here)}}, "create", true);
          first = false;
        }
        add(op, std::move(request), "tokenRequest", first);
        s.steps.back().captures[var] =
            scenarios::Capture{.location = here, .object = {}, .jsonpath = "{.status.token}", .from_response = true};
        const auto wait = [&] {
          if (t.wait > sim::Duration::zero()) add(op, scenarios::WaitAction{.duration = t.wait}, "wait", false);
        };
        // What a deletion or re-creation acts on: the bound object, or the
        // account for a request bound to nothing it could delete.
        const FuzzObject& target =
            t.then == FuzzTokenRequest::Then::kRecreateAccount || !bindable(t) ? account : bound;
        switch (t.then) {
          case FuzzTokenRequest::Then::kNothing:
            break;
          case FuzzTokenRequest::Then::kWait:
            wait();
            break;
          case FuzzTokenRequest::Then::kDeleteBound:
            add(op, scenarios::DeleteAction{.object = ref(target, here)}, "delete", false);
            wait();
            break;
          case FuzzTokenRequest::Then::kRecreateBound:
          case FuzzTokenRequest::Then::kRecreateAccount:
            add(op, scenarios::DeleteAction{.object = ref(target, here)}, "delete", false);
            wait();
            add(op, scenarios::CreateAction{.objects = {manifest(manifest_of(target, false), here)}}, "create", false);
            break;
        }
        if (t.present) {
          add(op,
              scenarios::AuthenticateAction{.token = scenarios::TokenSource{.location = here,
                                                                            .from = scenarios::TokenSource::From::kValue,
                                                                            .text = "${" + var + "}",
                                                                            .audiences = t.review_audiences}},
              "authenticate", false);
        }
        break;
      }
      case OpKind::kUpgrade: {
        scenarios::UpgradeAction upgrade{.version = upgrades.targets[i], .components = op.upgrade_components};
        upgrade.version_location = here;
        upgrade.feature_gates_location = here;
        add(op, std::move(upgrade), "upgrade", true);
        break;
      }
      case OpKind::kFault: {
        scenarios::Fault fault = op.fault;
        fault.location = here;
        add(op, scenarios::FaultAction{.fault = std::move(fault)}, "fault", true);
        break;
      }
      case OpKind::kAuthenticate: {
        auto present = [&](scenarios::TokenSource::From from, std::string text, bool first) {
          add(op,
              scenarios::AuthenticateAction{
                  .token = scenarios::TokenSource{.location = here, .from = from, .text = std::move(text)}},
              "authenticate", first);
        };
        switch (op.auth.source) {
          case FuzzAuth::Source::kSecret:
            if (op.auth.then == FuzzAuth::Then::kLabelInvalid || op.auth.then == FuzzAuth::Then::kAcrossMidnight) {
              add(op, scenarios::CreateAction{.objects = {manifest(manifest_of(op.object, false), here)}}, "create",
                  true);
              // Until the tokens controller has filled the Secret in (at most a few seconds).
              scenarios::MatchesCondition filled{.object = ref(op.object, here)};
              filled.pattern.location = here;
              filled.pattern.json = {{"data", {{"token", "<any>"}}}};
              add(op,
                  scenarios::AwaitAction{.condition = scenarios::Condition{.location = here, .test = std::move(filled)},
                                         .timeout = sim::Duration::seconds(5)},
                  "await", false);
            }
            if (op.auth.then == FuzzAuth::Then::kLabelInvalid) {
              // What the legacy-token cleaner does to an unused token (1.29+).
              scenarios::PatchAction patch{.object = ref(op.object, here), .type = scenarios::PatchAction::Type::kMerge};
              patch.patch.location = here;
              patch.patch.json = {{"metadata", {{"labels", {{"kubernetes.io/legacy-token-invalid-since", "2019-12-01"}}}}}};
              add(op, std::move(patch), "patch", false);
              // The apiserver's informer sees the label a watch delivery later.
              add(op, scenarios::WaitAction{.duration = sim::Duration::seconds(1)}, "wait", false);
              present(scenarios::TokenSource::From::kSecret, op.auth.name, false);
            } else if (op.auth.then == FuzzAuth::Then::kAcrossMidnight) {
              // Twice the same day (a second apart: the apiserver's informer
              // has seen the first use's label by then), then the next day.
              present(scenarios::TokenSource::From::kSecret, op.auth.name, false);
              add(op, scenarios::WaitAction{.duration = sim::Duration::seconds(1)}, "wait", false);
              present(scenarios::TokenSource::From::kSecret, op.auth.name, false);
              add(op, scenarios::WaitAction{.duration = kAcrossMidnightWait}, "wait", false);
              present(scenarios::TokenSource::From::kSecret, op.auth.name, false);
            } else {
              present(scenarios::TokenSource::From::kSecret, op.auth.name, true);
            }
            break;
          case FuzzAuth::Source::kPod:
            present(scenarios::TokenSource::From::kPod, op.auth.name, true);
            break;
          case FuzzAuth::Source::kValue:
            present(scenarios::TokenSource::From::kValue, op.auth.value, true);
            break;
          case FuzzAuth::Source::kAccountToken: {
            const std::string var = fmt::format("token{}", i);
            const FuzzObject account{.kind = model::Kind::kServiceAccount, .namespace_ = op.object.namespace_,
                                     .name = op.auth.name};
            add(op, scenarios::GetAction{.object = ref(account, here)}, "get", true);
            s.steps.back().captures[var] =
                scenarios::Capture{.location = here, .object = ref(account, here), .jsonpath = "{.secrets[0].name}"};
            if (op.auth.then == FuzzAuth::Then::kDeleteSecret) {
              add(op,
                  scenarios::DeleteAction{.object = scenarios::ObjectRef{.location = here, .kind = model::Kind::kSecret,
                                                                         .name = "${" + var + "}"}},
                  "delete", false);
            } else if (op.auth.then == FuzzAuth::Then::kRecreateAccount) {
              add(op, scenarios::DeleteAction{.object = ref(account, here)}, "delete", false);
              add(op, scenarios::CreateAction{.objects = {manifest(manifest_of(account, false), here)}}, "create",
                  false);
            }
            present(scenarios::TokenSource::From::kSecret, "${" + var + "}", false);
            break;
          }
        }
        break;
      }
    }
  }
  return s;
}

}  // namespace sasim::tools::fuzz
