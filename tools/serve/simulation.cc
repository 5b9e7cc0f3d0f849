#include "tools/serve/simulation.h"

#include <fmt/format.h>

#include <cstdio>

#include "api/status_json.h"
#include "model/auth/auth_result.h"
#include "model/cluster/cluster.h"
#include "sim/duration_text.h"
#include "tools/serve/steps.h"

namespace sasim::tools::serve {

// Attaches the watch streams to the apiserver before the scenario's objects
// are created, so that the history of changes starts with the world.
class Simulation::Attach final : public RunObserver {
 public:
  explicit Attach(std::unique_ptr<WatchStreams>& streams) : streams_(streams) {}
  void on_world(model::Cluster& cluster, sim::Simulator&) override {
    model::EncodeOptions encode;
    encode.epoch_unix_seconds = cluster.config().apiserver.epoch_unix_seconds;
    streams_ = std::make_unique<WatchStreams>(cluster.apiserver().store(), encode);
    cluster.apiserver().add_observer(streams_.get());
  }

 private:
  std::unique_ptr<WatchStreams>& streams_;
};

Simulation::Simulation(std::unique_ptr<scenarios::Scenario> scenario, SimulationOptions options)
    : scenario_(std::move(scenario)), options_(std::move(options)), attach_(std::make_unique<Attach>(streams_)) {}

Simulation::~Simulation() = default;

sim::Result<std::unique_ptr<Simulation>> Simulation::start(scenarios::Scenario scenario, SimulationOptions options) {
  std::unique_ptr<Simulation> simulation(
      new Simulation(std::make_unique<scenarios::Scenario>(std::move(scenario)), std::move(options)));
  RunOptions run;
  run.observer = simulation->attach_.get();
  auto session = Session::start(*simulation->scenario_, run);
  if (!session) return sim::unexpected(sim::Error{session.error().render()});
  simulation->session_ = std::move(session).value();
  for (const scenarios::Step& step : simulation->scenario_->steps) {
    const reports::StepRecord out = simulation->session_->run_step(step);
    if (!out.ok && simulation->options_.log_requests) {
      std::fprintf(stderr, "sasim serve: scenario step %zu (%s) failed: %s\n", step.index, out.action.c_str(),
                   out.message.c_str());
    }
    if (simulation->session_->limits_reached()) break;
  }
  // Under the settle clock the world is quiet before the first request too:
  // the default accounts and their tokens exist, as in a cluster one
  // connects to.
  if (simulation->options_.clock == Clock::kSettle) simulation->settle();
  simulation->wall_start_ = std::chrono::steady_clock::now();
  simulation->sim_start_ = simulation->session_->simulator().now();
  return simulation;
}

Reply Simulation::handle(api::HttpRequest request) {
  std::future<Reply> answer;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Reply{sim_unavailable(), nullptr, std::nullopt, ""};
    queue_.push_back(Job{std::move(request), std::promise<Reply>()});
    answer = queue_.back().reply.get_future();
  }
  wake_.notify_one();
  return answer.get();
}

void Simulation::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void Simulation::run() {
  while (true) {
    std::optional<Job> job;
    {
      std::unique_lock lock(mutex_);
      auto ready = [&] { return !queue_.empty() || stopping_; };
      if (options_.clock == Clock::kRealtime) {
        wake_.wait_for(lock, std::chrono::milliseconds(10), ready);
      } else {
        wake_.wait(lock, ready);
      }
      if (!queue_.empty()) {
        job.emplace(std::move(queue_.front()));
        queue_.pop_front();
      } else if (stopping_) {
        break;
      }
    }
    if (options_.clock == Clock::kRealtime) advance_clock();
    if (!job) continue;
    bool settle_after = false;
    Reply reply;
    try {
      reply = process(job->request, settle_after);
    } catch (const std::exception& error) {
      // A defect, not an input: the request gets a 500 and the server lives on.
      std::fprintf(stderr, "sasim serve: internal error serving %s %s: %s\n", job->request.method.c_str(),
                   job->request.path.c_str(), error.what());
      reply = Reply{api::status_response(model::status_internal_error(error.what())), nullptr, std::nullopt, ""};
    }
    job->reply.set_value(std::move(reply));
    // The answer is on its way; the world runs on before the next request.
    if (settle_after) settle();
  }
}

