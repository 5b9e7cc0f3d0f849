// Manifests (JSON, as parsed from YAML) to objects and back.
//
// Decoding accepts what `kubectl create -f` accepts for the four simulated
// v1 kinds: every field the types model is read and type-checked; the other
// fields of the real Go structs are kept in ExtraFields at the level where
// they appear, so that a real manifest (image, ports, resources, probes,
// nodeSelector, emptyDir and projected volumes, ...) prints back unchanged.
// A key that the real struct does not have is an error, as kubectl's schema
// validation reports it, so that typos do not pass silently.
//
// Encoding gives what the API returns and `kubectl get -o yaml|json` shows:
// Go's omitempty rules, Secret data in base64, timestamps in RFC 3339.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/objects/object.h"
#include "model/objects/timestamp.h"
#include "sim/result.h"

namespace sasim::model {

struct EncodeOptions {
  // The wall-clock instant of simulated time 0 (the scenario's cluster.startTime).
  std::int64_t epoch_unix_seconds = kDefaultEpochUnixSeconds;
};

struct DecodeError {
  // A JSON pointer (RFC 6901) into the manifest: "/spec/containers/0/name";
  // "" is the manifest itself. The scenario layer maps it to a line:column.
  std::string path;
  // In the words of the apiserver's decoder or kubectl's schema check:
  // `json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string`,
  // `illegal base64 data at input byte 4`, `unknown field "imagee" in io.k8s.api.core.v1.Container`.
  std::string message;
  bool operator==(const DecodeError&) const = default;
};

// One manifest of kind Namespace, ServiceAccount, Secret or Pod (apiVersion v1).
// `stringData` is merged into `data` (stringData wins, as the apiserver does).
// Timestamps are converted to simulated time with options.epoch_unix_seconds
// (see sim_time_from_wall for instants before it).
sim::Result<Object, DecodeError> decode_object(const nlohmann::json& manifest, const EncodeOptions& options = {});

// A manifest that is either one object or a v1 `List` of them (`items`).
sim::Result<std::vector<Object>, DecodeError> decode_manifests(const nlohmann::json& manifest,
                                                               const EncodeOptions& options = {});

// The object as the API returns it. Reading a Secret's data observes it, so a
// lazy token is signed here: printing is observing.
nlohmann::json encode_object(const Object& object, const EncodeOptions& options = {});

// An object's `metadata` as encode_object writes it, without encoding the
// rest (a server-side Table's rows carry only the metadata, and reading a
// Secret's data would sign its token).
nlohmann::json encode_metadata(const ObjectMeta& meta, const EncodeOptions& options = {});

// The `spec` of a pod as encode_object writes it (validation compares specs
// in this form).
nlohmann::json encode_pod_spec(const PodSpec& spec);

}  // namespace sasim::model
