// The lines `sasim report` prints about a report it wrote, shared with
// `sasim merge`, which must print the same for the same campaign.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "reports/timing.h"

namespace sasim::tools {

// "report: DIR/report.html (20 runs, seeds 1..20)", then (without a label)
// how to run the same report across machines.
std::string report_written_lines(const std::string& dir, const reports::TimingReport& report, const std::string& label,
                                 const std::vector<std::string>& sets);

// "3 of 20 runs failed; the first: sasim run ...".
std::string report_failed_line(std::size_t failed, std::size_t runs, const std::string& first_replay);

// A word for a shell: quoted when it holds anything but safe characters.
std::string shell_word(const std::string& word);

}  // namespace sasim::tools
