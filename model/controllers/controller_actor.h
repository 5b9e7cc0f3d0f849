// ControllerActor: a kube-controller-manager controller: a client, its
// informers, and rate-limited work queues each drained by N worker
// coroutines, as upstream's `go wait.Until(worker, ...)` loops.
//
// Informer handlers only enqueue keys. Workers start once every informer
// has synced (WaitForCacheSync). Each sync first spends `sync_latency` of
// simulated CPU time, then runs the controller's sync coroutine, whose
// answer (retry or not) the queue applies with the controller's retry cap,
// as processNextWorkItem / retryOrForget do.
//
// Idle workers park; a key added while some are idle wakes one through a
// zero-delay timer, so that workers always start from the top of an event
// rather than inside whatever handler enqueued the key.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/client/client_actor.h"
#include "model/api/wait_categories.h"
#include "model/client/workqueue.h"
#include "sim/task.h"

namespace sasim::model::controllers {

struct ControllerOptions {
  client::ClientOptions client{};
  int workers = 1;
  sim::Duration sync_latency = sim::Duration::microseconds(100);
  sim::Duration watch_lag{};
  // How long a crashed process stays down (its supervisor's restart delay).
  sim::Duration restart_delay = sim::Duration::seconds(10);
};

class ControllerActor : public client::ClientActor {
 public:
  explicit ControllerActor(ControllerOptions options);
  ~ControllerActor() override;

  const ControllerOptions& options() const { return options_; }
  std::uint64_t syncs() const { return syncs_; }
  // Keys queued or waiting to be retried, over all its queues (for reports).
  std::size_t queue_depth() const;

 protected:
  class QueueBase;
  template <class Key>
  class Queue;

  // A queue named like upstream's (for traces), with `workers` workers and
  // at most `max_retries` requeues per key (negative: unlimited).
  template <class Key>
  Queue<Key>& add_queue(std::string name, int workers, int max_retries,
                        std::function<sim::Task<bool>(Key)> sync);

  void start() override;
  void on_synced() override;
  void handle_client_timer(std::uint64_t tag) override;
  void on_crash_reset() override;

 private:
  ControllerOptions options_;
  std::vector<std::unique_ptr<QueueBase>> queues_;
  std::uint64_t syncs_ = 0;
};

class ControllerActor::QueueBase {
 public:
  QueueBase(ControllerActor& owner, std::size_t index, std::string name, int workers, int max_retries)
      : owner_(owner), index_(index), name_(std::move(name)), workers_(workers), max_retries_(max_retries) {}
  virtual ~QueueBase() = default;

  const std::string& name() const { return name_; }
  virtual void start_workers() = 0;
  virtual void on_timer(bool kick) = 0;
  virtual void reset() = 0;
  virtual std::size_t depth() const = 0;

 protected:
  std::uint64_t kick_tag() const { return (index_ << 1) | 0; }
  std::uint64_t delay_tag() const { return (index_ << 1) | 1; }

  ControllerActor& owner_;
  std::size_t index_;
  std::string name_;
  int workers_;
  int max_retries_;
};

template <class Key>
class ControllerActor::Queue final : public QueueBase {
 public:
  using Sync = std::function<sim::Task<bool>(Key)>;

  Queue(ControllerActor& owner, std::size_t index, std::string name, int workers, int max_retries, Sync sync)
      : QueueBase(owner, index, std::move(name), workers, max_retries), sync_(std::move(sync)) {}

  // From informer handlers.
  void add(const Key& key) {
    queue_.add(key);
    wake();
  }
  // AddAfter: the key comes back after `delay` (how the namespace
  // controller waits for graceful deletions).
  void add_after(const Key& key, sim::Duration delay) {
    queue_.add_after(key, delay, owner_.ctx().now());
    arm_delay();
  }
  const client::WorkQueue<Key>& queue() const { return queue_; }
  // Called when a key is dropped after max_retries requeues.
  void set_on_drop(std::function<void(const Key&)> on_drop) { on_drop_ = std::move(on_drop); }
  // Called, when the process dies, for each key the queue still owed a
  // sync (queued, being synced, or waiting to be retried): work that the
  // restarted process will not know of.
  void set_on_lost(std::function<void(const Key&)> on_lost) { on_lost_ = std::move(on_lost); }
  std::size_t depth() const override { return queue_.len() + queue_.num_waiting(); }

