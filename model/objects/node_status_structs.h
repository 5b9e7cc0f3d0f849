// NodeStatus.daemonEndpoints and nodeInfo are Go structs without omitempty
// (their fields too): the API shows them, empty, on every Node. The encoder
// writes them; the decoder fills them in too, so that a Node decoded from
// its own encoding equals the Node it was encoded from (found by the
// manifest fuzz target: `{"apiVersion":"v1","kind":"Node"}` came back with
// them).
#pragma once

#include <nlohmann/json.hpp>

namespace sasim::model {

inline void put_node_status_structs(nlohmann::json& status) {
  nlohmann::json& endpoints = status["daemonEndpoints"];
  if (!endpoints.is_object()) endpoints = nlohmann::json::object();
  nlohmann::json& kubelet = endpoints["kubeletEndpoint"];
  if (!kubelet.is_object()) kubelet = nlohmann::json::object();
  if (!kubelet.contains("Port")) kubelet["Port"] = 0;
  nlohmann::json& info = status["nodeInfo"];
  if (!info.is_object()) info = nlohmann::json::object();
  for (const char* key : {"machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion",
                          "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture"}) {
    if (!info.contains(key)) info[key] = "";
  }
}

}  // namespace sasim::model
