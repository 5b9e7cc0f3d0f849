// Why simulated time passes in the model: the labels its timers, sleeps and
// delayed sends carry into recorded traces, so that a critical path can say
// "tokens-controller client rate limit" rather than "a timer". Labels only;
// no behaviour depends on them.
#pragma once

#include "sim/wait_category.h"

namespace sasim::model::wait {

inline constexpr sim::WaitCategory kClientRateLimit{"client rate limit"};  // client-go token bucket
inline constexpr sim::WaitCategory kRetryBackoff{"retry backoff"};         // work queue requeue, retry loops
inline constexpr sim::WaitCategory kSyncCpu{"sync CPU"};                   // a controller's syncLatency
inline constexpr sim::WaitCategory kApiserverLatency{"request latency"};     // the apiserver serving a request
inline constexpr sim::WaitCategory kAdmissionLatency{"admission latency"};
inline constexpr sim::WaitCategory kWatchLag{"watch lag"};                  // watch latency plus the watcher's lag
inline constexpr sim::WaitCategory kAdmissionCacheLag{"admission cache lag"};
inline constexpr sim::WaitCategory kPodStart{"pod start"};                  // kubelet podStartLatency
inline constexpr sim::WaitCategory kPodStop{"pod stop"};                    // kubelet podStopLatency
inline constexpr sim::WaitCategory kPeriodic{"periodic resync"};            // resync and sync loops
inline constexpr sim::WaitCategory kQueueHandoff{"work queue handoff"};     // a queued key handed to an idle worker
inline constexpr sim::WaitCategory kRequestTimeout{"request timeout"};      // a client giving up on an unanswered request
inline constexpr sim::WaitCategory kClientRetry{"client retry"};           // client-go waiting Retry-After before retrying

}  // namespace sasim::model::wait
