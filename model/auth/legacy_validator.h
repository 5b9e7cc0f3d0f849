// The legacy token validator (pkg/serviceaccount/legacy.go): claim checks,
// then, with --service-account-lookup, checks that the token's Secret and
// ServiceAccount still exist and still match. From 1.26 (tracking, per
// LegacyTrackingOptions) a use is recorded: a warning for auto-generated
// tokens, audit annotations, and the last-used label the apiserver writes;
// from 1.29 a Secret labelled invalid-since rejects its token (after which
// the use is still recorded).
#pragma once

#include <string_view>

#include "model/auth/auth_result.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/legacy_tracking.h"
#include "model/auth/token_lookup.h"
#include "sim/result.h"

namespace sasim::model::auth {

// Steps 1–6 (claims present, sub consistent with them) and, when `lookup` is
// not null, steps 7.1–7.6. The first failure wins; its message is
// upstream's. `token` is the token as presented, compared byte for byte with
// the Secret's copy.
// `broken_accept_missing_secret`: a deliberately broken variant that lets a
// token whose Secret is gone through to the account checks.
// With lookup, steps 7.7-7.9 run per `tracking`, and what the use leaves
// (warnings, annotations, the last-used write) goes to `use` (if not null),
// for a rejection at step 7.7 too.
sim::Result<UserInfo> validate_legacy_token(std::string_view token, const LegacyClaims& claims, TokenLookup* lookup,
                                            bool broken_accept_missing_secret = false,
                                            const LegacyTrackingOptions& tracking = {}, LegacyTokenUse* use = nullptr);

}  // namespace sasim::model::auth
