// The commit sasim was built from, as git described it at build time:
// twelve hex digits, "-dirty" when tracked files had uncommitted changes,
// "unknown" outside a git checkout (tools/version/git_commit.cmake writes
// the definition into the build tree at every build).
#pragma once

namespace sasim::tools {

const char* git_commit();

}  // namespace sasim::tools
