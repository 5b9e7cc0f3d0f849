// `sasim completion bash`: a bash completion script for sasim, made from the
// command line's own definition (CLI11), so that it never falls behind a new
// flag. It completes commands, each command's flags, the variant names of
// --broken, directories for flags that take one, and *.yaml files and
// directories for scenario arguments. The Debian package installs it as
// /usr/share/bash-completion/completions/sasim.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace sasim::tools {

// `broken_variants`: the names --broken takes.
std::string bash_completion(const CLI::App& app, const std::vector<std::string>& broken_variants);

}  // namespace sasim::tools
