// Strong identifiers used across the engine.
#pragma once

#include <compare>
#include <cstdint>

namespace sasim::sim {

// An actor, by its registration index. Ids are dense and assigned in
// registration order, so iterating actors by id is deterministic.
struct ActorId {
  std::uint32_t value = UINT32_MAX;

  static constexpr ActorId none() { return ActorId{}; }
  constexpr bool valid() const { return value != UINT32_MAX; }
  constexpr auto operator<=>(const ActorId&) const = default;
};

}  // namespace sasim::sim
