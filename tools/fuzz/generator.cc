#include "tools/fuzz/generator.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "model/versions/behaviour.h"
#include "model/versions/feature_gates.h"
#include "tools/fuzz/upgrades.h"

namespace sasim::tools::fuzz {
namespace {

using model::Kind;

const std::vector<std::string> kNamespaces{"default", "ns-a", "ns-b"};
const std::vector<std::string> kAccounts{"default", "sa-1", "sa-2"};
const std::vector<std::string> kSecrets{"s-1", "s-2"};
const std::vector<std::string> kPods{"p-1", "p-2"};
const std::vector<std::string> kPullSecrets{"reg-1", "reg-2"};
// What pods reference through volumes and env: the Secrets of the pools, a
// pull secret's name, and one that never exists.
const std::vector<std::string> kReferenced{"s-1", "s-2", "reg-1", "missing"};

// The release's behaviour, as the version table gives it (1.20's for a
// version it does not know: the run refuses that case anyway).
model::versions::Behaviour release_of(const std::string& version) {
  const auto parsed = model::versions::KubeVersion::parse(version);
  if (auto release = model::versions::default_behaviour(parsed.value_or(model::versions::KubeVersion{20}))) return *release;
  return *model::versions::default_behaviour(model::versions::KubeVersion{20});
}

rc::Gen<std::optional<bool>> gen_tristate() {
  return rc::gen::element(std::optional<bool>(), std::optional<bool>(true), std::optional<bool>(false));
}

rc::Gen<std::vector<std::string>> gen_pull_secrets() {
  return rc::gen::element(std::vector<std::string>{}, std::vector<std::string>{}, std::vector<std::string>{"reg-1"},
                          std::vector<std::string>{"reg-2"}, std::vector<std::string>{"reg-1", "reg-2"});
}

rc::Gen<sim::Duration> gen_after() {
  return rc::gen::weightedElement<sim::Duration>({{14, sim::Duration::zero()},
                                                  {2, sim::Duration::milliseconds(10)},
                                                  {2, sim::Duration::milliseconds(200)},
                                                  {1, sim::Duration::seconds(1)},
                                                  {1, sim::Duration::seconds(3)}});
}

// An object of `kind` in one of `namespaces`.
rc::Gen<FuzzObject> gen_object(Kind kind, std::vector<std::string> namespaces) {
  return rc::gen::exec([kind, namespaces] {
    FuzzObject o;
    o.kind = kind;
    o.namespace_ = *rc::gen::elementOf(namespaces);
    o.label = *rc::gen::weightedElement<int>({{3, 0}, {1, 1}, {1, 2}});
    switch (kind) {
      case Kind::kNamespace:
        o.name = *rc::gen::element<std::string>("ns-a", "ns-b");
        break;
      case Kind::kServiceAccount:
        o.name = *rc::gen::weightedElement<std::string>({{1, "default"}, {3, "sa-1"}, {2, "sa-2"}});
        o.automount = *gen_tristate();
        o.image_pull_secrets = *gen_pull_secrets();
        if (*rc::gen::weightedElement<int>({{5, 0}, {1, 1}}) == 1) o.secret_refs = {*rc::gen::elementOf(kSecrets)};
        if (*rc::gen::weightedElement<int>({{6, 0}, {1, 1}}) == 1) {
          o.enforce_mountable = *rc::gen::element<std::string>("true", "True", "1", "false", "yes");
        }
        break;
      case Kind::kSecret:
        o.name = *rc::gen::elementOf(kSecrets);
        o.token = *rc::gen::weightedElement<int>({{1, 0}, {2, 1}}) == 1;
        if (o.token) {
          o.account = *rc::gen::elementOf(kAccounts);
          if (*rc::gen::weightedElement<int>({{3, 0}, {1, 1}}) == 1) o.account_uid = "00000000-0000-0000-0000-00000000beef";
          // Data of the user's own: T6 replaces a foreign CA, keeps a
          // custom namespace, fills in an empty value, keeps a token.
          if (*rc::gen::weightedElement<int>({{5, 0}, {1, 1}}) == 1) {
            o.ca = *rc::gen::element<std::string>("-----BEGIN CERTIFICATE-----\nnot the cluster's\n", "");
          }
          if (*rc::gen::weightedElement<int>({{5, 0}, {1, 1}}) == 1) {
            o.namespace_value = *rc::gen::element<std::string>("custom", "");
          }
          if (*rc::gen::weightedElement<int>({{7, 0}, {1, 1}}) == 1) {
            o.token_value = *rc::gen::element<std::string>("", "not-a-jwt");
          }
        }
        break;
      case Kind::kPod:
        o.name = *rc::gen::elementOf(kPods);
        o.service_account = *rc::gen::weightedElement<std::string>({{2, ""}, {1, "default"}, {3, "sa-1"}, {2, "sa-2"}});
        o.automount = *gen_tristate();
        o.image_pull_secrets = *gen_pull_secrets();
        o.init_container = *rc::gen::weightedElement<int>({{3, 0}, {1, 1}}) == 1;
        if (*rc::gen::weightedElement<int>({{3, 0}, {1, 1}}) == 1) o.secret_volume = *rc::gen::elementOf(kReferenced);
        if (*rc::gen::weightedElement<int>({{4, 0}, {1, 1}}) == 1) o.env_secret = *rc::gen::elementOf(kReferenced);
        if (*rc::gen::weightedElement<int>({{5, 0}, {1, 1}}) == 1) o.env_from_secret = *rc::gen::elementOf(kReferenced);
        break;
      case Kind::kNode:       // the fuzzer leaves the cluster's nodes alone
      case Kind::kConfigMap:  // and the root-CA publisher's ConfigMaps
        break;
    }
    return o;
  });
}

rc::Gen<std::string> gen_patch(Kind kind) {
  return rc::gen::exec([kind] {
    const std::string label = fmt::format(R"({{"metadata":{{"labels":{{"fuzz":"p{}"}}}}}})", *rc::gen::inRange(1, 3));
    switch (kind) {
      case Kind::kServiceAccount: {
        const int which = *rc::gen::inRange(0, 5);
        if (which == 0) return std::string(R"({"automountServiceAccountToken":false})");
        if (which == 1) return std::string(R"({"automountServiceAccountToken":null})");
        if (which == 2) return std::string(R"({"imagePullSecrets":[{"name":"reg-2"}]})");
        if (which == 3) return fmt::format(R"({{"secrets":[{{"name":"{}"}}]}})", *rc::gen::elementOf(kSecrets));
        return label;
      }
      case Kind::kSecret:
        return *rc::gen::element(label, std::string(R"({"data":{"key":"b3RoZXI="}})"));
      default:
        return label;
    }
  });
}

// Every fault kind of §7, aimed at the controllers (and admission's caches
// for stale state). Errors are the codes a failing apiserver sends whatever
// the request: 500, 503 and 429. Not 409 or 404: those are claims about the
// objects (someone else changed it, it is gone) that the controllers act on
// (upstream's token population waits for the update a Conflict promises), so
// injecting one where nothing happened is a lie no real failure tells, and
// its "bugs" would be the fuzzer's. Scenarios can still inject them.
rc::Gen<scenarios::Fault> gen_fault() {
  return rc::gen::exec([] {
    scenarios::Fault f;
    const std::string actor =
        *rc::gen::element<std::string>("tokens-controller", "serviceaccounts-controller", "namespace-controller");
    switch (*rc::gen::inRange(0, 8)) {
      case 0:
        // The kubelet and the apiserver crash too, less often.
        f.spec = scenarios::CrashFault{
            .actor = *rc::gen::weightedElement<std::string>({{6, actor}, {1, "kubelet"}, {1, "apiserver"}}),
            .restart_after = sim::Duration::seconds(*rc::gen::inRange(1, 6))};
        break;
      case 1: {
        scenarios::ErrorsFault e;
        e.actor = actor;
        // Half of them strike one kind of request only: a controller's
        // writes, where an error changes what it leaves behind.
        if (*rc::gen::arbitrary<bool>()) {
          const auto [verb, resource] = *rc::gen::element(
              std::make_pair(model::Verb::kCreate, model::Kind::kSecret),
              std::make_pair(model::Verb::kUpdate, model::Kind::kServiceAccount),
              std::make_pair(model::Verb::kDelete, model::Kind::kSecret),
              std::make_pair(model::Verb::kUpdate, model::Kind::kSecret),
              std::make_pair(model::Verb::kCreate, model::Kind::kServiceAccount));
          e.actor = resource == model::Kind::kServiceAccount && verb == model::Verb::kCreate
                        ? "serviceaccounts-controller"
                        : "tokens-controller";
          e.verbs = {verb};
          e.resources = {resource};
        }
        e.code = *rc::gen::element(500, 503, 429);
        if (*rc::gen::arbitrary<bool>()) {
          e.count = *rc::gen::inRange(1, 4);
        } else {
          e.rate = sim::Ratio{static_cast<std::uint64_t>(*rc::gen::inRange(1, 4)), 4};
          f.for_ = sim::Duration::seconds(*rc::gen::inRange(1, 5));
        }
        e.phase = *rc::gen::element(scenarios::ErrorsFault::Phase::kBefore, scenarios::ErrorsFault::Phase::kAfter);
        f.spec = e;
        break;
      }
      case 2:
        f.spec = scenarios::StaleFault{.actor = *rc::gen::element(actor, std::string("admission")),
                                       .lag = sim::Duration::milliseconds(*rc::gen::inRange(1, 30) * 100)};
        f.for_ = sim::Duration::seconds(5);
        break;
      case 3:
        f.spec = scenarios::DropEventsFault{.actor = actor, .resources = {}, .count = *rc::gen::inRange(1, 3)};
        break;
      case 4: {
        // The requests whose crash leaves an intermediate state behind.
        const auto [who, verb, resource, text] = *rc::gen::element(
            std::make_tuple(std::string("tokens-controller"), model::Verb::kCreate, model::Kind::kSecret,
                            std::string("create secrets")),
            std::make_tuple(std::string("tokens-controller"), model::Verb::kUpdate, model::Kind::kServiceAccount,
                            std::string("update serviceaccounts")),
            std::make_tuple(std::string("serviceaccounts-controller"), model::Verb::kCreate,
                            model::Kind::kServiceAccount, std::string("create serviceaccounts")),
            std::make_tuple(std::string("namespace-controller"), model::Verb::kDelete, model::Kind::kSecret,
                            std::string("delete secrets")));
        f.spec = scenarios::CrashAfterFault{.actor = who, .request = text, .verb = verb, .resource = resource};
        break;
      }
      case 5:
        f.spec = scenarios::PartitionFault{.actor = actor};
        f.for_ = sim::Duration::seconds(*rc::gen::inRange(1, 60));
        break;
      case 6:
        f.spec = scenarios::ApiserverRestartFault{};
        break;
      default:
        f.spec = scenarios::DelayFault{.actor = *rc::gen::element(std::string("apiserver"), actor),
                                       .extra = sim::DurationDistribution::constant(sim::Duration::milliseconds(50))};
        f.for_ = sim::Duration::seconds(2);
        break;
    }
    return f;
  });
}

// A token presented: an account's (as it is, stale, of a recreated
// account), a Secret's, a pod's, or a forged one.
rc::Gen<FuzzOp> gen_authenticate(std::shared_ptr<const Forger> forger) {
  return rc::gen::exec([forger] {
    FuzzOp op;
    op.kind = OpKind::kAuthenticate;
    const std::string ns = *rc::gen::elementOf(kNamespaces);
    const int source = *rc::gen::weightedElement<int>({{6, 0}, {5, 1}, {2, 2}, {forger ? 5u : 0u, 3}});
    switch (source) {
      case 0:
        op.auth.source = FuzzAuth::Source::kAccountToken;
        op.auth.name = *rc::gen::elementOf(kAccounts);
        op.auth.then = *rc::gen::weightedElement<FuzzAuth::Then>(
            {{2, FuzzAuth::Then::kNothing}, {2, FuzzAuth::Then::kDeleteSecret}, {2, FuzzAuth::Then::kRecreateAccount}});
        op.object = FuzzObject{.kind = Kind::kServiceAccount, .namespace_ = ns, .name = op.auth.name};
        break;
      case 1:
        op.auth.source = FuzzAuth::Source::kSecret;
        op.auth.name = *rc::gen::elementOf(kSecrets);
        op.auth.then = *rc::gen::weightedElement<FuzzAuth::Then>(
            {{3, FuzzAuth::Then::kNothing}, {3, FuzzAuth::Then::kLabelInvalid}, {2, FuzzAuth::Then::kAcrossMidnight}});
        op.object = FuzzObject{.kind = Kind::kSecret, .namespace_ = ns, .name = op.auth.name};
        if (op.auth.then != FuzzAuth::Then::kNothing) {
          // The tracking cases bring their own legacy token: a manual token
          // Secret of the account every namespace has.
          op.auth.name = std::string(kLegacyTokenSecret);
          op.object = FuzzObject{.kind = Kind::kSecret, .namespace_ = "default", .name = op.auth.name, .token = true,
                                 .account = "default"};
        }
        break;
      case 2:
        op.auth.source = FuzzAuth::Source::kPod;
        op.auth.name = *rc::gen::elementOf(kPods);
        op.object = FuzzObject{.kind = Kind::kPod, .namespace_ = ns, .name = op.auth.name};
        break;
      default: {
        op.auth.source = FuzzAuth::Source::kValue;
        const Forgery kind = *rc::gen::element(Forgery::kAlgNone, Forgery::kForeignKey, Forgery::kTamperedPayload,
                                               Forgery::kTruncated, Forgery::kClusterKeyClaims);
        const ForgedClaims claims{.ns = ns,
                                  .account = *rc::gen::elementOf(kAccounts),
                                  .secret = *rc::gen::elementOf(kSecrets),
                                  .spoil = *rc::gen::inRange(0, 5)};
        op.auth.value = forger->forge(kind, claims);
        op.object = FuzzObject{.kind = Kind::kSecret, .namespace_ = ns, .name = claims.secret};
        break;
      }
    }
    return op;
  });
}

// A TokenRequest of one of the pools' accounts, maybe bound to a pod or
// Secret of the pools (created just before, or not), with lifetimes around
// the API's limits and the release's projected-token lifetime (3600 s in
// 1.20, the 3607 s the apiserver extends from 1.21), audiences of the
// apiserver's own or others; then, often, the bound object or the account
// deleted or recreated, or a wait of minutes to a day (past exp and the
// 60 s leeway), and the token presented.
rc::Gen<FuzzOp> gen_token_request(const model::versions::Behaviour& release) {
  const std::int64_t projected_seconds = release.projected_token_expiration_seconds;
  // 1.29+: Nodes too (refused where ServiceAccountTokenNodeBinding is off,
  // as in 1.29 and 1.30 by default). Earlier releases draw as they always did.
  const unsigned node_weight = release.token_request_knows_nodes ? 3u : 0u;
  return rc::gen::exec([projected_seconds, node_weight] {
    using T = FuzzTokenRequest;
    FuzzOp op;
    op.kind = OpKind::kTokenRequest;
    T& t = op.token_request;
    t.account = *rc::gen::weightedElement<std::string>({{2, "default"}, {3, "sa-1"}, {1, "sa-2"}});
    op.object = FuzzObject{.kind = Kind::kServiceAccount, .namespace_ = *rc::gen::elementOf(kNamespaces), .name = t.account};
    t.bound = *rc::gen::weightedElement<T::Bound>(
        {{3, T::Bound::kNone}, {5, T::Bound::kPod}, {2, T::Bound::kSecret}, {1, T::Bound::kConfigMap},
         {node_weight, T::Bound::kNode}});
    if (t.bound == T::Bound::kPod) t.bound_name = *rc::gen::elementOf(kPods);
    if (t.bound == T::Bound::kSecret) t.bound_name = *rc::gen::elementOf(kSecrets);
    if (t.bound == T::Bound::kConfigMap) t.bound_name = "kube-root-ca.crt";
    if (t.bound == T::Bound::kNode) {
      t.bound_name = *rc::gen::weightedElement<std::string>(
          {{4, std::string(kFuzzNode)}, {1, "node-1"}, {1, std::string(kMissingNode)}});
    }
    // kFuzzNode always exists at the request (created just before, or kept
    // from an earlier request), so that the reference model knows it does.
    t.create_bound = bindable(t) && (t.bound == T::Bound::kNode || *rc::gen::weightedElement<int>({{1, 0}, {2, 1}}) == 1);
    t.wrong_uid = bindable(t) && *rc::gen::weightedElement<int>({{9, 0}, {1, 1}}) == 1;
    t.expiration_seconds = *rc::gen::weightedElement<std::optional<std::int64_t>>(
        {{3, std::nullopt}, {4, projected_seconds}, {2, 3607}, {1, 599}, {1, 600}, {2, 7200}, {1, 172800}});
    const std::string api(kFuzzApiAudience);
    t.audiences = *rc::gen::weightedElement<std::vector<std::string>>(
        {{6, {}}, {2, {api}}, {2, {"vault"}}, {1, {api, "vault"}}});
    t.then = *rc::gen::weightedElement<T::Then>({{3, T::Then::kNothing},
                                                 {4, T::Then::kWait},
                                                 {bindable(t) ? 3u : 0u, T::Then::kDeleteBound},
                                                 {bindable(t) ? 2u : 0u, T::Then::kRecreateBound},
                                                 {2, T::Then::kRecreateAccount}});
    if (t.then != T::Then::kNothing) {
      // A pod's deletion is graceful (30 s) and its token lasts 60 s more.
      t.wait = *rc::gen::weightedElement<sim::Duration>({{t.then == T::Then::kWait ? 0u : 3u, sim::Duration::zero()},
                                                         {2, sim::Duration::seconds(30)},
                                                         {3, sim::Duration::minutes(2)},
                                                         {2, sim::Duration::minutes(10)},
                                                         {3, sim::Duration::minutes(61)},
                                                         {1, sim::Duration::hours(2)},
                                                         {1, sim::Duration::hours(25)}});
    }
    t.present = *rc::gen::weightedElement<int>({{1, 0}, {9, 1}}) == 1;
    t.review_audiences = *rc::gen::weightedElement<std::vector<std::string>>({{8, {}}, {1, {"vault"}}, {1, {api}}});
    return op;
  });
}

// Which components an upgrade op takes along: mostly the whole control
// plane, sometimes only a part, so that mixed releases are exercised.
rc::Gen<std::vector<model::versions::Component>> gen_upgrade_components() {
  using model::versions::Component;
  return rc::gen::weightedElement<std::vector<Component>>(
      {{5, {Component::kApiServer, Component::kControllerManager, Component::kKubelet}},
       {1, {Component::kApiServer}},
       {1, {Component::kApiServer, Component::kControllerManager}},
       {1, {Component::kControllerManager, Component::kKubelet}},
       {1, {Component::kKubelet}}});
}

// One op, drawn for `release`: the release the apiserver runs when the op
// comes (after any upgrade before it), which decides what a token request
// may be bound to and its lifetimes.
rc::Gen<FuzzOp> gen_op(const GeneratorOptions& options, const model::versions::Behaviour& release) {
  const bool faults = options.faults;
  std::shared_ptr<const Forger> forger = options.forger;
  const std::optional<VersionRange> range = parse_version_range(options.version);
  const bool upgrades = range && range->first < range->last;
  return rc::gen::exec([faults, forger, release, upgrades] {
    FuzzOp op;
    op.after = *gen_after();
    // (A weight of 0 draws as if the entry were not there: single-release
    // campaigns draw the cases they always drew.)
    const int choice = *rc::gen::weightedElement<int>(
        {{82, 0}, {8, 1}, {faults ? 4u : 0u, 2}, {6, 3}, {5, 4}, {upgrades ? 8u : 0u, 5}});
    if (choice == 5) {
      op.kind = OpKind::kUpgrade;
      op.upgrade_components = *gen_upgrade_components();
      return op;
    }
    if (choice == 4) {
      FuzzOp request = *gen_token_request(release);
      request.after = op.after;
      return request;
    }
    if (choice == 3) {
      FuzzOp auth = *gen_authenticate(forger);
      auth.after = op.after;
      return auth;
    }
    if (choice == 1) {
      op.kind = OpKind::kWait;
      // Two minutes outlast the tokens controller's mutation cache (60 s).
      op.wait = *rc::gen::weightedElement<sim::Duration>({{3, sim::Duration::milliseconds(100)},
                                                          {3, sim::Duration::seconds(1)},
                                                          {2, sim::Duration::seconds(5)},
                                                          {2, sim::Duration::minutes(2)}});
      return op;
    }
    if (choice == 2) {
      op.kind = OpKind::kFault;
      op.fault = *gen_fault();
      return op;
    }
    const Kind kind = *rc::gen::weightedElement<Kind>(
        {{2, Kind::kNamespace}, {4, Kind::kServiceAccount}, {4, Kind::kSecret}, {3, Kind::kPod}});
    op.kind = *rc::gen::weightedElement<OpKind>(
        {{7, OpKind::kCreate}, {4, OpKind::kDelete}, {3, OpKind::kPatch}, {2, OpKind::kReplace}, {3, OpKind::kRecreate},
         {kind == Kind::kServiceAccount ? 3u : 0u, OpKind::kDeleteToken}});
    op.object = *gen_object(kind, kNamespaces);
    if (op.kind == OpKind::kPatch) op.patch = *gen_patch(kind);
    return op;
  });
}

rc::Gen<std::vector<FuzzObject>> gen_world(int max_world) {
  return rc::gen::exec([max_world] {
    std::vector<FuzzObject> world;
    std::vector<std::string> namespaces{"default"};
    for (const std::string& ns : {std::string("ns-a"), std::string("ns-b")}) {
      if (*rc::gen::inRange(0, 2) == 1) {
        world.push_back(FuzzObject{.kind = Kind::kNamespace, .name = ns});
        namespaces.push_back(ns);
      }
    }
    const int n = *rc::gen::inRange(0, max_world + 1);
    std::set<std::tuple<Kind, std::string, std::string>> seen;
    for (int i = 0; i < n; ++i) {
      const Kind kind = *rc::gen::element(Kind::kServiceAccount, Kind::kSecret);
      FuzzObject o = *gen_object(kind, namespaces);
      if (!seen.insert({o.kind, o.namespace_, o.name}).second || (kind == Kind::kServiceAccount && o.name == "default")) {
        continue;
      }
      world.push_back(std::move(o));
    }
    return world;
  });
}

}  // namespace

rc::Gen<FuzzCluster> gen_cluster(const std::string& version) {
  return rc::gen::exec([version] {
    FuzzCluster cluster;
    cluster.version = version;
    // A range: the case starts at one of its releases (the first more
    // often, so that long upgrade paths are drawn too).
    if (const std::optional<VersionRange> range = parse_version_range(version); range && range->first < range->last) {
      const std::vector<std::string> versions = range->versions();
      cluster.version = *rc::gen::weightedElement<int>({{2, 0}, {1, 1}}) == 0 ? versions.front()
                                                                              : *rc::gen::elementOf(versions);
      cluster.last_version = versions.back();
    } else if (range) {
      cluster.version = range->first.to_string();
    }
    cluster.service_account_lookup = *rc::gen::weightedElement<int>({{4, 1}, {1, 0}}) == 1;
    cluster.limit_secret_references = *rc::gen::weightedElement<int>({{6, 0}, {1, 1}}) == 1;
    cluster.admission_watch_lag = *rc::gen::weightedElement<sim::Duration>(
        {{7, sim::Duration::zero()}, {2, sim::Duration::milliseconds(50)}, {1, sim::Duration::seconds(1)}});
    // --service-account-max-token-expiration (at least an hour) and
    // --service-account-extend-token-expiration.
    cluster.max_token_expiration = *rc::gen::weightedElement<std::optional<sim::Duration>>(
        {{6, std::nullopt}, {1, sim::Duration::hours(2)}, {1, sim::Duration::hours(24)}});
    cluster.extend_token_expiration = *rc::gen::weightedElement<int>({{1, 0}, {5, 1}}) == 1;
    return cluster;
  });
}

// cluster.featureGates for a case that runs `releases` (its first is the
// one it starts at): in 3 cases of 4 none (each release as it ships);
// otherwise each gate the first release has and does not lock is left
// alone, set to the other value than its default (most often), or set to
// its default, keeping only values every release of the case accepts (a
// gate gone or locked to the other value in a later release would stop
// the upgraded binary). A value kept across an upgrade may differ from the
// later release's default (ServiceAccountTokenNodeBinding off from 1.29
// into 1.31): that is the point of drawing them per case.
rc::Gen<std::map<std::string, bool>> gen_feature_gates(std::vector<model::versions::KubeVersion> releases) {
  namespace v = model::versions;
  return rc::gen::exec([releases] {
    std::map<std::string, bool> gates;
    if (releases.empty() || *rc::gen::weightedElement<int>({{3, 0}, {1, 1}}) == 0) return gates;
    for (v::Gate gate : v::all_gates()) {
      const v::GateState first = v::gate_state(gate, releases.front());
      if (first.stage == v::Stage::kAbsent || first.locked) continue;
      const int choice = *rc::gen::weightedElement<int>({{1, 0}, {3, 1}, {1, 2}});
      if (choice == 0) continue;
      const bool value = choice == 1 ? !first.default_on : first.default_on;
      const bool holds = std::all_of(releases.begin(), releases.end(), [&](const v::KubeVersion& release) {
        const v::GateState state = v::gate_state(gate, release);
        return state.stage != v::Stage::kAbsent && (!state.locked || state.default_on == value);
      });
      if (holds) gates[std::string(v::gate_name(gate))] = value;
    }
    return gates;
  });
}

rc::Gen<FuzzCase> gen_fuzz_case(const GeneratorOptions& options) {
  return rc::gen::exec([options] {
    FuzzCase c;
    c.seed = *rc::gen::inRange<std::uint64_t>(1, 1'000'000);
    c.cluster = *gen_cluster(options.version);
    c.world = *gen_world(options.max_world);
    const int n = *rc::gen::inRange(0, options.max_steps + 1);
    if (c.cluster.last_version.empty()) {
      // One release throughout (single-release campaigns draw their ops as
      // they always did).
      c.ops = *rc::gen::container<std::vector<FuzzOp>>(static_cast<std::size_t>(n),
                                                       gen_op(options, release_of(c.cluster.version)));
    } else {
      // Upgrades may come: each op is drawn for the release the apiserver
      // runs when it comes, so that a range reaches what its later
      // releases have (node-bound TokenRequests from 1.29) whatever it
      // starts at.
      for (int i = 0; i < n; ++i) {
        const model::versions::KubeVersion now = upgrade_timeline(c).end.of(model::versions::Component::kApiServer);
        c.ops.push_back(*gen_op(options, release_of(now.to_string())));
      }
    }
    // Last, so that the draws before are those of a case without gates.
    c.cluster.feature_gates = *gen_feature_gates(releases_reached(c));
    return c;
  });
}

std::uint64_t case_seed(std::uint64_t campaign_seed, std::uint64_t index) {
  // splitmix64 of the pair: neighbouring indexes and seeds give unrelated cases.
  std::uint64_t z = campaign_seed * 0x9E3779B97F4A7C15ULL + index + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

FuzzCase generate_case(const GeneratorOptions& options, std::uint64_t seed) {
  return gen_fuzz_case(options)(rc::Random(seed), /*size=*/100).value();
}

}  // namespace sasim::tools::fuzz
