#include "model/objects/token_request.h"

namespace sasim::model {

nlohmann::json encode_token_request(const TokenRequest& request, const EncodeOptions& options) {
  using nlohmann::json;
  const auto when = [&](sim::Time t) { return format_rfc3339(wall_seconds(t, options.epoch_unix_seconds)); };
  json metadata = json::object();
  if (!request.metadata.name.empty()) metadata["name"] = request.metadata.name;
  if (!request.metadata.namespace_.empty()) metadata["namespace"] = request.metadata.namespace_;
  // metav1.Time marshals its zero value as null; the 1.24+ handler sets it.
  metadata["creationTimestamp"] =
      request.has_creation_timestamp ? json(when(request.metadata.creation_timestamp)) : json(nullptr);

  json spec = json::object();
  // `audiences` has no omitempty: an empty list is written as null.
  spec["audiences"] = request.audiences.empty() ? json(nullptr) : json(request.audiences);
  if (request.expiration_seconds) spec["expirationSeconds"] = *request.expiration_seconds;
  if (request.bound_object_ref) {
    const BoundObjectReference& ref = *request.bound_object_ref;
    json bound = json::object();
    if (!ref.kind.empty()) bound["kind"] = ref.kind;
    if (!ref.api_version.empty()) bound["apiVersion"] = ref.api_version;
    if (!ref.name.empty()) bound["name"] = ref.name;
    if (!ref.uid.empty()) bound["uid"] = ref.uid;
    spec["boundObjectRef"] = std::move(bound);
  }

  json status = json::object();
  status["token"] = request.token ? request.token->bytes() : std::string();
  status["expirationTimestamp"] = request.expiration_timestamp ? json(when(*request.expiration_timestamp)) : json(nullptr);

  json out = json::object();
  out["apiVersion"] = "authentication.k8s.io/v1";
  out["kind"] = "TokenRequest";
  out["metadata"] = std::move(metadata);
  out["spec"] = std::move(spec);
  out["status"] = std::move(status);
  return out;
}

}  // namespace sasim::model
