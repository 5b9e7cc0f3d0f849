// §3: the cluster, with its key and CA files read and checked here, so that
// a wrong path or a key of the wrong algorithm is an input error at the line
// that names it rather than a failure when the world is built.
#include <fmt/format.h>

#include "model/auth/signing_key.h"
#include "model/cluster/nodes.h"
#include "model/objects/name_validation.h"
#include "model/objects/timestamp.h"
#include "model/auth/public_key.h"
#include "model/versions/behaviour.h"
#include "model/versions/feature_gates.h"
#include "model/versions/simulated.h"
#include "scenarios/files.h"
#include "scenarios/parts.h"
#include "scenarios/reader.h"

namespace sasim::scenarios::parse {

namespace {

std::string algorithm_name(SigningAlgorithm algorithm) {
  return algorithm == SigningAlgorithm::kES256 ? "ES256" : "RS256";
}

// The file's text, or a failure at the node that names it.
std::pair<std::string, std::string> read_named_file(const YamlNode& node, const Context& context) {
  const std::string path = resolve_path(context.file, read_name(node, "the path"));
  sim::Result<std::string, std::string> text = read_file(path);
  if (!text) fail(node.location, fmt::format("cannot read \"{}\": {}", path, text.error()));
  return {path, text.value()};
}

void parse_signing(const YamlNode& node, const Context& context, ClusterSpec& cluster) {
  static constexpr std::string_view kKeys[] = {"algorithm", "key"};
  check_map(node, "a map with algorithm and key", kKeys);
  const YamlNode* algorithm = node.find("algorithm");
  if (given(algorithm)) {
    const YamlNode& value = *algorithm;
    const std::string name = read_string(value);
    if (name != "RS256" && name != "ES256") {
      fail(value.location, fmt::format("unsupported signing algorithm \"{}\" (supported: RS256, ES256)", name));
    }
    cluster.signing_algorithm = name == "ES256" ? SigningAlgorithm::kES256 : SigningAlgorithm::kRS256;
  }
  const YamlNode* key = node.find("key");
  if (!given(key)) return;
  auto [path, pem] = read_named_file(*key, context);
  sim::Result<model::auth::SigningKey> parsed = model::auth::SigningKey::from_pem(pem);
  if (!parsed) fail(key->location, fmt::format("\"{}\": {}", path, parsed.error().message));
  const std::string& key_algorithm = parsed.value().algorithm();
  if (given(algorithm)) {
    if (key_algorithm != algorithm_name(cluster.signing_algorithm)) {
      fail(key->location, fmt::format("\"{}\" holds an {} key, but signing.algorithm is {}", path, key_algorithm,
                                      algorithm_name(cluster.signing_algorithm)));
    }
  } else {
    // As kube-controller-manager does: the key's type decides.
    cluster.signing_algorithm = key_algorithm == "ES256" ? SigningAlgorithm::kES256 : SigningAlgorithm::kRS256;
  }
  cluster.signing_key_path = path;
  cluster.signing_key_pem = std::move(pem);
}

void parse_admission(const YamlNode& node, ClusterSpec& cluster) {
  static constexpr std::string_view kKeys[] = {"requireAPIToken", "limitSecretReferences"};
  check_map(node, "a map with requireAPIToken and limitSecretReferences", kKeys);
  if (const YamlNode* v = node.find("requireAPIToken"); given(v)) cluster.require_api_token = read_bool(*v);
  if (const YamlNode* v = node.find("limitSecretReferences"); given(v)) cluster.limit_secret_references = read_bool(*v);
}

std::vector<std::string> parse_namespaces(const YamlNode& node) {
  std::vector<std::string> names;
  for (const YamlNode& item : read_sequence(node, "a sequence of namespace names")) {
    const std::string name = read_name(item, "a namespace name");
    const std::vector<std::string> problems = model::is_dns1123_label(name);
    if (!problems.empty()) fail(item.location, fmt::format("invalid namespace name \"{}\": {}", name, problems[0]));
    for (const std::string& earlier : names) {
      if (earlier == name) fail(item.location, fmt::format("namespace \"{}\" is listed twice", name));
    }
    names.push_back(name);
  }
  return names;
}

std::vector<std::string> parse_nodes(const YamlNode& node) {
  std::vector<std::string> names;
  for (const YamlNode& item : read_sequence(node, "a sequence of node names")) {
    const std::string name = read_name(item, "a node name");
    const std::vector<std::string> problems = model::is_dns1123_subdomain(name);
    if (!problems.empty()) fail(item.location, fmt::format("invalid node name \"{}\": {}", name, problems[0]));
    for (const std::string& earlier : names) {
      if (earlier == name) fail(item.location, fmt::format("node \"{}\" is listed twice", name));
    }
    if (names.size() == model::kMaxNodes) {
      fail(item.location, fmt::format("at most {} nodes are simulated (the pod CIDRs 10.244.0.0/24 onwards run out)",
                                      model::kMaxNodes));
    }
    names.push_back(name);
  }
  return names;
}

// kube-apiserver's --service-account-* flags and the controller manager's
// clean-up period (§11), checked as the components check them at startup.
void parse_service_account_flags(const YamlNode& node, const Context& context, ClusterSpec& cluster) {
  if (const YamlNode* v = node.find("serviceAccountIssuer"); given(v)) {
    cluster.service_account_issuers =
        v->is_sequence() ? read_string_list(*v, "an issuer or a list of issuers") : std::vector<std::string>{read_string(*v)};
    if (cluster.service_account_issuers.empty()) fail(v->location, "service-account-issuer is a required flag");
    for (const std::string& issuer : cluster.service_account_issuers) {
      if (issuer.empty()) fail(v->location, "service-account-issuer is a required flag");
    }
  }
  if (const YamlNode* v = node.find("apiAudiences"); given(v)) {
    cluster.api_audiences = read_string_list(*v, "a list of audiences");
  }
  if (const YamlNode* v = node.find("extendTokenExpiration"); given(v)) cluster.extend_token_expiration = read_bool(*v);
  if (const YamlNode* v = node.find("legacyTokenCleanUpPeriod"); given(v)) {
    cluster.legacy_token_clean_up_period = read_duration(*v);
    if (cluster.legacy_token_clean_up_period <= sim::Duration::zero()) {
      fail(v->location, "legacyTokenCleanUpPeriod must be a positive duration");
    }
  }
  if (const YamlNode* v = node.find("verificationKeys"); given(v)) {
    for (const YamlNode& item : read_sequence(*v, "a list of PEM files of public keys")) {
      auto [path, pem] = read_named_file(item, context);
      auto key = model::auth::PublicKey::from_pem(pem);
      if (!key) fail(item.location, fmt::format("\"{}\": {}", path, key.error().message));
      cluster.verification_key_paths.push_back(path);
      cluster.verification_key_pems.push_back(std::move(pem));
    }
  }
}

// What needs the release: its gates and the flags whose checks changed.
void check_against_release(const YamlNode& node, ClusterSpec& cluster) {
  const auto version = model::versions::KubeVersion::parse(cluster.version);
  auto gates = model::versions::resolve_feature_gates(*version, cluster.feature_gates);
  if (!gates) fail(key_node(node, "featureGates").location, gates.error());
  const model::versions::Behaviour behaviour = model::versions::behaviour_of(gates.value());
  if (cluster.service_account_issuers.size() > 1 && !behaviour.multiple_issuers) {
    fail(key_node(node, "serviceAccountIssuer").location,
         fmt::format("Kubernetes {} takes one service-account-issuer (several from 1.22)", cluster.version));
  }
  if (cluster.max_token_expiration) {
    const sim::Duration max = *cluster.max_token_expiration;
    if (max < sim::Duration::hours(1) || max > sim::Duration::seconds(std::int64_t{1} << 32)) {
      fail(key_node(node, "maxTokenExpiration").location, std::string(behaviour.max_token_expiration_range_error));
    }
  }
}

}  // namespace

ClusterSpec parse_cluster(const YamlNode& node, const Context& context) {
  static constexpr std::string_view kKeys[] = {"version",    "startTime", "namespaces",          "nodes",
                                               "signing",    "rootCA",    "serviceAccountLookup", "admission",
                                               "featureGates", "serviceAccountIssuer", "apiAudiences",
                                               "maxTokenExpiration", "extendTokenExpiration",
                                               "legacyTokenCleanUpPeriod", "verificationKeys"};
  check_map(node, "a map of cluster settings", kKeys);
  ClusterSpec cluster;
  cluster.location = node.location;
  if (const YamlNode* v = node.find("version"); given(v)) {
    // The text as written: unquoted, 1.20 would be the number 1.2 to YAML.
    cluster.version = read_string(*v);
    const std::optional<model::versions::KubeVersion> version = model::versions::KubeVersion::parse(cluster.version);
    if (!version || !model::versions::is_simulated(*version)) {
      fail(v->location, fmt::format("unsupported Kubernetes version \"{}\" (supported: {})", cluster.version,
                                    model::versions::simulated_versions_text()));
    }
  }
  if (const YamlNode* v = node.find("startTime"); given(v)) {
    const std::string text = read_string(*v);
    sim::Result<model::UnixInstant, std::string> instant = model::parse_rfc3339(text);
    if (!instant) fail(v->location, "startTime: " + instant.error());
    if (instant.value().nanos != 0) fail(v->location, "startTime must be a whole second (the API keeps seconds)");
    cluster.start_time_unix_seconds = instant.value().seconds;
  }
  if (const YamlNode* v = node.find("namespaces"); given(v)) cluster.namespaces = parse_namespaces(*v);
  if (const YamlNode* v = node.find("nodes"); given(v)) cluster.nodes = parse_nodes(*v);
  if (const YamlNode* v = node.find("signing"); given(v)) parse_signing(*v, context, cluster);
  if (const YamlNode* v = node.find("rootCA"); given(v)) {
    auto [path, pem] = read_named_file(*v, context);
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      fail(v->location, fmt::format("\"{}\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path));
    }
    cluster.root_ca_path = path;
    cluster.root_ca_pem = std::move(pem);
  }
  if (const YamlNode* v = node.find("serviceAccountLookup"); given(v)) cluster.service_account_lookup = read_bool(*v);
  if (const YamlNode* v = node.find("admission"); given(v)) parse_admission(*v, cluster);
  if (const YamlNode* v = node.find("featureGates"); given(v)) {
    if (!v->is_map()) fail(v->location, "featureGates is a map of gate names to true or false");
    for (std::size_t i = 0; i < v->entries(); ++i) cluster.feature_gates[v->key(i).text] = read_bool(v->value(i));
  }
  if (const YamlNode* v = node.find("maxTokenExpiration"); given(v)) cluster.max_token_expiration = read_duration(*v);
  parse_service_account_flags(node, context, cluster);
  check_against_release(node, cluster);
  return cluster;
}

}  // namespace sasim::scenarios::parse