Reply Simulation::serve_now(api::HttpRequest request) {
  if (options_.clock == Clock::kRealtime) advance_clock();
  bool settle_after = false;
  Reply reply = process(request, settle_after);
  if (settle_after) settle();
  return reply;
}

void Simulation::advance_clock() {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  const auto ns = static_cast<std::int64_t>(elapsed * options_.speed * 1e9);
  session_->advance_to(sim_start_ + sim::Duration::nanoseconds(ns));
}

sim::Duration Simulation::step_start() const {
  return sim::Duration::nanoseconds(session_->simulator().now().ns());
}

void Simulation::record(scenarios::Step step) {
  ++recorded_count_;
  if (!options_.record) return;
  step.index = scenario_->steps.size() + recorded_count_ - 1;
  recorded_.push_back(std::move(step));
}

void Simulation::settle() {
  if (session_->limits_reached()) return;
  // An already quiet world would run nothing: no step, nothing recorded.
  if (!session_->simulator().quiescent()) {
    scenarios::Step step = quiesce_step(scenario_->limits.settle);
    step.index = scenario_->steps.size() + recorded_count_;
    session_->run_step(step);
    record(std::move(step));
  }
  if (options_.pause > sim::Duration::zero()) {
    scenarios::Step wait;
    wait.action_key = "wait";
    wait.action = scenarios::WaitAction{options_.pause};
    wait.index = scenario_->steps.size() + recorded_count_;
    session_->run_step(wait);
    record(std::move(wait));
  }
}

api::Context Simulation::context() const {
  api::Context c;
  c.info = options_.info;
  c.now = session_->simulator().now();
  c.encode.epoch_unix_seconds = session_->cluster().config().apiserver.epoch_unix_seconds;
  c.resource_version = session_->cluster().apiserver().store().resource_version();
  c.service_accounts = options_.service_accounts;
  return c;
}

api::HttpResponse Simulation::sim_unavailable() const {
  return api::service_unavailable("sasim serve is shutting down, or the simulation reached its time or event limit");
}

