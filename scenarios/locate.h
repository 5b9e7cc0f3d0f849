// Where a JSON pointer into a manifest or pattern was written: the codec
// reports decode errors as pointers ("/spec/containers/0/name"), and users
// need a line and column.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "scenarios/scenario.h"

namespace sasim::scenarios {

// The location of `pointer`, else of its nearest enclosing value that has
// one (a pointer to a key that is not there, such as a missing field, lands
// on the map that lacks it), else `fallback`.
Location locate(const std::map<std::string, Location>& locations, std::string_view pointer, const Location& fallback);

}  // namespace sasim::scenarios
