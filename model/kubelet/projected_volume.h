// The projected volume plugin's payload (pkg/volume/projected, rules K1,
// K8, K12): what the kubelet writes into a `projected` volume on each SetUp.
//
// Every source is visited and the errors are collected; any error aborts the
// whole write, so the volume keeps its previous files. A missing
// `kube-root-ca.crt` therefore also keeps a refreshed token off the disk.
//
// The sources are read from the pod's stored volume (Volume::other_source,
// as the API defaulted it); the token of each serviceAccountToken source is
// obtained by the caller (an API call through the token manager) and handed
// in, in source order.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/objects/data_value.h"
#include "model/objects/pod.h"
#include "model/objects/token_request.h"

namespace sasim::model::kubelet {

struct KeyToPath {
  std::string key;
  std::string path;
};

struct ProjectedSource {
  enum class Type : std::uint8_t { kServiceAccountToken, kConfigMap, kSecret, kDownwardApi, kOther };
  Type type = Type::kOther;
  // serviceAccountToken
  std::string audience{};
  std::int64_t expiration_seconds = 3600;  // the API's default
  std::string path{};
  // configMap, secret: the object, its items (empty: every key) and optional
  std::string name{};
  std::vector<KeyToPath> items{};
  bool optional = false;
  // downwardAPI: path -> fieldRef.fieldPath
  std::vector<KeyToPath> fields{};
};

struct ProjectedVolume {
  std::string name;
  std::optional<int> default_mode;
  std::vector<ProjectedSource> sources;
};

// The projected volume of `volume`, or nullopt if it is another kind.
std::optional<ProjectedVolume> projected_volume_of(const Volume& volume);

// K1: the TokenRequest the kubelet sends for a source of `pod`: nil
// audiences unless the source names one, the source's expirationSeconds,
// bound to the pod (apiVersion v1, kind Pod, name and uid).
TokenRequest kubelet_token_request(const ProjectedSource& source, const Pod& pod);

// A file's bytes by path.
using Payload = std::map<std::string, DataValue>;

// What a lookup of a ConfigMap or Secret found: its data, or why not
// (`not_found` with the object manager's message, or another error).
struct SourceObject {
  std::optional<std::map<std::string, DataValue>> data;
  bool not_found = false;
  std::string error{};
};

struct ProjectedInputs {
  // One entry per serviceAccountToken source, in order: the token, or the
  // token manager's error.
  std::vector<std::pair<std::optional<DataValue>, std::string>> tokens;
  std::function<SourceObject(const std::string& name)> config_map;
  std::function<SourceObject(const std::string& name)> secret;
};

// collectData: the payload, or the errors (one as it is, several as Go's
// aggregate "[a, b]").
struct ProjectedPayload {
  std::optional<Payload> payload;
  std::string error{};
};
ProjectedPayload collect_projected_payload(const ProjectedVolume& volume, const Pod& pod, const ProjectedInputs& inputs);

}  // namespace sasim::model::kubelet
