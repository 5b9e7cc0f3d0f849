#pragma once
// Counts for an await's `count` conditions, kept up to date from the
// apiserver's commits while the await runs.
//
// Without them, an await of `{count: secrets, allNamespaces: true, where:
// ...}` re-lists every Secret and encodes each to JSON at every store
// revision: in a 300-namespace bootstrap that took 2.1 s of CPU against
// 0.04 s for the simulation it waited on. A tally lists and matches the
// objects once when the await starts, then each commit costs one match of
// the object it changed. The full evaluation stays the path for `check`,
// for conditions outside an await, and under `--check-invariants full`
// (the debug option that re-judges everything), which the tests compare
// with this one.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/apiserver/apiserver.h"
#include "model/apiserver/store.h"
#include "model/objects/codec.h"
#include "model/objects/object.h"
#include "scenarios/scenario.h"

namespace sasim::tools {

// What a count condition counts, its variables substituted: objects of
// `kind` in namespace `scope` ("" every namespace, or a cluster-scoped
// kind) whose JSON matches `where` (none: every object).
struct CountQuery {
  model::Kind kind = model::Kind::kNamespace;
  std::string scope{};
  std::optional<nlohmann::json> where{};
};

// Whether `object` is counted by `query` (its kind and scope included).
bool counts(const CountQuery& query, const model::Object& object, const model::EncodeOptions& encode);

class CountTallies final : public model::ApiServerObserver {
 public:
  explicit CountTallies(model::EncodeOptions encode = {}) : encode_(std::move(encode)) {}
  void set_encode(model::EncodeOptions encode) { encode_ = std::move(encode); }

  // Starts tallying, for the count condition `condition` (its identity:
  // the await's own condition, whose variables do not change while it
  // waits), its substituted `query` over what `store` holds now. A
  // condition already tallied is left as it is.
  void start(const scenarios::CountCondition* condition, CountQuery query, const model::Store& store);
  // The tally of `condition`, if one is running.
  std::optional<std::int64_t> count(const scenarios::CountCondition* condition) const;
  // Stops every tally (the await is over).
  void stop_all() { tallies_.clear(); }
  bool empty() const { return tallies_.empty(); }

  void on_commit(const model::StoreChange& change, sim::Time now) override;

 private:
  struct Tally {
    const scenarios::CountCondition* condition;
    CountQuery query;
    std::set<model::ObjectKey> matching;  // the keys of the objects counted now
  };
  model::EncodeOptions encode_;
  std::vector<Tally> tallies_;  // one per count condition of the running await: a handful at most
};

}  // namespace sasim::tools
