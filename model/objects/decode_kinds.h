// Per-kind decoders, shared by decode.cc (entry points, metadata, the small
// kinds), decode_pod.cc and decode_node.cc. Internal to the codec.
#pragma once

#include "model/objects/decode_support.h"
#include "model/objects/object.h"

namespace sasim::model::decode {

ObjectMeta decode_meta(const json& value, const Site& site, const EncodeOptions& options);
Namespace decode_namespace(const json& manifest, const Site& root, const EncodeOptions& options);
ServiceAccount decode_service_account(const json& manifest, const Site& root, const EncodeOptions& options);
Secret decode_secret(const json& manifest, const Site& root, const EncodeOptions& options);
// A list of LocalObjectReference ({name: x}), as the names it holds.
std::vector<std::string> decode_local_object_references(const json& value, const Site& site);
Pod decode_pod(const json& manifest, const Site& root, const EncodeOptions& options);
Node decode_node(const json& manifest, const Site& root, const EncodeOptions& options);
ConfigMap decode_config_map(const json& manifest, const Site& root, const EncodeOptions& options);

}  // namespace sasim::model::decode
