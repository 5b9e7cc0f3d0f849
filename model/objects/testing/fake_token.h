// FakeToken: a token Secret's value that tests can read and compare without
// signing anything (the real LazyValue signs a JWT when first read).
#pragma once

#include <string>
#include <utility>

#include "model/objects/lazy_value.h"

namespace sasim::model::testing {

class FakeToken final : public LazyValue {
 public:
  explicit FakeToken(std::string text) : text_(std::move(text)) {}
  const std::string& bytes() const override { return text_; }
  bool computed() const override { return true; }
  std::string describe() const override { return text_; }

 private:
  std::string text_;
};

}  // namespace sasim::model::testing
