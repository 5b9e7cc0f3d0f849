// The defaults a 1.20 apiserver fills into pods (defaults.go), and the QoS
// class it stores, checked against what `kubectl get pod -o yaml` shows.
#include "model/objects/pod_defaults.h"

#include <catch2/catch.hpp>

#include "model/objects/codec.h"
#include "model/objects/pod_qos.h"
#include "model/objects/print.h"

namespace sasim::model {
namespace {

using nlohmann::json;

Pod decode_pod_json(const char* text) {
  auto decoded = decode_object(json::parse(text));
  REQUIRE(decoded.ok());
  return std::get<Pod>(std::move(decoded).value());
}

TEST_CASE("a plain pod gets the spec and container defaults") {
  Pod pod = decode_pod_json(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "default"},
      "spec": {"containers": [{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}]}})");
  apply_pod_defaults(pod);
  const json spec = encode_object(pod)["spec"];
  CHECK(to_yaml(spec) == R"(containers:
- image: nginx
  imagePullPolicy: Always
  name: web
  ports:
  - containerPort: 80
    protocol: TCP
  resources: {}
  terminationMessagePath: /dev/termination-log
  terminationMessagePolicy: File
dnsPolicy: ClusterFirst
enableServiceLinks: true
restartPolicy: Always
schedulerName: default-scheduler
securityContext: {}
terminationGracePeriodSeconds: 30
)");
  // Defaulting is idempotent.
  Pod again = pod;
  apply_pod_defaults(again);
  CHECK(encode_object(again) == encode_object(pod));
}

TEST_CASE("imagePullPolicy is Always for latest and untagged images and else IfNotPresent") {
  CHECK(image_tag("nginx") == "latest");
  CHECK(image_tag("nginx:latest") == "latest");
  CHECK(image_tag("nginx:1.19") == "1.19");
  CHECK(image_tag("registry:5000/team/app") == "latest");
  CHECK(image_tag("registry:5000/team/app:v2") == "v2");
  CHECK(image_tag("nginx@sha256:0123") == "");
  CHECK(image_tag("nginx:1.19@sha256:0123") == "1.19");
  for (const auto& [image, policy] : {std::pair{"nginx", "Always"}, std::pair{"nginx:latest", "Always"},
                                      std::pair{"nginx:1.19", "IfNotPresent"}, std::pair{"nginx@sha256:0123", "IfNotPresent"}}) {
    Pod pod;
    Container c;
    c.name = "c";
    c.image = image;
    pod.spec.containers = {c};
    apply_pod_defaults(pod);
    CHECK(pod.spec.containers[0].extra->at("imagePullPolicy") == policy);
  }
  // A policy the user chose stays.
  Pod own = decode_pod_json(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": {"containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "Never"}]}})");
  apply_pod_defaults(own);
  CHECK(own.spec.containers[0].extra->at("imagePullPolicy") == "Never");
}

