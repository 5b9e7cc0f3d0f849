#include "reports/svg_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "sim/duration_text.h"

namespace sasim::reports {
namespace {

constexpr int kWidth = 560;
constexpr int kHeight = 240;
constexpr int kLeft = 56;
constexpr int kRight = 48;
constexpr int kTop = 28;
constexpr int kBottom = 40;
constexpr int kPlotW = kWidth - kLeft - kRight;
constexpr int kPlotH = kHeight - kTop - kBottom;
constexpr int kBins = 40;

// Colour-blind-safe (Okabe and Ito).
constexpr const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"};

std::string open_svg(const std::string& title, const std::string& css_class, int height = kHeight) {
  return fmt::format(
      "<svg class=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "role=\"img\"><title>{}</title>"
      "<text x=\"{}\" y=\"16\" class=\"ptitle\">{}</text>"
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"frame\"/>",
      css_class, kWidth, height, kWidth, height, html_escape(title), kLeft, html_escape(title), kLeft, kTop, kPlotW,
      kPlotH);
}

std::string axis_label(double x, double y, const std::string& text, const char* anchor) {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\" class=\"tick\">{}</text>", x, y, anchor,
                     html_escape(text));
}

}  // namespace

std::string short_duration(double ns) {
  const double a = std::fabs(ns);
  if (a == 0) return "0";
  // Fixed notation with three significant digits (never an exponent).
  auto three = [](double v, const char* unit) {
    const double m = std::fabs(v);
    return m >= 99.95 ? fmt::format("{:.0f}{}", v, unit)
           : m >= 9.995 ? fmt::format("{:.1f}{}", v, unit)
                        : fmt::format("{:.2f}{}", v, unit);
  };
  if (a >= 3600e9) return three(ns / 3600e9, "h");
  if (a >= 60e9) return three(ns / 60e9, "m");
  if (a >= 1e9) return three(ns / 1e9, "s");
  if (a >= 1e6) return three(ns / 1e6, "ms");
  if (a >= 1e3) return three(ns / 1e3, "us");
  return three(ns, "ns");
}

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string svg_histogram(const std::vector<sim::Duration>& sorted, const std::string& title) {
  std::string svg = open_svg(title, "plot histogram");
  if (sorted.empty()) {
    svg += axis_label(kLeft + kPlotW / 2.0, kTop + kPlotH / 2.0, "no finished instances", "middle");
    return svg + "</svg>";
  }
  const double lo = static_cast<double>(sorted.front().ns());
  const double hi = static_cast<double>(sorted.back().ns());
  const double width = hi > lo ? (hi - lo) / kBins : 1.0;
  const int bins = hi > lo ? kBins : 1;
  std::vector<std::size_t> counts(static_cast<std::size_t>(bins), 0);
  for (sim::Duration d : sorted) {
    int bin = hi > lo ? static_cast<int>((static_cast<double>(d.ns()) - lo) / width) : 0;
    counts[static_cast<std::size_t>(std::clamp(bin, 0, bins - 1))]++;
  }
  const std::size_t top = *std::max_element(counts.begin(), counts.end());
  const double bar_w = static_cast<double>(kPlotW) / bins;
  for (int i = 0; i < bins; ++i) {
    const double h = static_cast<double>(counts[static_cast<std::size_t>(i)]) / static_cast<double>(top) * kPlotH;
    if (h <= 0) continue;
    svg += fmt::format("<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>",
                       kLeft + i * bar_w + 0.5, kTop + kPlotH - h, std::max(bar_w - 1.0, 0.5), h);
  }
  // The CDF: the share of values at or below each distinct value.
  std::string points;
  const double n = static_cast<double>(sorted.size());
  auto x_of = [&](double v) { return hi > lo ? kLeft + (v - lo) / (hi - lo) * kPlotW : kLeft + kPlotW / 2.0; };
  points += fmt::format("{:.1f},{:.1f} ", x_of(lo), static_cast<double>(kTop + kPlotH));
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i + 1 < sorted.size() && sorted[i + 1] == sorted[i]) continue;
    const double y = kTop + kPlotH - (static_cast<double>(i + 1) / n) * kPlotH;
    points += fmt::format("{:.1f},{:.1f} ", x_of(static_cast<double>(sorted[i].ns())), y);
  }
  svg += fmt::format("<polyline class=\"cdf\" points=\"{}\"/>", points);
  // Axes: min, middle, max below; counts left; CDF shares right.
  for (int i = 0; i <= 4; ++i) {
    const double v = lo + (hi - lo) * i / 4.0;
    svg += axis_label(kLeft + kPlotW * i / 4.0, kTop + kPlotH + 14, short_duration(v), "middle");
    svg += axis_label(kLeft + kPlotW + 4, kTop + kPlotH - kPlotH * i / 4.0 + 4, fmt::format("{}%", 25 * i), "start");
  }
  svg += axis_label(kLeft - 4, kTop + 10, std::to_string(top), "end");
  svg += axis_label(kLeft - 4, kTop + kPlotH, "0", "end");
  svg += axis_label(kLeft + kPlotW / 2.0, kHeight - 6, "duration (simulated); bars: count, line: cumulative share", "middle");
  return svg + "</svg>";
}

