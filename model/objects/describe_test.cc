// `kubectl describe`: the seed's token Secret, and the ServiceAccount,
// Namespace and Pod layouts of kubectl 1.20.
#include <catch2/catch.hpp>

#include "model/objects/constants.h"
#include "model/objects/print.h"

namespace sasim::model {
namespace {

using nlohmann::json;

ExtraFields extra(const char* text) { return std::make_shared<const json>(json::parse(text)); }

Secret seed_secret() {
  Secret s;
  s.metadata.name = "build-robot-secret";
  s.metadata.namespace_ = "default";
  s.metadata.annotations = {{std::string(kServiceAccountNameKey), "build-robot"},
                            {std::string(kServiceAccountUidKey), "da68f9c6-9d26-11e7-b84e-002dc52800da"}};
  s.type = std::string(kSecretTypeServiceAccountToken);
  s.data = {{"ca.crt", std::string(1338, 'c')},
            {"namespace", "default"},
            {"token", "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2ln"}};
  return s;
}

TEST_CASE("describe of the seed's token secret") {
  // configure-service-account.md's `kubectl describe secrets/build-robot-secret`,
  // in kubectl 1.20's layout (spaces, `key: value` annotations, the token in full).
  CHECK(describe(seed_secret()) == R"(Name:         build-robot-secret
Namespace:    default
Labels:       <none>
Annotations:  kubernetes.io/service-account.name: build-robot
              kubernetes.io/service-account.uid: da68f9c6-9d26-11e7-b84e-002dc52800da

Type:  kubernetes.io/service-account-token

Data
====
ca.crt:     1338 bytes
namespace:  7 bytes
token:      eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2ln
)");
}

TEST_CASE("describe of an opaque secret counts bytes only") {
  Secret s;
  s.metadata.name = "creds";
  s.metadata.namespace_ = "default";
  s.metadata.labels = {{"app", "web"}, {"tier", "db"}};
  s.data = {{"password", "hunter2"}, {"token", "abc"}};
  CHECK(describe(s) == R"(Name:         creds
Namespace:    default
Labels:       app=web
              tier=db
Annotations:  <none>

Type:  Opaque

Data
====
password:  7 bytes
token:     3 bytes
)");
}

TEST_CASE("describe of a service account lists its tokens") {
  ServiceAccount sa;
  sa.metadata.name = "build-robot";
  sa.metadata.namespace_ = "default";
  sa.metadata.uid = "sa-uid";
  sa.secrets = {{"build-robot-token-bvbk5", "", "", "", "", "", ""}, {"gone", "", "", "", "", "", ""}};
  sa.image_pull_secrets = {"myregistrykey"};
  Secret token;
  token.metadata.name = "build-robot-token-bvbk5";
  token.type = std::string(kSecretTypeServiceAccountToken);
  token.metadata.annotations = {{std::string(kServiceAccountNameKey), "build-robot"},
                                {std::string(kServiceAccountUidKey), "sa-uid"}};
  Secret stale = token;
  stale.metadata.name = "build-robot-token-old";
  stale.metadata.annotations[std::string(kServiceAccountUidKey)] = "old-uid";
  DescribeContext context;
  context.secrets = std::vector<ObjectPtr>{std::make_shared<const Object>(token), std::make_shared<const Object>(stale)};
  CHECK(describe(sa, {}, context) == R"(Name:                build-robot
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  myregistrykey (not found)
Mountable secrets:   build-robot-token-bvbk5
                     gone (not found)
Tokens:              build-robot-token-bvbk5
Events:              <none>
)");

  ServiceAccount plain;
  plain.metadata.name = "default";
  plain.metadata.namespace_ = "default";
  CHECK(describe(plain) == R"(Name:                default
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  <none>
Mountable secrets:   <none>
Tokens:              <none>
Events:              <none>
)");
}

TEST_CASE("describe of a namespace") {
  Namespace ns;
  ns.metadata.name = "examplens";
  ns.metadata.annotations = {{"kubectl.kubernetes.io/last-applied-configuration", "{}\n"},
                             {"note", std::string("first line\nsecond line")}};
  CHECK(describe(ns) == R"(Name:         examplens
Labels:       <none>
Annotations:  note:
                first line
                second line
Status:       Active

No resource quota.

No LimitRange resource.
)");
  ns.phase = NamespacePhase::kTerminating;
  ns.metadata.annotations.clear();
  ns.status_extra = extra(R"({"conditions": [{"type": "NamespaceContentRemaining", "status": "True",
      "lastTransitionTime": "2020-01-01T00:01:00Z", "reason": "SomeResourcesRemain", "message": "Some resources are remaining: pods. has 1 resource instances"}]})");
  CHECK(describe(ns) == R"(Name:         examplens
Labels:       <none>
Annotations:  <none>
Status:       Terminating
Conditions:
  Type                       Status  LastTransitionTime               Reason               Message
  ----                       ------  ------------------               ------               -------
  NamespaceContentRemaining  True    Wed, 01 Jan 2020 00:01:00 +0000  SomeResourcesRemain  Some resources are remaining: pods. has 1 resource instances

No resource quota.

No LimitRange resource.
)");
}

