// Manifests to objects and back: decode errors carry a JSON pointer and the
// decoder's message; every kind survives encode then decode; a real manifest
// with unmodelled fields prints back as written.
#include "model/objects/codec.h"

#include <catch2/catch.hpp>

#include "model/objects/equality.h"

namespace sasim::model {
namespace {

using nlohmann::json;

sim::Time at_seconds(std::int64_t s) { return sim::Time::from_start(sim::Duration::seconds(s)); }

ExtraFields extra(const char* text) { return std::make_shared<const json>(json::parse(text)); }

TEST_CASE("decode errors name the place and the problem") {
  struct Case {
    const char* name;
    const char* manifest;
    const char* path;
    const char* message;
  };
  const Case cases[] = {
      {"not an object", R"([1])", "", "json: cannot unmarshal array into Go value of type map[string]interface {}"},
      {"kind missing", R"({"apiVersion": "v1"})", "", "Object 'Kind' is missing"},
      {"apiVersion missing", R"({"kind": "Pod"})", "", "Object 'apiVersion' is missing"},
      {"kind not simulated", R"({"apiVersion": "apps/v1", "kind": "Deployment"})", "/kind",
       "no matches for kind \"Deployment\" in version \"apps/v1\": the simulated kinds are Namespace, ServiceAccount, "
       "Secret, Pod, Node and ConfigMap, in version \"v1\""},
      {"wrong apiVersion", R"({"apiVersion": "v2", "kind": "Secret"})", "/apiVersion",
       "no matches for kind \"Secret\" in version \"v2\": Secret is simulated in version \"v1\" only"},
      {"kind not a string", R"({"apiVersion": "v1", "kind": 3})", "/kind",
       "json: cannot unmarshal number into Go struct field TypeMeta.kind of type string"},
      {"name not a string", R"({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": 5}})",
       "/metadata/name", "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string"},
      {"metadata not an object", R"({"apiVersion": "v1", "kind": "Namespace", "metadata": []})", "/metadata",
       "json: cannot unmarshal array into Go struct field Namespace.metadata of type v1.ObjectMeta"},
      {"label value not a string",
       R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"labels": {"a/b": true}}})", "/metadata/labels/a~1b",
       "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string"},
      {"annotations not a map", R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"annotations": "x"}})",
       "/metadata/annotations",
       "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.annotations of type map[string]string"},
      {"resourceVersion not decimal",
       R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"resourceVersion": "12a"}})", "/metadata/resourceVersion",
       "strconv.ParseUint: parsing \"12a\": invalid syntax"},
      {"resourceVersion a number", R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"resourceVersion": 12}})",
       "/metadata/resourceVersion",
       "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.resourceVersion of type string"},
      {"bad timestamp",
       R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"creationTimestamp": "2020-01-01 00:00:00"}})",
       "/metadata/creationTimestamp",
       "parsing time \"2020-01-01 00:00:00\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \" 00:00:00\" as \"T\""},
      {"timestamp a number", R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"deletionTimestamp": 1}})",
       "/metadata/deletionTimestamp", "json: cannot unmarshal number into Go value of type string"},
      {"unknown top-level field", R"({"apiVersion": "v1", "kind": "ServiceAccount", "metdata": {}})", "/metdata",
       "unknown field \"metdata\" in io.k8s.api.core.v1.ServiceAccount"},
      {"unknown metadata field", R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"nmae": "x"}})",
       "/metadata/nmae", "unknown field \"nmae\" in io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
      {"secret data not base64", R"({"apiVersion": "v1", "kind": "Secret", "data": {"k": "ab$d"}})", "/data/k",
       "illegal base64 data at input byte 2"},
      {"secret data missing padding", R"({"apiVersion": "v1", "kind": "Secret", "data": {"k": "YWJj ZA"}})",
       "/data/k", "illegal base64 data at input byte 4"},
      {"secret data a number", R"({"apiVersion": "v1", "kind": "Secret", "data": {"k": 1}})", "/data/k",
       "json: cannot unmarshal number into Go struct field Secret.data of type []uint8"},
      {"stringData value a list", R"({"apiVersion": "v1", "kind": "Secret", "stringData": {"k": []}})",
       "/stringData/k", "json: cannot unmarshal array into Go struct field Secret.stringData of type string"},
      {"immutable not a bool", R"({"apiVersion": "v1", "kind": "Secret", "immutable": "yes"})", "/immutable",
       "json: cannot unmarshal string into Go struct field Secret.immutable of type bool"},
      {"secrets item not an object", R"({"apiVersion": "v1", "kind": "ServiceAccount", "secrets": ["x"]})",
       "/secrets/0",
       "json: cannot unmarshal string into Go struct field ServiceAccount.secrets of type v1.ObjectReference"},
      {"secret reference name a number",
       R"({"apiVersion": "v1", "kind": "ServiceAccount", "secrets": [{"name": "a"}, {"name": 2}]})",
       "/secrets/1/name",
       "json: cannot unmarshal number into Go struct field ObjectReference.secrets.name of type string"},
      {"automount not a bool",
       R"({"apiVersion": "v1", "kind": "ServiceAccount", "automountServiceAccountToken": "false"})",
       "/automountServiceAccountToken",
       "json: cannot unmarshal string into Go struct field ServiceAccount.automountServiceAccountToken of type bool"},
      {"namespace phase unknown", R"({"apiVersion": "v1", "kind": "Namespace", "status": {"phase": "Gone"}})",
       "/status/phase", "Unsupported value: \"Gone\": supported values: \"Active\", \"Terminating\""},
      {"containers not a list", R"({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": {}}})",
       "/spec/containers",
       "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container"},
      {"container name a number",
       R"({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a"}, {"name": 1}]}})",
       "/spec/containers/1/name",
       "json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string"},
      {"container field misspelt",
       R"({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a", "imagee": "x"}]}})",
       "/spec/containers/0/imagee", "unknown field \"imagee\" in io.k8s.api.core.v1.Container"},
      {"pod spec field misspelt", R"({"apiVersion": "v1", "kind": "Pod", "spec": {"serviceAcountName": "x"}})",
       "/spec/serviceAcountName", "unknown field \"serviceAcountName\" in io.k8s.api.core.v1.PodSpec"},
      {"volume source unknown", R"({"apiVersion": "v1", "kind": "Pod", "spec": {"volumes": [{"name": "v", "tmpDir": {}}]}})",
       "/spec/volumes/0/tmpDir", "unknown field \"tmpDir\" in io.k8s.api.core.v1.Volume"},
      {"defaultMode fractional",
       R"({"apiVersion": "v1", "kind": "Pod", "spec": {"volumes": [{"name": "v", "secret": {"defaultMode": 1.5}}]}})",
       "/spec/volumes/0/secret/defaultMode",
       "json: cannot unmarshal number 1.5 into Go struct field SecretVolumeSource.spec.volumes.secret.defaultMode of "
       "type int32"},
      {"defaultMode too large",
       R"({"apiVersion": "v1", "kind": "Pod", "spec": {"volumes": [{"name": "v", "secret": {"defaultMode": 4294967296}}]}})",
       "/spec/volumes/0/secret/defaultMode",
       "json: cannot unmarshal number 4294967296 into Go struct field SecretVolumeSource.spec.volumes.secret.defaultMode "
       "of type int32"},
      {"secretKeyRef key a number",
       R"({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a", "env": [{"name": "E", "valueFrom": {"secretKeyRef": {"key": 1}}}]}]}})",
       "/spec/containers/0/env/0/valueFrom/secretKeyRef/key",
       "json: cannot unmarshal number into Go struct field SecretKeySelector.spec.containers.env.valueFrom.secretKeyRef.key "
       "of type string"},
      {"resources not an object",
       R"({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a", "resources": "big"}]}})",
       "/spec/containers/0/resources",
       "json: cannot unmarshal string into Go struct field Container.spec.containers.resources of type "
       "v1.ResourceRequirements"},
      {"pod phase unknown", R"({"apiVersion": "v1", "kind": "Pod", "status": {"phase": "Done"}})", "/status/phase",
       "Unsupported value: \"Done\": supported values: \"Pending\", \"Running\", \"Succeeded\", \"Failed\", \"Unknown\""},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto result = decode_object(json::parse(c.manifest));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().path == c.path);
    CHECK(result.error().message == c.message);
  }
}

