// The bound on connections waiting for a thread, over real sockets: one
// serving thread held by a request, one connection waiting (at the bound:
// served once the thread is free), one more (over it: 429 at once).
#include "tools/serve/connection_queue.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

namespace sasim::tools::serve {
namespace {

using namespace std::chrono_literals;

// A latch the held request waits on.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false;
  bool open = false;
};

template <typename Predicate>
bool eventually(Predicate predicate) {
  for (int i = 0; i < 500; ++i) {
    if (predicate()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST_CASE("a connection over the waiting bound gets 429 at once and one at the bound is served") {
  Gate gate;
  // Made on the listening thread, read here.
  std::atomic<ConnectionQueue*> queue = nullptr;
  httplib::Server server;
  server.new_task_queue = [&queue] {
    auto* made = new ConnectionQueue(1, 1);
    queue = made;
    return made;
  };
  server.set_pre_routing_handler(refuse_when_full);
  server.Get("/hold", [&gate](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(gate.mutex);
    gate.entered = true;
    gate.changed.notify_all();
    gate.changed.wait(lock, [&] { return gate.open; });
    res.set_content("held", "text/plain");
  });
  server.Get("/hello", [](const httplib::Request&, httplib::Response& res) { res.set_content("hello", "text/plain"); });
  const int port = server.bind_to_any_port("127.0.0.1");
  REQUIRE(port > 0);
  std::thread listener([&server] { server.listen_after_bind(); });

  auto get = [port](const char* path) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(20, 0);
    return client.Get(path);
  };
  // The only serving thread is held.
  auto held = std::async(std::launch::async, get, "/hold");
  {
    std::unique_lock lock(gate.mutex);
    REQUIRE(gate.changed.wait_for(lock, 20s, [&] { return gate.entered; }));
  }
  // One connection waits: the bound.
  auto waiting = std::async(std::launch::async, get, "/hello");
  REQUIRE(eventually([&] { return queue.load() != nullptr && queue.load()->waiting() == 1; }));
  CHECK(waiting.wait_for(100ms) == std::future_status::timeout);

  // One more is over it: refused at once with the apiserver's Status.
  const httplib::Result refused = get("/hello");
  REQUIRE(refused);
  CHECK(refused->status == 429);
  CHECK(refused->get_header_value("Retry-After") == "1");
  const nlohmann::json status = nlohmann::json::parse(refused->body);
  CHECK(status["kind"] == "Status");
  CHECK(status["reason"] == "TooManyRequests");
  CHECK(status["message"] == "Too many requests, please try again later.");
  CHECK(status["code"] == 429);

  // Freed, the thread serves the waiting connection, and then new ones.
  {
    std::lock_guard lock(gate.mutex);
    gate.open = true;
  }
  gate.changed.notify_all();
  const httplib::Result first = held.get();
  REQUIRE(first);
  CHECK(first->body == "held");
  const httplib::Result second = waiting.get();
  REQUIRE(second);
  CHECK(second->status == 200);
  CHECK(second->body == "hello");
  const httplib::Result later = get("/hello");
  REQUIRE(later);
  CHECK(later->status == 200);

  server.stop();
  listener.join();
}

}  // namespace
}  // namespace sasim::tools::serve
