// The projected volume's payload (K1, K8, K12): all-or-nothing across
// sources, upstream's error texts, the kubelet's TokenRequest.
#include "model/kubelet/projected_volume.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace sasim::model::kubelet {
namespace {

Volume admission_volume(std::optional<int> default_mode = 420) {
  nlohmann::json projected = {
      {"sources",
       {{{"serviceAccountToken", {{"path", "token"}, {"expirationSeconds", 3607}}}},
        {{"configMap", {{"name", "kube-root-ca.crt"}, {"items", {{{"key", "ca.crt"}, {"path", "ca.crt"}}}}}}},
        {{"downwardAPI",
          {{"items", {{{"path", "namespace"}, {"fieldRef", {{"apiVersion", "v1"}, {"fieldPath", "metadata.namespace"}}}}}}}}}}}};
  if (default_mode) projected["defaultMode"] = *default_mode;
  Volume volume;
  volume.name = "kube-api-access-abcde";
  volume.other_source = std::make_shared<const nlohmann::json>(nlohmann::json{{"projected", projected}});
  return volume;
}

Pod pod_named(std::string name, std::string uid) {
  Pod pod;
  pod.metadata.namespace_ = "team";
  pod.metadata.name = std::move(name);
  pod.metadata.uid = std::move(uid);
  pod.spec.service_account_name = "default";
  return pod;
}

SourceObject ca_config_map(const std::string& name) {
  if (name != "kube-root-ca.crt") return {.data = std::nullopt, .not_found = true, .error = "configmap \"" + name + "\" not found"};
  return {.data = std::map<std::string, DataValue>{{"ca.crt", DataValue("CA")}}};
}
SourceObject no_config_map(const std::string& name) {
  return {.data = std::nullopt, .not_found = true, .error = "configmap \"" + name + "\" not found"};
}
SourceObject no_secret(const std::string& name) {
  return {.data = std::nullopt, .not_found = true, .error = "secret \"" + name + "\" not found"};
}

}  // namespace

TEST_CASE("admission's volume reads as three sources and the kubelet's TokenRequest is bound to the pod") {
  auto volume = projected_volume_of(admission_volume());
  REQUIRE(volume);
  REQUIRE(volume->sources.size() == 3);
  CHECK(volume->default_mode == 420);
  const ProjectedSource& token = volume->sources[0];
  CHECK(token.type == ProjectedSource::Type::kServiceAccountToken);
  CHECK(token.expiration_seconds == 3607);
  const TokenRequest request = kubelet_token_request(token, pod_named("web", "u-1"));
  CHECK(request.audiences.empty());  // nil: the apiserver's defaults
  CHECK(request.expiration_seconds == 3607);
  CHECK(request.bound_object_ref == BoundObjectReference{"Pod", "v1", "web", "u-1"});
  ProjectedSource with_audience = token;
  with_audience.audience = "vault";
  CHECK(kubelet_token_request(with_audience, pod_named("web", "u-1")).audiences == std::vector<std::string>{"vault"});
  Volume secret_volume;
  secret_volume.name = "s";
  secret_volume.secret.emplace();
  CHECK_FALSE(projected_volume_of(secret_volume));
}

TEST_CASE("the payload holds the token and ca.crt and the namespace: any failing source withholds all of it") {
  const ProjectedVolume volume = *projected_volume_of(admission_volume());
  const Pod pod = pod_named("web", "u-1");
  ProjectedInputs inputs{.tokens = {{DataValue("JWT"), ""}}, .config_map = ca_config_map, .secret = no_secret};
  ProjectedPayload ok = collect_projected_payload(volume, pod, inputs);
  REQUIRE(ok.payload);
  CHECK(ok.payload->at("token").bytes() == "JWT");
  CHECK(ok.payload->at("ca.crt").bytes() == "CA");
  CHECK(ok.payload->at("namespace").bytes() == "team");  // no trailing newline
  CHECK(ok.payload->size() == 3);

  inputs.config_map = no_config_map;
  ProjectedPayload missing = collect_projected_payload(volume, pod, inputs);
  CHECK_FALSE(missing.payload);  // the fresh token is not written either
  CHECK(missing.error == "configmap \"kube-root-ca.crt\" not found");

  inputs.tokens = {{std::nullopt, "failed to fetch token: serviceaccounts \"default\" not found"}};
  ProjectedPayload both = collect_projected_payload(volume, pod, inputs);
  CHECK(both.error ==
        "[failed to fetch token: serviceaccounts \"default\" not found, configmap \"kube-root-ca.crt\" not found]");

  inputs.tokens = {{DataValue("JWT"), ""}};
  inputs.config_map = [](const std::string&) {
    return SourceObject{.data = std::map<std::string, DataValue>{{"other", DataValue("x")}}};
  };
  CHECK(collect_projected_payload(volume, pod, inputs).error == "configmap references non-existent config key: ca.crt");
}

TEST_CASE("a projected volume without defaultMode is refused and an optional missing ConfigMap is skipped") {
  const Pod pod = pod_named("web", "u-1");
  ProjectedInputs inputs{.tokens = {{DataValue("JWT"), ""}}, .config_map = no_config_map, .secret = no_secret};
  CHECK(collect_projected_payload(*projected_volume_of(admission_volume(std::nullopt)), pod, inputs).error ==
        "no defaultMode used, not even the default value for it");
  ProjectedVolume optional = *projected_volume_of(admission_volume());
  optional.sources[1].optional = true;
  ProjectedPayload payload = collect_projected_payload(optional, pod, inputs);
  REQUIRE(payload.payload);
  CHECK(payload.payload->count("ca.crt") == 0);
}

}  // namespace sasim::model::kubelet
