#include "tools/fuzz/reference_model.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "model/auth/base64.h"
#include "model/objects/constants.h"
#include "model/objects/timestamp.h"
#include "model/versions/behaviour.h"
#include "tools/fuzz/upgrades.h"

namespace sasim::tools::fuzz {
namespace {

using model::Kind;
using Key = std::tuple<Kind, std::string, std::string>;  // kind, namespace ("" for namespaces), name

Key key_of(const FuzzObject& o) {
  return {o.kind, o.kind == Kind::kNamespace ? std::string() : o.namespace_, o.name};
}

struct Entry {
  bool exists = false;
  FuzzObject last{};
  int incarnation = 0;          // accounts: which creation this is
  int creations = 0;            // accounts: how many incarnations there have been
  int account_at_write = 0;     // token Secrets: the account's incarnation when written (0: absent)
  // Token Secrets without a uid annotation: the account named had an
  // earlier incarnation when the Secret was written, whose cleanup (T2)
  // may still have been pending.
  bool predecessor_at_write = false;
  bool unknown = false;         // a Secret the user may have deleted without naming it
  // Token Secrets: this object (since its creation) was once written naming
  // an account that did not exist (or a uid no account has), or another
  // account than it names now. The tokens controller may have queued it
  // then; that sync works on the queued key's account (T6 may even bind the
  // Secret to it, uid and all, and the next sync then finds the uid wrong)
  // and can delete the Secret with only a uid precondition, which a later
  // replace keeps (upstream too).
  bool doomed_key = false;
  std::optional<std::string> last_account;  // token Secrets: the account the previous write named
};

class Reference {
 public:
  void write(const FuzzObject& o, bool create) {
    Entry& e = entries_[key_of(o)];
    if (create) {
      e.unknown = false;
      e.doomed_key = false;
      e.last_account.reset();
    }
    // An accepted update of something deleted is an update of a namespace
    // still terminating: it does not bring the namespace back.
    if (!create && !e.exists) return;
    e.exists = true;
    e.last = o;
    if (create) {
      e.incarnation = ++counter_;
      ++e.creations;
    }
    if (o.kind == Kind::kSecret && o.token) {
      if (!create && e.last_account && *e.last_account != o.account) e.doomed_key = true;
      e.last_account = o.account;
      e.account_at_write = incarnation(o.namespace_, o.account);
      e.predecessor_at_write = creations(o.namespace_, o.account) > 1;
      if (o.account_uid || e.account_at_write == 0) e.doomed_key = true;
    }
  }
  void remove(const FuzzObject& o) {
    entries_[key_of(o)].exists = false;
    if (o.kind != Kind::kNamespace) return;
    for (auto& [key, entry] : entries_) {
      if (std::get<0>(key) != Kind::kNamespace && std::get<1>(key) == o.name) entry.exists = false;
    }
    // The namespace's `default` account goes with it.
    entries_[{Kind::kServiceAccount, o.name, "default"}].exists = false;
  }
  void forget_secrets(const std::string& ns) {
    for (auto& [key, entry] : entries_) {
      if (std::get<0>(key) == Kind::kSecret && std::get<1>(key) == ns) entry.unknown = true;
    }
  }
  // 0 when absent. `default` accounts change incarnation behind the user's
  // back (the ServiceAccounts controller recreates them): -1, never equal.
  int incarnation(const std::string& ns, const std::string& name) const {
    if (name == "default") return -1;
    auto it = entries_.find({Kind::kServiceAccount, ns, name});
    return it == entries_.end() || !it->second.exists ? 0 : it->second.incarnation;
  }
  int creations(const std::string& ns, const std::string& name) const {
    auto it = entries_.find({Kind::kServiceAccount, ns, name});
    return it == entries_.end() ? 0 : it->second.creations;
  }
  bool namespace_exists(const std::string& ns) const {
    auto it = entries_.find({Kind::kNamespace, "", ns});
    return it != entries_.end() && it->second.exists;
  }
  const std::map<Key, Entry>& entries() const { return entries_; }

