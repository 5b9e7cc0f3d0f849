// Kubernetes' protobuf encoding of the objects kubectl's imperative
// generators send (kubectl 1.32's `create namespace`, `create
// serviceaccount`, `create secret`): the "k8s\0" magic, a runtime.Unknown
// envelope {typeMeta, raw}, and in `raw` the object in the field numbers of
// k8s.io/api's generated.proto. Decoded into the JSON manifest the same
// object would have, for the JSON path to take over.
//
// Written by hand: no Debian package carries Kubernetes' .proto files, and
// reading the wire format of three kinds is short. Namespace, ServiceAccount
// and Secret are read, with the ObjectMeta fields a client sets; other kinds
// are refused (415), as are fields read here of another wire type (400).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/result.h"

namespace sasim::api {

inline constexpr std::string_view kProtobufMagic{"k8s\0", 4};

// The manifest in a protobuf body; the error says what could not be read.
// `unsupported_kind` is set when the envelope names a kind not decoded here.
struct ProtobufError {
  std::string message;
  bool unsupported_kind = false;
};
sim::Result<nlohmann::json, ProtobufError> protobuf_manifest(std::string_view body);

}  // namespace sasim::api
