#include "tools/fuzz_inputs/targets.h"

namespace sasim::tools::fuzz_inputs {

namespace {

constexpr FuzzTarget kTargets[] = {
    {"scenario", "a scenario file (YAML), parsed and validated as `sasim check` does", fuzz_scenario},
    {"manifest", "a JSON manifest (one object or a v1 List), decoded, validated, encoded and decoded again",
     fuzz_manifest},
    {"pem", "a --service-account-key-file (PEM): public keys, and the text as a signing key", fuzz_pem},
    {"jwt", "a bearer token: parsed, then through the 1.20 authenticator with RSA and ECDSA keys", fuzz_jwt},
    {"patch", "a JSON array [\"merge\"|\"strategic\"|\"json\", object, patch]: the apiserver's three patch types",
     fuzz_patch},
    {"jsonpath", "a JSONPath template, a newline, then the JSON object it is evaluated against", fuzz_jsonpath},
    {"duration", "a duration as scenarios write it; what parses prints back to the same value", fuzz_duration},
    {"serve", "an HTTP request (request line, headers, blank line, body) planned as `sasim serve` does",
     fuzz_serve},
};

}  // namespace

std::span<const FuzzTarget> fuzz_targets() { return kTargets; }

const FuzzTarget* find_fuzz_target(std::string_view name) {
  for (const FuzzTarget& target : kTargets) {
    if (target.name == name) return &target;
  }
  return nullptr;
}


}  // namespace sasim::tools::fuzz_inputs