 private:
  std::map<Key, Entry> entries_;
  int counter_ = 0;
};

// kGoneOrOwned: either outcome of a race upstream leaves open, but nothing
// else: the object is gone, or it is a token Secret of the live account.
enum class Expect : std::uint8_t { kExists, kAbsent, kUnknown, kGoneOrOwned };

scenarios::Condition object_condition(Kind kind, const std::string& name, bool exists) {
  scenarios::ObjectRef ref{.location = {}, .kind = kind, .name = name};
  scenarios::Condition c;
  if (exists) c.test = scenarios::ExistsCondition{ref};
  else c.test = scenarios::AbsentCondition{ref};
  return c;
}

std::string label(Kind kind, const std::string& ns, const std::string& name) {
  if (kind == Kind::kNamespace) return fmt::format("namespace/{}", name);
  return fmt::format("{}/{}/{}", model::singular_name(kind), ns, name);
}

using AccountUids = std::map<std::pair<std::string, std::string>, std::string>;  // (ns, name) -> uid

// A token Secret bound (uid annotation) to the live account it names.
bool owned_by_live_account(const model::ObjectPtr& object, const AccountUids& account_uids) {
  const auto* secret = model::as<model::Secret>(object);
  if (secret == nullptr || secret->type != model::kSecretTypeServiceAccountToken) return false;
  const std::string* account = secret->metadata.annotation(std::string(model::kServiceAccountNameKey));
  const std::string* uid = secret->metadata.annotation(std::string(model::kServiceAccountUidKey));
  auto live = account ? account_uids.find({secret->metadata.namespace_, *account}) : account_uids.end();
  return live != account_uids.end() && uid != nullptr && *uid == live->second;
}

// The release `component` runs before op `i` (after the last op: i == size).
std::optional<model::versions::Behaviour> release_at(const FuzzCase& c, const UpgradeTimeline& timeline, std::size_t i,
                                                     model::versions::Component component) {
  if (!model::versions::KubeVersion::parse(c.cluster.version)) return std::nullopt;
  // The release as the version table describes it with the case's gates
  // (which carry over upgrades): the table's Behaviour, not the settings
  // the components were built with.
  const model::versions::KubeVersion version =
      i < timeline.before.size() ? timeline.before[i].of(component) : timeline.end.of(component);
  auto gates = model::versions::resolve_feature_gates(version, c.cluster.feature_gates);
  if (!gates) return std::nullopt;  // a case the runner refuses: nothing to judge
  return model::versions::behaviour_of(gates.value());
}

}  // namespace

std::vector<Disagreement> compare_with_reference(const FuzzCase& c, const std::vector<bool>& accepted,
                                                 const std::vector<model::ObjectPtr>& end_state) {
  Reference ref;
  for (const std::string& ns : fuzz_cluster_namespaces()) ref.write(FuzzObject{.kind = Kind::kNamespace, .name = ns}, true);
  for (const FuzzObject& o : c.world) ref.write(o, true);
  std::size_t step = 0;
  auto ok = [&] {
    const bool result = step < accepted.size() && accepted[step];
    ++step;
    return result;
  };
  // Which release admitted each pod the timeline created: an upgrade
  // changes what admission mounts for pods created after it only.
  const UpgradeTimeline timeline = upgrade_timeline(c);
  std::map<std::pair<std::string, std::string>, bool> admitted_projected;
  auto admitted = [&](std::size_t i, const FuzzObject& object) {
    if (object.kind != Kind::kPod) return;
    const auto release = release_at(c, timeline, i, model::versions::Component::kApiServer);
    admitted_projected[{object.namespace_, object.name}] =
        release && release->token_mount == model::versions::TokenMount::kProjected;
  };
  for (std::size_t op_index = 0; op_index < c.ops.size(); ++op_index) {
    const FuzzOp& op = c.ops[op_index];
    switch (op.kind) {
      case OpKind::kCreate:
        if (ok()) {
          ref.write(op.object, true);
          admitted(op_index, op.object);  // only a pod the apiserver stored was admitted
        }
        break;
      case OpKind::kReplace:
        if (ok()) ref.write(op.object, false);
        break;
      case OpKind::kDelete:
        if (ok()) ref.remove(op.object);
        break;
      case OpKind::kRecreate:
        if (ok()) ref.remove(op.object);
        if (ok()) {
          ref.write(op.object, true);
          admitted(op_index, op.object);
        }
        break;
      case OpKind::kDeleteToken:
        ok();
        // The Secret deleted is whichever the account referenced first:
        // maybe one of the user's. Their fate is no longer judged.
        if (ok()) ref.forget_secrets(op.object.namespace_);
        break;
      case OpKind::kAuthenticate:
        if (op.auth.source == FuzzAuth::Source::kAccountToken) {
          ok();  // the get that captures the token's Secret
          const FuzzObject account{.kind = Kind::kServiceAccount, .namespace_ = op.object.namespace_, .name = op.auth.name};
          if (op.auth.then == FuzzAuth::Then::kDeleteSecret && ok()) ref.forget_secrets(op.object.namespace_);
          if (op.auth.then == FuzzAuth::Then::kRecreateAccount) {
            if (ok()) ref.remove(account);
            if (ok()) ref.write(account, true);
          }
        } else if (op.auth.then == FuzzAuth::Then::kLabelInvalid) {
          if (ok()) ref.write(op.object, true);  // the op's own token Secret
          ok();  // the await for the token
          ok();  // the label (which changes no object's fate)
          ok();  // a second for the apiserver's informer
        } else if (op.auth.then == FuzzAuth::Then::kAcrossMidnight) {
          if (ok()) ref.write(op.object, true);  // the op's own token Secret
          ok();  // the await for the token
          ok();  // the first presentation
          ok();  // a second
          ok();  // the second presentation, the same day
          ok();  // the day's wait
        }
        ok();
        break;
      case OpKind::kTokenRequest: {
        const FuzzTokenRequest& t = op.token_request;
        const FuzzObject account{.kind = Kind::kServiceAccount, .namespace_ = op.object.namespace_, .name = t.account};
        const FuzzObject bound = bound_object_of(op);
        if (t.create_bound && bindable(t) && ok()) {
          ref.write(bound, true);
          admitted(op_index, bound);
        }
        ok();  // the request (which creates nothing)
        const FuzzObject& target = t.then == FuzzTokenRequest::Then::kRecreateAccount || !bindable(t) ? account : bound;
        const bool deletes = t.then == FuzzTokenRequest::Then::kDeleteBound ||
                             t.then == FuzzTokenRequest::Then::kRecreateBound ||
                             t.then == FuzzTokenRequest::Then::kRecreateAccount;
        if (deletes && ok()) ref.remove(target);
        if (t.wait > sim::Duration::zero() && t.then != FuzzTokenRequest::Then::kNothing) ok();
        if ((t.then == FuzzTokenRequest::Then::kRecreateBound || t.then == FuzzTokenRequest::Then::kRecreateAccount) &&
            ok()) {
          ref.write(target, true);
          admitted(op_index, target);
        }
        if (t.present) ok();
        break;
      }
      case OpKind::kPatch:
      case OpKind::kWait:
      case OpKind::kFault:
      case OpKind::kUpgrade:
        ok();
        break;
    }
  }

  // What the store holds.
  std::map<Key, model::ObjectPtr> actual;
  for (const model::ObjectPtr& object : end_state) {
    const model::ObjectMeta& m = model::meta(*object);
    actual[{model::kind_of(*object), m.namespace_, m.name}] = object;
  }
  AccountUids account_uids;  // live accounts
  for (const auto& [key, object] : actual) {
    if (std::get<0>(key) == Kind::kServiceAccount) account_uids[{std::get<1>(key), std::get<2>(key)}] = model::meta(*object).uid;
  }

  // What the reference expects of each object it knows.
  std::map<Key, Expect> expected;
  for (const auto& [key, entry] : ref.entries()) {
    const auto& [kind, ns, name] = key;
    Expect e = entry.exists ? Expect::kExists : Expect::kAbsent;
    if (kind == Kind::kServiceAccount && name == "default") continue;  // judged per namespace below
    if (kind == Kind::kSecret && entry.exists && entry.last.token) {
      const int now = ref.incarnation(ns, entry.last.account);
      if (entry.last.account_uid) e = Expect::kAbsent;  // no account has the generator's uid
      // The account was deleted and recreated before the Secret was
      // written: the old incarnation's T2 deletes token Secrets whose uid
      // annotation is its uid or empty, and T6 fills this Secret's in with
      // the new uid. Which comes first is a race (upstream too).
      else if (entry.account_at_write > 0 && entry.account_at_write == now && entry.predecessor_at_write) e = Expect::kGoneOrOwned;
      // Written for the live account, but once queued for a missing one:
      // that sync may delete it first.
      else if (entry.account_at_write > 0 && entry.account_at_write == now && entry.doomed_key) e = Expect::kGoneOrOwned;
      else if (entry.account_at_write > 0 && entry.account_at_write == now) e = Expect::kExists;
      else if (entry.account_at_write == 0 && now == 0) e = Expect::kAbsent;
      else e = Expect::kUnknown;
    }
    if (entry.unknown && kind == Kind::kSecret) e = Expect::kUnknown;
    expected[key] = e;
  }
  for (const auto& [key, entry] : ref.entries()) {
    if (std::get<0>(key) == Kind::kNamespace && entry.exists) {
      expected[{Kind::kServiceAccount, std::get<2>(key), "default"}] = Expect::kExists;
    }
  }

  std::vector<Disagreement> out;
  auto disagree = [&](Kind kind, const std::string& ns, const std::string& name, bool should_exist, std::string why) {
    Disagreement d;
    d.object = label(kind, ns, name);
    d.message = fmt::format("reference model: {} {}", d.object, why);
    d.namespace_ = kind == Kind::kNamespace ? "default" : ns;
    d.condition = object_condition(kind, name, should_exist);
    out.push_back(std::move(d));
  };
  for (const auto& [key, e] : expected) {
    const auto& [kind, ns, name] = key;
    if (kind != Kind::kNamespace && kind != Kind::kServiceAccount && !ref.namespace_exists(ns) && e == Expect::kExists) {
      continue;  // cannot happen: written objects live in existing namespaces
    }
    const bool present = actual.count(key) != 0;
    if (e == Expect::kExists && !present) disagree(kind, ns, name, true, "should exist after the settle, but is gone");
    if (e == Expect::kAbsent && present) disagree(kind, ns, name, false, "should be gone after the settle, but exists");
    if (e == Expect::kGoneOrOwned && present && !owned_by_live_account(actual.at(key), account_uids)) {
      disagree(kind, ns, name, false, "survived the race with its account's predecessor but is not bound to the live account");
    }
  }
  for (const auto& [key, object] : actual) {
    if (expected.count(key) != 0) continue;
    const auto& [kind, ns, name] = key;
    if (kind == Kind::kSecret) {
      if (owned_by_live_account(object, account_uids)) continue;
      disagree(kind, ns, name, false, "is neither the user's nor a token of a live ServiceAccount");
      continue;
    }
    disagree(kind, ns, name, false, "exists, but the user never created it or deleted it");
  }
  // Every account references a token Secret of its own (the invariant
  // every-serviceaccount-has-valid-token also checks that it authenticates),
  // where the release generates them (T3; 1.24-1.25 do not, T3'). After
  // upgrades: the controller-manager's last release (releases only stop
  // generating, so one that generates at the end always did).
  const std::optional<model::versions::Behaviour> release =
      release_at(c, timeline, c.ops.size(), model::versions::Component::kControllerManager);
  const bool tokens_generated = !release || release->tokens_controller_auto_generates;
  for (const auto& [key, object] : actual) {
    if (!tokens_generated) break;
    const auto& [kind, ns, name] = key;
    if (kind != Kind::kServiceAccount) continue;
    const auto* sa = model::as<model::ServiceAccount>(object);
    bool referenced = false;
    for (const model::ObjectReference& ref_entry : sa->secrets) {
      auto it = actual.find({Kind::kSecret, ns, ref_entry.name});
      const auto* secret = it == actual.end() ? nullptr : model::as<model::Secret>(it->second);
      if (secret == nullptr || secret->type != model::kSecretTypeServiceAccountToken) continue;
      const std::string* account = secret->metadata.annotation(std::string(model::kServiceAccountNameKey));
      const std::string* uid = secret->metadata.annotation(std::string(model::kServiceAccountUidKey));
      referenced = referenced || (account != nullptr && *account == name && (uid == nullptr || *uid == sa->metadata.uid));
    }
    if (referenced) continue;
    Disagreement d;
    d.object = label(kind, ns, name);
    d.message = fmt::format("reference model: {} references no token Secret of its own", d.object);
    d.namespace_ = ns;
    d.condition.test = scenarios::InvariantCondition{"every-serviceaccount-has-valid-token"};
    out.push_back(std::move(d));
  }
  // Pods that brought their own imagePullSecrets keep them.
  for (const auto& [key, entry] : ref.entries()) {
    const auto& [kind, ns, name] = key;
    if (kind != Kind::kPod || !entry.exists || entry.last.image_pull_secrets.empty()) continue;
    auto it = actual.find(key);
    if (it == actual.end()) continue;
    const auto* pod = model::as<model::Pod>(it->second);
    if (pod->spec.image_pull_secrets == entry.last.image_pull_secrets) continue;
    Disagreement d;
    d.object = label(kind, ns, name);
    std::string have, want;
    for (const std::string& s : pod->spec.image_pull_secrets) have += (have.empty() ? "" : ", ") + s;
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& s : entry.last.image_pull_secrets) {
      want += (want.empty() ? "" : ", ") + s;
      list.push_back({{"name", s}});
    }
    d.message = fmt::format("reference model: {} brought imagePullSecrets [{}] but has [{}]", d.object, want, have);
    d.namespace_ = ns;
    scenarios::MatchesCondition matches;
    matches.object = scenarios::ObjectRef{.location = {}, .kind = Kind::kPod, .name = name};
    matches.pattern.json = {{"spec", {{"imagePullSecrets", list}}}};
    d.condition.test = matches;
    out.push_back(std::move(d));
  }
  // Where the release mounts the projected kube-api-access volume (L3,
  // 1.21+), admission adds no Secret volume: the only one a pod may have
  // is the user's own, `creds`.
  const std::optional<model::versions::Behaviour> first_release =
      release_at(c, timeline, 0, model::versions::Component::kApiServer);
  for (const auto& [key, object] : actual) {
    const auto& [kind, ns, name] = key;
    if (kind != Kind::kPod) continue;
    const auto at = admitted_projected.find({ns, name});
    const bool projected = at != admitted_projected.end()
                               ? at->second
                               : first_release && first_release->token_mount == model::versions::TokenMount::kProjected;
    if (!projected) continue;
    const auto* pod = model::as<model::Pod>(object);
    for (std::size_t i = 0; i < pod->spec.volumes.size(); ++i) {
      const model::Volume& volume = pod->spec.volumes[i];
      if (!volume.secret || volume.name == "creds") continue;
      Disagreement d;
      d.object = label(kind, ns, name);
      d.message = fmt::format("reference model: {} has a Secret volume for its token where the release that admitted "
                              "it mounts the projected kube-api-access volume",
                              d.object);
      d.namespace_ = ns;
      // Each volume in order, the offending one required to be projected.
      nlohmann::json volumes = nlohmann::json::array();
      for (std::size_t j = 0; j < pod->spec.volumes.size(); ++j) {
        volumes.push_back(j == i ? nlohmann::json{{"projected", "<any>"}} : nlohmann::json{{"name", "<any>"}});
      }
      scenarios::MatchesCondition matches;
      matches.object = scenarios::ObjectRef{.location = {}, .kind = Kind::kPod, .name = name};
      matches.pattern.json = {{"spec", {{"volumes", volumes}}}};
      d.condition.test = matches;
      out.push_back(std::move(d));
      break;
    }
  }
  return out;
}