TEST_CASE("a List decodes item by item and errors point into items") {
  const json list = json::parse(R"({"apiVersion": "v1", "kind": "List", "items": [
      {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}},
      {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "b", "namespace": "a"}}]})");
  auto objects = decode_manifests(list);
  REQUIRE(objects.ok());
  REQUIRE(objects.value().size() == 2);
  CHECK(kind_of(objects.value()[1]) == Kind::kServiceAccount);

  json bad = list;
  bad["items"][1]["metadata"]["name"] = 7;
  auto error = decode_manifests(bad);
  REQUIRE_FALSE(error.ok());
  CHECK(error.error().path == "/items/1/metadata/name");
}

TEST_CASE("stringData is merged into data and wins") {
  auto result = decode_object(json::parse(R"({"apiVersion": "v1", "kind": "Secret",
      "metadata": {"name": "s", "namespace": "default"},
      "data": {"a": "YWFh", "b": "YmJi"}, "stringData": {"b": "new", "c": "ccc"}})"));
  REQUIRE(result.ok());
  const Secret& s = std::get<Secret>(result.value());
  REQUIRE(s.data.size() == 3);
  CHECK(s.data.at("a").bytes() == "aaa");
  CHECK(s.data.at("b").bytes() == "new");
  CHECK(s.data.at("c").bytes() == "ccc");
  CHECK(s.type == "Opaque");
  CHECK_FALSE(encode_object(result.value()).contains("stringData"));
}