Reply Simulation::process(api::HttpRequest& request, bool& settle_after) {
  ++requests_;
  Reply reply;
  std::string label = request.method + " " + request.path;
  for (std::size_t i = 0; i < request.query.size(); ++i) {
    label += (i == 0 ? "?" : "&") + request.query[i].first + "=" + request.query[i].second;
  }
  // Who asks: the admin's token, a token the simulated authenticator
  // accepts, or nobody.
  api::Identity identity;
  const std::optional<std::string> token = api::bearer_token(request.authorization);
  if (!token) {
    identity = options_.plain_http ? api::Identity::admin() : api::Identity::anonymous();
  } else if (*token == options_.admin_token) {
    identity = api::Identity::admin();
  } else {
    // kube-apiserver authenticates a request's bearer token with the same
    // authenticator as a TokenReview, side effects included (1.27+: a legacy
    // token's use writes its Secret's last-used label). So it runs as an
    // `authenticate` step of the session: a replay of the recording presents
    // the token, and makes the same writes, at the same point.
    if (session_->limits_reached()) return Reply{sim_unavailable(), nullptr, std::nullopt, ""};
    api::TokenReviewCall presented;
    presented.token = *token;
    scenarios::Step step = review_step(presented, label + " (authentication)");
    if (options_.clock == Clock::kRealtime) step.at = step_start();
    step.index = scenario_->steps.size() + recorded_count_;
    session_->run_step(step);
    const std::optional<model::TokenReviewResult> result = session_->last_review();
    expect_review(step, result);
    record(std::move(step));
    if (!result || !result->authenticated) {
      // The apiserver answers only "Unauthorized"; why goes in a warning.
      const std::string why = result ? result->error : std::string("the apiserver did not answer");
      if (options_.log_requests) std::fprintf(stderr, "sasim serve: %s: token rejected: %s\n", label.c_str(), why.c_str());
      return Reply{api::unauthorized(), nullptr, std::nullopt, "299 - \"sasim: the bearer token was rejected: " + why + "\""};
    }
    identity.user = result->username;
    identity.uid = result->uid;
    identity.groups = result->groups;
    identity.groups.push_back("system:authenticated");
  }

  api::Plan plan = api::plan_request(request, identity, context());
  if (auto* immediate = std::get_if<api::HttpResponse>(&plan)) {
    reply.response = std::move(*immediate);
  } else if (auto* call = std::get_if<api::ApiCall>(&plan)) {
    if (session_->limits_reached()) return Reply{sim_unavailable(), nullptr, std::nullopt, ""};
    ++calls_;
    scenarios::Step step = call_step(*call, label);
    if (options_.clock == Clock::kRealtime) step.at = step_start();
    step.index = scenario_->steps.size() + recorded_count_;
    session_->run_step(step);
    const std::optional<model::ApiResponse>& response = session_->last_response();
    expect_outcome(step, response);
    reply.response = api::render_call(*call, response, context());
    // The apiserver's warnings (a TokenRequest's shortened expiration), as
    // RFC 7234 Warning headers, which kubectl prints as "Warning: ...".
    if (response && !response->warnings.empty()) reply.warning = "299 - \"" + response->warnings.front() + "\"";
    record(std::move(step));
    settle_after = options_.clock == Clock::kSettle;
  } else if (auto* review = std::get_if<api::TokenReviewCall>(&plan)) {
    if (session_->limits_reached()) return Reply{sim_unavailable(), nullptr, std::nullopt, ""};
    ++calls_;
    scenarios::Step step = review_step(*review, label);
    if (options_.clock == Clock::kRealtime) step.at = step_start();
    step.index = scenario_->steps.size() + recorded_count_;
    session_->run_step(step);
    const std::optional<model::TokenReviewResult>& result = session_->last_review();
    expect_review(step, result);
    reply.response = api::render_review(*review, result);
    record(std::move(step));
    settle_after = options_.clock == Clock::kSettle;
  } else {
    const auto& watch = std::get<api::WatchRequest>(plan);
    reply.watch = streams_->open(watch, session_->simulator().now());
    reply.watch_timeout_seconds = watch.timeout_seconds;
    reply.response.status = 200;
    reply.response.content_type = std::string(api::kWatchContentType);
  }
  if (options_.log_requests) {
    std::fprintf(stderr, "sasim serve: %s %s -> %d%s (%s)\n",
                 sim::format_duration(session_->simulator().now().since_start()).c_str(), label.c_str(),
                 reply.response.status, reply.watch ? ", watching" : "", identity.user.c_str());
  }
  return reply;
}

Simulation::Summary Simulation::finish() {
  if (streams_) streams_->close_all();
  if (options_.clock == Clock::kRealtime) {
    // The time that passed after the last request is part of the session.
    scenarios::Step step = wait_until_step(step_start());
    step.index = scenario_->steps.size() + recorded_count_;
    session_->run_step(step);
    record(std::move(step));
  }
  Summary summary;
  summary.requests = requests_;
  summary.calls = calls_;
  summary.record = session_->finish();
  summary.recording = *scenario_;
  summary.steps = recorded_count_;
  summary.recording.description = (scenario_->description.empty() ? std::string() : scenario_->description + "\n") +
                                  fmt::format("A sasim serve session: {} recorded steps after the scenario's own.",
                                              recorded_count_);
  for (scenarios::Step& step : recorded_) summary.recording.steps.push_back(std::move(step));
  recorded_.clear();
  return summary;
}

}  // namespace sasim::tools::serve
