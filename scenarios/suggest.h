// "Did you mean": the closest of the valid words to a misspelt one.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sasim::scenarios {

// Optimal string alignment distance (Levenshtein plus adjacent
// transpositions, so "stpes" is one edit from "steps"), ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, if it is near enough to be a likely typo:
// at most 2 edits, and fewer than half of the word's length (so that "ab"
// does not suggest "at"). Ties go to the earlier candidate.
std::optional<std::string> suggest(std::string_view word, std::span<const std::string_view> candidates);

// `"a", "b" or "c"` (each quoted), for messages that list what is valid.
std::string quoted_list(std::span<const std::string_view> words, std::string_view last_separator = " or ");

}  // namespace sasim::scenarios
