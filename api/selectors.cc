#include "api/selectors.h"

#include <fmt/format.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

namespace sasim::api {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The field labels each kind's conversion function accepts in 1.20
// (metadata.name and metadata.namespace everywhere).
bool supported_field(const Resource& resource, std::string_view field) {
  if (field == "metadata.name" || field == "metadata.namespace") return true;
  if (resource.is_events()) {
    return field.starts_with("involvedObject.") || field == "reason" || field == "source" || field == "type" ||
           field == "reportingComponent";
  }
  switch (*resource.kind) {
    case model::Kind::kNamespace: return field == "status.phase";
    case model::Kind::kSecret: return field == "type";
    case model::Kind::kServiceAccount: return false;
    case model::Kind::kPod:
      return field == "spec.nodeName" || field == "spec.restartPolicy" || field == "spec.schedulerName" ||
             field == "spec.serviceAccountName" || field == "status.phase" || field == "status.podIP" ||
             field == "status.nominatedNodeName";
    case model::Kind::kNode: return field == "spec.unschedulable";
    case model::Kind::kConfigMap: return false;
  }
  return false;
}

std::string extra_text(const model::ExtraFields& extra, const char* key) {
  if (!extra) return "";
  const nlohmann::json value = extra->value(key, nlohmann::json());
  return value.is_string() ? value.get<std::string>() : "";
}

}  // namespace

std::optional<std::string> FieldSelector::pinned_name() const {
  for (const FieldRequirement& r : requirements) {
    if (r.field == "metadata.name" && r.equals) return r.value;
  }
  return std::nullopt;
}

sim::Result<FieldSelector> parse_field_selector(std::string_view text, const Resource& resource) {
  FieldSelector selector;
  if (trim(text).empty()) return selector;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string_view term =
        trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    if (term.empty()) continue;
    FieldRequirement r;
    std::size_t op = term.find("!=");
    std::size_t value_at = 0;
    if (op != std::string_view::npos) {
      r.equals = false;
      value_at = op + 2;
    } else if ((op = term.find("==")) != std::string_view::npos) {
      value_at = op + 2;
    } else if ((op = term.find('=')) != std::string_view::npos) {
      value_at = op + 1;
    } else {
      return sim::unexpected(sim::Error{fmt::format("invalid selector: '{}'; can't understand '{}'", text, term)});
    }
    r.field = std::string(trim(term.substr(0, op)));
    r.value = std::string(trim(term.substr(value_at)));
    if (!supported_field(resource, r.field)) {
      return sim::unexpected(sim::Error{fmt::format("field label not supported: {}", r.field)});
    }
    selector.requirements.push_back(std::move(r));
  }
  return selector;
}

std::string field_value(const model::Object& object, std::string_view field) {
  const model::ObjectMeta& m = model::meta(object);
  if (field == "metadata.name") return m.name;
  if (field == "metadata.namespace") return m.namespace_;
  if (const auto* ns = std::get_if<model::Namespace>(&object)) {
    if (field == "status.phase") return ns->phase == model::NamespacePhase::kActive ? "Active" : "Terminating";
  }
  if (const auto* secret = std::get_if<model::Secret>(&object)) {
    if (field == "type") return secret->type;
  }
  if (const auto* node = std::get_if<model::Node>(&object)) {
    if (field == "spec.unschedulable") return node->spec.unschedulable ? "true" : "false";
  }
  if (const auto* pod = std::get_if<model::Pod>(&object)) {
    if (field == "spec.nodeName") return pod->spec.node_name;
    if (field == "spec.serviceAccountName") return pod->spec.service_account_name;
    if (field == "spec.restartPolicy") return extra_text(pod->spec.extra, "restartPolicy");
    if (field == "spec.schedulerName") return extra_text(pod->spec.extra, "schedulerName");
    if (field == "status.phase") return std::string(model::pod_phase_name(pod->status.phase));
    if (field == "status.podIP") return extra_text(pod->status.extra, "podIP");
    if (field == "status.nominatedNodeName") return extra_text(pod->status.extra, "nominatedNodeName");
  }
  return "";
}

bool matches(const FieldSelector& selector, const model::Object& object) {
  for (const FieldRequirement& r : selector.requirements) {
    if ((field_value(object, r.field) == r.value) != r.equals) return false;
  }
  return true;
}

namespace {

// labels.Parse's lexer, reduced to what its grammar needs: identifiers and
// values are runs of characters other than white space, ',', '=', '!', '(',
// ')', '<' and '>'.
class LabelParser {
 public:
  explicit LabelParser(std::string_view text) : text_(text) {}

