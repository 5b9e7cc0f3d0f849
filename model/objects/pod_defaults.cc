#include "model/objects/pod_defaults.h"

#include <nlohmann/json.hpp>

namespace sasim::model {
namespace {

using nlohmann::json;

// Defaults set on a JSON level (the unmodelled parts of a pod).
bool missing(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty()) ||
         (it->is_number() && it->get<double>() == 0);
}

void set_default(json& object, const char* key, json value) {
  if (missing(object, key)) object[key] = std::move(value);
}

// Edits an ExtraFields level in place: the level is shared and immutable,
// so this copies it (or starts an empty one) and stores the result, null
// again when nothing is in it.
template <class F>
void edit(ExtraFields& extra, F&& fn) {
  json level = extra ? *extra : json::object();
  fn(level);
  extra = level.empty() ? nullptr : std::make_shared<const json>(std::move(level));
}

void default_field_selector(json& field_ref) {
  if (field_ref.is_object()) set_default(field_ref, "apiVersion", "v1");
}

void default_http_get(json& handler) {
  if (!handler.is_object()) return;
  auto it = handler.find("httpGet");
  if (it == handler.end() || !it->is_object()) return;
  set_default(*it, "path", "/");
  set_default(*it, "scheme", "HTTP");
}

void default_probe(json& container, const char* key) {
  auto it = container.find(key);
  if (it == container.end() || !it->is_object()) return;
  json& probe = *it;
  set_default(probe, "timeoutSeconds", 1);
  set_default(probe, "periodSeconds", 10);
  set_default(probe, "successThreshold", 1);
  set_default(probe, "failureThreshold", 3);
  default_http_get(probe);
}

void default_container(Container& c, bool host_network, bool is_ephemeral) {
  for (EnvVar& env : c.env) {
    if (!env.value_from_extra || !env.value_from_extra->contains("fieldRef")) continue;
    edit(env.value_from_extra, [](json& level) { default_field_selector(level["fieldRef"]); });
  }
  edit(c.extra, [&](json& level) {
    if (missing(level, "imagePullPolicy")) level["imagePullPolicy"] = image_tag(c.image) == "latest" ? "Always" : "IfNotPresent";
    set_default(level, "terminationMessagePath", "/dev/termination-log");
    set_default(level, "terminationMessagePolicy", "File");
    if (auto ports = level.find("ports"); ports != level.end() && ports->is_array()) {
      for (json& port : *ports) {
        if (!port.is_object()) continue;
        set_default(port, "protocol", "TCP");
        if (host_network && missing(port, "hostPort") && port.contains("containerPort")) port["hostPort"] = port["containerPort"];
      }
    }
    // SetDefaults_Pod: requests default to limits (not for ephemeral containers).
    if (auto resources = level.find("resources"); !is_ephemeral && resources != level.end() && resources->is_object()) {
      if (auto limits = resources->find("limits"); limits != resources->end() && limits->is_object() && !limits->empty()) {
        json& requests = (*resources)["requests"];
        if (!requests.is_object()) requests = json::object();
        for (const auto& [name, quantity] : limits->items()) {
          if (!requests.contains(name)) requests[name] = quantity;
        }
      }
    }
    for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) default_probe(level, probe);
    if (auto lifecycle = level.find("lifecycle"); lifecycle != level.end() && lifecycle->is_object()) {
      for (const char* hook : {"postStart", "preStop"}) {
        if (auto h = lifecycle->find(hook); h != lifecycle->end()) default_http_get(*h);
      }
    }
  });
}

void default_downward_items(json& source) {
  if (auto items = source.find("items"); items != source.end() && items->is_array()) {
    for (json& item : *items) {
      if (item.is_object() && item.contains("fieldRef")) default_field_selector(item["fieldRef"]);
    }
  }
}

void default_volume(Volume& v) {
  if (v.secret) {
    if (!v.secret->default_mode) v.secret->default_mode = 0644;
    return;
  }
  edit(v.other_source, [](json& level) {
    // SetDefaults_Volume: a volume without a source is an emptyDir.
    if (level.empty()) {
      level["emptyDir"] = json::object();
      return;
    }
    for (const char* key : {"configMap", "downwardAPI", "projected"}) {
      auto it = level.find(key);
      if (it == level.end() || !it->is_object()) continue;
      if (!it->contains("defaultMode") || (*it)["defaultMode"].is_null()) (*it)["defaultMode"] = 0644;
    }
    if (auto d = level.find("downwardAPI"); d != level.end() && d->is_object()) default_downward_items(*d);
    if (auto p = level.find("projected"); p != level.end() && p->is_object()) {
      if (auto sources = p->find("sources"); sources != p->end() && sources->is_array()) {
        for (json& source : *sources) {
          if (!source.is_object()) continue;
          if (auto t = source.find("serviceAccountToken"); t != source.end() && t->is_object()) {
            set_default(*t, "expirationSeconds", 3600);
          }
          if (auto d = source.find("downwardAPI"); d != source.end() && d->is_object()) default_downward_items(*d);
        }
      }
    }
    if (auto h = level.find("hostPath"); h != level.end() && h->is_object() && !h->contains("type")) (*h)["type"] = "";
  });
}

}  // namespace

std::string image_tag(std::string_view image) {
  // Strip a digest, then take what follows the last ':' after the last '/'.
  const bool has_digest = image.find('@') != std::string_view::npos;
  std::string_view name = image.substr(0, image.find('@'));
  const std::size_t slash = name.rfind('/');
  const std::size_t colon = name.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    return std::string(name.substr(colon + 1));
  }
  return has_digest ? "" : "latest";
}

void apply_pod_defaults(Pod& pod) {
  PodSpec& spec = pod.spec;
  // Not a default but the v1 conversion, which runs at the same places:
  // serviceAccount is the deprecated alias of serviceAccountName; the newer
  // field wins when both are set, and the API always writes both.
  if (spec.service_account_name.empty()) spec.service_account_name = spec.service_account;
  spec.service_account = spec.service_account_name;
  if (!spec.termination_grace_period_seconds) spec.termination_grace_period_seconds = 30;
  bool host_network = false;
  edit(spec.extra, [&](json& level) {
    set_default(level, "dnsPolicy", "ClusterFirst");
    set_default(level, "restartPolicy", "Always");
    if (!level.contains("securityContext") || level["securityContext"].is_null()) level["securityContext"] = json::object();
    set_default(level, "schedulerName", "default-scheduler");
    if (!level.contains("enableServiceLinks") || level["enableServiceLinks"].is_null()) level["enableServiceLinks"] = true;
    auto it = level.find("hostNetwork");
    host_network = it != level.end() && it->is_boolean() && it->get<bool>();
  });
  for (Container& c : spec.init_containers) default_container(c, host_network, false);
  for (Container& c : spec.containers) default_container(c, host_network, false);
  for (Container& c : spec.ephemeral_containers) default_container(c, false, true);
  for (Volume& v : spec.volumes) default_volume(v);
}

}  // namespace sasim::model
