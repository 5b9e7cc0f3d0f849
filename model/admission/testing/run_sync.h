// run_sync: runs a Task to completion on the spot, for tests whose fake
// environment never suspends (every awaited call co_returns at once).
#pragma once

#include <optional>
#include <utility>

#include "sim/check.h"
#include "sim/task.h"

namespace sasim::model::admission::testing {

template <class T>
sim::Task<void> store_result(sim::Task<T> task, std::optional<T>& out) {
  out.emplace(co_await std::move(task));
}

template <class T>
T run_sync(sim::Task<T> task) {
  std::optional<T> result;
  sim::Task<void> outer = store_result(std::move(task), result);
  outer.start();
  SIM_CHECK(outer.done() && result.has_value(), "run_sync: the task suspended; a fake env must not");
  return std::move(*result);
}

}  // namespace sasim::model::admission::testing
