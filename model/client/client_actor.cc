#include "model/client/client_actor.h"

#include <algorithm>

#include "model/api/wait_categories.h"
#include "sim/check.h"

namespace sasim::model::client {

ClientActor::ClientActor(ClientOptions options)
    : options_(std::move(options)), buckets_(1, full_bucket()) {}

namespace {

// What client-go returns when the apiserver's process is down: a transport
// error, not a Status; shown as a 503 so that expectations and controllers
// (which retry anything unexpected) can treat it.
ApiResponse connection_refused() {
  ApiResponse response;
  ApiStatus status;
  status.code = 503;
  status.reason = "ServiceUnavailable";
  status.message = "dial tcp: connect: connection refused";
  response.error = std::move(status);
  return response;
}

}  // namespace

bool retries_after(const ApiStatus& status) {
  return (status.code == 429 || status.code >= 500) && status.details.retry_after_seconds > 0;
}

sim::Task<ApiResponse> ClientActor::call(std::unique_ptr<ApiRequest> request, Limiter limiter) {
  co_return co_await call(std::move(request), options_.max_retries, limiter);
}

sim::Task<ApiResponse> ClientActor::call(std::unique_ptr<ApiRequest> request, int max_retries, Limiter limiter) {
  for (int retries = 0;; ++retries) {
    ApiResponse response = co_await send_once(std::make_unique<ApiRequest>(*request), limiter);
    response.retries = retries;
    if (response.ok() || retries >= max_retries || !retries_after(*response.error)) co_return response;
    co_await sleep(sim::Duration::seconds(response.error->details.retry_after_seconds), wait::kClientRetry);
  }
}

sim::Task<ApiResponse> ClientActor::send_once(std::unique_ptr<ApiRequest> request, Limiter limiter) {
  SIM_CHECK(limiter.index < buckets_.size(), "no such rate limiter");
  const sim::Duration wait = buckets_[limiter.index].reserve(ctx().now());
  if (wait > sim::Duration::zero()) co_await sleep(wait, wait::kClientRateLimit);
  if (!apiserver_.valid()) apiserver_ = ctx().find_actor(options_.apiserver);
  SIM_CHECK(apiserver_.valid(), "no apiserver actor named " + options_.apiserver);
  request->user = options_.user;
  if (!ctx().is_up(apiserver_)) co_return connection_refused();

  // The awaiter refers to the request by pointer: GCC 12 mishandles
  // awaiters with non-trivial members in co_await expressions (the member
  // was destroyed twice), so the coroutine frame keeps the only owner.
  struct Awaiter {
    ClientActor& self;
    std::unique_ptr<ApiRequest>* request;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) {
      (*request)->id = self.pending_.park(handle);
      ++self.requests_sent_;
      if (self.options_.request_timeout > sim::Duration::zero()) {
        self.timeouts_[(*request)->id] =
            self.ctx().set_timer(self.options_.request_timeout, (*request)->id | kTimeoutTag, sim::Urgency::kWork,
                                  wait::kRequestTimeout);
      }
      self.ctx().send(self.apiserver_, sim::Duration::zero(), kTagApiRequest, std::move(*request));
    }
    std::unique_ptr<ApiResponse> await_resume() { return self.pending_.take_result(); }
  };
  Awaiter awaiter{*this, &request};
  std::unique_ptr<ApiResponse> response = co_await awaiter;
  co_return std::move(*response);
}

sim::Task<ApiResponse> ClientActor::get(Kind kind, std::string ns, std::string name, Limiter limiter) {
  auto request = std::make_unique<ApiRequest>();
  request->verb = Verb::kGet;
  request->kind = kind;
  request->namespace_ = std::move(ns);
  request->name = std::move(name);
  co_return co_await call(std::move(request), limiter);
}

sim::Task<ApiResponse> ClientActor::list(Kind kind, std::string ns) {
  auto request = std::make_unique<ApiRequest>();
  request->verb = Verb::kList;
  request->kind = kind;
  request->namespace_ = std::move(ns);
  co_return co_await call(std::move(request));
}

sim::Task<ApiResponse> ClientActor::create(Object object) {
  auto request = std::make_unique<ApiRequest>();
  request->verb = Verb::kCreate;
  request->kind = kind_of(object);
  request->namespace_ = meta(object).namespace_;
  request->name = meta(object).name;
  request->body = std::make_shared<const Object>(std::move(object));
  co_return co_await call(std::move(request));
}

sim::Task<ApiResponse> ClientActor::update(Object object) {
  auto request = std::make_unique<ApiRequest>();
  request->verb = Verb::kUpdate;
  request->kind = kind_of(object);
  request->namespace_ = meta(object).namespace_;
  request->name = meta(object).name;
  request->body = std::make_shared<const Object>(std::move(object));
  co_return co_await call(std::move(request));
}

