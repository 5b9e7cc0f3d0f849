#include "tools/serve/connection_queue.h"

#include <utility>

#include "api/status_json.h"
#include "model/api/status.h"

namespace sasim::tools::serve {
namespace {

// Refusing is quick (one request read, one short answer), so a few threads
// keep up with a flood; they are separate from the serving ones so that a
// full pool can still say so.
constexpr std::size_t kRefusingThreads = 2;

thread_local bool refusing_thread = false;

}  // namespace

ConnectionQueue::ConnectionQueue(std::size_t threads, std::size_t max_waiting)
    : max_waiting_(max_waiting), serving_(threads), refusing_(kRefusingThreads) {}

void ConnectionQueue::enqueue(std::function<void()> job) {
  // Only cpp-httplib's accepting thread enqueues, so the test and the
  // increment cannot race with another enqueue; the workers only decrement.
  if (waiting_.load() >= max_waiting_) {
    refusing_.enqueue([job = std::move(job)] {
      refusing_thread = true;
      job();
      refusing_thread = false;
    });
    return;
  }
  ++waiting_;
  serving_.enqueue([this, job = std::move(job)] {
    --waiting_;
    job();
  });
}

void ConnectionQueue::shutdown() {
  serving_.shutdown();
  refusing_.shutdown();
}

bool ConnectionQueue::refusing() { return refusing_thread; }

httplib::Server::HandlerResponse refuse_when_full(const httplib::Request&, httplib::Response& response) {
  if (!ConnectionQueue::refusing()) return httplib::Server::HandlerResponse::Unhandled;
  const api::HttpResponse status =
      api::status_response(model::status_too_many_requests("Too many requests, please try again later.", 1));
  response.status = status.status;
  response.set_header("Retry-After", "1");
  response.set_header("Connection", "close");
  response.set_content(status.body, status.content_type);
  return httplib::Server::HandlerResponse::Handled;
}

}  // namespace sasim::tools::serve
