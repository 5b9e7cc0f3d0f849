// The apiserver's validation of the simulated kinds, on create and on
// update, after defaulting and admission: k8s.io/kubernetes pkg/apis/core/
// validation (ValidateNamespace, ValidateServiceAccount, ValidateSecret,
// ValidatePod and their Update forms) and apimachinery's ObjectMeta checks,
// with upstream's paths, order and messages. The caller wraps a non-empty
// result with status_invalid(kind, name, errors).
//
// Left to the store, not checked here: resourceVersion preconditions, and
// uid/creationTimestamp/deletionTimestamp on update (the registry copies them
// from the stored object before validating, as upstream's BeforeUpdate does).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "model/api/status.h"
#include "model/objects/name_validation.h"
#include "model/objects/object.h"

namespace sasim::model {

// The largest value of a Go int32 field (graceful periods, deadlines).
inline constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();

// ValidateObjectMeta: name (or generateName) through `name_fn`, namespace
// required or forbidden, labels, annotations, finalizers. `path` is the
// field path of the metadata ("metadata").
std::vector<FieldError> validate_object_meta(const ObjectMeta& meta, bool requires_namespace, NameValidator name_fn,
                                             const std::string& path = "metadata");
// ValidateObjectMetaUpdate: name and namespace immutable, no new finalizers
// once deleting, labels and annotations of the new version.
std::vector<FieldError> validate_object_meta_update(const ObjectMeta& updated, const ObjectMeta& old,
                                                    const std::string& path = "metadata");

std::vector<FieldError> validate_namespace(const Namespace& ns);
std::vector<FieldError> validate_namespace_update(const Namespace& updated, const Namespace& old);
std::vector<FieldError> validate_service_account(const ServiceAccount& sa);
std::vector<FieldError> validate_service_account_update(const ServiceAccount& updated, const ServiceAccount& old);
// Data keys are checked as config keys and the total size against 1 MiB. A
// lazy token counts as zero bytes there: measuring it would sign it, and a
// JWT of a few KiB cannot decide a 1 MiB limit in any real scenario.
std::vector<FieldError> validate_secret(const Secret& secret);
std::vector<FieldError> validate_secret_update(const Secret& updated, const Secret& old);
std::vector<FieldError> validate_pod(const Pod& pod);
// ValidateConfigMap: configuration keys, no key in both data and binaryData,
// at most 1 MiB of values together.
std::vector<FieldError> validate_config_map(const ConfigMap& config_map);
// ValidateConfigMapUpdate: an immutable ConfigMap keeps its data.
std::vector<FieldError> validate_config_map_update(const ConfigMap& updated, const ConfigMap& old);
// ValidateNode: a DNS subdomain name, no address reported twice.
std::vector<FieldError> validate_node(const Node& node);
// ValidateNodeUpdate: pod CIDRs, once set, never change.
std::vector<FieldError> validate_node_update(const Node& updated, const Node& old);
// A pod's spec may change only in container images, activeDeadlineSeconds
// (lowered) and tolerations (added). Upstream appends a cmp.Diff of the specs
// to the Forbidden message; cmp's output is deliberately unstable, so here the
// fixed text is followed by one `- \t<field>: <old JSON>` and one
// `+ \t<field>: <new JSON>` line per changed spec field, in field order.
std::vector<FieldError> validate_pod_update(const Pod& updated, const Pod& old);

// By kind: what the apiserver runs for a create, and for an update (which
// includes the create checks of the new version, as upstream's strategies do).
std::vector<FieldError> validate_create(const Object& object);
std::vector<FieldError> validate_update(const Object& updated, const Object& old);

}  // namespace sasim::model
