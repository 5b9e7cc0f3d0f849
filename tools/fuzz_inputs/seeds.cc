#include "tools/fuzz_inputs/seeds.h"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/prng.h"
#include "model/auth/base64.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/bound_claims.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/signing_key.h"
#include "model/auth/test_keys.h"
#include "scenarios/yaml_json.h"
#include "scenarios/yaml_tree.h"
#include "sim/duration_text.h"
#include "tools/fuzz_inputs/targets.h"

namespace sasim::tools::fuzz_inputs {

namespace fs = std::filesystem;
namespace auth = model::auth;
using nlohmann::json;

namespace {

// Each target's seeds, deduplicated, in a stable order.
using Seeds = std::map<std::string, std::set<std::string>>;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> yaml_files(const fs::path& root) {
  std::vector<fs::path> files;
  for (const char* dir : {"scenarios/library", "tests/scenarios", "tests/bad_scenarios"}) {
    if (!fs::is_directory(root / dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Manifests (maps with apiVersion and kind), JSONPath templates and
// duration-like strings anywhere in a scenario's tree.
void collect(const json& value, Seeds& seeds) {
  if (value.is_object()) {
    if (value.contains("apiVersion") && value.contains("kind")) seeds["manifest"].insert(value.dump());
    for (const auto& [key, member] : value.items()) collect(member, seeds);
  } else if (value.is_array()) {
    for (const json& item : value) collect(item, seeds);
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text.find("{.") != std::string::npos) seeds["jsonpath"].insert(text + "\n{}");
    if (text.size() < 40 && sim::parse_duration(text).ok()) seeds["duration"].insert(text);
  }
}

void scenario_seeds(const fs::path& root, Seeds& seeds) {
  for (const fs::path& file : yaml_files(root)) {
    const std::string text = read_file(file);
    if (text.size() > 64 * 1024) continue;  // the alias bombs and huge files are tests of their own
    seeds["scenario"].insert(text);
    auto documents = scenarios::load_yaml(text, file.string());
    if (!documents.ok()) continue;
    for (const scenarios::YamlNode& document : documents.value()) {
      auto converted = scenarios::to_json(document);
      if (converted.ok()) collect(converted.value().json, seeds);
    }
  }
}

void patch_and_jsonpath_seeds(Seeds& seeds) {
  const std::vector<std::string> manifests(seeds["manifest"].begin(), seeds["manifest"].end());
  const json patches[][2] = {
      {"merge", {{"metadata", {{"labels", {{"app", "web"}}}, {"annotations", nullptr}}}}},
      {"strategic", {{"secrets", {{{"name", "extra"}}, {{"name", "gone"}, {"$patch", "delete"}}}}}},
      {"strategic", {{"spec", {{"containers", {{{"name", "app"}, {"image", "nginx"}}}}}}}},
      {"json", {{{"op", "add"}, {"path", "/metadata/labels"}, {"value", {{"a", "b"}}}},
                {{"op", "test"}, {"path", "/kind"}, {"value", "Pod"}},
                {{"op", "remove"}, {"path", "/metadata/annotations"}}}},
  };
  const std::vector<std::string> templates = {"{.metadata.name}", "{.secrets[0].name}", "{.items[*].metadata.name}",
                                              "name={.metadata.annotations.kubernetes\\.io/service-account\\.name}",
                                              "{.secrets[-1].name} {.data.token}"};
  for (std::size_t i = 0; i < manifests.size() && i < 40; ++i) {
    const json manifest = json::parse(manifests[i]);
    for (const auto& patch : patches) seeds["patch"].insert(json::array({patch[0], manifest, patch[1]}).dump());
    for (const std::string& t : templates) seeds["jsonpath"].insert(t + "\n" + manifests[i]);
  }
  // The JSONPath seeds found in scenarios have `{}`; give them a manifest.
  if (!manifests.empty()) {
    std::set<std::string> with_objects;
    for (const std::string& seed : seeds["jsonpath"]) {
      if (seed.ends_with("\n{}")) with_objects.insert(seed.substr(0, seed.size() - 2) + manifests.front());
    }
    seeds["jsonpath"].merge(with_objects);
  }
}

void key_seeds(Seeds& seeds) {
  const std::string_view pems[] = {
      auth::builtin_rsa_key_pem(),         auth::builtin_ec_key_pem(),         auth::builtin_root_ca_pem(),
      auth::testing::kOtherRsaKeyPem,      auth::testing::kOtherRsaKeyPkcs8Pem, auth::testing::kOtherRsaPublicKeyPkcs1Pem,
      auth::testing::kOtherEcKeyPem,       auth::testing::kEcKeyAfterParametersPem, auth::testing::kUpstreamEcKeyPem,
      auth::testing::kUpstreamEcPublicKeyPem, auth::testing::kRfc6979KeyPem, auth::testing::kEd25519KeyPem,
      auth::testing::kP384KeyPem};
  for (std::string_view pem : pems) seeds["pem"].insert(std::string(pem));
  auto rsa = auth::SigningKey::from_pem(auth::builtin_rsa_key_pem());
  auto ec = auth::SigningKey::from_pem(auth::builtin_ec_key_pem());
  if (rsa.ok()) seeds["pem"].insert(rsa.value().public_key_pem());
  if (ec.ok()) seeds["pem"].insert(ec.value().public_key_pem());
}

void token_seeds(Seeds& seeds) {
  auto rsa = auth::SigningKey::from_pem(auth::builtin_rsa_key_pem());
  auto ec = auth::SigningKey::from_pem(auth::builtin_ec_key_pem());
  if (!rsa.ok() || !ec.ok()) return;
  // The fuzz target's cluster knows default/default and its Secret.
  const json claims = auth::to_json(auth::make_legacy_claims("default", "default", "uid-1", "default-token-abcde"));
  const json other = auth::to_json(auth::make_legacy_claims("kube-system", "builder", "uid-2", "builder-token-x"));
  for (const json& c : {claims, other}) {
    sim::Prng entropy(1);  // a fixed ES256 nonce stream: seeds are files that should not change
    const std::string rs = auth::sign_jwt(rsa.value(), c, entropy);
    const std::string es = auth::sign_jwt(ec.value(), c, entropy);
    seeds["jwt"].insert(rs);
    seeds["jwt"].insert(es);
    seeds["serve"].insert("POST /apis/authentication.k8s.io/v1/tokenreviews\nContent-Type: application/json\n\n" +
                          json{{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "TokenReview"},
                               {"spec", {{"token", rs}}}}.dump());
    seeds["serve"].insert("GET /api/v1/namespaces/default/secrets\nAuthorization: Bearer " + es + "\n\n");
    // alg none and a JSON serialization of the same token.
    const std::string payload = rs.substr(rs.find('.') + 1, rs.rfind('.') - rs.find('.') - 1);
    seeds["jwt"].insert(auth::base64url_encode(R"({"alg":"none"})") + "." + payload + ".");
    seeds["jwt"].insert(json{{"protected", rs.substr(0, rs.find('.'))}, {"payload", payload},
                             {"signature", rs.substr(rs.rfind('.') + 1)}}.dump());
  }
  // Bound tokens for the target's objects: plain, bound to the live pod, to
  // a pod deleted within and beyond the leeway, to the Secret, to a pod with
  // the wrong uid, expired, not yet valid, for another audience.
  struct Bound {
    std::optional<auth::ClaimRef> pod{};
    std::optional<auth::ClaimRef> secret{};
    std::int64_t issued_at = kBoundTokenNowUnix;
    std::int64_t expiration = 3607;
    std::vector<std::string> audiences{std::string(kBoundIssuer)};
  };
  const Bound bound[] = {
      {},
      {.pod = auth::ClaimRef{"web", "pod-1"}},
      {.pod = auth::ClaimRef{"gone", "pod-2"}},
      {.pod = auth::ClaimRef{"long-gone", "pod-3"}},
      {.pod = auth::ClaimRef{"web", "pod-9"}},
      {.secret = auth::ClaimRef{"default-token-abcde", "secret-1"}},
      {.issued_at = kBoundTokenNowUnix - 7200},
      {.issued_at = kBoundTokenNowUnix + 600},
      {.audiences = {"vault"}},
  };
  for (const Bound& b : bound) {
    auth::BoundObjects objects;
    objects.pod = b.pod;
    objects.secret = b.secret;
    auto made = auth::make_bound_claims(kBoundIssuer, "default", auth::ClaimRef{"default", "uid-1"}, objects,
                                        b.expiration, 0, b.audiences, b.issued_at, auth::ClaimsOptions{});
    if (!made.ok()) continue;
    sim::Prng entropy(1);
    seeds["jwt"].insert(auth::sign_jwt(rsa.value(), auth::to_json(made.value()), entropy));
    seeds["jwt"].insert(auth::sign_jwt(ec.value(), auth::to_json(made.value()), entropy));
  }
}

void request_seeds(Seeds& seeds) {
  const char* requests[] = {
      "GET /version\n\n",
      "GET /api\n\n",
      "GET /apis\n\n",
      "GET /api/v1\n\n",
      "GET /openapi/v2\nAccept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf\n\n",
      "GET /api/v1/namespaces/default/serviceaccounts\nAccept: application/json;as=Table;v=v1;g=meta.k8s.io\n\n",
      "GET /api/v1/serviceaccounts?watch=true&resourceVersion=0\n\n",
      "GET /api/v1/namespaces/default/pods?labelSelector=app%3Dweb,tier!=db&fieldSelector=metadata.name=x\n\n",
      "GET /api/v1/namespaces/default/secrets/default-token-abcde\nAccept: application/yaml\n\n",
      "GET /api/v1/namespaces/default/serviceaccounts/default\nX-Identity: anonymous\n\n",
      "DELETE /api/v1/namespaces/default/secrets/x?gracePeriodSeconds=0\nContent-Type: application/json\n\n"
      "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Background\"}",
      "PATCH /api/v1/namespaces/default/serviceaccounts/default\nContent-Type: application/strategic-merge-patch+json\n\n"
      "{\"secrets\":[{\"name\":\"extra\"}]}",
      "PATCH /api/v1/namespaces/default/serviceaccounts/default\nContent-Type: application/merge-patch+json\n\n"
      "{\"metadata\":{\"labels\":{\"a\":null}}}",
      "PATCH /api/v1/namespaces/default/pods/p\nContent-Type: application/json-patch+json\n\n"
      "[{\"op\":\"replace\",\"path\":\"/metadata/labels\",\"value\":{}}]",
      "POST /api/v1/namespaces/default/serviceaccounts/default/token\nContent-Type: application/json\n\n{}",
      "PUT /api/v1/namespaces/ns/finalize\nContent-Type: application/json\n\n"
      "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"ns\"},\"spec\":{\"finalizers\":[]}}",
  };
  for (const char* request : requests) seeds["serve"].insert(request);
  // A protobuf body (the k8s envelope: magic, then Unknown{typeMeta, raw}).
  static constexpr char kProtobuf[] =
      "POST /api/v1/namespaces/default/secrets\nContent-Type: application/vnd.kubernetes.protobuf\n\n"
      "k8s\0\n\x0c\n\x02v1\x12\x06Secret\x12\x0b\n\x09\n\x01x\x12\x00\x1a\x00";
  seeds["serve"].insert(std::string(kProtobuf, sizeof kProtobuf - 1));
  std::size_t n = 0;
  for (const std::string& manifest : seeds["manifest"]) {
    if (++n > 40) break;
    const json object = json::parse(manifest);
    const std::string kind = object.value("kind", "");
    std::string plural = kind == "ServiceAccount" ? "serviceaccounts" : kind == "Secret" ? "secrets"
                         : kind == "Pod"          ? "pods"
                         : kind == "Node"         ? "nodes"
                                                  : "namespaces";
    const bool cluster_scoped = plural == "namespaces" || plural == "nodes";
    const std::string path = cluster_scoped ? "/api/v1/" + plural : "/api/v1/namespaces/default/" + plural;
    seeds["serve"].insert("POST " + path + "\nContent-Type: application/json\n\n" + manifest);
  }
}

void duration_seeds(Seeds& seeds) {
  for (const char* text : {"0s", "250ms", "1m30s", "100us", "100µs", "48h", "1.5s", "1h0m0.5s", "2.1ms", "1ns",
                           "2562047h47m16.854775807s", "0.000000001s", "5", "-1s", "1s1m", "5min"}) {
    seeds["duration"].insert(text);
  }
}

}  // namespace

int write_seeds(const fs::path& source_root, const fs::path& out) {
  Seeds seeds;
  scenario_seeds(source_root, seeds);
  patch_and_jsonpath_seeds(seeds);
  key_seeds(seeds);
  token_seeds(seeds);
  request_seeds(seeds);
  duration_seeds(seeds);
  int written = 0;
  for (const FuzzTarget& target : fuzz_targets()) {
    const fs::path dir = out / target.name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    int index = 0;
    for (const std::string& seed : seeds[std::string(target.name)]) {
      std::ofstream(dir / fmt::format("seed-{:04}", index++), std::ios::binary) << seed;
      ++written;
    }
  }
  return written;
}

}  // namespace sasim::tools::fuzz_inputs
