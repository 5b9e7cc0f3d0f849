// getServiceAccount (R4): the plugin's way of finding a pod's account.
//
// The informer cache first. On a miss, live GETs: the `default` account is
// made by the ServiceAccounts controller moments after its namespace, so a
// pod created right behind the namespace gets 10 attempts; any other name
// gets 1. The attempts are spaced by one interval drawn once per call,
// uniformly from [100ms, 200ms), as upstream's rand.Int63n(100)+100 ms.
#pragma once

#include <cstdint>
#include <string>

#include "model/admission/env.h"
#include "model/api/status.h"
#include "model/objects/service_account.h"
#include "sim/result.h"
#include "sim/task.h"
#include "sim/time.h"

namespace sasim::model::admission {

inline constexpr int kDefaultServiceAccountLookupAttempts = 10;
inline constexpr int kServiceAccountLookupAttempts = 1;
inline constexpr std::int64_t kLookupRetryIntervalMinMs = 100;
inline constexpr std::int64_t kLookupRetryIntervalMaxMs = 199;  // inclusive

using LookupResult = sim::Result<ServiceAccount, ApiStatus>;

// A copy of the account, or the error to report: a live GET's own error
// (returned at once, without retrying), or, after the last attempt,
// NotFound for the singular resource `serviceaccount`, as upstream builds it:
// `serviceaccount "<name>" not found`. A cache hit draws nothing and takes
// no time; a miss draws the interval even when only one attempt follows.
sim::Task<LookupResult> get_service_account(Env& env, std::string ns, std::string name);

}  // namespace sasim::model::admission