namespace {

// The claims of a token's payload, read without checking the signature
// (the invariants' oracle checks that): iat and exp.
std::optional<std::pair<std::int64_t, std::int64_t>> issued_and_expiry(const std::string& token) {
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string::npos ? first : token.find('.', first + 1);
  if (second == std::string::npos) return std::nullopt;
  const auto payload = model::auth::base64url_decode(std::string_view(token).substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  const nlohmann::json claims = nlohmann::json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object() || !claims.contains("iat") || !claims.contains("exp") || !claims["iat"].is_number() ||
      !claims["exp"].is_number()) {
    return std::nullopt;
  }
  return std::make_pair(claims["iat"].get<std::int64_t>(), claims["exp"].get<std::int64_t>());
}

std::string seconds_text(std::int64_t s) { return fmt::format("{} s", s); }

// A bound token's kubernetes.io.node {name, uid} ("" for a missing uid),
// read from its payload; nullopt without one.
std::optional<std::pair<std::string, std::string>> node_claim(const std::string& token) {
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string::npos ? first : token.find('.', first + 1);
  if (second == std::string::npos) return std::nullopt;
  const auto payload = model::auth::base64url_decode(std::string_view(token).substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  const nlohmann::json claims = nlohmann::json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) return std::nullopt;
  const auto it = claims.find("kubernetes.io");
  if (it == claims.end() || !it->is_object()) return std::nullopt;
  const auto node = it->find("node");
  if (node == it->end() || !node->is_object()) return std::nullopt;
  return std::make_pair(node->value("name", std::string()), node->value("uid", std::string()));
}

}  // namespace