std::string svg_series(const std::vector<Series>& series, const std::string& title, const std::string& y_label) {
  // The legend goes below the axis label, one row, so it never hides data.
  constexpr int kLegend = 20;
  std::string svg = open_svg(title, "plot series", kHeight + kLegend);
  std::int64_t t_max = 0;
  std::int64_t v_max = 0;
  for (const Series& s : series) {
    for (const auto& [t, v] : s.points) {
      t_max = std::max(t_max, t.ns());
      v_max = std::max(v_max, v);
    }
  }
  if (series.empty() || t_max == 0) {
    svg += axis_label(kLeft + kPlotW / 2.0, kTop + kPlotH / 2.0, "no samples", "middle");
    return svg + "</svg>";
  }
  if (v_max == 0) v_max = 1;
  auto x_of = [&](std::int64_t t) { return kLeft + static_cast<double>(t) / static_cast<double>(t_max) * kPlotW; };
  auto y_of = [&](std::int64_t v) {
    return kTop + kPlotH - static_cast<double>(v) / static_cast<double>(v_max) * kPlotH;
  };
  int legend_x = kLeft;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    if (s.points.empty()) continue;
    std::string points;
    std::int64_t last = s.points.front().second;
    for (const auto& [t, v] : s.points) {
      points += fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", x_of(t.ns()), y_of(last), x_of(t.ns()), y_of(v));
      last = v;
    }
    points += fmt::format("{:.1f},{:.1f}", x_of(t_max), y_of(last));
    const char* colour = kColours[i % std::size(kColours)];
    svg += fmt::format("<polyline class=\"line\" stroke=\"{}\" points=\"{}\"/>", colour, points);
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>", legend_x,
                       kHeight + 4, colour);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"legend\">{}</text>", legend_x + 14, kHeight + 13,
                       html_escape(s.name));
    // About 6.2 px per character at the legend's 11 px font.
    legend_x += 14 + static_cast<int>(s.name.size() * 62 / 10) + 16;
  }
  for (int i = 0; i <= 4; ++i) {
    svg += axis_label(kLeft + kPlotW * i / 4.0, kTop + kPlotH + 14,
                      short_duration(static_cast<double>(t_max) * i / 4.0), "middle");
  }
  svg += axis_label(kLeft - 4, kTop + 10, std::to_string(v_max), "end");
  svg += axis_label(kLeft - 4, kTop + kPlotH, "0", "end");
  svg += axis_label(kLeft + kPlotW / 2.0, kHeight - 6, "simulated time; " + y_label, "middle");
  return svg + "</svg>";
}

}  // namespace sasim::reports
