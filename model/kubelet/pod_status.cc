#include "model/kubelet/pod_status.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "model/objects/timestamp.h"

namespace sasim::model::kubelet {
namespace {

using nlohmann::json;

// FNV-1a with splitmix64's finalizer: a digest that is stable per image
// name and looks like one.
std::uint64_t fnv1a(std::string_view text, std::uint64_t salt) {
  std::uint64_t h = 1469598103934665603ULL ^ (salt * 0x9E3779B97F4A7C15ULL);
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

std::string restart_policy(const Pod& pod) {
  if (!pod.spec.extra) return "Always";
  auto it = pod.spec.extra->find("restartPolicy");
  return it != pod.spec.extra->end() && it->is_string() ? it->get<std::string>() : "Always";
}

std::string names_of(const std::vector<Container>& containers) {
  std::string out;
  for (const Container& c : containers) out += (out.empty() ? "" : " ") + c.name;
  return out;
}

json condition(const char* type, bool ok, const std::string& time, const char* reason = nullptr,
               const std::string& message = "") {
  json c = {{"type", type}, {"status", ok ? "True" : "False"}, {"lastProbeTime", nullptr}, {"lastTransitionTime", time}};
  if (!ok && reason != nullptr) {
    c["reason"] = reason;
    c["message"] = message;
  }
  return c;
}

}  // namespace

std::string normalized_image(std::string_view image) {
  std::string name(image.substr(0, image.find('@')));
  const std::string digest(image.find('@') == std::string_view::npos ? "" : image.substr(image.find('@')));
  const std::size_t slash = name.find('/');
  const std::string first = slash == std::string::npos ? "" : name.substr(0, slash);
  if (slash == std::string::npos) {
    name = "docker.io/library/" + name;
  } else if (first.find('.') == std::string::npos && first.find(':') == std::string::npos && first != "localhost") {
    name = "docker.io/" + name;
  }
  const std::size_t last_slash = name.rfind('/');
  const bool tagged = name.find(':', last_slash) != std::string::npos;
  if (!tagged && digest.empty()) name += ":latest";
  return name + digest;
}

std::string image_id(std::string_view image) {
  std::string repository = normalized_image(image);
  repository = repository.substr(0, repository.find('@'));
  const std::size_t last_slash = repository.rfind('/');
  if (const std::size_t colon = repository.find(':', last_slash); colon != std::string::npos) repository.resize(colon);
  std::string digest;
  for (std::uint64_t salt = 0; salt < 4; ++salt) digest += fmt::format("{:016x}", fnv1a(repository, salt));
  return repository + "@sha256:" + digest;
}

PodStatus kubelet_pod_status(const Pod& stored, const PodRun& run, std::int64_t epoch_unix_seconds) {
  auto stamp = [&](sim::Time t) { return format_rfc3339(wall_seconds(t, epoch_unix_seconds)); };
  const bool running = run.state == PodRun::State::kRunning;
  const bool stopped = run.state == PodRun::State::kStopped;
  const bool creating = run.state == PodRun::State::kCreating;
  const bool has_init = !stored.spec.init_containers.empty();

  PodStatus status;
  status.start_time = run.first_sync;
  if (creating) status.phase = PodPhase::kPending;
  else if (running) status.phase = PodPhase::kRunning;
  else status.phase = restart_policy(stored) == "Always" ? PodPhase::kRunning : PodPhase::kSucceeded;

  json out = stored.status.extra ? *stored.status.extra : json::object();
  for (const char* key : {"conditions", "containerStatuses", "initContainerStatuses", "podIP", "podIPs", "hostIP",
                          "reason", "message"}) {
    out.erase(key);
  }
  // Conditions in the kubelet's order, with the scheduler's PodScheduled last.
  json conditions = json::array();
  const std::string first = stamp(run.first_sync);
  if (has_init && creating) {
    conditions.push_back(condition("Initialized", false, first, "ContainersNotInitialized",
                                   fmt::format("containers with incomplete status: [{}]", names_of(stored.spec.init_containers))));
  } else {
    conditions.push_back(condition("Initialized", true, has_init ? stamp(run.started) : first));
  }
  const std::string unready = fmt::format("containers with unready status: [{}]", names_of(stored.spec.containers));
  const std::string ready_since = creating ? first : running ? stamp(run.started) : stamp(run.stopped);
  conditions.push_back(condition("Ready", running, ready_since, "ContainersNotReady", unready));
  conditions.push_back(condition("ContainersReady", running, ready_since, "ContainersNotReady", unready));
  if (stored.status.extra && stored.status.extra->contains("conditions")) {
    for (const json& c : (*stored.status.extra)["conditions"]) {
      if (c.is_object() && c.value("type", json()) == "PodScheduled") conditions.push_back(c);
    }
  }
  out["conditions"] = std::move(conditions);
  out["hostIP"] = run.host_ip;
  if (!run.pod_ip.empty()) {
    out["podIP"] = run.pod_ip;
    out["podIPs"] = json::array({{{"ip", run.pod_ip}}});
  }

  auto container_status = [&](const Container& c, const ContainerRun* started, bool init) {
    json s = {{"name", c.name}, {"image", normalized_image(c.image)}, {"restartCount", 0}, {"lastState", json::object()}};
    if (started == nullptr) {
      s["imageID"] = "";
      s["ready"] = false;
      s["started"] = false;
      s["state"] = {{"waiting", {{"reason", has_init ? "PodInitializing" : "ContainerCreating"}}}};
      return s;
    }
    s["containerID"] = started->container_id;
    s["imageID"] = image_id(c.image);
    if (init || stopped) {
      // Init containers run to completion before the others start; the
      // others exit 0 on the kubelet's SIGTERM.
      // (An init container's run is not timed apart from the start.)
      const sim::Time begin = run.started;
      const sim::Time end = init ? run.started : run.stopped;
      s["ready"] = init;
      s["started"] = false;
      s["state"] = {{"terminated",
                     {{"containerID", started->container_id},
                      {"exitCode", 0},
                      {"reason", "Completed"},
                      {"startedAt", stamp(begin)},
                      {"finishedAt", stamp(end)}}}};
    } else {
      s["ready"] = true;
      s["started"] = true;
      s["state"] = {{"running", {{"startedAt", stamp(run.started)}}}};
    }
    return s;
  };
  if (has_init) {
    json init = json::array();
    for (std::size_t i = 0; i < stored.spec.init_containers.size(); ++i) {
      const ContainerRun* r = i < run.init_containers.size() ? &run.init_containers[i] : nullptr;
      init.push_back(container_status(stored.spec.init_containers[i], creating ? nullptr : r, true));
    }
    out["initContainerStatuses"] = std::move(init);
  }
  json containers = json::array();
  for (std::size_t i = 0; i < stored.spec.containers.size(); ++i) {
    const ContainerRun* r = i < run.containers.size() ? &run.containers[i] : nullptr;
    containers.push_back(container_status(stored.spec.containers[i], creating ? nullptr : r, false));
  }
  out["containerStatuses"] = std::move(containers);
  status.extra = std::make_shared<const json>(std::move(out));
  return status;
}

PodRun run_from_status(const Pod& stored, std::int64_t epoch_unix_seconds) {
  PodRun run;
  run.state = PodRun::State::kRunning;
  run.first_sync = stored.status.start_time.value_or(sim::Time::zero());
  run.started = run.first_sync;
  const json status = stored.status.extra ? *stored.status.extra : json::object();
  run.host_ip = status.value("hostIP", std::string());
  run.pod_ip = status.value("podIP", std::string());
  auto ids = [&](const char* key, std::vector<ContainerRun>& out) {
    const json list = status.value(key, json::array());
    if (!list.is_array()) return;
    for (const json& s : list) {
      out.push_back(ContainerRun{s.is_object() ? s.value("containerID", std::string()) : std::string()});
      const json running = s.is_object() ? s.value("state", json::object()).value("running", json()) : json();
      if (running.is_object()) {
        if (auto t = parse_rfc3339(running.value("startedAt", std::string()))) {
          run.started = sim_time_from_wall(t.value(), epoch_unix_seconds);
        }
      }
    }
  };
  ids("initContainerStatuses", run.init_containers);
  ids("containerStatuses", run.containers);
  return run;
}

}  // namespace sasim::model::kubelet