std::vector<Disagreement> compare_token_requests(const FuzzCase& c, const std::vector<TokenRequestExchange>& exchanges,
                                                 std::int64_t epoch_unix_seconds) {
  std::vector<Disagreement> out;
  const UpgradeTimeline timeline = upgrade_timeline(c);
  const std::vector<std::string> api_audiences{std::string(kFuzzApiAudience)};
  std::size_t step = 0;
  std::size_t k = 0;
  for (std::size_t op_index = 0; op_index < c.ops.size(); ++op_index) {
    const FuzzOp& op = c.ops[op_index];
    const std::size_t first_step = step;
    step += step_count(op);
    if (op.kind != OpKind::kTokenRequest) continue;
    // The release the apiserver runs when the request is served.
    const std::optional<model::versions::Behaviour> release =
        release_at(c, timeline, op_index, model::versions::Component::kApiServer);
    if (!release) return out;
    if (k >= exchanges.size()) break;
    const TokenRequestExchange& x = exchanges[k++];
    const FuzzTokenRequest& t = op.token_request;
    const std::size_t request_step = first_step + (t.create_bound && bindable(t) ? 1 : 0);
    const std::string account = label(Kind::kServiceAccount, op.object.namespace_, t.account);
    const std::int64_t requested = t.expiration_seconds.value_or(model::kDefaultTokenRequestExpirationSeconds);
    auto disagree = [&](std::string why, scenarios::Expect expect) {
      Disagreement d;
      d.object = account;
      d.message = fmt::format("reference model: the TokenRequest for {} (expirationSeconds {}) {}", account,
                              t.expiration_seconds ? std::to_string(*t.expiration_seconds) : "unset", why);
      d.namespace_ = op.object.namespace_;
      d.step = request_step;
      d.expect = std::move(expect);
      out.push_back(std::move(d));
    };
    const bool valid = requested >= 600 && requested <= (std::int64_t{1} << 32);
    if (!x.response) {
      if (x.code == 422 && valid) {
        disagree("was refused as invalid, but the release accepts it",
                 scenarios::Expect{.location = {}, .what = scenarios::ExpectResponse{}});
      }
      continue;
    }
    if (!valid) {
      disagree("was accepted, but the release refuses it (422)",
               scenarios::Expect{.location = {}, .what = scenarios::ExpectError{.code = 422}});
      continue;
    }
    if (t.bound == FuzzTokenRequest::Bound::kNode) {
      // B6 for a Node (1.29+): known only from 1.29, bound only with
      // ServiceAccountTokenNodeBinding, to a Node that exists (kMissingNode
      // never does), whose uid a given boundObjectRef.uid must be. Any of
      // these makes the request fail, whatever else happens to the case.
      std::string refusal;
      if (!release->token_request_knows_nodes) {
        refusal = "400: the release cannot bind a token to a Node";
      } else if (!release->token_node_binding) {
        refusal = "400: ServiceAccountTokenNodeBinding is off";
      } else if (t.bound_name == kMissingNode) {
        refusal = "404: the Node does not exist";
      } else if (t.wrong_uid) {
        refusal = "409: the boundObjectRef's uid is not the Node's";
      }
      if (!refusal.empty()) {
        disagree(fmt::format("bound to node {} was accepted, but the release refuses it ({})", t.bound_name, refusal),
                 scenarios::Expect{.location = {}, .what = scenarios::ExpectError{.code = std::stoi(refusal)}});
        continue;
      }
      // Accepted: the token names that Node, with a uid.
      if (x.response->token) {
        const auto node = node_claim(x.response->token->bytes());
        if (!node || node->first != t.bound_name || node->second.empty()) {
          disagree(fmt::format("bound to node {} issued a token whose node claim is {}", t.bound_name,
                               node ? node->first + "/" + node->second : std::string("missing")),
                   scenarios::Expect{.location = {}, .what = scenarios::ExpectResponse{}});
          continue;
        }
      }
    }
    if (!x.response->token || !x.response->expiration_timestamp) continue;
    const auto times = issued_and_expiry(x.response->token->bytes());
    if (!times) continue;
    const auto [iat, exp] = *times;
    // B7: the cap. B8: the extension (1.24+: only for the apiserver's own audiences).
    std::int64_t lifetime = requested;
    const std::optional<sim::Duration> max = c.cluster.max_token_expiration;
    if (max && lifetime > max->ns() / sim::Duration::kNsPerSecond) lifetime = max->ns() / sim::Duration::kNsPerSecond;
    const std::vector<std::string>& audiences = t.audiences.empty() ? api_audiences : t.audiences;
    bool own_audiences = true;
    for (const std::string& a : audiences) {
      own_audiences = own_audiences && std::find(api_audiences.begin(), api_audiences.end(), a) != api_audiences.end();
    }
    const bool extended = c.cluster.extend_token_expiration && t.bound == FuzzTokenRequest::Bound::kPod &&
                          lifetime == 3607 && (!release->extension_requires_api_audiences || own_audiences);
    // B10: the status tells the (capped, not extended) lifetime.
    const std::int64_t status = epoch_unix_seconds + x.response->expiration_timestamp->ns() / sim::Duration::kNsPerSecond;
    if (status != iat + lifetime) {
      scenarios::ExpectResponse expect;
      expect.pattern.json = {{"status", {{"expirationTimestamp", model::format_rfc3339(iat + lifetime)}}}};
      disagree(fmt::format("expires {} after it was issued, but the release says {}", seconds_text(status - iat),
                           seconds_text(lifetime)),
               scenarios::Expect{.location = {}, .what = expect});
      continue;
    }
    const std::int64_t jwt_lifetime = extended ? release->expiration_extension_seconds : lifetime;
    if (exp - iat != jwt_lifetime) {
      // Not visible in the response as the format shows it (the token is
      // opaque there): the step's expectation is the status, which holds.
      scenarios::ExpectResponse expect;
      expect.pattern.json = {{"status", {{"expirationTimestamp", model::format_rfc3339(iat + lifetime)}}}};
      disagree(fmt::format("issued a token whose exp is {} after its iat, but the release gives {}",
                           seconds_text(exp - iat), seconds_text(jwt_lifetime)),
               scenarios::Expect{.location = {}, .what = expect});
    }
  }
  return out;
}

}  // namespace sasim::tools::fuzz