sim::Task<ApiResponse> ClientActor::remove(Kind kind, std::string ns, std::string name, Preconditions preconditions) {
  auto request = std::make_unique<ApiRequest>();
  request->verb = Verb::kDelete;
  request->kind = kind;
  request->namespace_ = std::move(ns);
  request->name = std::move(name);
  request->preconditions = std::move(preconditions);
  co_return co_await call(std::move(request));
}

sim::Task<TokenReviewResult> ClientActor::review_token(DataValue token, std::vector<std::string> audiences) {
  co_return co_await send_review(std::move(token), std::move(audiences), 0, sim::Duration::zero(), std::nullopt);
}

sim::Task<TokenReviewResult> ClientActor::review_token_periodic(DataValue token, std::uint64_t draw_key,
                                                                sim::Duration latency_cap,
                                                                std::optional<sim::Time> sent_at) {
  SIM_CHECK(draw_key != 0, "a periodic presentation needs a draw key");
  co_return co_await send_review(std::move(token), {}, draw_key, latency_cap, sent_at);
}

sim::Task<TokenReviewResult> ClientActor::send_review(DataValue token, std::vector<std::string> audiences,
                                                      std::uint64_t draw_key, sim::Duration latency_cap,
                                                      std::optional<sim::Time> sent_at) {
  if (!apiserver_.valid()) apiserver_ = ctx().find_actor(options_.apiserver);
  SIM_CHECK(apiserver_.valid(), "no apiserver actor named " + options_.apiserver);
  if (!ctx().is_up(apiserver_)) {
    TokenReviewResult refused;
    refused.error = std::string(connection_refused().error->message);
    co_return refused;
  }
  struct Awaiter {
    ClientActor& self;
    DataValue* token;
    std::vector<std::string>* audiences;
    std::uint64_t draw_key;
    sim::Duration latency_cap;
    std::optional<sim::Time> sent_at;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) {
      auto review = std::make_unique<TokenReview>();
      review->id = self.pending_reviews_.park(handle);
      const sim::Urgency urgency = draw_key != 0 ? sim::Urgency::kPeriodic : sim::Urgency::kWork;
      if (self.options_.request_timeout > sim::Duration::zero()) {
        // A presentation sent again (sent_at) times out when the first sending would have.
        const sim::Duration waited = sent_at ? self.ctx().now() - *sent_at : sim::Duration::zero();
        self.review_timeouts_[review->id] =
            self.ctx().set_timer(std::max(sim::Duration::zero(), self.options_.request_timeout - waited),
                                 review->id | kReviewTimeoutTag, urgency, wait::kRequestTimeout);
      }
      review->token = std::move(*token);
      review->audiences = std::move(*audiences);
      review->draw_key = draw_key;
      review->latency_cap = latency_cap;
      review->sent_at = sent_at;
      self.ctx().send(self.apiserver_, sim::Duration::zero(), kTagTokenReview, std::move(review), {}, urgency);
    }
    std::unique_ptr<TokenReviewResult> await_resume() { return self.pending_reviews_.take_result(); }
  };
  Awaiter awaiter{*this, &token, &audiences, draw_key, latency_cap, sent_at};
  std::unique_ptr<TokenReviewResult> result = co_await awaiter;
  co_return std::move(*result);
}

Informer& ClientActor::add_informer(Kind kind, sim::Duration watch_lag) {
  informers_.push_back(std::make_unique<Informer>(kind, watch_lag));
  on_demand_.push_back(false);
  running_.push_back(false);
  return *informers_.back();
}

Informer& ClientActor::add_on_demand_informer(Kind kind, sim::Duration watch_lag) {
  Informer& informer = add_informer(kind, watch_lag);
  on_demand_.back() = true;
  return informer;
}

void ClientActor::start_on_demand(Informer& informer) {
  for (std::size_t i = 0; i < informers_.size(); ++i) {
    if (informers_[i].get() != &informer || running_[i]) continue;
    running_[i] = true;
    spawn(run_informer(informer));
  }
}

void ClientActor::start_informers() {
  reported_synced_ = false;
  for (std::size_t i = 0; i < informers_.size(); ++i) {
    running_[i] = !on_demand_[i];
    if (running_[i]) spawn(run_informer(*informers_[i]));
  }
}

Informer* ClientActor::informer(Kind kind) {
  for (auto& informer : informers_) {
    if (informer->kind() == kind) return informer.get();
  }
  return nullptr;
}

const Informer* ClientActor::informer(Kind kind) const {
  for (const auto& informer : informers_) {
    if (informer->kind() == kind) return informer.get();
  }
  return nullptr;
}

bool ClientActor::informers_synced() const {
  for (std::size_t i = 0; i < informers_.size(); ++i) {
    if (!on_demand_[i] && !informers_[i]->has_synced()) return false;
  }
  return true;
}

