// R8: a mirror pod may not name an account, reference any Secret (every
// place VisitPodSecretNames looks), or project an account token.
#include "model/admission/mirror_pod.h"

#include <catch2/catch.hpp>

#include "model/admission/pod_secrets.h"
#include "model/admission/testing/fixtures.h"

namespace sasim::model::admission {
namespace mirror_pod_test {

using testing::json_volume;
using testing::make_container;
using testing::mirror_pod;

constexpr const char* kNoSecrets = "a mirror pod may not reference secrets";

struct Case {
  const char* name;
  Pod pod;
  const char* want;  // null: allowed
};

std::vector<Case> cases() {
  std::vector<Case> out;
  auto add = [&](const char* name, const char* want, auto build) {
    Pod pod = mirror_pod();
    build(pod);
    out.push_back({name, std::move(pod), want});
  };
  add("TestIgnoresMirrorPod: an empty-source volume", nullptr, [](Pod& p) { p.spec.volumes.push_back(Volume{}); });
  add("an emptyDir volume and a plain container", nullptr, [](Pod& p) {
    p.spec.volumes.push_back(json_volume("scratch", R"({"emptyDir": {}})"));
    p.spec.containers.push_back(make_container("c"));
  });
  add("TestRejectsMirrorPodWithServiceAccount", "a mirror pod may not reference service accounts",
      [](Pod& p) { p.spec.service_account_name = "default"; });
  add("TestRejectsMirrorPodWithSecretVolumes: a secret volume without a name", kNoSecrets,
      [](Pod& p) { p.spec.volumes.push_back(testing::secret_volume("", "")); });
  add("a secret volume mysecret", kNoSecrets,
      [](Pod& p) { p.spec.volumes.push_back(testing::secret_volume("v", "mysecret")); });
  add("TestRejectsMirrorPodWithServiceAccountTokenVolumeProjections",
      "a mirror pod may not use ServiceAccountToken volume projections", [](Pod& p) {
        p.spec.volumes.push_back(json_volume("p", R"({"projected": {"sources": [{"serviceAccountToken": {}}]}})"));
      });
  add("a projected secret source", kNoSecrets, [](Pod& p) {
    p.spec.volumes.push_back(json_volume("p", R"({"projected": {"sources": [{"secret": {"name": "s"}}]}})"));
  });
  add("a projected configMap source only", nullptr, [](Pod& p) {
    p.spec.volumes.push_back(json_volume("p", R"({"projected": {"sources": [{"configMap": {"name": "c"}}]}})"));
  });
  add("imagePullSecrets", kNoSecrets, [](Pod& p) { p.spec.image_pull_secrets = {"pull"}; });
  add("container env secretKeyRef", kNoSecrets, [](Pod& p) {
    p.spec.containers.push_back(make_container("c"));
    p.spec.containers[0].env.push_back(testing::secret_env("e", "s"));
  });
  add("init container envFrom secretRef", kNoSecrets, [](Pod& p) {
    p.spec.init_containers.push_back(make_container("i"));
    p.spec.init_containers[0].env_from.push_back(testing::secret_env_from("s"));
  });
  add("csi nodePublishSecretRef", kNoSecrets, [](Pod& p) {
    p.spec.volumes.push_back(json_volume("c", R"({"csi": {"driver": "d", "nodePublishSecretRef": {"name": "s"}}})"));
  });
  add("csi without a secret", nullptr,
      [](Pod& p) { p.spec.volumes.push_back(json_volume("c", R"({"csi": {"driver": "d"}})")); });
  add("rbd secretRef", kNoSecrets, [](Pod& p) {
    p.spec.volumes.push_back(json_volume("r", R"({"rbd": {"image": "i", "secretRef": {"name": "s"}}})"));
  });
  add("azureFile with an empty secretName is skipped as upstream", nullptr, [](Pod& p) {
    p.spec.volumes.push_back(json_volume("a", R"({"azureFile": {"secretName": "", "shareName": "x"}})"));
  });
  add("azureFile secretName", kNoSecrets, [](Pod& p) {
    p.spec.volumes.push_back(json_volume("a", R"({"azureFile": {"secretName": "s", "shareName": "x"}})"));
  });
  add("the account is checked before secrets", "a mirror pod may not reference service accounts", [](Pod& p) {
    p.spec.service_account_name = "default";
    p.spec.image_pull_secrets = {"pull"};
  });
  add("secrets are checked before projections", kNoSecrets, [](Pod& p) {
    p.spec.volumes.push_back(json_volume("p", R"({"projected": {"sources": [{"serviceAccountToken": {}}]}})"));
    p.spec.image_pull_secrets = {"pull"};
  });
  return out;
}

TEST_CASE("validate_mirror_pod gives upstream's reason for each forbidden reference") {
  for (const Case& c : cases()) {
    INFO(c.name);
    const std::optional<std::string> got = validate_mirror_pod(c.pod);
    if (c.want == nullptr) {
      CHECK(got == std::nullopt);
    } else {
      CHECK(got == std::optional<std::string>(c.want));
    }
  }
}

TEST_CASE("is_mirror_pod needs only the annotation's presence") {
  Pod pod;
  CHECK_FALSE(is_mirror_pod(pod));
  pod.metadata.annotations[std::string(kMirrorPodAnnotation)] = "";
  CHECK(is_mirror_pod(pod));
}

TEST_CASE("pod_secret_names lists references in upstream's visiting order") {
  Pod pod;
  pod.spec.volumes.push_back(testing::secret_volume("v", "volume"));
  pod.spec.volumes.push_back(json_volume("p", R"({"projected": {"sources": [{"secret": {"name": "projected"}}]}})"));
  pod.spec.containers.push_back(make_container("c"));
  pod.spec.containers[0].env.push_back(testing::secret_env("e", "container-env"));
  pod.spec.containers[0].env_from.push_back(testing::secret_env_from("container-env-from"));
  pod.spec.init_containers.push_back(make_container("i"));
  pod.spec.init_containers[0].env.push_back(testing::secret_env("e", "init-env"));
  pod.spec.ephemeral_containers.push_back(make_container("d"));
  pod.spec.ephemeral_containers[0].env.push_back(testing::secret_env("e", "ephemeral-env"));
  pod.spec.image_pull_secrets = {"pull"};
  const std::vector<std::string> want = {"pull",          "init-env", "container-env-from", "container-env",
                                         "ephemeral-env", "volume",   "projected"};
  CHECK(pod_secret_names(pod) == want);
}

}  // namespace mirror_pod_test
}  // namespace sasim::model::admission
