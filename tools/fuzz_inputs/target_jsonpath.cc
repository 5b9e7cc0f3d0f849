// JSONPath templates (`capture`), evaluated against a JSON object.
#include <nlohmann/json.hpp>
#include <string>

#include "tools/fuzz_inputs/targets.h"
#include "tools/runner/jsonpath.h"

namespace sasim::tools::fuzz_inputs {

namespace {

// nlohmann's parser without exceptions, as the surfaces that take JSON read
// it; a discarded value is not an input of the surface.
nlohmann::json parse_json(std::string_view input) {
  return nlohmann::json::parse(input.begin(), input.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace

void fuzz_jsonpath(std::string_view input) {
  const std::size_t newline = input.find('\n');
  const std::string template_text(input.substr(0, newline));
  nlohmann::json object;
  if (newline != std::string_view::npos) {
    object = parse_json(input.substr(newline + 1));
    if (object.is_discarded()) object = nullptr;
  }
  (void)evaluate_jsonpath(template_text, object);
}

}  // namespace sasim::tools::fuzz_inputs
