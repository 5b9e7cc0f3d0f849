#include "scenarios/yaml_tree.h"

#include <map>
#include <utility>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "scenarios/text_checks.h"
#include "scenarios/yaml_expansion.h"
#include "scenarios/yaml_cpp_guards.h"

namespace sasim::scenarios {

const YamlNode* YamlNode::find(std::string_view key_text) const {
  if (!is_map()) return nullptr;
  for (std::size_t i = 0; i < entries(); ++i) {
    if (key(i).text == key_text) return &value(i);
  }
  return nullptr;
}

namespace {

// Thrown from the recursive conversion and caught in load_yaml, which
// returns it as a value: the conversion is deep, and each level would
// otherwise have to test and forward a Result.
struct Failure {
  Diagnostic diagnostic;
};

class Builder {
 public:
  explicit Builder(const std::string& file) : file_(file) {}

  YamlNode build(const YAML::Node& node, int depth) {
    Location at = location(node.Mark());
    if (depth > kMaxYamlDepth) {
      fail(at, fmt::format("the document nests more than {} levels deep (an alias that contains itself?)",
                           kMaxYamlDepth));
    }
    YamlNode out;
    out.location = at;
    const std::string& tag = node.Tag();
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.type = YamlNode::Type::kNull;
        break;
      case YAML::NodeType::Scalar:
        out.type = YamlNode::Type::kScalar;
        out.text = node.Scalar();
        out.plain = tag == "?";
        out.tag = scalar_tag(tag, at);
        if (out.tag != YamlNode::Tag::kNone) out.plain = false;
        break;
      case YAML::NodeType::Sequence:
        check_collection_tag(tag, "tag:yaml.org,2002:seq", at);
        out.type = YamlNode::Type::kSequence;
        out.children.reserve(node.size());
        for (const YAML::Node& item : node) out.children.push_back(build(item, depth + 1));
        break;
      case YAML::NodeType::Map:
        check_collection_tag(tag, "tag:yaml.org,2002:map", at);
        out.type = YamlNode::Type::kMap;
        build_map(node, depth, out);
        break;
    }
    return out;
  }

 private:
  [[noreturn]] static void fail(Location at, std::string message) {
    throw Failure{Diagnostic{std::move(at), std::move(message)}};
  }

  Location location(const YAML::Mark& mark) const {
    if (mark.is_null()) return Location{file_, 1, 1};
    return Location{file_, mark.line + 1, mark.column + 1};
  }

  static YamlNode::Tag scalar_tag(const std::string& tag, const Location& at) {
    if (tag == "?" || tag == "!" || tag.empty()) return YamlNode::Tag::kNone;
    if (tag == "tag:yaml.org,2002:str") return YamlNode::Tag::kString;
    if (tag == "tag:yaml.org,2002:int") return YamlNode::Tag::kInt;
    if (tag == "tag:yaml.org,2002:float") return YamlNode::Tag::kFloat;
    if (tag == "tag:yaml.org,2002:bool") return YamlNode::Tag::kBool;
    if (tag == "tag:yaml.org,2002:null") return YamlNode::Tag::kNull;
    fail(at, fmt::format("unsupported YAML tag \"{}\" (supported: !!str, !!int, !!float, !!bool, !!null)", tag));
  }

  static void check_collection_tag(const std::string& tag, std::string_view expected, const Location& at) {
    if (tag == "?" || tag == "!" || tag.empty() || tag == expected) return;
    fail(at, fmt::format("unsupported YAML tag \"{}\" on a {}", tag,
                         expected == "tag:yaml.org,2002:seq" ? "sequence" : "map"));
  }

