#include "tools/runner/count_tallies.h"

#include "tools/runner/pattern.h"

namespace sasim::tools {
namespace {

// `object` encoded for matching against `pattern`. A Secret's token is a
// lazy value, signed when its bytes are first read, and encoding reads
// them. A pattern that names no `data` cannot be decided by it (maps match
// as subsets), so such a Secret is matched without it: counting token
// Secrets by their type signs no token. Signing 300 tokens with RS256 was
// most of a 300-namespace await's cost.
nlohmann::json encoding_for(const nlohmann::json& pattern, const model::Object& object,
                            const model::EncodeOptions& encode) {
  const auto* secret = std::get_if<model::Secret>(&object);
  if (secret == nullptr || secret->data.empty() || !pattern.is_object() || pattern.contains("data")) {
    return model::encode_object(object, encode);
  }
  model::Secret without_data{.metadata = secret->metadata, .type = secret->type, .data = {}, .immutable = secret->immutable};
  return model::encode_object(model::Object{std::move(without_data)}, encode);
}

}  // namespace

bool counts(const CountQuery& query, const model::Object& object, const model::EncodeOptions& encode) {
  if (model::kind_of(object) != query.kind) return false;
  if (!query.scope.empty() && model::key_of(object).namespace_ != query.scope) return false;
  return !query.where || pattern_matches(*query.where, encoding_for(*query.where, object, encode));
}

void CountTallies::start(const scenarios::CountCondition* condition, CountQuery query, const model::Store& store) {
  if (count(condition)) return;
  Tally tally{.condition = condition, .query = std::move(query), .matching = {}};
  for (const model::ObjectPtr& object : store.list(tally.query.kind, tally.query.scope)) {
    if (counts(tally.query, *object, encode_)) tally.matching.insert(model::key_of(*object));
  }
  tallies_.push_back(std::move(tally));
}

std::optional<std::int64_t> CountTallies::count(const scenarios::CountCondition* condition) const {
  for (const Tally& tally : tallies_) {
    if (tally.condition == condition) return static_cast<std::int64_t>(tally.matching.size());
  }
  return std::nullopt;
}

void CountTallies::on_commit(const model::StoreChange& change, sim::Time) {
  if (tallies_.empty() || !change.object) return;
  const model::Object& object = *change.object;
  for (Tally& tally : tallies_) {
    if (model::kind_of(object) != tally.query.kind) continue;
    model::ObjectKey key = model::key_of(object);
    // A deletion's object is the last state: it no longer counts, whatever it held.
    const bool counted = change.type != model::WatchEventType::kDeleted && counts(tally.query, object, encode_);
    if (counted) {
      tally.matching.insert(std::move(key));
    } else {
      tally.matching.erase(key);
    }
  }
}

}  // namespace sasim::tools