TEST_CASE("describe of a pod with a token mount") {
  Pod p;
  p.metadata.name = "my-pod";
  p.metadata.namespace_ = "default";
  p.spec.service_account_name = "default";
  Container c;
  c.name = "app";
  c.image = "nginx";
  c.extra = extra(R"({"ports": [{"containerPort": 80}]})");
  c.volume_mounts = {VolumeMount{"default-token-abcde", std::string(kDefaultApiTokenMountPath), true, nullptr}};
  p.spec.containers = {c};
  Volume v;
  v.name = "default-token-abcde";
  v.secret = SecretVolumeSource{"default-token-abcde", 420, std::nullopt, nullptr};
  p.spec.volumes = {v};
  CHECK(describe(p) == R"(Name:         my-pod
Namespace:    default
Node:         <none>
Labels:       <none>
Annotations:  <none>
Status:       Pending
IP:           
IPs:          <none>
Containers:
  app:
    Image:        nginx
    Port:         80/TCP
    Host Port:    0/TCP
    Environment:  <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from default-token-abcde (ro)
Volumes:
  default-token-abcde:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  default-token-abcde
    Optional:    false
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     <none>
Events:          <none>
)");
}

TEST_CASE("describe of a running pod shows node start time and environment") {
  Pod p;
  p.metadata.name = "web";
  p.metadata.namespace_ = "default";
  p.spec.node_name = "node-1";
  p.spec.extra = extra(R"({"nodeSelector": {"disk": "ssd"},
      "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]})");
  Container c;
  c.name = "web";
  c.image = "nginx";
  c.env = {EnvVar{"MODE", std::string("prod"), std::nullopt, nullptr},
           EnvVar{"TOKEN", std::nullopt, SecretKeySelector{"api", "token", std::nullopt}, nullptr}};
  c.extra = extra(R"({"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}})");
  p.spec.containers = {c};
  p.status.phase = PodPhase::kRunning;
  p.status.start_time = sim::Time::from_start(sim::Duration::seconds(3));
  p.status.extra = extra(R"({"hostIP": "10.0.0.1", "podIP": "10.1.0.5", "podIPs": [{"ip": "10.1.0.5"}],
      "conditions": [{"type": "Ready", "status": "True"}], "qosClass": "Guaranteed"})");
  CHECK(describe(p) == R"(Name:         web
Namespace:    default
Node:         node-1/10.0.0.1
Start Time:   Wed, 01 Jan 2020 00:00:03 +0000
Labels:       <none>
Annotations:  <none>
Status:       Running
IP:           10.1.0.5
IPs:
  IP:  10.1.0.5
Containers:
  web:
    Image:      nginx
    Port:       <none>
    Host Port:  <none>
    Limits:
      cpu:     1
      memory:  1Gi
    Environment:
      MODE:   prod
      TOKEN:  <set to the key 'token' in secret 'api'>  Optional: false
    Mounts:   <none>
Conditions:
  Type           Status
  Ready          True 
Volumes:         <none>
QoS Class:       Guaranteed
Node-Selectors:  disk=ssd
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
Events:          <none>
)");
}

TEST_CASE("describe of a pod the kubelet runs shows its containers' states and the deletion") {
  Pod p;
  p.metadata.name = "web";
  p.metadata.namespace_ = "default";
  p.metadata.deletion_timestamp = sim::Time::from_start(sim::Duration::seconds(40));
  p.metadata.deletion_grace_period_seconds = 30;
  p.spec.node_name = "node-1";
  p.spec.extra = extra(R"({"priority": 0, "tolerations": [
      {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
      {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]})");
  Container c;
  c.name = "web";
  c.image = "nginx";
  p.spec.containers = {c};
  p.status.phase = PodPhase::kRunning;
  p.status.start_time = sim::Time::from_start(sim::Duration::seconds(2));
  p.status.extra = extra(R"({"hostIP": "10.0.0.2", "podIP": "10.244.0.2", "podIPs": [{"ip": "10.244.0.2"}],
      "qosClass": "BestEffort",
      "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "False"},
                     {"type": "ContainersReady", "status": "False"}, {"type": "PodScheduled", "status": "True"}],
      "containerStatuses": [{"name": "web", "containerID": "containerd://abc", "image": "docker.io/library/nginx:latest",
        "imageID": "docker.io/library/nginx@sha256:def", "ready": false, "restartCount": 0, "started": false,
        "lastState": {}, "state": {"terminated": {"exitCode": 0, "reason": "Completed",
        "startedAt": "2020-01-01T00:00:04Z", "finishedAt": "2020-01-01T00:00:11Z"}}}]})");
  DescribeContext context;
  context.now = sim::Time::from_start(sim::Duration::seconds(12));
  CHECK(describe(p, {}, context) == R"(Name:                      web
Namespace:                 default
Priority:                  0
Node:                      node-1/10.0.0.2
Start Time:                Wed, 01 Jan 2020 00:00:02 +0000
Labels:                    <none>
Annotations:               <none>
Status:                    Terminating (lasts <invalid>)
Termination Grace Period:  30s
IP:                        10.244.0.2
IPs:
  IP:  10.244.0.2
Containers:
  web:
    Container ID:   containerd://abc
    Image:          nginx
    Image ID:       docker.io/library/nginx@sha256:def
    Port:           <none>
    Host Port:      <none>
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Wed, 01 Jan 2020 00:00:04 +0000
      Finished:     Wed, 01 Jan 2020 00:00:11 +0000
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type              Status
  Initialized       True 
  Ready             False 
  ContainersReady   False 
  PodScheduled      True 
Volumes:            <none>
QoS Class:          BestEffort
Node-Selectors:     <none>
Tolerations:        node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                    node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:             <none>
)");
}

}  // namespace
}  // namespace sasim::model
