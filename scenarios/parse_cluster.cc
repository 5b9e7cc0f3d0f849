// §3: the cluster, with its key and CA files read and checked here, so that
// a wrong path or a key of the wrong algorithm is an input error at the line
// that names it rather than a failure when the world is built.
#include <fmt/format.h>

#include "model/auth/signing_key.h"
#include "model/cluster/nodes.h"
#include "model/objects/name_validation.h"
#include "model/objects/timestamp.h"
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

}  // namespace

ClusterSpec parse_cluster(const YamlNode& node, const Context& context) {
  static constexpr std::string_view kKeys[] = {"version", "startTime",            "namespaces", "nodes",
                                               "signing", "rootCA", "serviceAccountLookup", "admission"};
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
  return cluster;
}

}  // namespace sasim::scenarios::parse
