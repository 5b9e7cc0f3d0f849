// LazyValue: bytes that are expensive to compute and are computed only when
// something observes them.
//
// A token Secret's `token` is a signed JWT. Signing RS256 costs about 0.5 ms,
// so at scale (100,000 accounts) eager signing would dominate the run. The
// tokens controller therefore stores a LazyValue that knows how to sign, and
// the JWT is produced the first time anything reads it: a print, an
// authentication, a kubelet mount, a state dump. The signature depends only on
// what was fixed when the token was created (key and claims; for ES256 also
// the seed of its nonce, drawn then), so when it is computed does not change
// what it is, and a run's digest does not depend on what was observed.
#pragma once

#include <cstddef>
#include <string>

namespace sasim::model {

class LazyValue {
 public:
  virtual ~LazyValue() = default;
  // The bytes. Computed on first call, then cached; always the same bytes.
  virtual const std::string& bytes() const = 0;
  // Cheap: never computes. A lazy value is never empty.
  virtual bool computed() const = 0;
  // A short stable description for traces and digests, without computing
  // (e.g. "jwt(RS256 kid=... secret=ns/name)").
  virtual std::string describe() const = 0;
};

}  // namespace sasim::model
