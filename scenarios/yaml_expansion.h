// How many nodes a YAML text becomes once every alias is replaced by a copy
// of the node it names, counted from yaml-cpp's parse events without making
// a single copy.
//
// yaml-cpp keeps an alias as a second reference to the same node, so its
// tree of a "billion laughs" document is small; the copies are made by our
// own tree (yaml_tree.cc), which needs them to give every node its own
// location and merge keys their own entries. Counting first lets that tree
// refuse such a document at once, where counting while copying spent a
// million copies (seconds under AddressSanitizer) before it could say no.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "scenarios/diagnostic.h"

namespace sasim::scenarios {

// A Diagnostic when the documents of `text`, expanded, hold more than
// `max_nodes` nodes in all (at the node that goes over), or when an alias
// sits inside the node it names (the expansion would never end). yaml-cpp's
// syntax errors are thrown as YAML::Exception, as by YAML::LoadAll.
std::optional<Diagnostic> check_yaml_expansion(std::string_view text, const std::string& file,
                                               std::size_t max_nodes);

}  // namespace sasim::scenarios
