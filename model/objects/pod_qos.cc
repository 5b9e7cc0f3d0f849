#include "model/objects/pod_qos.h"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace sasim::model {
namespace {

using nlohmann::json;

constexpr Nanos kSaturated = static_cast<Nanos>(1) << 100;

Nanos saturating_mul(Nanos a, Nanos b) {
  if (a != 0 && (a > kSaturated / b)) return kSaturated;
  return a * b;
}

Nanos pow10(int e) {
  Nanos v = 1;
  for (int i = 0; i < e; ++i) v = saturating_mul(v, 10);
  return v;
}

// The requests or limits of a container, as {resource: nanos} for cpu and memory.
std::map<std::string, Nanos> compute_resources(const Container& c, const char* which) {
  std::map<std::string, Nanos> out;
  if (!c.extra) return out;
  const json resources = c.extra->value("resources", json::object());
  if (!resources.is_object()) return out;
  const json list = resources.value(which, json::object());
  if (!list.is_object()) return out;
  for (const char* name : {"cpu", "memory"}) {
    auto it = list.find(name);
    if (it == list.end()) continue;
    const std::string text = it->is_string() ? it->get<std::string>() : it->dump();
    if (auto value = quantity_nanos(text); value && *value > 0) out[name] = *value;
  }
  return out;
}

}  // namespace

std::optional<Nanos> quantity_nanos(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  Nanos whole = 0;
  int fraction_digits = 0;
  bool digits = false;
  bool in_fraction = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    digits = true;
    if (fraction_digits < 9 || !in_fraction) {
      whole = saturating_mul(whole, 10) + (c - '0');
      if (in_fraction) ++fraction_digits;
    }
  }
  if (!digits) return std::nullopt;
  const std::string_view suffix = text.substr(i);
  // value = whole * 10^-fraction_digits * multiplier, in nanos.
  Nanos scale_num = pow10(9);  // nanos per unit
  int exponent = 0;
  std::optional<int> binary_shift;
  if (suffix.empty()) {
  } else if (suffix == "n") exponent = -9;
  else if (suffix == "u") exponent = -6;
  else if (suffix == "m") exponent = -3;
  else if (suffix == "k") exponent = 3;
  else if (suffix == "M") exponent = 6;
  else if (suffix == "G") exponent = 9;
  else if (suffix == "T") exponent = 12;
  else if (suffix == "P") exponent = 15;
  else if (suffix == "E") exponent = 18;
  else if (suffix == "Ki") binary_shift = 10;
  else if (suffix == "Mi") binary_shift = 20;
  else if (suffix == "Gi") binary_shift = 30;
  else if (suffix == "Ti") binary_shift = 40;
  else if (suffix == "Pi") binary_shift = 50;
  else if (suffix == "Ei") binary_shift = 60;
  else if (suffix[0] == 'e' || suffix[0] == 'E') {
    std::size_t j = 1;
    bool neg = false;
    if (j < suffix.size() && (suffix[j] == '+' || suffix[j] == '-')) neg = suffix[j++] == '-';
    if (j >= suffix.size()) return std::nullopt;
    int e = 0;
    for (; j < suffix.size(); ++j) {
      if (suffix[j] < '0' || suffix[j] > '9') return std::nullopt;
      e = std::min(e * 10 + (suffix[j] - '0'), 100);
    }
    exponent = neg ? -e : e;
  } else {
    return std::nullopt;
  }
  Nanos value = saturating_mul(whole, scale_num);
  if (binary_shift) value = saturating_mul(value, static_cast<Nanos>(1) << *binary_shift);
  int total = exponent - fraction_digits;
  if (total >= 0) {
    value = saturating_mul(value, pow10(total));
  } else {
    // Rounded up, as quantities below a nano are.
    const Nanos divisor = pow10(-total);
    value = value / divisor + (value % divisor != 0 ? 1 : 0);
  }
  return negative ? -value : value;
}

std::string pod_qos_class(const Pod& pod) {
  std::map<std::string, Nanos> requests;
  std::map<std::string, Nanos> limits;
  bool guaranteed = true;
  for (const auto* list : {&pod.spec.containers, &pod.spec.init_containers}) {
    for (const Container& c : *list) {
      for (const auto& [name, value] : compute_resources(c, "requests")) requests[name] += value;
      std::set<std::string> found;
      for (const auto& [name, value] : compute_resources(c, "limits")) {
        found.insert(name);
        limits[name] += value;
      }
      if (!found.contains("cpu") || !found.contains("memory")) guaranteed = false;
    }
  }
  if (requests.empty() && limits.empty()) return "BestEffort";
  if (guaranteed) {
    for (const auto& [name, value] : requests) {
      auto it = limits.find(name);
      if (it == limits.end() || it->second != value) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
}

}  // namespace sasim::model
