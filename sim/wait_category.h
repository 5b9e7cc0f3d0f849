// WaitCategory: why a scheduled event waits before it happens.
//
// The layer above labels its timers, sleeps and sends ("client rate limit",
// "watch lag") so that a trace can say why simulated time passed between a
// cause and its effect. The engine only carries the label; it never reads
// it, and it stays out of the digest, so labelling a call site changes no
// run. A label is a pointer to a string with static storage: the consteval
// constructor accepts only constant arrays (string literals), which keeps
// events small and the label alive as long as the program.
#pragma once

#include <cstddef>
#include <string_view>

namespace sasim::sim {

class WaitCategory {
 public:
  constexpr WaitCategory() = default;
  template <std::size_t N>
  consteval WaitCategory(const char (&name)[N]) : name_(name) {}  // NOLINT: implicit from a literal on purpose

  std::string_view name() const { return name_ == nullptr ? std::string_view() : std::string_view(name_); }
  bool empty() const { return name_ == nullptr; }
  // By text; one literal used twice is usually one pointer, checked first.
  friend bool operator==(WaitCategory a, WaitCategory b) { return a.name_ == b.name_ || a.name() == b.name(); }

 private:
  const char* name_ = nullptr;
};

}  // namespace sasim::sim