sim::Task<void> ClientActor::run_informer(Informer& informer) {
  // The reflector's ListAndWatch: one request that lists and opens the
  // watch at the list's revision, so no change falls between the two.
  // It retries until it succeeds, as the reflector does (backoff 1 s).
  for (;;) {
    auto request = std::make_unique<ApiRequest>();
    request->verb = Verb::kWatch;
    request->kind = informer.kind();
    request->watch_lag = informer.watch_lag();
    ApiResponse response = co_await call(std::move(request));
    if (response.ok()) {
      informer.replace(response.items, response.resource_version, response.watch_id);
      on_informer_listed(informer);
      break;
    }
    co_await sleep(sim::Duration::seconds(1), wait::kRetryBackoff);
  }
  if (!reported_synced_ && informers_synced()) {
    reported_synced_ = true;
    on_synced();
  }
}

void ClientActor::handle_message(sim::Message& message) {
  if (message.tag == kTagApiResponse) {
    std::unique_ptr<ApiResponse> response = message.take_payload<ApiResponse>();
    SIM_CHECK(response != nullptr, "API response without an ApiResponse payload");
    const std::uint64_t id = response->id;
    auto timer = timeouts_.find(id);
    if (timer != timeouts_.end()) {
      ctx().cancel_timer(timer->second);
      timeouts_.erase(timer);
    }
    // An answer after its timeout finds no one waiting: complete() ignores it.
    pending_.complete(id, std::move(response));
    return;
  }
  if (message.tag == kTagTokenReviewResult) {
    std::unique_ptr<TokenReviewResult> result = message.take_payload<TokenReviewResult>();
    SIM_CHECK(result != nullptr, "token review result without a payload");
    const std::uint64_t id = result->id;
    auto timer = review_timeouts_.find(id);
    if (timer != review_timeouts_.end()) {
      ctx().cancel_timer(timer->second);
      review_timeouts_.erase(timer);
    }
    pending_reviews_.complete(id, std::move(result));
    return;
  }
  if (message.tag == kTagWatchEvent) {
    const auto* event = message.payload_as<WatchEvent>();
    SIM_CHECK(event != nullptr, "watch event without a WatchEvent payload");
    for (auto& informer : informers_) {
      if (informer->watch_id() == event->watch_id) {
        informer->apply(*event);
        return;
      }
    }
    return;
  }
  if (message.tag == kTagWatchClosed) {
    const auto* closed = message.payload_as<WatchClosed>();
    SIM_CHECK(closed != nullptr, "watch-closed message without a payload");
    for (auto& informer : informers_) {
      if (informer->watch_id() == closed->watch_id && closed->watch_id != 0) {
        informer->watch_closed();
        spawn(run_informer(*informer));
      }
    }
  }
}

void ClientActor::handle_timer(std::uint64_t tag) {
  if ((tag & kReviewTimeoutTag) != 0) {
    const std::uint64_t id = tag & ~kReviewTimeoutTag;
    if (review_timeouts_.erase(id) == 0) return;
    auto result = std::make_unique<TokenReviewResult>();
    result->id = id;
    result->error = "http2: client connection lost (no answer from the apiserver within the request timeout)";
    pending_reviews_.complete(id, std::move(result));
    return;
  }
  if ((tag & kTimeoutTag) == 0) {
    handle_client_timer(tag);
    return;
  }
  const std::uint64_t id = tag & ~kTimeoutTag;
  if (timeouts_.erase(id) == 0) return;
  // What client-go returns when the connection's health check fails: a
  // transport error, not a Status; shown as a 504 so that expectations and
  // controllers (which retry anything unexpected) can treat it.
  auto response = std::make_unique<ApiResponse>();
  response->id = id;
  ApiStatus status;
  status.code = 504;
  status.reason = "Timeout";
  status.message = "http2: client connection lost (no answer from the apiserver within the request timeout)";
  response->error = std::move(status);
  pending_.complete(id, std::move(response));
}

TokenBucket ClientActor::full_bucket() const { return TokenBucket(Rate::per_second(options_.qps), options_.burst); }

void ClientActor::set_rate_limits(std::int64_t qps, std::int64_t burst) {
  options_.qps = qps;
  options_.burst = burst;
  buckets_.assign(buckets_.size(), full_bucket());
}

void ClientActor::set_rate_limiter_count(std::size_t count) {
  buckets_.assign(std::max<std::size_t>(count, 1), full_bucket());
}

void ClientActor::handle_crash() {
  pending_.clear();
  timeouts_.clear();
  review_timeouts_.clear();
  pending_reviews_.clear();
  for (auto& informer : informers_) informer->reset();
  running_.assign(informers_.size(), false);
  buckets_.assign(buckets_.size(), full_bucket());
  apiserver_ = sim::ActorId::none();
  reported_synced_ = false;
  on_crash_reset();
}

}  // namespace sasim::model::client
