// `kubectl describe` for Namespace, ServiceAccount, Secret and ConfigMap, after
// kubectl 1.20's describe.go (describeNamespace, describeServiceAccount,
// describeSecret, describeConfigMap), and the shared label/annotation printers. Pods are in
// describe_pod.cc. The text is written with tabs and laid out by the same
// tabwriter settings as kubectl's tabbedString.
#include <set>

#include <nlohmann/json.hpp>

#include "model/objects/constants.h"
#include "model/objects/describe_support.h"
#include "model/objects/print.h"
#include "model/objects/service_account_token.h"
#include "model/objects/tabwriter.h"
#include "model/objects/timestamp.h"

namespace sasim::model {
namespace describe_detail {

constexpr std::size_t kMaxAnnotationLength = 140;
constexpr std::string_view kLastAppliedConfig = "kubectl.kubernetes.io/last-applied-configuration";

void PrefixWriter::write(int level, std::string_view text) {
  for (int i = 0; i < level; ++i) out_ += "  ";
  out_ += text;
}

void print_labels(PrefixWriter& w, std::string_view title, const std::map<std::string, std::string>& labels) {
  w.write(0, fmt::format("{}:\t", title));
  if (labels.empty()) {
    w.write(0, "<none>\n");
    return;
  }
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first) w.write(0, "\t");
    first = false;
    w.write(0, fmt::format("{}={}\n", key, value));
  }
}

void print_annotations(PrefixWriter& w, std::string_view title, const std::map<std::string, std::string>& annotations) {
  w.write(0, fmt::format("{}:\t", title));
  bool first = true;
  for (const auto& [key, raw] : annotations) {
    if (key == kLastAppliedConfig) continue;
    if (!first) w.write(0, "\t");
    first = false;
    std::string value = raw;
    if (!value.empty() && value.back() == '\n') value.pop_back();
    if (value.size() + key.size() + 2 > kMaxAnnotationLength || value.find('\n') != std::string::npos) {
      w.write(0, key + ":\n");
      std::size_t start = 0;
      while (true) {
        const std::size_t end = value.find('\n', start);
        std::string line = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (line.size() > kMaxAnnotationLength - 2) line = line.substr(0, kMaxAnnotationLength - 2) + "...";
        w.write(0, "\t  " + line + "\n");
        if (end == std::string::npos) break;
        start = end + 1;
      }
    } else {
      w.write(0, fmt::format("{}: {}\n", key, value));
    }
  }
  if (first) w.write(0, "<none>\n");
}

std::string tabbed(const PrefixWriter& w) { return tabwrite(w.text(), kDescribeTabs); }

}  // namespace describe_detail

