// ClientActor: a process that talks to the apiserver through client-go: a
// clientset with its own QPS/burst token bucket, and informers.
//
// Requests are coroutines: `ApiResponse r = co_await call(request)` waits
// for the token bucket (client-go's rate limiter blocks the caller), sends
// the request, and resumes when the response arrives. Informers are started
// with start_informers(); each LISTs and WATCHes its kind through the same
// client and calls on_synced() when all have synced.
//
// A crash loses everything: requests in flight (their responses, if they
// come, find no one waiting), informer caches, the token bucket's state.
// On restart the subclass's start() runs again and re-lists.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/api/request.h"
#include "model/api/token_review.h"
#include "model/client/informer.h"
#include "model/client/token_bucket.h"
#include "sim/co_actor.h"
#include "sim/task.h"

namespace sasim::model::client {

struct ClientOptions {
  std::string user{};        // shown in traces and the apiserver's audit
  std::int64_t qps = 20;     // --kube-api-qps
  std::int64_t burst = 30;   // --kube-api-burst
  std::string apiserver = "apiserver";
  // A request without an answer fails after this long. client-go sets no
  // request timeout for controllers; what ends a request on a dead
  // connection is the HTTP/2 health check (client-go 1.20: a ping after 30 s
  // without reads, failing after 15 s more), hence 45 s. Zero: wait forever.
  sim::Duration request_timeout = sim::Duration::seconds(45);
  // client-go's REST client (rest.Request, maxRetries 10) sends a request
  // again when the answer is a 429 or a 5xx that carries Retry-After,
  // sleeping that many seconds first, up to this many times.
  int max_retries = 10;
};

// Which of a ClientActor's rate limiters a request waits for (see
// ClientActor::set_rate_limiter_count). The first, index 0, is the actor's
// own; its informers use it too.
struct Limiter {
  std::size_t index = 0;
};

// Whether client-go retries after this answer (rest.checkWait): a 429 or a
// 5xx with a Retry-After header, which the apiserver sets exactly when the
// Status has a positive retryAfterSeconds.
bool retries_after(const ApiStatus& status);

class ClientActor : public sim::CoActor {
 public:
  explicit ClientActor(ClientOptions options);

  const ClientOptions& client_options() const { return options_; }
  // New --kube-api-qps and --kube-api-burst for a process that restarts with
  // them (an upgrade to a release with other defaults): from its restart
  // the limiter allows the new rate, starting with a full burst.
  void set_rate_limits(std::int64_t qps, std::int64_t burst);
  // An actor that stands for several processes, each with a client of its
  // own (the kubelet: one per node), keeps `count` token buckets with the
  // same limits; a request names its own (Limiter). Default one. All start
  // full, and a crash or new limits fill them all again.
  void set_rate_limiter_count(std::size_t count);
  // This actor's informer of a kind, or null (tests and invariants read it).
  Informer* informer(Kind kind);
  const Informer* informer(Kind kind) const;
  std::uint64_t requests_sent() const { return requests_sent_; }

 protected:
  // Waits for the rate limiter, then sends; resumes with the response. As
  // client-go's REST client, sends it again after a Retry-After answer (see
  // retries_after), sleeping Retry-After seconds and waiting for the rate
  // limiter again each time, at most `max_retries` times (default: the
  // options'). The response says how many retries it took.
  sim::Task<ApiResponse> call(std::unique_ptr<ApiRequest> request, Limiter limiter = {});
  sim::Task<ApiResponse> call(std::unique_ptr<ApiRequest> request, int max_retries, Limiter limiter = {});

  sim::Task<ApiResponse> get(Kind kind, std::string ns, std::string name, Limiter limiter = {});
  sim::Task<ApiResponse> list(Kind kind, std::string ns);
  sim::Task<ApiResponse> create(Object object);
  sim::Task<ApiResponse> update(Object object);
  sim::Task<ApiResponse> remove(Kind kind, std::string ns, std::string name, Preconditions preconditions = {});
  // Presents a bearer token to the apiserver's authenticator (a TokenReview).
  // Not rate limited: it stands for a pod's own process, not this client.
  // `audiences`: the review's spec.audiences (empty: the apiserver's own).
  sim::Task<TokenReviewResult> review_token(DataValue token, std::vector<std::string> audiences = {});
  // The same for a workload's recurring presentation: periodic work, its
  // apiserver latency drawn from `draw_key` (TokenReview::draw_key, not 0).
  sim::Task<TokenReviewResult> review_token_periodic(DataValue token, std::uint64_t draw_key,
                                                     sim::Duration latency_cap,
                                                     std::optional<sim::Time> sent_at = std::nullopt);

  // Informers must be added before start_informers(), typically in the
  // constructor: they survive crashes as definitions, not as caches.
  Informer& add_informer(Kind kind, sim::Duration watch_lag);
  // An informer that start_informers() leaves alone: it lists and watches
  // from the first start_on_demand() after each start (the kubelet's
  // watch-based object managers watch only what a pod references). It does
  // not count towards on_synced().
  Informer& add_on_demand_informer(Kind kind, sim::Duration watch_lag);
  // Starts an on-demand informer unless it runs already; has_synced() says
  // when its cache is filled.
  void start_on_demand(Informer& informer);
  void start_informers();
  bool informers_synced() const;
  // All informers have synced (after a start or restart).
  virtual void on_synced() {}
  // One informer listed (its first list after a start, or a re-list).
  virtual void on_informer_listed(Informer& /*informer*/) {}
  // Subclass hook for its own volatile state, called on crash.
  virtual void on_crash_reset() {}

  void handle_message(sim::Message& message) override;
  void handle_crash() final;
  void handle_timer(std::uint64_t tag) final;
  // Timers of subclasses (tags without kTimeoutTag).
  virtual void handle_client_timer(std::uint64_t /*tag*/) {}
  // Timer tags of subclasses must leave this bit clear too.
  static constexpr std::uint64_t kTimeoutTag = std::uint64_t{1} << 62;
  static constexpr std::uint64_t kReviewTimeoutTag = std::uint64_t{1} << 61;

 private:
  // One attempt: the rate limiter, then the request on the wire.
  sim::Task<ApiResponse> send_once(std::unique_ptr<ApiRequest> request, Limiter limiter);
  sim::Task<TokenReviewResult> send_review(DataValue token, std::vector<std::string> audiences,
                                           std::uint64_t draw_key, sim::Duration latency_cap,
                                           std::optional<sim::Time> sent_at);
  sim::Task<void> run_informer(Informer& informer);

  ClientOptions options_;
  std::vector<TokenBucket> buckets_;  // index: Limiter::index
  // A bucket of the options' limits, full (at a start, a crash, new limits).
  TokenBucket full_bucket() const;
  sim::ActorId apiserver_;
  std::uint64_t requests_sent_ = 0;
  sim::ParkingLot<std::unique_ptr<ApiResponse>> pending_;
  std::map<std::uint64_t, sim::TimerId> timeouts_;  // request id -> its timeout timer
  std::map<std::uint64_t, sim::TimerId> review_timeouts_;
  sim::ParkingLot<std::unique_ptr<TokenReviewResult>> pending_reviews_;
  std::vector<std::unique_ptr<Informer>> informers_;
  // Parallel to informers_: started on demand only; started since the last start or crash.
  std::vector<bool> on_demand_;
  std::vector<bool> running_;
  bool reported_synced_ = false;
};

}  // namespace sasim::model::client
