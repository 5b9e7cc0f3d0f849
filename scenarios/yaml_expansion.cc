#include "scenarios/yaml_expansion.h"

#include <cstdint>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

namespace sasim::scenarios {
namespace {

struct Refused {
  YAML::Mark mark;
  std::string message;
};

class ExpansionCounter : public YAML::EventHandler {
 public:
  explicit ExpansionCounter(std::size_t max_nodes) : max_nodes_(max_nodes) {}

  void OnDocumentStart(const YAML::Mark&) override {
    // yaml-cpp numbers anchors per document.
    sizes_.clear();
    names_.clear();
  }
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark&, const std::string& name) override { pending_name_ = name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    leaf(mark, anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto done = sizes_.find(anchor);
    if (done == sizes_.end()) {
      // yaml-cpp refuses an unknown anchor itself; a known one without a
      // size is still open: the alias is inside what it names.
      const auto name = names_.find(anchor);
      throw Refused{mark, fmt::format("the alias *{} is inside the node it names, which would nest without end",
                                      name == names_.end() ? std::string("?") : name->second)};
    }
    add(mark, done->second);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    YAML::anchor_t anchor;
    YAML::Mark mark;
    std::uint64_t nodes;
  };

  void name_anchor(YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor && !pending_name_.empty()) names_[anchor] = std::move(pending_name_);
    pending_name_.clear();
  }

  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    name_anchor(anchor);
    if (anchor != YAML::NullAnchor) sizes_[anchor] = 1;
    add(mark, 1);
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    name_anchor(anchor);
    open_.push_back(Open{anchor, mark, 0});
    add(mark, 1);
  }

  // A closed collection's nodes were counted as they came; it passes them
  // on to the collection around it, if any.
  void close() {
    const Open done = open_.back();
    open_.pop_back();
    if (done.anchor != YAML::NullAnchor) sizes_[done.anchor] = done.nodes;
    if (!open_.empty()) open_.back().nodes += done.nodes;
  }

  // `nodes` more nodes, inside every open collection. `counted_` is what
  // the documents hold so far, so it is over the budget as soon as they
  // are; no size can exceed the budget, so no sum overflows.
  void add(const YAML::Mark& mark, std::uint64_t nodes) {
    not_stuck(mark);
    if (!open_.empty()) open_.back().nodes += nodes;
    counted_ += nodes;
    if (counted_ > max_nodes_) {
      throw Refused{mark, fmt::format("the document expands to more than {} nodes (aliases that multiply: a YAML bomb?)",
                                      max_nodes_)};
    }
  }

  // Debian 12's yaml-cpp (0.7) has inputs on which it emits the same empty
  // node forever without reading on (a ',' starting a line after a bare
  // '%' line, "s:\n%\n,\n", found by the scenario fuzz target). The node
  // budget ends that too, but only after a million events (seconds under
  // the sanitizers); a real document never has more than a few nodes start
  // at one place, so many in a row at one mark mean the parser is stuck.
  void not_stuck(const YAML::Mark& mark) {
    if (mark.pos == last_pos_) {
      if (++same_pos_ > kMaxNodesAtOnePlace) {
        throw Refused{mark, "the YAML parser cannot get past this point (yaml-cpp repeats an empty node here without "
                            "reading on; is a ',' or '%' out of place?)"};
      }
    } else {
      last_pos_ = mark.pos;
      same_pos_ = 0;
    }
  }
  static constexpr std::uint64_t kMaxNodesAtOnePlace = 1000;

  std::uint64_t max_nodes_;
  int last_pos_ = -1;
  std::uint64_t same_pos_ = 0;
  std::uint64_t counted_ = 0;
  std::vector<Open> open_;
  std::map<YAML::anchor_t, std::uint64_t> sizes_;
  std::map<YAML::anchor_t, std::string> names_;
  std::string pending_name_;
};

}  // namespace

std::optional<Diagnostic> check_yaml_expansion(std::string_view text, const std::string& file,
                                               std::size_t max_nodes) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  ExpansionCounter counter(max_nodes);
  try {
    while (parser.HandleNextDocument(counter)) {
    }
  } catch (const Refused& refused) {
    const Location at = refused.mark.is_null() ? Location{file, 1, 1}
                                               : Location{file, refused.mark.line + 1, refused.mark.column + 1};
    return Diagnostic{at, refused.message};
  }
  return std::nullopt;
}

}  // namespace sasim::scenarios
