#include "model/api/request.h"

#include <array>

#include <fmt/format.h>

namespace sasim::model {
namespace {

constexpr std::array<std::string_view, 7> kVerbs = {"get", "list", "create", "update", "patch", "delete", "watch"};

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string object_label(const ObjectPtr& object) {
  if (!object) return "-";
  const ObjectMeta& m = meta(*object);
  return fmt::format("{}/{}{} rv={}", singular_name(kind_of(*object)),
                     m.namespace_.empty() ? "" : m.namespace_ + "/", m.name, m.resource_version);
}

// The object's identity as trace details.
void add_object_args(const ObjectPtr& object, sim::TraceArgs& args) {
  if (!object) return;
  const ObjectMeta& m = meta(*object);
  if (!m.namespace_.empty()) args.emplace_back("namespace", m.namespace_);
  args.emplace_back("name", m.name);
  args.emplace_back("resourceVersion", std::to_string(m.resource_version));
}

}  // namespace

std::string_view verb_name(Verb verb) { return kVerbs[static_cast<std::size_t>(verb)]; }

std::optional<Verb> parse_verb(std::string_view text) {
  for (std::size_t i = 0; i < kVerbs.size(); ++i) {
    if (kVerbs[i] == text) return static_cast<Verb>(i);
  }
  return std::nullopt;
}

std::string ApiRequest::describe() const {
  std::string target = namespace_.empty() ? name : (name.empty() ? namespace_ : namespace_ + "/" + name);
  std::string out = fmt::format("{} {}{}", upper(verb_name(verb)), resource_name(kind),
                                subresource.empty() ? "" : "/" + subresource);
  if (!target.empty()) out += " " + target;
  if (preconditions.uid) out += " {uid=" + *preconditions.uid + "}";
  if (preconditions.resource_version) out += fmt::format(" {{rv={}}}", *preconditions.resource_version);
  if (grace_period_seconds) out += fmt::format(" {{grace={}s}}", *grace_period_seconds);
  if (!user.empty()) out += " by " + user;
  return out;
}

sim::TraceLabel ApiRequest::trace_label() const {
  sim::TraceLabel label{fmt::format("{} {}{}", upper(verb_name(verb)), resource_name(kind),
                                    subresource.empty() ? "" : "/" + subresource)};
  if (!namespace_.empty()) label.args.emplace_back("namespace", namespace_);
  if (!name.empty()) label.args.emplace_back("name", name);
  if (preconditions.uid) label.args.emplace_back("precondition uid", *preconditions.uid);
  if (preconditions.resource_version) {
    label.args.emplace_back("precondition resourceVersion", std::to_string(*preconditions.resource_version));
  }
  if (!user.empty()) label.args.emplace_back("user", user);
  return label;
}

sim::TraceLabel ApiResponse::trace_label() const {
  if (error) {
    return sim::TraceLabel{fmt::format("response {} {}", error->code, error->reason), {{"message", error->message}}};
  }
  if (!items.empty() || watch_id != 0) {
    return sim::TraceLabel{"response 200 list",
                           {{"items", std::to_string(items.size())}, {"resourceVersion", std::to_string(resource_version)}}};
  }
  sim::TraceLabel label{object ? fmt::format("response 200 {}", singular_name(kind_of(*object))) : "response 200"};
  add_object_args(object, label.args);
  return label;
}

std::string ApiResponse::describe() const {
  if (error) return fmt::format("{} {}: {}", error->code, error->reason, error->message);
  if (!items.empty() || watch_id != 0) return fmt::format("200 {} items rv={}", items.size(), resource_version);
  return "200 " + object_label(object);
}

std::string_view watch_event_type_name(WatchEventType type) {
  switch (type) {
    case WatchEventType::kAdded: return "ADDED";
    case WatchEventType::kModified: return "MODIFIED";
    case WatchEventType::kDeleted: return "DELETED";
  }
  return "?";
}

std::string WatchEvent::describe() const {
  return fmt::format("watch {} {}", watch_event_type_name(type), object_label(object));
}

sim::TraceLabel WatchEvent::trace_label() const {
  sim::TraceLabel label{fmt::format("watch {} {}", watch_event_type_name(type),
                                    object ? std::string(singular_name(kind_of(*object))) : "-")};
  add_object_args(object, label.args);
  label.args.emplace_back("watch", std::to_string(watch_id));
  return label;
}

std::string WatchClosed::describe() const { return fmt::format("watch {} closed", watch_id); }

sim::TraceLabel WatchClosed::trace_label() const {
  return sim::TraceLabel{"watch closed", {{"watch", std::to_string(watch_id)}}};
}

}  // namespace sasim::model
