// Server-side Tables (meta.k8s.io Table), what `kubectl get` prints: the
// 1.20 printers' column definitions for each kind, a row per object with
// its typed cells (model::table_cells, ages from simulated time) and, by
// default, its metadata as a PartialObjectMetadata (kubectl's NAMESPACE
// column and --show-labels read it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/route.h"
#include "model/objects/codec.h"
#include "model/objects/object.h"
#include "sim/time.h"

namespace sasim::api {

// ?includeObject=: None, Metadata (the default) or Object.
enum class IncludeObject : std::uint8_t { kNone, kMetadata, kObject };

struct TableOptions {
  std::string version = "meta.k8s.io/v1";  // the Table's apiVersion (v1 or v1beta1)
  IncludeObject include = IncludeObject::kMetadata;
  bool headers = true;  // false: columnDefinitions is null (a watch's later events)
};

// The column definitions of `resource` (priority 1: shown with -o wide).
nlohmann::json table_columns(const Resource& resource);

// A Table of `objects` whose metadata carries `resource_version`.
nlohmann::json make_table(const Resource& resource, const std::vector<model::ObjectPtr>& objects,
                          std::uint64_t resource_version, sim::Time now, const model::EncodeOptions& encode,
                          const TableOptions& options);

}  // namespace sasim::api