TEST_CASE("metadata fields are decoded") {
  const EncodeOptions options;
  auto result = decode_object(json::parse(R"({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {
      "name": "build-robot", "generateName": "build-", "namespace": "default", "uid": "u-1",
      "resourceVersion": "272500", "creationTimestamp": "2020-01-01T00:00:05Z",
      "deletionTimestamp": "2020-01-01T00:01:00.5Z", "labels": {"app": "x"}, "annotations": {"a": "b"},
      "finalizers": ["example.com/f"], "ownerReferences": [{"kind": "Pod", "name": "p"}]}})"),
                              options);
  REQUIRE(result.ok());
  const ObjectMeta& m = meta(result.value());
  CHECK(m.name == "build-robot");
  CHECK(m.generate_name == "build-");
  CHECK(m.namespace_ == "default");
  CHECK(m.uid == "u-1");
  CHECK(m.resource_version == 272500);
  CHECK(m.creation_timestamp == at_seconds(5));
  CHECK(m.deletion_timestamp == sim::Time::from_start(sim::Duration::milliseconds(60500)));
  CHECK(m.labels == std::map<std::string, std::string>{{"app", "x"}});
  CHECK(m.annotations == std::map<std::string, std::string>{{"a", "b"}});
  CHECK(m.finalizers == std::vector<std::string>{"example.com/f"});
  REQUIRE(m.extra);
  CHECK(m.extra->contains("ownerReferences"));
}

TEST_CASE("timestamps before the epoch decode to time zero") {
  auto result = decode_object(json::parse(
      R"({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"creationTimestamp": "2015-06-16T00:12:59Z"}})"));
  REQUIRE(result.ok());
  CHECK(meta(result.value()).creation_timestamp == sim::Time::zero());
}

Object sample_namespace() {
  Namespace ns;
  ns.metadata.name = "examplens";
  ns.metadata.uid = "ns-uid";
  ns.metadata.resource_version = 3;
  ns.metadata.creation_timestamp = at_seconds(1);
  ns.metadata.deletion_timestamp = at_seconds(9);
  ns.metadata.labels = {{"team", "a"}};
  ns.spec_finalizers = {"kubernetes"};
  ns.phase = NamespacePhase::kTerminating;
  ns.status_extra = extra(R"({"conditions": [{"type": "NamespaceDeletionContentFailure", "status": "False"}]})");
  return ns;
}

Object sample_service_account() {
  ServiceAccount sa;
  sa.metadata.name = "build-robot";
  sa.metadata.namespace_ = "default";
  sa.metadata.uid = "721ab723-13bc-11e5-aec2-42010af0021e";
  sa.metadata.resource_version = 272500;
  sa.metadata.creation_timestamp = at_seconds(42);
  sa.metadata.annotations = {{"kubernetes.io/enforce-mountable-secrets", "true"}};
  sa.metadata.finalizers = {"example.com/hold"};
  sa.metadata.extra = extra(R"({"ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": "p", "uid": "1"}]})");
  sa.secrets = {{"build-robot-token-bvbk5", "", "", "", "", "", ""}, {"other", "default", "Secret", "v1", "u", "7", "f"}};
  sa.image_pull_secrets = {"myregistrykey"};
  sa.automount_service_account_token = false;
  return sa;
}

