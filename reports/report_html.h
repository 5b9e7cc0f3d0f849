// report.html: one self-contained page (inline CSS and SVG, no script, no
// external resource) that a person reads: the parameters and seeds, a
// summary table per span with its distribution, object counts and queue
// depths over time, the critical-path contributors when given, and speed.
#pragma once

#include <string>

#include "reports/timing.h"

namespace sasim::reports {

std::string render_timing_html(const TimingReport& report);

// "token-ready p99: 80 % tokens-controller client rate limit, 15 % apiserver"
std::string describe_contributors(const SpanContributors& contributors);

}  // namespace sasim::reports
