#include "scenarios/writer.h"

#include <string_view>

#include "model/objects/ascii.h"
#include "model/objects/timestamp.h"
#include "scenarios/yaml_json.h"
#include "scenarios/yaml_tree.h"
#include "sim/duration_text.h"

namespace sasim::scenarios {
namespace {

using Json = nlohmann::ordered_json;

std::string dur(sim::Duration d) { return sim::format_duration(d); }

// A distribution as the parser reads it: its own describe() text is YAML.
Json dist(const sim::DurationDistribution& d) {
  const std::string text = d.describe();
  auto nodes = load_yaml(text, "<distribution>");
  if (!nodes || nodes.value().empty()) return text;
  auto json = to_json(nodes.value().front());
  if (!json) return text;
  return Json::parse(json.value().json.dump());
}

Json plain(const nlohmann::json& value) { return Json::parse(value.dump()); }

std::string ref(model::Kind kind, const std::string& name) {
  return std::string(model::singular_name(kind)) + "/" + name;
}

Json condition(const Condition& c) {
  return std::visit(
      [](const auto& t) -> Json {
        using T = std::decay_t<decltype(t)>;
        Json out = Json::object();
        if constexpr (std::is_same_v<T, ExistsCondition>) {
          out["exists"] = ref(t.object.kind, t.object.name);
        } else if constexpr (std::is_same_v<T, AbsentCondition>) {
          out["absent"] = ref(t.object.kind, t.object.name);
        } else if constexpr (std::is_same_v<T, MatchesCondition>) {
          out["object"] = ref(t.object.kind, t.object.name);
          out["matches"] = plain(t.pattern.json);
        } else if constexpr (std::is_same_v<T, CountCondition>) {
          out["count"] = std::string(model::resource_name(t.kind));
          if (t.all_namespaces) out["allNamespaces"] = true;
          if (t.where) out["where"] = plain(t.where->json);
          const char* key = t.comparison == CountCondition::Comparison::kEquals    ? "equals"
                            : t.comparison == CountCondition::Comparison::kAtLeast ? "atLeast"
                                                                                    : "atMost";
          out[key] = t.count;
        } else if constexpr (std::is_same_v<T, TokenValidCondition>) {
          const char* from = t.token.from == TokenSource::From::kSecret ? "secret"
                             : t.token.from == TokenSource::From::kPod  ? "pod"
                                                                        : "value";
          Json token{{from, t.token.text}};
          if (!t.token.audiences.empty()) token["audiences"] = t.token.audiences;
          if (t.token.process) token["process"] = true;
          out["tokenValid"] = token;
        } else if constexpr (std::is_same_v<T, InvariantCondition>) {
          out["invariant"] = t.name;
        } else if constexpr (std::is_same_v<T, AllCondition> || std::is_same_v<T, AnyCondition>) {
          Json list = Json::array();
          for (const Condition& inner : t.conditions) list.push_back(condition(inner));
          out[std::is_same_v<T, AllCondition> ? "all" : "any"] = list;
        } else if constexpr (std::is_same_v<T, NotCondition>) {
          out["not"] = condition(*t.condition);
        }
        return out;
      },
      c.test);
}

Json resources(const std::vector<model::Kind>& kinds) {
  Json list = Json::array();
  for (model::Kind k : kinds) list.push_back(std::string(model::resource_name(k)));
  return list;
}

Json fault(const Fault& f) {
  Json out = Json::object();
  std::visit(
      [&out](const auto& t) {
        using T = std::decay_t<decltype(t)>;
        if constexpr (std::is_same_v<T, CrashFault>) {
          out["crash"] = t.actor;
          if (t.restart_after) out["restartAfter"] = dur(*t.restart_after);
        } else if constexpr (std::is_same_v<T, CrashAfterFault>) {
          out["crashAfter"] = Json{{"actor", t.actor}, {"request", t.request}};
        } else if constexpr (std::is_same_v<T, PartitionFault>) {
          out["partition"] = t.actor;
        } else if constexpr (std::is_same_v<T, DelayFault>) {
          out["delay"] = Json{{"actor", t.actor}, {"extra", dist(t.extra)}};
        } else if constexpr (std::is_same_v<T, ErrorsFault>) {
          Json e{{"actor", t.actor}};
          if (!t.verbs.empty()) {
            Json verbs = Json::array();
            for (model::Verb v : t.verbs) verbs.push_back(std::string(model::verb_name(v)));
            e["verbs"] = verbs;
          }
          if (!t.resources.empty()) e["resources"] = resources(t.resources);
          // Exact decimal: the parser reads rates as decimals, and every
          // ratio it produces has a power-of-ten denominator.
          if (t.rate) {
            std::string digits = std::to_string(t.rate->numerator);
            std::uint64_t den = t.rate->denominator;
            std::size_t places = 0;
            while (den > 1 && den % 10 == 0) den /= 10, ++places;
            if (den == 1) {
              while (digits.size() <= places) digits.insert(0, "0");
              if (places > 0) digits.insert(digits.size() - places, ".");
              e["rate"] = Json::parse(digits);
            } else {
              e["rate"] = static_cast<double>(t.rate->numerator) / static_cast<double>(t.rate->denominator);
            }
          }
          if (t.count) e["count"] = *t.count;
          e["code"] = t.code;
          e["phase"] = t.phase == ErrorsFault::Phase::kAfter ? "after" : "before";
          out["errors"] = e;
        } else if constexpr (std::is_same_v<T, StaleFault>) {
          out["stale"] = Json{{"actor", t.actor}, {"lag", dur(t.lag)}};
        } else if constexpr (std::is_same_v<T, DropEventsFault>) {
          Json d{{"actor", t.actor}};
          if (!t.resources.empty()) d["resources"] = resources(t.resources);
          d["count"] = t.count;
          out["dropEvents"] = d;
        } else if constexpr (std::is_same_v<T, ApiserverRestartFault>) {
          out["apiserverRestart"] = Json::object();
        }
      },
      f.spec);
  if (f.name) out["name"] = *f.name;
  if (f.for_) out["for"] = dur(*f.for_);
  return out;
}

Json token_source(const TokenSource& t) {
  const char* from = t.from == TokenSource::From::kSecret ? "secret" : t.from == TokenSource::From::kPod ? "pod" : "value";
  Json out{{from, t.text}};
  if (!t.audiences.empty()) out["audiences"] = t.audiences;
  if (t.process) out["process"] = true;
  return out;
}

const char* print_name(PrintFormat p) {
  switch (p) {
    case PrintFormat::kYaml: return "yaml";
    case PrintFormat::kJson: return "json";
    case PrintFormat::kDescribe: return "describe";
    case PrintFormat::kTable: return "table";
    case PrintFormat::kNone: break;
  }
  return "";
}

Json step(const Step& s) {
  Json out = Json::object();
  if (s.name) out["name"] = *s.name;
  if (s.at) out["at"] = dur(*s.at);
  if (s.after) out["after"] = dur(*s.after);
  if (s.namespace_ != "default") out["namespace"] = s.namespace_;
  std::visit(
      [&out](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, CreateAction>) {
          if (a.objects.size() == 1) {
            out["create"] = plain(a.objects.front().json);
          } else {
            Json items = Json::array();
            for (const Manifest& m : a.objects) items.push_back(plain(m.json));
            out["create"] = Json{{"apiVersion", "v1"}, {"kind", "List"}, {"items", items}};
          }
        } else if constexpr (std::is_same_v<T, ReplaceAction>) {
          out["replace"] = plain(a.object.json);
        } else if constexpr (std::is_same_v<T, PatchAction>) {
          out["patch"] = ref(a.object.kind, a.object.name);
          out[a.type == PatchAction::Type::kStrategic ? "strategic"
              : a.type == PatchAction::Type::kJson    ? "json"
                                                      : "merge"] = plain(a.patch.json);
        } else if constexpr (std::is_same_v<T, DeleteAction>) {
          out["delete"] = ref(a.object.kind, a.object.name);
          if (a.uid || a.resource_version) {
            Json pre = Json::object();
            if (a.uid) pre["uid"] = *a.uid;
            if (a.resource_version) pre["resourceVersion"] = *a.resource_version;
            out["preconditions"] = pre;
          }
          if (a.grace_period_seconds) out["gracePeriodSeconds"] = *a.grace_period_seconds;
          if (a.force) out["force"] = true;
        } else if constexpr (std::is_same_v<T, GetAction>) {
          out["get"] = ref(a.object.kind, a.object.name);
          if (a.print != PrintFormat::kNone) out["print"] = print_name(a.print);
        } else if constexpr (std::is_same_v<T, ListAction>) {
          out["list"] = std::string(model::resource_name(a.kind));
          if (a.print != PrintFormat::kNone) out["print"] = print_name(a.print);
          if (a.all_namespaces) out["allNamespaces"] = true;
        } else if constexpr (std::is_same_v<T, WaitAction>) {
          out["wait"] = dur(a.duration);
        } else if constexpr (std::is_same_v<T, AwaitAction>) {
          out["await"] = condition(a.condition);
          out["timeout"] = dur(a.timeout);
        } else if constexpr (std::is_same_v<T, CheckAction>) {
          out["check"] = condition(a.condition);
        } else if constexpr (std::is_same_v<T, AuthenticateAction>) {
          out["authenticate"] = token_source(a.token);
        } else if constexpr (std::is_same_v<T, FaultAction>) {
          out["fault"] = fault(a.fault);
        } else if constexpr (std::is_same_v<T, HealAction>) {
          out["heal"] = a.all ? std::string("all") : a.name;
        } else if constexpr (std::is_same_v<T, SettleAction>) {
          Json settle = Json::object();
          if (a.timeout) settle["timeout"] = dur(*a.timeout);
          out["settle"] = settle;
        } else if constexpr (std::is_same_v<T, QuiesceAction>) {
          Json quiesce = Json::object();
          if (a.timeout) quiesce["timeout"] = dur(*a.timeout);
          out["quiesce"] = quiesce;
        } else if constexpr (std::is_same_v<T, TokenRequestAction>) {
          Json request{{"serviceAccount", a.service_account}};
          if (!a.audiences.empty()) request["audiences"] = a.audiences;
          if (a.expiration_seconds) request["expirationSeconds"] = *a.expiration_seconds;
          if (a.bound_object_ref) {
            Json bound{{"kind", a.bound_object_ref->kind}};
            if (a.bound_object_ref->api_version != "v1") bound["apiVersion"] = a.bound_object_ref->api_version;
            bound["name"] = a.bound_object_ref->name;
            if (!a.bound_object_ref->uid.empty()) bound["uid"] = a.bound_object_ref->uid;
            request["boundObjectRef"] = bound;
          }
          out["tokenRequest"] = request;
        } else if constexpr (std::is_same_v<T, UpgradeAction>) {
          Json upgrade{{"version", a.version}};
          Json components = Json::array();
          for (model::versions::Component c : a.components) components.push_back(std::string(model::versions::component_name(c)));
          upgrade["components"] = components;
          if (a.feature_gates) {
            Json gates = Json::object();
            for (const auto& [name, on] : *a.feature_gates) gates[name] = on;
            upgrade["featureGates"] = gates;
          }
          out["upgrade"] = upgrade;
        }
      },
      s.action);
  if (s.expect) {
    Json e = Json::object();
    std::visit(
        [&e](const auto& w) {
          using T = std::decay_t<decltype(w)>;
          if constexpr (std::is_same_v<T, ExpectError>) {
            Json err = Json::object();
            if (w.code) err["code"] = *w.code;
            if (w.reason) err["reason"] = *w.reason;
            if (w.message) err["message"] = *w.message;
            e["error"] = err;
          } else if constexpr (std::is_same_v<T, ExpectObject>) {
            e["object"] = plain(w.pattern.json);
          } else if constexpr (std::is_same_v<T, ExpectUser>) {
            if (!w.name.empty()) {
              Json user{{"name", w.name}};
              if (w.uid) user["uid"] = *w.uid;
              if (w.groups) user["groups"] = *w.groups;
              e["user"] = user;
            }
            if (w.extra) e["extra"] = plain(w.extra->json);
          } else if constexpr (std::is_same_v<T, ExpectRejected>) {
            e["rejected"] = w.substring;
          } else if constexpr (std::is_same_v<T, ExpectResponse>) {
            e["response"] = plain(w.pattern.json);
          }
        },
        s.expect->what);
    out["expect"] = e;
  }
  if (s.retry) out["retry"] = true;
  if (!s.captures.empty()) {
    Json captures = Json::object();
    for (const auto& [var, c] : s.captures) {
      captures[var] = c.from_response ? Json{{"response", c.jsonpath}}
                                      : Json{{"object", ref(c.object.kind, c.object.name)}, {"jsonpath", c.jsonpath}};
    }
    out["capture"] = captures;
  }
  return out;
}

void controller(Json& actors, const char* name, const ControllerKnobs& k) {
  Json out = Json::object();
  if (k.workers) out["workers"] = *k.workers;
  if (k.qps) out["qps"] = *k.qps;
  if (k.burst) out["burst"] = *k.burst;
  if (k.max_retries) out["maxRetries"] = *k.max_retries;
  if (k.sync_latency) out["syncLatency"] = dur(*k.sync_latency);
  if (k.restart_delay) out["restartDelay"] = dur(*k.restart_delay);
  if (k.watch_lag) out["watchLag"] = dur(*k.watch_lag);
  if (!out.empty()) actors[name] = out;
}

Json actors(const Actors& a) {
  Json out = Json::object();
  Json api = Json::object();
  if (a.apiserver.latency) api["latency"] = dist(*a.apiserver.latency);
  if (a.apiserver.watch_latency) api["watchLatency"] = dist(*a.apiserver.watch_latency);
  if (!api.empty()) out["apiserver"] = api;
  Json adm = Json::object();
  if (a.admission.latency) adm["latency"] = dist(*a.admission.latency);
  if (a.admission.watch_lag) adm["watchLag"] = dur(*a.admission.watch_lag);
  if (!adm.empty()) out["admission"] = adm;
  controller(out, "tokens-controller", a.tokens_controller);
  controller(out, "serviceaccounts-controller", a.serviceaccounts_controller);
  controller(out, "namespace-controller", a.namespace_controller);
  controller(out, "root-ca-cert-publisher", a.root_ca_publisher);
  controller(out, "legacy-token-cleaner", a.legacy_token_cleaner);
  Json kubelet = Json::object();
  if (a.kubelet.sync_period) kubelet["syncPeriod"] = dur(*a.kubelet.sync_period);
  if (a.kubelet.pod_start_latency) kubelet["podStartLatency"] = dist(*a.kubelet.pod_start_latency);
  if (a.kubelet.pod_stop_latency) kubelet["podStopLatency"] = dist(*a.kubelet.pod_stop_latency);
  if (a.kubelet.watch_lag) kubelet["watchLag"] = dur(*a.kubelet.watch_lag);
  if (!kubelet.empty()) out["kubelet"] = kubelet;
  Json workload = Json::object();
  if (a.workload.auth_every) workload["authEvery"] = dur(*a.workload.auth_every);
  if (a.workload.reload_token) workload["reloadToken"] = *a.workload.reload_token;
  if (!workload.empty()) out["workload"] = workload;
  return out;
}

Json cluster(const ClusterSpec& c) {
  const ClusterSpec defaults;
  Json out = Json::object();
  if (c.version != defaults.version) out["version"] = c.version;
  if (c.start_time_unix_seconds != defaults.start_time_unix_seconds) {
    out["startTime"] = model::format_rfc3339(c.start_time_unix_seconds);
  }
  if (c.namespaces != defaults.namespaces) out["namespaces"] = c.namespaces;
  if (c.nodes != defaults.nodes) out["nodes"] = c.nodes;
  if (c.signing_algorithm != defaults.signing_algorithm || !c.signing_key_path.empty()) {
    Json signing{{"algorithm", c.signing_algorithm == SigningAlgorithm::kES256 ? "ES256" : "RS256"}};
    if (!c.signing_key_path.empty()) signing["key"] = c.signing_key_path;
    out["signing"] = signing;
  }
  if (!c.root_ca_path.empty()) out["rootCA"] = c.root_ca_path;
  if (c.service_account_lookup != defaults.service_account_lookup) out["serviceAccountLookup"] = c.service_account_lookup;
  if (c.require_api_token != defaults.require_api_token || c.limit_secret_references != defaults.limit_secret_references) {
    out["admission"] = Json{{"requireAPIToken", c.require_api_token},
                            {"limitSecretReferences", c.limit_secret_references}};
  }
  if (!c.feature_gates.empty()) {
    Json gates = Json::object();
    for (const auto& [gate, on] : c.feature_gates) gates[gate] = on;
    out["featureGates"] = gates;
  }
  if (c.service_account_issuers != defaults.service_account_issuers) {
    out["serviceAccountIssuer"] =
        c.service_account_issuers.size() == 1 ? Json(c.service_account_issuers[0]) : Json(c.service_account_issuers);
  }
  if (!c.api_audiences.empty()) out["apiAudiences"] = c.api_audiences;
  if (c.max_token_expiration) out["maxTokenExpiration"] = dur(*c.max_token_expiration);
  if (c.extend_token_expiration != defaults.extend_token_expiration) out["extendTokenExpiration"] = c.extend_token_expiration;
  if (c.legacy_token_clean_up_period != defaults.legacy_token_clean_up_period) {
    out["legacyTokenCleanUpPeriod"] = dur(c.legacy_token_clean_up_period);
  }
  if (!c.verification_key_paths.empty()) out["verificationKeys"] = c.verification_key_paths;
  return out;
}

// ---- emitting

bool plain_key(std::string_view key) {
  static constexpr std::string_view kReserved[] = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"};
  if (key.empty() || !((key[0] >= 'a' && key[0] <= 'z') || (key[0] >= 'A' && key[0] <= 'Z'))) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  const std::string lower = model::ascii_lower(key);
  for (std::string_view r : kReserved) {
    if (lower == r) return false;
  }
  return true;
}

std::string key_text(const std::string& key) { return plain_key(key) ? key : Json(key).dump(); }

bool scalar(const Json& v) { return !v.is_structured() || v.empty(); }

std::string scalar_text(const Json& v) {
  if (v.is_object()) return "{}";
  if (v.is_array()) return "[]";
  return v.dump();  // strings quoted with JSON escapes; numbers, booleans, null as YAML reads them
}

void emit(const Json& v, int indent, std::string& out);

void emit_map(const Json& v, int indent, std::string& out) {
  for (const auto& [key, child] : v.items()) {
    out.append(static_cast<std::size_t>(indent), ' ');
    out += key_text(key) + ":";
    if (scalar(child)) {
      out += " " + scalar_text(child) + "\n";
    } else if (child.is_array()) {
      out += "\n";
      emit(child, indent, out);  // sequences under a key at the key's indentation
    } else {
      out += "\n";
      emit(child, indent + 2, out);
    }
  }
}

void emit(const Json& v, int indent, std::string& out) {
  if (v.is_object()) {
    emit_map(v, indent, out);
    return;
  }
  for (const Json& item : v) {
    out.append(static_cast<std::size_t>(indent), ' ');
    out += "-";
    if (scalar(item)) {
      out += " " + scalar_text(item) + "\n";
    } else {
      // The item's first line goes after the dash, the rest indented below it.
      std::string inner;
      emit(item, indent + 2, inner);
      out += " " + inner.substr(static_cast<std::size_t>(indent + 2));
    }
  }
}

}  // namespace