Object sample_secret() {
  Secret s;
  s.metadata.name = "build-robot-secret";
  s.metadata.generate_name = "build-robot-";
  s.metadata.namespace_ = "default";
  s.metadata.annotations = {{"kubernetes.io/service-account.name", "build-robot"},
                            {"kubernetes.io/service-account.uid", "da68f9c6"}};
  s.metadata.creation_timestamp = at_seconds(3);
  s.type = "kubernetes.io/service-account-token";
  s.data = {{"ca.crt", DataValue(std::string("-----BEGIN CERTIFICATE-----\n\x01\x02\xff"))},
            {"namespace", "default"},
            {"token", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"},
            {"empty", ""}};
  s.immutable = true;
  return s;
}

Object sample_pod() {
  Pod p;
  p.metadata.name = "my-pod";
  p.metadata.namespace_ = "default";
  p.metadata.creation_timestamp = at_seconds(10);
  p.spec.service_account_name = "build-robot";
  p.spec.service_account = "build-robot";
  p.spec.automount_service_account_token = true;
  p.spec.image_pull_secrets = {"myregistrykey"};
  p.spec.node_name = "node-1";
  p.spec.extra = extra(R"({"restartPolicy": "Always", "nodeSelector": {"disk": "ssd"}, "activeDeadlineSeconds": 30})");
  Volume token;
  token.name = "build-robot-token-bvbk5";
  token.secret = SecretVolumeSource{"build-robot-token-bvbk5", 420, false, extra(R"({"items": [{"key": "token", "path": "t"}]})")};
  Volume scratch;
  scratch.name = "scratch";
  scratch.other_source = extra(R"({"emptyDir": {}})");
  p.spec.volumes = {token, scratch};
  Container c;
  c.name = "app";
  c.image = "nginx:1.19";
  c.extra = extra(R"({"ports": [{"containerPort": 80}], "resources": {"limits": {"cpu": "1"}}})");
  EnvVar plain{"MODE", std::string("prod"), std::nullopt, nullptr};
  EnvVar from_secret{"PASSWORD", std::nullopt, SecretKeySelector{"db", "password", true}, nullptr};
  EnvVar from_config{"LEVEL", std::nullopt, std::nullopt, extra(R"({"configMapKeyRef": {"name": "cfg", "key": "level"}})")};
  c.env = {plain, from_secret, from_config};
  c.env_from = {EnvFromSource{"DB_", std::string("db"), extra(R"({"secretRef": {"optional": true}})")},
                EnvFromSource{"", std::nullopt, extra(R"({"configMapRef": {"name": "cfg"}})")}};
  c.volume_mounts = {VolumeMount{"build-robot-token-bvbk5", "/var/run/secrets/kubernetes.io/serviceaccount", true,
                                 extra(R"({"subPath": "x"})")},
                     VolumeMount{"scratch", "/tmp", false, nullptr}};
  p.spec.containers = {c};
  Container init;
  init.name = "init";
  init.image = "busybox";
  p.spec.init_containers = {init};
  Container debug;
  debug.name = "debug";
  debug.image = "busybox";
  debug.extra = extra(R"({"targetContainerName": "app"})");
  p.spec.ephemeral_containers = {debug};
  p.status.phase = PodPhase::kRunning;
  p.status.start_time = at_seconds(12);
  p.status.extra = extra(R"({"podIP": "10.0.0.7", "qosClass": "Burstable"})");
  return p;
}

TEST_CASE("decode of encode gives back every kind") {
  const EncodeOptions options{1600000000};
  const Object samples[] = {sample_namespace(), sample_service_account(), sample_secret(), sample_pod(),
                            Object(Namespace{}), Object(ServiceAccount{}), Object(Secret{}), Object(Pod{})};
  for (const Object& original : samples) {
    const json encoded = encode_object(original, options);
    INFO(encoded.dump());
    auto decoded = decode_object(encoded, options);
    REQUIRE(decoded.ok());
    CHECK(equivalent(decoded.value(), original));
    CHECK(encode_object(decoded.value(), options) == encoded);
  }
}

TEST_CASE("equivalence notices a change in any kept field") {
  Object a = sample_pod();
  Object b = sample_pod();
  CHECK(equivalent(a, b));
  std::get<Pod>(b).spec.containers[0].extra = extra(R"({"ports": [{"containerPort": 81}]})");
  CHECK_FALSE(equivalent(a, b));
  Object s1 = sample_secret();
  Object s2 = sample_secret();
  std::get<Secret>(s2).data["token"] = "other";
  CHECK_FALSE(equivalent(s1, s2));
  CHECK_FALSE(equivalent(sample_secret(), sample_pod()));
}

TEST_CASE("a real pod manifest prints back as written") {
  // What `kubectl get pod -o json` shows for a pod with unmodelled fields at
  // every level: decoding keeps them, encoding writes them back unchanged.
  const json manifest = json::parse(R"({
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "web", "namespace": "default", "uid": "c0ffee", "resourceVersion": "1042",
                 "creationTimestamp": "2020-01-01T00:00:07Z", "labels": {"app": "web"},
                 "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "r1",
                                      "controller": true, "blockOwnerDeletion": true}]},
    "spec": {
      "restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "terminationGracePeriodSeconds": 30,
      "nodeSelector": {"kubernetes.io/os": "linux"}, "schedulerName": "default-scheduler",
      "securityContext": {}, "enableServiceLinks": true, "priority": 0,
      "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                       "tolerationSeconds": 300}],
      "serviceAccountName": "default", "serviceAccount": "default", "nodeName": "node-1",
      "volumes": [
        {"name": "cache", "emptyDir": {"medium": "Memory"}},
        {"name": "config", "configMap": {"name": "web-config", "defaultMode": 420}},
        {"name": "kube-api-access", "projected": {"defaultMode": 420, "sources": [
           {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
           {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
           {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}},
        {"name": "default-token-abcde", "secret": {"secretName": "default-token-abcde", "defaultMode": 420}}],
      "containers": [{
        "name": "web", "image": "nginx:1.19", "imagePullPolicy": "IfNotPresent",
        "command": ["nginx"], "args": ["-g", "daemon off;"],
        "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP"}],
        "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m"}},
        "env": [{"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "web-config", "key": "level"}}},
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "api", "key": "token", "optional": false}}}],
        "envFrom": [{"configMapRef": {"name": "web-config"}}, {"prefix": "DB_", "secretRef": {"name": "db", "optional": true}}],
        "volumeMounts": [{"name": "cache", "mountPath": "/cache"},
                         {"name": "config", "mountPath": "/etc/nginx/conf.d", "readOnly": true, "subPath": "site"},
                         {"name": "default-token-abcde", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true}],
        "livenessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"},
       {"name": "sidecar", "image": "busybox", "resources": {}}]},
    "status": {"phase": "Running", "startTime": "2020-01-01T00:00:09Z", "hostIP": "10.0.0.1", "podIP": "10.1.0.5",
               "conditions": [{"type": "Ready", "status": "True"}], "qosClass": "Burstable"}
  })");
  auto pod = decode_object(manifest);
  REQUIRE(pod.ok());
  CHECK(encode_object(pod.value()) == manifest);
  const Pod& p = std::get<Pod>(pod.value());
  CHECK(p.spec.volumes[3].secret->secret_name == "default-token-abcde");
  CHECK(p.spec.containers[0].env[2].secret_key_ref->key == "token");
  CHECK(p.spec.containers[0].env_from[1].secret_ref == "db");
  CHECK(p.spec.containers[0].volume_mounts[1].read_only);
  CHECK(p.status.phase == PodPhase::kRunning);
}

