// Inline SVG plots for report.html, drawn here so that the page needs no
// script and no network: a duration histogram with its CDF, and step
// functions of simulated time.
#pragma once

#include <string>
#include <vector>

#include "reports/timing.h"

namespace sasim::reports {

// Escapes text for HTML and SVG.
std::string html_escape(const std::string& text);

// A duration for people: three significant digits in the unit that suits it
// ("7.59ms", "2.01m"); report.json keeps the exact figures.
std::string short_duration(double ns);

// Bars: how many values fall in each of up to 40 equal bins between the
// smallest and largest; a line: the share at or below (right axis).
std::string svg_histogram(const std::vector<sim::Duration>& sorted, const std::string& title);

// Each series as a step line against simulated time, with a legend.
std::string svg_series(const std::vector<Series>& series, const std::string& title, const std::string& y_label);

}  // namespace sasim::reports
