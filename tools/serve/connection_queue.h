// cpp-httplib's task queue for `sasim serve`, with a bound on the
// connections waiting for a thread.
//
// cpp-httplib 0.11 accepts every connection and queues it for its pool
// without a bound, so a flood of connections (or of open watches, each of
// which holds a thread) grows the queue and leaves every later client
// hanging. Here `threads` workers serve connections and at most
// `max_waiting` more wait for one; a connection beyond that goes to a few
// refusing threads, where every request gets what the apiserver's
// max-in-flight filter answers: 429 TooManyRequests, Retry-After: 1, and
// the connection is closed. The queue only sees opaque jobs (cpp-httplib
// owns the socket), so a refused connection is still read, by a refusing
// thread, within cpp-httplib's 5 s read timeout.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <functional>

namespace sasim::tools::serve {

class ConnectionQueue : public httplib::TaskQueue {
 public:
  ConnectionQueue(std::size_t threads, std::size_t max_waiting);
  void enqueue(std::function<void()> job) override;
  void shutdown() override;

  // Connections accepted and not yet taken by a serving thread.
  std::size_t waiting() const { return waiting_.load(); }
  // Whether the calling thread is one of the refusing ones.
  static bool refusing();

 private:
  const std::size_t max_waiting_;
  std::atomic<std::size_t> waiting_{0};
  httplib::ThreadPool serving_;
  httplib::ThreadPool refusing_;
};

// A pre-routing handler: on a refusing thread, the apiserver's 429 Status.
httplib::Server::HandlerResponse refuse_when_full(const httplib::Request& request, httplib::Response& response);

}  // namespace sasim::tools::serve
