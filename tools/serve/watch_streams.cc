#include "tools/serve/watch_streams.h"

#include "api/status_json.h"

namespace sasim::tools::serve {

void WatchChannel::push(std::string event) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    events_.push_back(std::move(event));
  }
  ready_.notify_one();
}

void WatchChannel::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

bool WatchChannel::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool WatchChannel::pop(std::vector<std::string>& out, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, timeout, [&] { return !events_.empty() || closed_; });
  while (!events_.empty()) {
    out.push_back(std::move(events_.front()));
    events_.pop_front();
  }
  return !(closed_ && out.empty());
}

WatchStreams::WatchStreams(const model::Store& store, model::EncodeOptions encode, std::size_t history)
    : store_(store), encode_(encode), capacity_(history) {
  for (std::uint64_t& floor : floor_) floor = store.resource_version();
}

void WatchStreams::send(Watcher& watcher, const api::WatchEvent& event, sim::Time now) {
  watcher.channel->push(api::encode_watch_event(watcher.request, event, watcher.first, now, encode_));
  watcher.first = false;
}

void WatchStreams::on_commit(const model::StoreChange& change, sim::Time now) {
  const auto kind = static_cast<std::size_t>(model::kind_of(*change.object));
  std::deque<model::StoreChange>& history = history_[kind];
  history.push_back(change);
  if (history.size() > capacity_) {
    floor_[kind] = model::meta(*history.front().object).resource_version;
    history.pop_front();
  }
  std::erase_if(watchers_, [](const Watcher& w) { return w.channel->closed(); });
  for (Watcher& watcher : watchers_) {
    if (auto event = api::watch_event(watcher.request, change)) send(watcher, *event, now);
  }
}

std::shared_ptr<WatchChannel> WatchStreams::open(const api::WatchRequest& request, sim::Time now) {
  Watcher watcher{request, std::make_shared<WatchChannel>(), true};
  if (!request.resource.is_events()) {
    const model::Kind kind = *request.resource.kind;
    const auto index = static_cast<std::size_t>(kind);
    if (!request.resource_version) {
      // Start at the most recent version: the current objects as ADDED.
      for (const model::ObjectPtr& object : store_.list(kind, request.namespace_)) {
        if (request.selects(*object)) send(watcher, {model::WatchEventType::kAdded, object}, now);
      }
    } else if (*request.resource_version < floor_[index]) {
      watcher.channel->push(api::encode_watch_error(api::too_old_resource_version(*request.resource_version, floor_[index])));
      watcher.channel->close();
      return watcher.channel;
    } else {
      for (const model::StoreChange& change : history_[index]) {
        if (model::meta(*change.object).resource_version <= *request.resource_version) continue;
        if (auto event = api::watch_event(request, change)) send(watcher, *event, now);
      }
    }
  }
  std::shared_ptr<WatchChannel> channel = watcher.channel;
  watchers_.push_back(std::move(watcher));
  return channel;
}

void WatchStreams::close_all() {
  for (Watcher& watcher : watchers_) watcher.channel->close();
  watchers_.clear();
}

}  // namespace sasim::tools::serve
