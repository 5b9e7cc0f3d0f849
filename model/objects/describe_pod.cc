// `kubectl describe pod`, after kubectl 1.20's describePod, for what the
// simulation knows: the header (node, start time, IPs), each container with
// the state, readiness and restart count its status reports, conditions,
// volumes, QoS class, node selectors and tolerations. Left out: probes,
// volume devices, and events (none are simulated: `Events: <none>`).
// Unmodelled fields kept from the manifest (ports, command, resources) are
// printed where kubectl prints them.
#include <algorithm>

#include "model/objects/describe_support.h"
#include "model/objects/pod_qos.h"
#include "model/objects/timestamp.h"

namespace sasim::model::describe_detail {
namespace {

using nlohmann::json;

const json& extra_or_null(const ExtraFields& extra, const char* key) {
  static const json kNull;
  if (!extra) return kNull;
  auto it = extra->find(key);
  return it == extra->end() ? kNull : *it;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : std::string(separator)) + items[i];
  return out;
}

void describe_ports(PrefixWriter& w, const Container& c) {
  std::vector<std::string> ports;
  std::vector<std::string> host_ports;
  const json& list = extra_or_null(c.extra, "ports");
  if (list.is_array()) {
    for (const json& p : list) {
      const std::string protocol = text(p, "protocol").empty() ? "TCP" : text(p, "protocol");
      ports.push_back(fmt::format("{}/{}", text(p, "containerPort"), protocol));
      host_ports.push_back(fmt::format("{}/{}", text(p, "hostPort").empty() ? "0" : text(p, "hostPort"), protocol));
    }
  }
  const std::string port = join(ports, ", ");
  const std::string host_port = join(host_ports, ", ");
  w.write(2, fmt::format("{}:\t{}\n", ports.size() > 1 ? "Ports" : "Port", port.empty() ? "<none>" : port));
  w.write(2, fmt::format("{}:\t{}\n", host_ports.size() > 1 ? "Host Ports" : "Host Port",
                         host_port.empty() ? "<none>" : host_port));
}

void describe_lines(PrefixWriter& w, const Container& c, const char* key, std::string_view title) {
  const json& items = extra_or_null(c.extra, key);
  if (!items.is_array() || items.empty()) return;
  w.write(2, fmt::format("{}:\n", title));
  for (const json& item : items) {
    std::string value = item.is_string() ? item.get<std::string>() : item.dump();
    std::size_t start = 0;
    while (true) {
      const std::size_t end = value.find('\n', start);
      w.write(3, value.substr(start, end == std::string::npos ? std::string::npos : end - start) + "\n");
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
}

void describe_resources(PrefixWriter& w, const Container& c) {
  const json& resources = extra_or_null(c.extra, "resources");
  for (const auto& [key, title] : {std::pair{"limits", "Limits"}, std::pair{"requests", "Requests"}}) {
    const json section = resources.is_object() ? resources.value(key, json::object()) : json::object();
    if (!section.is_object() || section.empty()) continue;
    w.write(2, fmt::format("{}:\n", title));
    for (const auto& [name, quantity] : section.items()) w.write(3, fmt::format("{}:\t{}\n", name, text(section, name.c_str())));
  }
}

// The values kubectl resolves for a few downward-API fields.
std::string field_ref_value(const Pod& pod, const std::string& path) {
  if (path == "metadata.name") return pod.metadata.name;
  if (path == "metadata.namespace") return pod.metadata.namespace_;
  if (path == "spec.nodeName") return pod.spec.node_name;
  if (path == "spec.serviceAccountName") return pod.spec.service_account_name;
  return "";
}

void describe_env(PrefixWriter& w, const Pod& pod, const Container& c) {
  if (!c.env_from.empty()) {
    w.write(2, "Environment Variables from:\n");
    for (const EnvFromSource& e : c.env_from) {
      const json& config_map = extra_or_null(e.extra, "configMapRef");
      const json& secret_ref = extra_or_null(e.extra, "secretRef");
      const bool is_secret = config_map.is_null() && e.secret_ref.has_value();
      const std::string from = is_secret ? "Secret" : "ConfigMap";
      const std::string name = is_secret ? *e.secret_ref : text(config_map, "name");
      const bool optional = (is_secret ? text(secret_ref, "optional") : text(config_map, "optional")) == "true";
      if (e.prefix.empty()) {
        w.write(3, fmt::format("{}\t{}\tOptional: {}\n", name, from, optional));
      } else {
        w.write(3, fmt::format("{}\t{} with prefix '{}'\tOptional: {}\n", name, from, e.prefix, optional));
      }
    }
  }
  w.write(2, c.env.empty() ? "Environment:\t<none>\n" : "Environment:\n");
  for (const EnvVar& e : c.env) {
    if (e.secret_key_ref) {
      w.write(3, fmt::format("{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n", e.name, e.secret_key_ref->key,
                             e.secret_key_ref->name, e.secret_key_ref->optional.value_or(false)));
    } else if (const json& cm = extra_or_null(e.value_from_extra, "configMapKeyRef"); cm.is_object()) {
      w.write(3, fmt::format("{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n", e.name, text(cm, "key"),
                             text(cm, "name"), text(cm, "optional") == "true"));
    } else if (const json& ref = extra_or_null(e.value_from_extra, "fieldRef"); ref.is_object()) {
      w.write(3, fmt::format("{}:\t{} ({}:{})\n", e.name, field_ref_value(pod, text(ref, "fieldPath")),
                             text(ref, "apiVersion"), text(ref, "fieldPath")));
    } else {
      const std::string value = e.value.value_or("");
      std::size_t start = 0;
      bool first = true;
      while (true) {
        const std::size_t end = value.find('\n', start);
        const std::string line = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
        w.write(3, first ? fmt::format("{}:\t{}\n", e.name, line) : fmt::format("\t{}\n", line));
        first = false;
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
  }
}

void describe_mounts(PrefixWriter& w, const Container& c) {
  w.write(2, c.volume_mounts.empty() ? "Mounts:\t<none>\n" : "Mounts:\n");
  std::vector<VolumeMount> mounts = c.volume_mounts;
  std::stable_sort(mounts.begin(), mounts.end(),
                   [](const VolumeMount& a, const VolumeMount& b) { return a.mount_path < b.mount_path; });
  for (const VolumeMount& m : mounts) {
    std::string flags = m.read_only ? "ro" : "rw";
    const std::string sub_path = m.extra ? text(*m.extra, "subPath") : "";
    if (!sub_path.empty()) flags += fmt::format(",path=\"{}\"", sub_path);
    w.write(3, fmt::format("{} from {} ({})\n", m.mount_path, m.name, flags));
  }
}

// describeStatus: one of the container's states.
void describe_state(PrefixWriter& w, std::string_view title, const json& state) {
  const json running = state.value("running", json());
  const json waiting = state.value("waiting", json());
  const json terminated = state.value("terminated", json());
  if (running.is_object()) {
    w.write(2, fmt::format("{}:\tRunning\n", title));
    w.write(3, fmt::format("Started:\t{}\n", rfc1123z_of(running, "startedAt")));
  } else if (waiting.is_object()) {
    w.write(2, fmt::format("{}:\tWaiting\n", title));
    if (!text(waiting, "reason").empty()) w.write(3, fmt::format("Reason:\t{}\n", text(waiting, "reason")));
  } else if (terminated.is_object()) {
    w.write(2, fmt::format("{}:\tTerminated\n", title));
    if (!text(terminated, "reason").empty()) w.write(3, fmt::format("Reason:\t{}\n", text(terminated, "reason")));
    if (!text(terminated, "message").empty()) w.write(3, fmt::format("Message:\t{}\n", text(terminated, "message")));
    const std::string code = text(terminated, "exitCode");
    w.write(3, fmt::format("Exit Code:\t{}\n", code.empty() ? "0" : code));
    if (const std::string signal = text(terminated, "signal"); !signal.empty() && signal != "0") {
      w.write(3, fmt::format("Signal:\t{}\n", signal));
    }
    w.write(3, fmt::format("Started:\t{}\n", rfc1123z_of(terminated, "startedAt")));
    w.write(3, fmt::format("Finished:\t{}\n", rfc1123z_of(terminated, "finishedAt")));
  } else {
    w.write(2, fmt::format("{}:\tWaiting\n", title));
  }
}

void describe_containers(PrefixWriter& w, const Pod& pod, std::string_view label, const std::vector<Container>& list,
                         const char* statuses_key) {
  std::map<std::string, json> statuses;
  if (pod.status.extra) {
    const json list_json = pod.status.extra->value(statuses_key, json::array());
    if (list_json.is_array()) {
      for (const json& s : list_json) {
        if (s.is_object()) statuses[text(s, "name")] = s;
      }
    }
  }
  w.write(0, fmt::format("{}:{}\n", label, list.empty() ? " <none>" : ""));
  for (const Container& c : list) {
    auto status = statuses.find(c.name);
    const bool ok = status != statuses.end();
    w.write(1, fmt::format("{}:\n", c.name));
    if (ok) w.write(2, fmt::format("Container ID:\t{}\n", text(status->second, "containerID")));
    w.write(2, fmt::format("Image:\t{}\n", c.image));
    if (ok) w.write(2, fmt::format("Image ID:\t{}\n", text(status->second, "imageID")));
    describe_ports(w, c);
    describe_lines(w, c, "command", "Command");
    describe_lines(w, c, "args", "Args");
    if (ok) {
      const json& s = status->second;
      describe_state(w, "State", s.value("state", json::object()));
      const json last = s.value("lastState", json::object());
      if (last.is_object() && last.value("terminated", json()).is_object()) describe_state(w, "Last State", last);
      w.write(2, fmt::format("Ready:\t{}\n", s.value("ready", false) == true ? "True" : "False"));
      const std::string restarts = text(s, "restartCount");
      w.write(2, fmt::format("Restart Count:\t{}\n", restarts.empty() ? "0" : restarts));
    }
    describe_resources(w, c);
    describe_env(w, pod, c);
    describe_mounts(w, c);
  }
}

void describe_volume_source(PrefixWriter& w, const Volume& v) {
  if (v.secret) {
    w.write(2, fmt::format("Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                           v.secret->secret_name, v.secret->optional.value_or(false)));
    return;
  }
  const auto has = [&](const char* key) { return extra_or_null(v.other_source, key).is_object(); };
  if (has("emptyDir")) {
    const json& e = extra_or_null(v.other_source, "emptyDir");
    const std::string limit = text(e, "sizeLimit");
    w.write(2, fmt::format("Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n"
                           "    SizeLimit:\t{}\n",
                           text(e, "medium"), limit.empty() ? "<unset>" : limit));
  } else if (has("configMap")) {
    const json& c = extra_or_null(v.other_source, "configMap");
    w.write(2, fmt::format("Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                           text(c, "name"), text(c, "optional") == "true"));
  } else if (has("hostPath")) {
    const json& h = extra_or_null(v.other_source, "hostPath");
    const std::string type = text(h, "type");
    w.write(2, fmt::format("Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                           text(h, "path"), type.empty() ? "<none>" : type));
  } else if (has("persistentVolumeClaim")) {
    const json& p = extra_or_null(v.other_source, "persistentVolumeClaim");
    w.write(2, fmt::format("Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
                           "namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                           text(p, "claimName"), text(p, "readOnly") == "true"));
  } else if (has("projected")) {
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
    const json sources = extra_or_null(v.other_source, "projected").value("sources", json::array());
    for (const json& s : sources.is_array() ? sources : json::array()) {
      const auto optional = [](const json& o) { return o.contains("optional") ? text(o, "optional") : "<nil>"; };
      if (s.contains("secret")) {
        w.write(2, fmt::format("SecretName:\t{}\n    SecretOptionalName:\t{}\n", text(s["secret"], "name"), optional(s["secret"])));
      } else if (s.contains("downwardAPI")) {
        w.write(2, "DownwardAPI:\ttrue\n");
      } else if (s.contains("configMap")) {
        w.write(2, fmt::format("ConfigMapName:\t{}\n    ConfigMapOptional:\t{}\n", text(s["configMap"], "name"),
                               optional(s["configMap"])));
      } else if (s.contains("serviceAccountToken")) {
        const std::string seconds = text(s["serviceAccountToken"], "expirationSeconds");
        w.write(2, fmt::format("TokenExpirationSeconds:\t{}\n", seconds.empty() ? "3600" : seconds));
      }
    }
  } else {
    w.write(1, "<unknown>\n");
  }
}

void describe_volumes(PrefixWriter& w, const std::vector<Volume>& volumes) {
  if (volumes.empty()) {
    w.write(0, "Volumes:\t<none>\n");
    return;
  }
  w.write(0, "Volumes:\n");
  for (const Volume& v : volumes) {
    w.write(1, fmt::format("{}:\n", v.name));
    describe_volume_source(w, v);
  }
}

// The stored qosClass, else what GetPodQOS computes.
std::string qos_class(const Pod& pod) {
  const std::string reported = text(pod.status.extra ? *pod.status.extra : json::object(), "qosClass");
  return reported.empty() ? pod_qos_class(pod) : reported;
}

void describe_tolerations(PrefixWriter& w, const json& tolerations) {
  w.write(0, "Tolerations:\t");
  if (!tolerations.is_array() || tolerations.empty()) {
    w.write(0, "<none>\n");
    return;
  }
  std::vector<json> sorted(tolerations.begin(), tolerations.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) { return text(a, "key") < text(b, "key"); });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const json& t = sorted[i];
    if (i != 0) w.write(0, "\t");
    std::string line = text(t, "key");
    if (!text(t, "value").empty()) line += "=" + text(t, "value");
    if (!text(t, "effect").empty()) line += ":" + text(t, "effect");
    if (text(t, "operator") == "Exists" && text(t, "value").empty()) {
      line += text(t, "key").empty() && text(t, "effect").empty() ? "op=Exists" : " op=Exists";
    }
    if (!text(t, "tolerationSeconds").empty()) line += fmt::format(" for {}s", text(t, "tolerationSeconds"));
    w.write(0, line + "\n");
  }
}

std::map<std::string, std::string> string_map(const json& value) {
  std::map<std::string, std::string> out;
  if (!value.is_object()) return out;
  for (const auto& [k, v] : value.items()) out[k] = v.is_string() ? v.get<std::string>() : v.dump();
  return out;
}

std::string controlled_by(const ObjectMeta& meta) {
  const json& owners = extra_or_null(meta.extra, "ownerReferences");
  if (!owners.is_array()) return "";
  for (const json& o : owners) {
    if (o.is_object() && o.value("controller", false)) return fmt::format("{}/{}", text(o, "kind"), text(o, "name"));
  }
  return "";
}

void describe_header(PrefixWriter& w, const Pod& pod, const EncodeOptions& options, const DescribeContext& context) {
  const json status = pod.status.extra ? *pod.status.extra : json::object();
  w.write(0, fmt::format("Name:\t{}\n", pod.metadata.name));
  w.write(0, fmt::format("Namespace:\t{}\n", pod.metadata.namespace_));
  if (const json& p = extra_or_null(pod.spec.extra, "priority"); !p.is_null()) w.write(0, fmt::format("Priority:\t{}\n", p.dump()));
  if (const std::string pc = text(pod.spec.extra ? *pod.spec.extra : json::object(), "priorityClassName"); !pc.empty()) {
    w.write(0, fmt::format("Priority Class Name:\t{}\n", pc));
  }
  w.write(0, pod.spec.node_name.empty() ? std::string("Node:\t<none>\n")
                                        : fmt::format("Node:\t{}/{}\n", pod.spec.node_name, text(status, "hostIP")));
  if (pod.status.start_time) {
    w.write(0, fmt::format("Start Time:\t{}\n",
                           format_rfc1123z(wall_seconds(*pod.status.start_time, options.epoch_unix_seconds))));
  }
  print_labels(w, "Labels", pod.metadata.labels);
  print_annotations(w, "Annotations", pod.metadata.annotations);
  if (pod.metadata.deletion_timestamp) {
    const std::int64_t deleted = wall_seconds(*pod.metadata.deletion_timestamp, options.epoch_unix_seconds);
    const std::int64_t now = wall_seconds(context.now, options.epoch_unix_seconds);
    w.write(0, fmt::format("Status:\tTerminating (lasts {})\n", human_duration(sim::Duration::seconds(now - deleted))));
    w.write(0, fmt::format("Termination Grace Period:\t{}s\n", pod.metadata.deletion_grace_period_seconds.value_or(0)));
  } else {
    w.write(0, fmt::format("Status:\t{}\n", pod_phase_name(pod.status.phase)));
  }
  for (const auto& [key, title] : {std::pair{"reason", "Reason"}, std::pair{"message", "Message"}}) {
    if (!text(status, key).empty()) w.write(0, fmt::format("{}:\t{}\n", title, text(status, key)));
  }
  w.write(0, fmt::format("IP:\t{}\n", text(status, "podIP")));
  const json ips = status.value("podIPs", json::array());
  if (!ips.is_array() || ips.empty()) {
    w.write(0, "IPs:\t<none>\n");
  } else {
    w.write(0, "IPs:\n");
    for (const json& ip : ips) w.write(1, fmt::format("IP:\t{}\n", text(ip, "ip")));
  }
  if (const std::string owner = controlled_by(pod.metadata); !owner.empty()) w.write(0, fmt::format("Controlled By:\t{}\n", owner));
}

}  // namespace

std::string describe_pod(const Pod& pod, const EncodeOptions& options, const DescribeContext& context) {
  PrefixWriter w;
  describe_header(w, pod, options, context);
  if (!pod.spec.init_containers.empty()) {
    describe_containers(w, pod, "Init Containers", pod.spec.init_containers, "initContainerStatuses");
  }
  describe_containers(w, pod, "Containers", pod.spec.containers, "containerStatuses");
  if (!pod.spec.ephemeral_containers.empty()) {
    describe_containers(w, pod, "Ephemeral Containers", pod.spec.ephemeral_containers, "ephemeralContainerStatuses");
  }
  const json conditions = pod.status.extra ? pod.status.extra->value("conditions", json::array()) : json::array();
  if (conditions.is_array() && !conditions.empty()) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const json& c : conditions) w.write(1, fmt::format("{} \t{} \n", text(c, "type"), text(c, "status")));
  }
  describe_volumes(w, pod.spec.volumes);
  w.write(0, fmt::format("QoS Class:\t{}\n", qos_class(pod)));
  print_labels(w, "Node-Selectors", string_map(extra_or_null(pod.spec.extra, "nodeSelector")));
  describe_tolerations(w, extra_or_null(pod.spec.extra, "tolerations"));
  w.write(0, "Events:\t<none>\n");
  return tabbed(w);
}

}  // namespace sasim::model::describe_detail
