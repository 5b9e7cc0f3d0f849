// DataValue: one entry of a Secret's `data`: plain bytes, bytes shared
// with other values, or a LazyValue (a token that is signed only when
// observed; see lazy_value.h).
//
// Shared bytes are for what many objects hold alike: the tokens controller
// puts the same CA certificate (about 1 KiB) in every token Secret, and
// with a plain string each Secret (and each copy a request or a coroutine
// makes of it) carried its own; at a million Secrets that was a GiB. The
// three forms are one value to every reader: same bytes, same description.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <variant>

#include "model/objects/lazy_value.h"

namespace sasim::model {

class DataValue {
 public:
  DataValue() = default;
  DataValue(std::string bytes) : value_(std::move(bytes)) {}  // NOLINT: implicit, like a string
  DataValue(const char* bytes) : value_(std::string(bytes)) {}  // NOLINT
  explicit DataValue(std::shared_ptr<const LazyValue> lazy) : value_(std::move(lazy)) {}
  explicit DataValue(std::shared_ptr<const std::string> shared) : value_(std::move(shared)) {}

  // Observes the bytes (signs a lazy token on first use).
  const std::string& bytes() const {
    if (auto* lazy = std::get_if<std::shared_ptr<const LazyValue>>(&value_)) return (*lazy)->bytes();
    if (auto* shared = std::get_if<std::shared_ptr<const std::string>>(&value_)) return **shared;
    return std::get<std::string>(value_);
  }
  // Cheap: a lazy value is never empty, so this never signs.
  bool empty() const {
    if (auto* plain = std::get_if<std::string>(&value_)) return plain->empty();
    if (auto* shared = std::get_if<std::shared_ptr<const std::string>>(&value_)) return (*shared)->empty();
    return false;
  }
  bool is_lazy() const { return std::holds_alternative<std::shared_ptr<const LazyValue>>(value_); }
  const LazyValue* lazy() const {
    auto* lazy = std::get_if<std::shared_ptr<const LazyValue>>(&value_);
    return lazy ? lazy->get() : nullptr;
  }
  // For traces and digests: describes a lazy value without signing it.
  std::string describe() const {
    if (auto* lazy = std::get_if<std::shared_ptr<const LazyValue>>(&value_)) return (*lazy)->describe();
    return bytes();
  }
  // Same bytes. Two lazy values are compared by identity first, so that the
  // common case (a Secret compared with its own earlier version) signs nothing.
  bool same_bytes(const DataValue& other) const {
    auto* mine = lazy();
    auto* theirs = other.lazy();
    if (mine != nullptr && mine == theirs) return true;
    const auto* my_shared = std::get_if<std::shared_ptr<const std::string>>(&value_);
    const auto* their_shared = std::get_if<std::shared_ptr<const std::string>>(&other.value_);
    if (my_shared != nullptr && their_shared != nullptr && *my_shared == *their_shared) return true;
    return bytes() == other.bytes();
  }

 private:
  std::variant<std::string, std::shared_ptr<const LazyValue>, std::shared_ptr<const std::string>> value_;
};

}  // namespace sasim::model
