#include "model/objects/tabwriter.h"

#include <vector>

namespace sasim::model {
namespace {

struct Cell {
  std::string_view text;
  int width = 0;  // in runes
};
using Line = std::vector<Cell>;

int rune_count(std::string_view s) {
  int n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// A port of (*Writer).format and writeLines: `widths` holds the widths of
// the columns to the left of the block being formatted.
class Formatter {
 public:
  Formatter(const std::vector<Line>& lines, const TabwriterOptions& options) : lines_(lines), options_(options) {}

  std::string run() {
    format(0, lines_.size());
    return std::move(out_);
  }

 private:
  void format(std::size_t line0, std::size_t line1) {
    const std::size_t column = widths_.size();
    for (std::size_t current = line0; current < line1; ++current) {
      if (column + 1 >= lines_[current].size()) continue;
      // A cell in this column: a block of lines starts here.
      write_lines(line0, current);
      line0 = current;
      int width = options_.min_width;
      for (; current < line1; ++current) {
        const Line& line = lines_[current];
        if (column + 1 >= line.size()) break;
        width = std::max(width, line[column].width + options_.padding);
      }
      widths_.push_back(width);
      format(line0, current);
      widths_.pop_back();
      // As in Go, the loop's increment skips `current`, which has no cell
      // in this column.
      line0 = current;
    }
    write_lines(line0, line1);
  }

  void write_lines(std::size_t line0, std::size_t line1) {
    for (std::size_t i = line0; i < line1; ++i) {
      const Line& line = lines_[i];
      for (std::size_t j = 0; j < line.size(); ++j) {
        const Cell& cell = line[j];
        out_ += cell.text;
        if (j < widths_.size()) out_.append(static_cast<std::size_t>(std::max(widths_[j] - cell.width, 0)), ' ');
      }
      if (i + 1 < lines_.size()) out_ += '\n';
    }
  }

  const std::vector<Line>& lines_;
  const TabwriterOptions& options_;
  std::vector<int> widths_;
  std::string out_;
};

}  // namespace

std::string tabwrite(std::string_view text, const TabwriterOptions& options) {
  std::vector<Line> lines(1);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\t' && text[i] != '\n') continue;
    const std::string_view cell = text.substr(start, i - start);
    lines.back().push_back({cell, rune_count(cell)});
    if (i < text.size() && text[i] == '\n') lines.emplace_back();
    start = i + 1;
  }
  return Formatter(lines, options).run();
}

}  // namespace sasim::model