namespace {

using describe_detail::PrefixWriter;
using nlohmann::json;

std::string describe_secret(const Secret& secret) {
  PrefixWriter w;
  w.write(0, fmt::format("Name:\t{}\n", secret.metadata.name));
  w.write(0, fmt::format("Namespace:\t{}\n", secret.metadata.namespace_));
  describe_detail::print_labels(w, "Labels", secret.metadata.labels);
  describe_detail::print_annotations(w, "Annotations", secret.metadata.annotations);
  w.write(0, fmt::format("\nType:\t{}\n", secret.type));
  w.write(0, "\nData\n====\n");
  // kubectl ranges over a Go map (random order); key order is the stable choice.
  for (const auto& [key, value] : secret.data) {
    if (key == kServiceAccountTokenKey && secret.type == kSecretTypeServiceAccountToken) {
      w.write(0, fmt::format("{}:\t{}\n", key, value.bytes()));
    } else {
      w.write(0, fmt::format("{}:\t{} bytes\n", key, value.bytes().size()));
    }
  }
  return describe_detail::tabbed(w);
}

// kubectl 1.20's describeConfigMap: each data value printed in full.
std::string describe_config_map(const ConfigMap& config_map) {
  PrefixWriter w;
  w.write(0, fmt::format("Name:\t{}\n", config_map.metadata.name));
  w.write(0, fmt::format("Namespace:\t{}\n", config_map.metadata.namespace_));
  describe_detail::print_labels(w, "Labels", config_map.metadata.labels);
  describe_detail::print_annotations(w, "Annotations", config_map.metadata.annotations);
  w.write(0, "\nData\n====\n");
  // kubectl ranges over Go maps (random order); key order is the stable choice.
  for (const auto& [key, value] : config_map.data) {
    w.write(0, fmt::format("{}:\n----\n", key));
    w.write(0, fmt::format("{}\n", value));
  }
  // kubectl 1.20 prints no BinaryData section, and Events right after the
  // last value (a value ending in a newline leaves a blank line).
  w.write(0, "Events:\t<none>\n");
  return describe_detail::tabbed(w);
}

std::string describe_service_account(const ServiceAccount& sa, const DescribeContext& context) {
  PrefixWriter w;
  w.write(0, fmt::format("Name:\t{}\n", sa.metadata.name));
  w.write(0, fmt::format("Namespace:\t{}\n", sa.metadata.namespace_));
  describe_detail::print_labels(w, "Labels", sa.metadata.labels);
  describe_detail::print_annotations(w, "Annotations", sa.metadata.annotations);

  std::vector<std::string> tokens;
  std::set<std::string> missing;
  if (context.secrets) {
    std::set<std::string> existing;
    for (const ObjectPtr& object : *context.secrets) {
      const Secret* s = as<Secret>(object);
      if (s == nullptr) continue;
      // kubectl's own test, stricter than IsServiceAccountToken: the uid
      // annotation must equal the account's uid.
      const std::string* name = s->metadata.annotation(std::string(kServiceAccountNameKey));
      const std::string* uid = s->metadata.annotation(std::string(kServiceAccountUidKey));
      if (s->type == kSecretTypeServiceAccountToken && name != nullptr && *name == sa.metadata.name &&
          (uid == nullptr ? sa.metadata.uid.empty() : *uid == sa.metadata.uid)) {
        tokens.push_back(s->metadata.name);
      }
      existing.insert(s->metadata.name);
    }
    for (const ObjectReference& ref : sa.secrets) {
      if (!existing.contains(ref.name)) missing.insert(ref.name);
    }
    for (const std::string& name : sa.image_pull_secrets) {
      if (!existing.contains(name)) missing.insert(name);
    }
  }
  std::vector<std::string> mountable;
  for (const ObjectReference& ref : sa.secrets) mountable.push_back(ref.name);

  // The headers are padded to one width and printed in sorted order.
  const std::pair<std::string_view, const std::vector<std::string>*> sections[] = {
      {"Image pull secrets:", &sa.image_pull_secrets},
      {"Mountable secrets: ", &mountable},
      {"Tokens:            ", &tokens},
  };
  for (const auto& [header, names] : sections) {
    if (names->empty()) {
      w.write(0, fmt::format("{}\t<none>\n", header));
      continue;
    }
    std::string_view prefix = header;
    for (const std::string& name : *names) {
      w.write(0, fmt::format("{}\t{}{}\n", prefix, name, missing.contains(name) ? " (not found)" : ""));
      prefix = "                   ";
    }
  }
  w.write(0, "Events:\t<none>\n");
  return describe_detail::tabbed(w);
}

std::string describe_namespace(const Namespace& ns) {
  PrefixWriter w;
  w.write(0, fmt::format("Name:\t{}\n", ns.metadata.name));
  describe_detail::print_labels(w, "Labels", ns.metadata.labels);
  describe_detail::print_annotations(w, "Annotations", ns.metadata.annotations);
  w.write(0, fmt::format("Status:\t{}\n", ns.phase == NamespacePhase::kActive ? "Active" : "Terminating"));
  const json conditions = ns.status_extra ? ns.status_extra->value("conditions", json::array()) : json::array();
  if (conditions.is_array() && !conditions.empty()) {
    w.write(0, "Conditions:\n");
    w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t------------------\t------\t-------\n");
    for (const json& c : conditions) {
      w.write(1, fmt::format("{}\t{}\t{}\t{}\t{}\n", describe_detail::text(c, "type"), describe_detail::text(c, "status"),
                             describe_detail::rfc1123z_of(c, "lastTransitionTime"),
                             describe_detail::text(c, "reason"), describe_detail::text(c, "message")));
    }
  }
  w.write(0, "\nNo resource quota.\n");
  w.write(0, "\nNo LimitRange resource.\n");
  return describe_detail::tabbed(w);
}

}  // namespace

namespace describe_detail {

std::string text(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string rfc1123z_of(const json& object, const char* key) {
  auto parsed = parse_rfc3339(text(object, key));
  // A missing time prints as Go's zero time does.
  return format_rfc1123z(parsed ? parsed.value().seconds : -62135596800);
}

}  // namespace describe_detail

std::string describe(const Object& object, const EncodeOptions& options, const DescribeContext& context) {
  return std::visit(
      [&](const auto& o) -> std::string {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, Namespace>) return describe_namespace(o);
        else if constexpr (std::is_same_v<T, ServiceAccount>) return describe_service_account(o, context);
        else if constexpr (std::is_same_v<T, Secret>) return describe_secret(o);
        else if constexpr (std::is_same_v<T, Pod>) return describe_detail::describe_pod(o, options, context);
        else if constexpr (std::is_same_v<T, Node>) return describe_detail::describe_node(o, options);
        else return describe_config_map(o);
      },
      object);
}

}  // namespace sasim::model