std::string write_scenario(const Scenario& s) {
  Json doc = Json::object();
  doc["name"] = s.name;
  if (!s.description.empty()) doc["description"] = s.description;
  doc["seed"] = s.seed;
  if (Json c = cluster(s.cluster); !c.empty()) doc["cluster"] = c;
  if (Json a = actors(s.actors); !a.empty()) doc["actors"] = a;
  if (!s.objects.empty()) {
    Json objects = Json::array();
    for (const Manifest& m : s.objects) objects.push_back(plain(m.json));
    doc["objects"] = objects;
  }
  if (!s.steps.empty()) {
    Json steps = Json::array();
    for (const Step& st : s.steps) steps.push_back(step(st));
    doc["steps"] = steps;
  }
  if (s.invariants.mode == InvariantSelection::Mode::kNone) doc["invariants"] = "none";
  if (s.invariants.mode == InvariantSelection::Mode::kList) doc["invariants"] = s.invariants.names;
  const Limits defaults;
  if (s.limits.time != defaults.time || s.limits.events != defaults.events || s.limits.settle != defaults.settle) {
    doc["limits"] = Json{{"time", dur(s.limits.time)}, {"events", s.limits.events}, {"settle", dur(s.limits.settle)}};
  }
  std::string out;
  emit(doc, 0, out);
  return out;
}

}  // namespace sasim::scenarios
