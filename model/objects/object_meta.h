// ObjectMeta: the metadata every simulated object carries, with the fields
// the ServiceAccount machinery reads or the user sees in `kubectl get -o yaml`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/objects/extra_fields.h"
#include "sim/time.h"

namespace sasim::model {

struct ObjectMeta {
  std::string name;
  std::string generate_name;  // honoured by the apiserver on create when name is empty
  std::string namespace_;     // empty for cluster-scoped kinds (Namespace)
  std::string uid;            // assigned by the apiserver
  // One global counter, as etcd's revision; 0 means "unset" (a manifest not
  // yet stored). Printed as a decimal string, as the API does.
  std::uint64_t resource_version = 0;
  sim::Time creation_timestamp;
  std::optional<sim::Time> deletion_timestamp;
  // Set with deletion_timestamp by the apiserver: the grace period the
  // deletion was given (0 for kinds deleted at once but held by finalizers).
  std::optional<std::int64_t> deletion_grace_period_seconds;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<std::string> finalizers;
  // ownerReferences, managedFields, generation, ...: fields of the real
  // ObjectMeta that nothing here reads, kept so that they print back.
  ExtraFields extra;

  const std::string* annotation(const std::string& key) const {
    auto it = annotations.find(key);
    return it == annotations.end() ? nullptr : &it->second;
  }
};

}  // namespace sasim::model
