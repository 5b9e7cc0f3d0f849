// The scenario steps a served session is made of. Every request that reaches
// the simulation runs as a step of the session (runner::Session), so the
// session written with --record replays with `sasim run` through the very
// same code: the same steps in the same order give the same trace digest.
// The steps carry what the request got (`expect`), so that the replay also
// checks that the answers are the same.
#pragma once

#include <optional>
#include <string>

#include "api/plan.h"
#include "model/api/request.h"
#include "model/api/token_review.h"
#include "scenarios/scenario.h"

namespace sasim::tools::serve {

// The step that makes `call`'s request. `label` names it in the output
// (the HTTP request line).
scenarios::Step call_step(const api::ApiCall& call, std::string label);
// A TokenReview: `authenticate: {value: TOKEN}`.
scenarios::Step review_step(const api::TokenReviewCall& call, std::string label);
// After each request under the settle clock.
scenarios::Step quiesce_step(sim::Duration timeout);
// Under the real-time clock: let time pass to `until`.
scenarios::Step wait_until_step(sim::Duration until);

// The answer the step got, as its expectation: nothing for success, the
// error's code and reason otherwise.
void expect_outcome(scenarios::Step& step, const std::optional<model::ApiResponse>& response);
void expect_review(scenarios::Step& step, const std::optional<model::TokenReviewResult>& result);

}  // namespace sasim::tools::serve