TEST_CASE("volumes and probes and env field references and resources are defaulted") {
  Pod pod = decode_pod_json(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": {"terminationGracePeriodSeconds": 5, "dnsPolicy": "Default",
        "containers": [{"name": "c", "image": "app:1",
          "env": [{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
          "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}},
          "livenessProbe": {"httpGet": {"port": 8080}},
          "readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 3}}],
        "volumes": [{"name": "s", "secret": {"secretName": "x"}},
                    {"name": "c", "configMap": {"name": "cm"}},
                    {"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}},
                    {"name": "h", "hostPath": {"path": "/tmp"}},
                    {"name": "e"}]}})");
  apply_pod_defaults(pod);
  const json spec = encode_object(pod)["spec"];
  CHECK(spec["terminationGracePeriodSeconds"] == 5);
  CHECK(spec["dnsPolicy"] == "Default");
  const json c = spec["containers"][0];
  CHECK(c["env"][0]["valueFrom"]["fieldRef"] == json{{"apiVersion", "v1"}, {"fieldPath", "spec.nodeName"}});
  CHECK(c["resources"]["requests"] == json{{"cpu", "500m"}, {"memory", "1Gi"}});
  CHECK(c["livenessProbe"] == json::parse(R"({"httpGet": {"port": 8080, "path": "/", "scheme": "HTTP"},
      "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})"));
  CHECK(c["readinessProbe"]["periodSeconds"] == 3);
  CHECK(spec["volumes"][0]["secret"]["defaultMode"] == 420);
  CHECK(spec["volumes"][1]["configMap"]["defaultMode"] == 420);
  CHECK(spec["volumes"][2]["projected"]["defaultMode"] == 420);
  CHECK(spec["volumes"][2]["projected"]["sources"][0]["serviceAccountToken"]["expirationSeconds"] == 3600);
  CHECK(spec["volumes"][3]["hostPath"]["type"] == "");
  CHECK(spec["volumes"][4] == json{{"name", "e"}, {"emptyDir", json::object()}});
}

TEST_CASE("serviceAccount mirrors serviceAccountName as the v1 conversion writes it") {
  Pod only_old = decode_pod_json(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": {"serviceAccount": "robot", "containers": [{"name": "c", "image": "app"}]}})");
  apply_pod_defaults(only_old);
  CHECK(only_old.spec.service_account_name == "robot");
  CHECK(only_old.spec.service_account == "robot");
  Pod both = decode_pod_json(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": {"serviceAccount": "old", "serviceAccountName": "new", "containers": [{"name": "c", "image": "app"}]}})");
  apply_pod_defaults(both);
  CHECK(both.spec.service_account_name == "new");
  CHECK(both.spec.service_account == "new");
}

TEST_CASE("host networking makes container ports host ports") {
  Pod pod = decode_pod_json(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": {"hostNetwork": true, "containers": [{"name": "c", "image": "app", "ports": [{"containerPort": 53, "protocol": "UDP"}]}]}})");
  apply_pod_defaults(pod);
  CHECK(encode_object(pod)["spec"]["containers"][0]["ports"][0] ==
        json{{"containerPort", 53}, {"hostPort", 53}, {"protocol", "UDP"}});
}

TEST_CASE("quantities compare by value") {
  CHECK(quantity_nanos("1") == quantity_nanos("1000m"));
  CHECK(quantity_nanos("1Gi") == quantity_nanos("1024Mi"));
  CHECK(quantity_nanos("1.5") == quantity_nanos("1500m"));
  CHECK(quantity_nanos("2e3") == quantity_nanos("2k"));
  CHECK(*quantity_nanos("1m") == 1'000'000);
  CHECK(*quantity_nanos("1n") == 1);
  CHECK_FALSE(quantity_nanos("lots").has_value());
  CHECK_FALSE(quantity_nanos("1Q").has_value());
}

TEST_CASE("the QoS class follows requests and limits of cpu and memory") {
  auto qos = [](const char* resources) {
    Pod pod;
    Container c;
    c.name = "c";
    c.image = "app";
    if (resources[0] != '\0') c.extra = std::make_shared<const json>(json{{"resources", json::parse(resources)}});
    pod.spec.containers = {c};
    apply_pod_defaults(pod);
    return pod_qos_class(pod);
  };
  CHECK(qos("") == "BestEffort");
  CHECK(qos(R"({"requests": {"ephemeral-storage": "1Gi"}})") == "BestEffort");
  CHECK(qos(R"({"limits": {"cpu": "1", "memory": "1Gi"}})") == "Guaranteed");
  CHECK(qos(R"({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1000m", "memory": "1024Mi"}})") ==
        "Guaranteed");
  CHECK(qos(R"({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}})") == "Burstable");
  CHECK(qos(R"({"limits": {"cpu": "1"}})") == "Burstable");
  CHECK(qos(R"({"requests": {"memory": "64Mi"}})") == "Burstable");
}

}  // namespace
}  // namespace sasim::model
