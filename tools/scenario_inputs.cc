#include "tools/scenario_inputs.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace sasim::tools {

sim::Result<std::vector<std::string>> scenario_inputs(const std::vector<std::string>& arguments) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& argument : arguments) {
    std::error_code error;
    if (!fs::is_directory(argument, error)) {
      out.push_back(argument);
      continue;
    }
    std::vector<std::string> found;
    for (fs::recursive_directory_iterator it(argument, fs::directory_options::follow_directory_symlink, error), end;
         !error && it != end; it.increment(error)) {
      if (it->path().extension() == ".yaml" && it->is_regular_file(error)) found.push_back(it->path().string());
    }
    if (error) return sim::unexpected(sim::Error{"cannot read directory " + argument + ": " + error.message()});
    if (found.empty()) return sim::unexpected(sim::Error{"no *.yaml scenario files under " + argument});
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace sasim::tools
