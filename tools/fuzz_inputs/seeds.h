// Seed corpora for the fuzz targets, made from the project's own material:
// the scenario library and the test scenarios (good and bad), the manifests
// in them, the builtin and test keys, tokens signed with the builtin keys,
// and requests as kubectl sends them. Generated rather than committed so
// that they follow the library as it grows (tools/fuzz_inputs/make_seeds.sh).
#pragma once

#include <filesystem>

namespace sasim::tools::fuzz_inputs {

// Writes OUT/TARGET/seed-NNNN for every target; returns how many files.
// `source_root` is the repository's top directory.
int write_seeds(const std::filesystem::path& source_root, const std::filesystem::path& out);

}  // namespace sasim::tools::fuzz_inputs
