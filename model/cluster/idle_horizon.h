// The verdict horizon of an idle run (model/kubelet/kubelet.h, "Idle
// runs"): until when a pod's process presenting `token` is answered as it
// was just now, if nothing is written to storage or the authenticator's
// caches in between (any such write closes the run first). Time alone
// changes an answer at the token's own thresholds and at its objects'
// deletion grace; the answer is taken as settled only when none of those
// is pending:
// - the pod, its namespace and its ServiceAccount exist and none is being
//   deleted (a deletionTimestamp starts a graceful window whose end
//   changes a bound token's verdict): otherwise no run;
// - a JWT's nbf and iat with the validators' 60 s leeway, and its exp plus
//   that leeway: the horizon is the next of them;
// - a bound token past its warnafter is answered with an audit annotation
//   that counts the seconds, different every time: no run; before it, the
//   horizon is warnafter;
// - a token without exp (a legacy Secret's token): the next UTC midnight,
//   since the apiserver records a legacy token's use once a day.
// A token that does not parse as a JWT is answered the same until a write:
// never.
//
// With the horizon come the objects the answer reads (IdleVerdict::reads):
// the pod, its namespace and ServiceAccount, and what the token's claims
// name (a bound token's ServiceAccount, pod, Secret and node; a legacy
// token's Secret and ServiceAccount). Only a write to one of them closes
// the run; a token of no known shape is closed by any write.
#pragma once

#include <cstdint>
#include <string>

#include "model/apiserver/store.h"
#include "model/kubelet/kubelet.h"
#include "sim/time.h"

namespace sasim::model {

kubelet::IdleVerdict idle_verdict_horizon(const Store& store, std::int64_t epoch_unix_seconds,
                                          const std::string& ns, const std::string& pod, const DataValue& token,
                                          sim::Time now);

}  // namespace sasim::model
