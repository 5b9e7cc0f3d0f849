#include "model/api/releases.h"

#include <array>

namespace sasim::model {
namespace {

// v1.20.15 is the last patch release of 1.20; kind's node image for it
// ships containerd 1.5 on Ubuntu 21.04.
constexpr std::array kReleases = {
    Release{"1.20", "v1.20.15", "containerd://1.5.10", "Ubuntu 21.04", "5.10.0-19-amd64"},
};

}  // namespace

std::optional<Release> find_release(std::string_view minor) {
  for (const Release& release : kReleases) {
    if (release.minor == minor) return release;
  }
  return std::nullopt;
}

std::string simulated_releases() {
  std::string out;
  for (const Release& release : kReleases) out += (out.empty() ? "" : ", ") + std::string(release.minor);
  return out;
}

}  // namespace sasim::model