TEST_CASE("encoding omits empty fields as Go's omitempty does") {
  Pod pod;
  pod.metadata.name = "p";
  Container c;
  c.name = "a";
  pod.spec.containers = {c};
  const json out = encode_object(pod);
  CHECK(out == json::parse(R"({"apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "p", "creationTimestamp": "2020-01-01T00:00:00Z"},
      "spec": {"containers": [{"name": "a", "resources": {}}]}, "status": {"phase": "Pending"}})"));

  CHECK(encode_object(Pod{})["spec"] == json::parse(R"({"containers": null})"));
  CHECK(encode_object(Namespace{}) == json::parse(R"({"apiVersion": "v1", "kind": "Namespace",
      "metadata": {"creationTimestamp": "2020-01-01T00:00:00Z"}, "spec": {}, "status": {"phase": "Active"}})"));
  CHECK(encode_object(ServiceAccount{}) == json::parse(R"({"apiVersion": "v1", "kind": "ServiceAccount",
      "metadata": {"creationTimestamp": "2020-01-01T00:00:00Z"}})"));
  CHECK(encode_object(Secret{}) == json::parse(R"({"apiVersion": "v1", "kind": "Secret",
      "metadata": {"creationTimestamp": "2020-01-01T00:00:00Z"}, "type": "Opaque"})"));
}