  void build_map(const YAML::Node& node, int depth, YamlNode& out) {
    std::map<std::string, Location> seen;
    std::vector<YamlNode> merges;
    for (const auto& entry : node) {
      YamlNode key = build(entry.first, depth + 1);
      YamlNode value = build(entry.second, depth + 1);
      if (!key.is_scalar()) {
        fail(key.location, key.is_null() ? "a map key cannot be null" : "a map key must be a scalar (a string)");
      }
      // An empty value's mark is the next token's, often on a later line:
      // the key is where the user looks.
      if (value.is_null() && value.location.line > key.location.line) value.location = key.location;
      if (key.plain && key.text == "<<") {
        merges.push_back(std::move(value));
        continue;
      }
      auto [it, inserted] = seen.emplace(key.text, key.location);
      if (!inserted) {
        fail(key.location,
             fmt::format("duplicate key \"{}\" (first at line {}, column {})", key.text, it->second.line,
                         it->second.column));
      }
      out.children.push_back(std::move(key));
      out.children.push_back(std::move(value));
    }
    // Merge keys (YAML 1.1, as go-yaml applies them): the map's own keys
    // win, then earlier merged maps over later ones.
    for (YamlNode& merge : merges) {
      std::vector<YamlNode*> sources;
      if (merge.is_map()) sources.push_back(&merge);
      else if (merge.is_sequence()) {
        for (YamlNode& item : merge.children) sources.push_back(&item);
      }
      if (sources.empty()) fail(merge.location, "a merge key (<<) needs a map or a sequence of maps");
      for (YamlNode* source : sources) {
        if (!source->is_map()) fail(source->location, "a merge key (<<) needs a map or a sequence of maps");
        for (std::size_t i = 0; i < source->entries(); ++i) {
          if (!seen.emplace(source->key(i).text, source->key(i).location).second) continue;
          out.children.push_back(source->children[2 * i]);
          out.children.push_back(source->children[2 * i + 1]);
        }
      }
    }
  }

  const std::string& file_;
};

}  // namespace

sim::Result<std::vector<YamlNode>, Diagnostic> load_yaml(std::string_view text, const std::string& file) {
  if (text.size() > kMaxInputBytes) {
    return sim::unexpected(Diagnostic{Location{file, 1, 1},
                                      fmt::format("file too large: {} bytes (the limit is {} MiB)", text.size(),
                                                  kMaxInputBytes >> 20)});
  }
  if (std::optional<TextProblem> problem = check_text(text)) {
    const LineColumn at = line_column(text, problem->offset);
    return sim::unexpected(Diagnostic{Location{file, at.line, at.column}, problem->message});
  }
  if (std::optional<TextProblem> problem = check_yaml_cpp_hangs(text)) {
    const LineColumn at = line_column(text, problem->offset);
    return sim::unexpected(Diagnostic{Location{file, at.line, at.column}, problem->message});
  }
  try {
    // The expansion is counted before anything is copied: the Builder
    // copies every alias's node.
    if (std::optional<Diagnostic> bomb = check_yaml_expansion(text, file, kMaxYamlNodes)) {
      return sim::unexpected(std::move(*bomb));
    }
    const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(text));
    Builder builder(file);
    std::vector<YamlNode> out;
    out.reserve(documents.size());
    for (const YAML::Node& document : documents) out.push_back(builder.build(document, 0));
    return out;
  } catch (const Failure& failure) {
    return sim::unexpected(failure.diagnostic);
  } catch (const YAML::DeepRecursion& error) {
    // yaml-cpp reports its nesting limit as "bad file".
    const Location at = error.mark.is_null() ? Location{file, 1, 1}
                                             : Location{file, error.mark.line + 1, error.mark.column + 1};
    return sim::unexpected(Diagnostic{at, "YAML nesting too deep for the parser"});
  } catch (const YAML::Exception& error) {
    const Location at = error.mark.is_null() ? Location{file, 1, 1}
                                             : Location{file, error.mark.line + 1, error.mark.column + 1};
    return sim::unexpected(Diagnostic{at, "YAML syntax error: " + error.msg});
  }
}

}  // namespace sasim::scenarios
