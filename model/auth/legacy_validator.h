// The legacy token validator of Kubernetes 1.20 (pkg/serviceaccount/legacy.go
// as of 1.14–1.25): claim checks, then, with --service-account-lookup, checks
// that the token's Secret and ServiceAccount still exist and still match.
// Later releases add usage tracking and invalidation labels (E4+); 1.20 has
// neither.
#pragma once

#include <string_view>

#include "model/auth/auth_result.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/token_lookup.h"
#include "sim/result.h"

namespace sasim::model::auth {

// Steps 1–6 (claims present, sub consistent with them) and, when `lookup` is
// not null, steps 7.1–7.6. The first failure wins; its message is
// upstream's. `token` is the token as presented, compared byte for byte with
// the Secret's copy.
// `broken_accept_missing_secret`: a deliberately broken variant that lets a
// token whose Secret is gone through to the account checks.
sim::Result<UserInfo> validate_legacy_token(std::string_view token, const LegacyClaims& claims, TokenLookup* lookup,
                                            bool broken_accept_missing_secret = false);

}  // namespace sasim::model::auth