TEST_CASE("timestamps are printed in UTC from the epoch option") {
  ServiceAccount sa;
  sa.metadata.creation_timestamp = sim::Time::from_start(sim::Duration::milliseconds(2999));
  const EncodeOptions options{1563692827};  // 2019-07-21T07:07:07Z
  CHECK(encode_object(sa, options)["metadata"]["creationTimestamp"] == "2019-07-21T07:07:09Z");
}

}  // namespace
}  // namespace sasim::model

namespace sasim::model {
namespace {

TEST_CASE("a node as kubectl get node -o yaml shows it decodes and encodes back unchanged") {
  const json manifest = json::parse(R"({"apiVersion": "v1", "kind": "Node",
    "metadata": {"name": "kind-control-plane", "uid": "u", "resourceVersion": "12",
      "creationTimestamp": "2020-01-01T00:00:00Z",
      "labels": {"kubernetes.io/hostname": "kind-control-plane", "node-role.kubernetes.io/master": ""},
      "annotations": {"node.alpha.kubernetes.io/ttl": "0"}},
    "spec": {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"], "providerID": "kind://docker/kind/kind-control-plane",
      "taints": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/master"}]},
    "status": {"addresses": [{"address": "172.18.0.2", "type": "InternalIP"}, {"address": "kind-control-plane", "type": "Hostname"}],
      "allocatable": {"cpu": "8", "pods": "110"}, "capacity": {"cpu": "8", "pods": "110"},
      "conditions": [{"lastHeartbeatTime": "2020-01-01T00:01:00Z", "lastTransitionTime": "2020-01-01T00:00:10Z",
        "message": "kubelet is posting ready status", "reason": "KubeletReady", "status": "True", "type": "Ready"}],
      "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
      "images": [{"names": ["k8s.gcr.io/etcd:3.4.13-0"], "sizeBytes": 86742272}],
      "nodeInfo": {"architecture": "amd64", "bootID": "b", "containerRuntimeVersion": "containerd://1.4.0",
        "kernelVersion": "5.4.0", "kubeProxyVersion": "v1.20.2", "kubeletVersion": "v1.20.2", "machineID": "m",
        "operatingSystem": "linux", "osImage": "Ubuntu 20.10", "systemUUID": "s"}}})");
  auto decoded = decode_object(manifest);
  REQUIRE(decoded.ok());
  const Node& node = std::get<Node>(decoded.value());
  CHECK(node.spec.pod_cidr == "10.244.0.0/24");
  CHECK(node_address(node, "InternalIP") == "172.18.0.2");
  CHECK(node_ready(node));
  CHECK(encode_object(decoded.value()) == manifest);
  // A typo is an error, as kubectl's schema check makes it.
  json typo = manifest;
  typo["spec"]["podCIRD"] = "x";
  auto rejected = decode_object(typo);
  REQUIRE_FALSE(rejected.ok());
  CHECK(rejected.error().message == "unknown field \"podCIRD\" in io.k8s.api.core.v1.NodeSpec");
}

TEST_CASE("a node without a status shows the empty structs the API always writes") {
  auto decoded = decode_object(json::parse(R"({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}})"));
  REQUIRE(decoded.ok());
  const json status = encode_object(decoded.value())["status"];
  CHECK(status["daemonEndpoints"] == json{{"kubeletEndpoint", {{"Port", 0}}}});
  CHECK(status["nodeInfo"]["kubeletVersion"] == "");
  CHECK(status["nodeInfo"].size() == 10);
  CHECK(encode_object(decoded.value())["spec"] == json::object());
}

TEST_CASE("deletionGracePeriodSeconds and terminationGracePeriodSeconds are read and written") {
  auto decoded = decode_object(json::parse(R"({"apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "p", "deletionTimestamp": "2020-01-01T00:00:30Z", "deletionGracePeriodSeconds": 30},
      "spec": {"terminationGracePeriodSeconds": 45, "containers": [{"name": "c", "image": "i"}]}})"));
  REQUIRE(decoded.ok());
  const Pod& pod = std::get<Pod>(decoded.value());
  CHECK(pod.metadata.deletion_grace_period_seconds == 30);
  CHECK(pod.spec.termination_grace_period_seconds == 45);
  const json encoded = encode_object(decoded.value());
  CHECK(encoded["metadata"]["deletionGracePeriodSeconds"] == 30);
  CHECK(encoded["spec"]["terminationGracePeriodSeconds"] == 45);
}

}  // namespace
}  // namespace sasim::model