  sim::Result<LabelSelector> parse() {
    LabelSelector selector;
    skip_space();
    if (at_end()) return selector;
    while (true) {
      auto requirement = parse_requirement();
      if (!requirement) return sim::unexpected(requirement.error());
      selector.requirements.push_back(std::move(requirement).value());
      skip_space();
      if (at_end()) return selector;
      if (text_[pos_] != ',') return error(fmt::format("found '{}', expected: ',' or 'end of string'", token()));
      ++pos_;
    }
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  void skip_space() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  static bool is_word_char(char c) {
    return c != ' ' && c != '\t' && c != ',' && c != '=' && c != '!' && c != '(' && c != ')' && c != '<' && c != '>';
  }
  std::string word() {
    skip_space();
    const std::size_t start = pos_;
    while (!at_end() && is_word_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  std::string token() const { return at_end() ? std::string("end of string") : std::string(1, text_[pos_]); }
  sim::Result<LabelSelector> error(const std::string& what) const {
    return sim::unexpected(sim::Error{"unable to parse requirement: " + what});
  }
  sim::Result<LabelRequirement> fail(const std::string& what) const {
    return sim::unexpected(sim::Error{"unable to parse requirement: " + what});
  }

  sim::Result<LabelRequirement> parse_requirement() {
    LabelRequirement r;
    skip_space();
    if (!at_end() && text_[pos_] == '!') {
      ++pos_;
      r.key = word();
      if (r.key.empty()) return fail(fmt::format("found '{}', expected: identifier", token()));
      r.op = LabelRequirement::Op::kNotExists;
      return r;
    }
    r.key = word();
    if (r.key.empty()) return fail(fmt::format("found '{}', expected: !, identifier, or 'end of string'", token()));
    skip_space();
    if (at_end() || text_[pos_] == ',') {
      r.op = LabelRequirement::Op::kExists;
      return r;
    }
    const char c = text_[pos_];
    if (c == '=' || c == '!' || c == '<' || c == '>') {
      if (c == '!' ) {
        if (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '=') return fail("found '!', expected: '='");
        r.op = LabelRequirement::Op::kNotEquals;
        pos_ += 2;
      } else if (c == '=') {
        r.op = LabelRequirement::Op::kEquals;
        pos_ += (pos_ + 1 < text_.size() && text_[pos_ + 1] == '=') ? 2 : 1;
      } else {
        r.op = c == '<' ? LabelRequirement::Op::kLess : LabelRequirement::Op::kGreater;
        ++pos_;
      }
      r.values.push_back(word());
      if (r.op == LabelRequirement::Op::kLess || r.op == LabelRequirement::Op::kGreater) {
        char* end = nullptr;
        (void)std::strtoll(r.values[0].c_str(), &end, 10);
        if (r.values[0].empty() || *end != '\0') {
          return fail(fmt::format("for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      }
      return r;
    }
    const std::string op = word();
    if (op != "in" && op != "notin") {
      return fail(fmt::format("found '{}', expected: in, notin, =, ==, !=, gt, lt", op.empty() ? token() : op));
    }
    r.op = op == "in" ? LabelRequirement::Op::kIn : LabelRequirement::Op::kNotIn;
    skip_space();
    if (at_end() || text_[pos_] != '(') return fail(fmt::format("found '{}', expected: '('", token()));
    ++pos_;
    while (true) {
      const std::string value = word();
      r.values.push_back(value);
      skip_space();
      if (at_end()) return fail("found 'end of string', expected: ',', ')' or identifier");
      if (text_[pos_] == ')') {
        ++pos_;
        return r;
      }
      if (text_[pos_] != ',') return fail(fmt::format("found '{}', expected: ',', ')' or identifier", token()));
      ++pos_;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

sim::Result<LabelSelector> parse_label_selector(std::string_view text) { return LabelParser(text).parse(); }

bool matches(const LabelSelector& selector, const std::map<std::string, std::string>& labels) {
  for (const LabelRequirement& r : selector.requirements) {
    auto it = labels.find(r.key);
    const bool present = it != labels.end();
    auto in_values = [&] {
      for (const std::string& v : r.values) {
        if (present && it->second == v) return true;
      }
      return false;
    };
    bool ok = true;
    switch (r.op) {
      case LabelRequirement::Op::kExists: ok = present; break;
      case LabelRequirement::Op::kNotExists: ok = !present; break;
      case LabelRequirement::Op::kEquals:
      case LabelRequirement::Op::kIn: ok = in_values(); break;
      case LabelRequirement::Op::kNotEquals:
      case LabelRequirement::Op::kNotIn: ok = !in_values(); break;
      case LabelRequirement::Op::kGreater:
      case LabelRequirement::Op::kLess: {
        if (!present) {
          ok = false;
          break;
        }
        char* end = nullptr;
        const long long have = std::strtoll(it->second.c_str(), &end, 10);
        if (it->second.empty() || *end != '\0') {
          ok = false;
          break;
        }
        const long long want = std::strtoll(r.values[0].c_str(), nullptr, 10);
        ok = r.op == LabelRequirement::Op::kGreater ? have > want : have < want;
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace sasim::api
