// Result<T, E>: a value or an error, for failures a caller is expected to
// handle (bad input, rejected operations). Shaped like C++23 std::expected so
// that it can be swapped for it once the toolchain has it.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "sim/check.h"

namespace sasim::sim {

// Error: a message and, for text input, the 0-based offset where it was found.
struct Error {
  std::string message;
  std::size_t offset = 0;
};

template <class E>
struct Unexpected {
  E error;
};

template <class E>
Unexpected<std::decay_t<E>> unexpected(E&& error) {
  return {std::forward<E>(error)};
}

template <class T, class E = Error>
class Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <class F>
  Result(Unexpected<F> error) : state_(std::in_place_index<1>, std::move(error.error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    SIM_CHECK(ok(), "value() of a failed Result");
    return std::get<0>(state_);
  }
  T&& value() && {
    SIM_CHECK(ok(), "value() of a failed Result");
    return std::get<0>(std::move(state_));
  }
  const E& error() const {
    SIM_CHECK(!ok(), "error() of a successful Result");
    return std::get<1>(state_);
  }

 private:
  std::variant<T, E> state_;
};

}  // namespace sasim::sim
