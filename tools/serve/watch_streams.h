// The HTTP watches of a served session. The simulation thread sees every
// committed change (an ApiServerObserver: the same changes, in the same
// order, as the model's watches deliver), keeps a history of each kind for
// watches that start from a resourceVersion, and hands each open watch the
// events it selects, already encoded, through a channel that the watch's
// HTTP thread drains. Watching sends nothing into the simulation: it does not
// change the run, and a recording does not need it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/watch.h"
#include "model/apiserver/apiserver.h"

namespace sasim::tools::serve {

// Encoded events from the simulation thread to one HTTP thread.
class WatchChannel {
 public:
  void push(std::string event);
  // Ends the stream (either side: the server, a timeout, the client gone).
  void close();
  bool closed() const;
  // Moves queued events into `out`, waiting up to `timeout` for one. False
  // when the channel is closed and drained.
  bool pop(std::vector<std::string>& out, std::chrono::milliseconds timeout);

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> events_;
  bool closed_ = false;
};

class WatchStreams final : public model::ApiServerObserver {
 public:
  // Keeps the last `history` changes of each kind (upstream's watch cache
  // keeps a window too; older resourceVersions get 410 Expired).
  WatchStreams(const model::Store& store, model::EncodeOptions encode, std::size_t history = 50'000);

  void on_commit(const model::StoreChange& change, sim::Time now) override;

  // A new watch, with its initial events queued: the current objects as
  // ADDED (no resourceVersion, or 0), the changes after a resourceVersion,
  // or an ERROR event when that version is older than the history.
  std::shared_ptr<WatchChannel> open(const api::WatchRequest& request, sim::Time now);
  void close_all();
  std::size_t open_count() const { return watchers_.size(); }

 private:
  struct Watcher {
    api::WatchRequest request;
    std::shared_ptr<WatchChannel> channel;
    bool first = true;  // the next event is the stream's first
  };
  void send(Watcher& watcher, const api::WatchEvent& event, sim::Time now);

  const model::Store& store_;
  model::EncodeOptions encode_;
  std::size_t capacity_;
  std::deque<model::StoreChange> history_[model::kKindCount];  // by kind
  // Every change of the kind after this revision is in its history.
  std::uint64_t floor_[model::kKindCount];
  std::vector<Watcher> watchers_;
};

}  // namespace sasim::tools::serve
