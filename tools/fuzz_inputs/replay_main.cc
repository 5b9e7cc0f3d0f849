// sasim_fuzz_replay: the fuzz targets without libFuzzer, in any build.
//
//   sasim_fuzz_replay TARGET PATH...        run every file (directories: every
//                                           file in them, sorted) through TARGET
//   sasim_fuzz_replay --list                the targets, one a line
//   sasim_fuzz_replay --write-seeds SRC OUT the seed corpora (seeds.h)
//
// ctest runs the regression corpus (inputs that once found a defect) and the
// seeds through every target this way, in the release and sanitizer builds,
// so that a fixed defect stays fixed without a clang fuzzing build.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tools/fuzz_inputs/seeds.h"
#include "tools/fuzz_inputs/targets.h"

namespace fs = std::filesystem;
namespace fi = sasim::tools::fuzz_inputs;

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && args[0] == "--list") {
    for (const fi::FuzzTarget& target : fi::fuzz_targets()) {
      std::printf("%-10s %.*s\n", std::string(target.name).c_str(), static_cast<int>(target.description.size()),
                  target.description.data());
    }
    return 0;
  }
  if (args.size() == 3 && args[0] == "--write-seeds") {
    const int written = fi::write_seeds(args[1], args[2]);
    std::printf("%d seeds in %s\n", written, args[2].c_str());
    return written > 0 ? 0 : 1;
  }
  if (args.size() < 2) {
    std::fprintf(stderr, "usage: sasim_fuzz_replay TARGET PATH... | --list | --write-seeds SRC OUT\n");
    return 2;
  }
  const fi::FuzzTarget* target = fi::find_fuzz_target(args[0]);
  if (!target) {
    std::fprintf(stderr, "sasim_fuzz_replay: no target %s (--list shows them)\n", args[0].c_str());
    return 2;
  }
  std::vector<fs::path> files;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (fs::is_directory(args[i])) {
      for (const auto& entry : fs::directory_iterator(args[i])) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else if (fs::is_regular_file(args[i])) {
      files.push_back(args[i]);
    } else {
      std::fprintf(stderr, "sasim_fuzz_replay: %s: no such file or directory\n", args[i].c_str());
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    // The file goes first, so that a crash names its input.
    std::fprintf(stderr, "%s\n", file.c_str());
    target->run(bytes.str());
  }
  std::printf("%s: %zu inputs replayed\n", std::string(target->name).c_str(), files.size());
  // An empty corpus proves nothing: the test that runs it must not pass.
  return files.empty() ? 1 : 0;
}
