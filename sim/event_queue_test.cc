#include "sim/event_queue.h"
#include "sim/testing/time_points.h"

#include <catch2/catch.hpp>
#include <map>
#include <rapidcheck/catch.h>
#include <utility>
#include <vector>

namespace sasim::sim {
namespace {

using ::sasim::sim::testing::at_ms;

std::vector<int> drain(EventQueue<int>& queue) {
  std::vector<int> out;
  while (auto popped = queue.pop()) out.push_back(popped->value);
  return out;
}

TEST_CASE("events pop in time order and ties in push order", "[event_queue]") {
  EventQueue<int> queue;
  queue.push(at_ms(5), 1);
  queue.push(at_ms(1), 2);
  queue.push(at_ms(5), 3);
  queue.push(at_ms(3), 4);
  queue.push(at_ms(1), 5);
  queue.push(at_ms(5), 6);
  CHECK(queue.size() == 6);
  CHECK(queue.next_time() == at_ms(1));
  CHECK(drain(queue) == std::vector<int>{2, 5, 4, 1, 3, 6});
  CHECK(queue.empty());
  CHECK(queue.next_time() == Time::never());
  CHECK_FALSE(queue.pop().has_value());
}

TEST_CASE("popped events report the handle push returned", "[event_queue]") {
  EventQueue<int> queue;
  const EventHandle first = queue.push(at_ms(1), 10);
  const EventHandle second = queue.push(at_ms(1), 20);
  CHECK(first.seq < second.seq);
  auto popped = queue.pop();
  REQUIRE(popped);
  CHECK(popped->handle.seq == first.seq);
  CHECK(popped->handle.slot == first.slot);
  CHECK(popped->at == at_ms(1));
}

TEST_CASE("cancelled events never pop", "[event_queue]") {
  EventQueue<int> queue;
  queue.push(at_ms(1), 1);
  const EventHandle doomed = queue.push(at_ms(2), 2);
  queue.push(at_ms(3), 3);
  CHECK(queue.is_pending(doomed));
  CHECK(queue.cancel(doomed));
  CHECK_FALSE(queue.is_pending(doomed));
  CHECK_FALSE(queue.cancel(doomed));  // twice is harmless
  CHECK(queue.size() == 2);
  CHECK(drain(queue) == std::vector<int>{1, 3});
}

TEST_CASE("a handle stays dead after its slot is reused", "[event_queue]") {
  EventQueue<int> queue;
  const EventHandle old_handle = queue.push(at_ms(1), 1);
  REQUIRE(queue.pop());
  const EventHandle new_handle = queue.push(at_ms(2), 2);
  CHECK(new_handle.slot == old_handle.slot);  // the slab reuses the slot...
  CHECK_FALSE(queue.cancel(old_handle));      // ...but the old handle cannot touch the new event
  CHECK(queue.size() == 1);
  CHECK(queue.find(new_handle) != nullptr);
  CHECK(*queue.find(new_handle) == 2);
}

TEST_CASE("cancel_if removes exactly the matching events", "[event_queue]") {
  EventQueue<int> queue;
  for (int i = 0; i < 10; ++i) queue.push(at_ms(10 - i), i);
  CHECK(queue.cancel_if([](int value) { return value % 2 == 0; }) == 5);
  CHECK(drain(queue) == std::vector<int>{9, 7, 5, 3, 1});
}

TEST_CASE("mass cancellation keeps order and sweeps tombstones", "[event_queue]") {
  EventQueue<int> queue;
  std::vector<EventHandle> handles;
  for (int i = 0; i < 10'000; ++i) handles.push_back(queue.push(at_ms(i % 97), i));
  for (int i = 0; i < 10'000; ++i) {
    if (i % 10 != 0) CHECK(queue.cancel(handles[static_cast<std::size_t>(i)]));
  }
  CHECK(queue.size() == 1'000);
  std::vector<std::pair<Time, int>> popped;
  while (auto event = queue.pop()) popped.emplace_back(event->at, event->value);
  REQUIRE(popped.size() == 1'000);
  for (std::size_t i = 1; i < popped.size(); ++i) {
    const bool ordered = popped[i - 1].first < popped[i].first ||
                         (popped[i - 1].first == popped[i].first && popped[i - 1].second < popped[i].second);
    REQUIRE(ordered);
  }
}

// The reference model: a std::map keyed by (time, seq) is ordered by definition.
TEST_CASE("any interleaving of pushes and cancels pops in time then sequence order", "[event_queue][property]") {
  rc::prop("matches an ordered-map model", [](const std::vector<std::pair<std::uint8_t, std::uint16_t>>& ops) {
    EventQueue<std::uint64_t> queue;
    std::map<std::pair<std::int64_t, std::uint64_t>, EventHandle> model;
    std::vector<EventHandle> handles;
    Time last_popped = Time::zero();
    for (const auto& [op, arg] : ops) {
      switch (op % 4) {
        case 0:
        case 1: {  // push, at or after the last pop as a simulator would
          const Time at = last_popped + Duration::nanoseconds(arg % 64);
          const EventHandle handle = queue.push(at, queue.last_seq() + 1);
          model.emplace(std::make_pair(at.ns(), handle.seq), handle);
          handles.push_back(handle);
          break;
        }
        case 2: {  // cancel some handle, maybe already gone
          if (handles.empty()) break;
          const EventHandle handle = handles[arg % handles.size()];
          bool in_model = false;
          for (auto it = model.begin(); it != model.end(); ++it) {
            if (it->second.seq == handle.seq) {
              model.erase(it);
              in_model = true;
              break;
            }
          }
          RC_ASSERT(queue.cancel(handle) == in_model);
          break;
        }
        case 3: {  // pop
          auto popped = queue.pop();
          RC_ASSERT(popped.has_value() == !model.empty());
          if (!popped) break;
          const auto expected = model.begin();
          RC_ASSERT(popped->at.ns() == expected->first.first);
          RC_ASSERT(popped->handle.seq == expected->first.second);
          RC_ASSERT(popped->value == expected->first.second);  // the value travelled with its event
          last_popped = popped->at;
          model.erase(expected);
          break;
        }
      }
      RC_ASSERT(queue.size() == model.size());
    }
    while (auto popped = queue.pop()) {
      RC_ASSERT(!model.empty());
      RC_ASSERT(popped->handle.seq == model.begin()->first.second);
      model.erase(model.begin());
    }
    RC_ASSERT(model.empty());
  });
}

}  // namespace
}  // namespace sasim::sim