  void start_workers() override {
    for (int i = 0; i < workers_; ++i) owner_.spawn(worker());
  }

  void on_timer(bool kick) override {
    if (kick) {
      kick_armed_ = false;
    } else {
      delay_timer_.reset();
      queue_.promote_ready(owner_.ctx().now());
      arm_delay();
    }
    while (!idle_.empty() && queue_.len() > 0) {
      auto key = queue_.get();
      std::coroutine_handle<> worker = idle_.front();
      idle_.erase(idle_.begin());
      handoff_ = std::move(key);
      worker.resume();
    }
  }

  void reset() override {
    if (on_lost_) {
      std::set<Key> lost = queue_.outstanding();
      if (handoff_) lost.insert(*handoff_);
      for (const Key& key : lost) on_lost_(key);
    }
    queue_ = client::WorkQueue<Key>();
    idle_.clear();
    kick_armed_ = false;
    delay_timer_.reset();
    handoff_.reset();
  }

 private:
  void wake() {
    if (!idle_.empty() && queue_.len() > 0 && !kick_armed_) {
      kick_armed_ = true;
      owner_.ctx().set_timer(sim::Duration::zero(), kick_tag(), sim::Urgency::kWork, wait::kQueueHandoff);
    }
  }

  void arm_delay() {
    auto next = queue_.next_ready_time();
    if (delay_timer_ && (!next || delay_timer_->first != *next)) {
      owner_.ctx().cancel_timer(delay_timer_->second);
      delay_timer_.reset();
    }
    if (next && !delay_timer_) {
      const sim::Duration after = *next - owner_.ctx().now();
      delay_timer_.emplace(*next, owner_.ctx().set_timer(after < sim::Duration::zero() ? sim::Duration::zero() : after,
                                                          delay_tag(), sim::Urgency::kWork, wait::kRetryBackoff));
    }
  }

  // Parks the worker until a key is handed to it.
  auto next_key() {
    struct Awaiter {
      Queue& self;
      std::optional<Key> key;
      bool await_ready() {
        key = self.queue_.get();
        return key.has_value();
      }
      void await_suspend(std::coroutine_handle<> handle) { self.idle_.push_back(handle); }
      Key await_resume() {
        if (key) return std::move(*key);
        SIM_CHECK(self.handoff_.has_value(), "worker resumed without a key");
        Key out = std::move(*self.handoff_);
        self.handoff_.reset();
        return out;
      }
    };
    return Awaiter{*this, std::nullopt};
  }

  sim::Task<void> worker() {
    for (;;) {
      Key key = co_await next_key();
      co_await owner_.sleep(owner_.options_.sync_latency, wait::kSyncCpu);
      ++owner_.syncs_;
      const bool retry = co_await sync_(key);
      const sim::Time now = owner_.ctx().now();
      if (!retry) {
        queue_.forget(key);
      } else if (max_retries_ < 0 || queue_.num_requeues(key) < max_retries_) {
        queue_.add_rate_limited(key, now);
        arm_delay();
      } else {
        owner_.ctx().note(name_, name_ + ": dropping key out of the queue after " + std::to_string(max_retries_) + " retries");
        if (on_drop_) on_drop_(key);
        queue_.forget(key);
      }
      queue_.done(key);
      wake();
    }
  }

  Sync sync_;
  std::function<void(const Key&)> on_drop_;
  std::function<void(const Key&)> on_lost_;
  client::WorkQueue<Key> queue_;
  std::vector<std::coroutine_handle<>> idle_;
  std::optional<Key> handoff_;
  bool kick_armed_ = false;
  std::optional<std::pair<sim::Time, sim::TimerId>> delay_timer_;
};

template <class Key>
ControllerActor::Queue<Key>& ControllerActor::add_queue(std::string name, int workers, int max_retries,
                                                         std::function<sim::Task<bool>(Key)> sync) {
  auto queue = std::make_unique<Queue<Key>>(*this, queues_.size(), std::move(name), workers, max_retries,
                                            std::move(sync));
  Queue<Key>& ref = *queue;
  queues_.push_back(std::move(queue));
  return ref;
}

}  // namespace sasim::model::controllers
