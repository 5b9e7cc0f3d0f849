// Shared pieces of the describe printers (describe.cc, describe_pod.cc):
// kubectl's PrefixWriter and its label and annotation printers. Internal.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/objects/print.h"

namespace sasim::model::describe_detail {

// Text with a two-space indent per level; tabs separate tabwriter cells.
class PrefixWriter {
 public:
  void write(int level, std::string_view text);
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

// printLabelsMultiline: `key=value` per line, `<none>` when empty.
void print_labels(PrefixWriter& w, std::string_view title, const std::map<std::string, std::string>& labels);
// printAnnotationsMultiline: `key: value` per line, without kubectl's
// last-applied-configuration; long or multi-line values on their own lines.
void print_annotations(PrefixWriter& w, std::string_view title, const std::map<std::string, std::string>& annotations);
// The writer's text through kubectl describe's tabwriter.
std::string tabbed(const PrefixWriter& w);

// object[key] as text ("" when absent; non-strings as JSON).
std::string text(const nlohmann::json& object, const char* key);
// object[key], an RFC 3339 time, in RFC 1123Z.
std::string rfc1123z_of(const nlohmann::json& object, const char* key);

std::string describe_pod(const Pod& pod, const EncodeOptions& options, const DescribeContext& context);
std::string describe_node(const Node& node, const EncodeOptions& options);

}  // namespace sasim::model::describe_detail
