#include "scenarios/locate.h"

namespace sasim::scenarios {

Location locate(const std::map<std::string, Location>& locations, std::string_view pointer, const Location& fallback) {
  std::string current(pointer);
  while (true) {
    auto it = locations.find(current);
    if (it != locations.end()) return it->second;
    if (current.empty()) return fallback;
    current.erase(current.rfind('/'));
  }
}

}  // namespace sasim::scenarios
