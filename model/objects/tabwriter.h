// Go's text/tabwriter (elastic tabstops), which kubectl lays out describe
// output and tables with: tab-terminated cells in consecutive lines form a
// column, as wide as its widest cell plus padding. Only the options kubectl
// uses: space padding, left alignment, no flags.
#pragma once

#include <string>
#include <string_view>

namespace sasim::model {

struct TabwriterOptions {
  int min_width = 0;  // minimal cell width, padding included
  int padding = 0;    // added to a cell's width
};

// Formats the whole text at once (as Write then Flush). Widths count runes.
std::string tabwrite(std::string_view text, const TabwriterOptions& options);

// kubectl describe's tabwriter (tabbedString: 0, 8, 2, ' ', 0).
inline constexpr TabwriterOptions kDescribeTabs{0, 2};
// kubectl get's tabwriter (GetNewTabWriter: 6, 4, 3, ' ', RememberWidths).
inline constexpr TabwriterOptions kTableTabs{6, 3};

}  // namespace sasim::model
