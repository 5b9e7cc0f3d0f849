#include "tools/report/report_lines.h"

#include <fmt/format.h>

namespace sasim::tools {

std::string shell_word(const std::string& word) {
  const bool safe = !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                            "0123456789._-/=:,@+%") == std::string::npos;
  if (safe) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string report_written_lines(const std::string& dir, const reports::TimingReport& report, const std::string& label,
                                 const std::vector<std::string>& sets) {
  std::string out = fmt::format("report: {}/report.html ({} runs, seeds {}..{}){}\n", dir, report.runs.size(),
                                report.seed_first, report.seed_last, label.empty() ? "" : " " + label);
  if (!label.empty()) return out;
  std::string command = fmt::format("sasim report {} --seeds {}..{}", shell_word(report.file), report.seed_first,
                                    report.seed_last);
  for (const std::string& set : sets) command += " --set " + shell_word(set);
  return out + fmt::format("across machines: {} --shard I/N --out DIR_I for I in 0..N-1, then sasim merge --out DIR "
                           "DIR_0 ... DIR_N-1\n",
                           command);
}

std::string report_failed_line(std::size_t failed, std::size_t runs, const std::string& first_replay) {
  return fmt::format("{} of {} runs failed; the first: {}\n", failed, runs, first_replay);
}

}  // namespace sasim::tools
