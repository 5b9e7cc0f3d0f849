// The invariants of the scenario format (§8): their names, kinds and
// one-line meanings. Scenarios select them by name, reports list them in
// this order, and the checker (checker.h) evaluates them.
#pragma once

#include <string_view>
#include <vector>

namespace sasim::properties {

// Always: must hold after every event, so it is checked as events happen.
// Eventually: must hold once the control plane is quiescent (at `settle`
// and at the end of a run), so it is checked on demand.
enum class InvariantKind { kAlways, kEventually };

// "always" or "eventually", as the JSON report spells the kind.
std::string_view kind_name(InvariantKind kind);

struct InvariantInfo {
  std::string_view name{};
  InvariantKind kind = InvariantKind::kAlways;
  std::string_view meaning{};
};

// The names, in one place so that a typo cannot hide.
inline constexpr std::string_view kEveryNamespaceHasDefaultServiceAccount = "every-namespace-has-default-serviceaccount";
inline constexpr std::string_view kEveryServiceAccountHasValidToken = "every-serviceaccount-has-valid-token";
inline constexpr std::string_view kTokenSecretsBelongToLiveServiceAccounts =
    "token-secrets-belong-to-live-serviceaccounts";
inline constexpr std::string_view kTokenSecretsArePopulated = "token-secrets-are-populated";
inline constexpr std::string_view kAdmittedPodsUseExistingServiceAccount = "admitted-pods-use-existing-serviceaccount";
inline constexpr std::string_view kAdmittedPodsFollowAutomount = "admitted-pods-follow-automount";
inline constexpr std::string_view kAdmittedPodsInheritImagePullSecrets = "admitted-pods-inherit-image-pull-secrets";
inline constexpr std::string_view kDeletedTokensDoNotAuthenticate = "deleted-tokens-do-not-authenticate";
inline constexpr std::string_view kResourceVersionsIncrease = "resource-versions-increase";
inline constexpr std::string_view kUidsAreUnique = "uids-are-unique";
// Contract v2 (§12): bound tokens.
inline constexpr std::string_view kRunningPodsHoldValidTokens = "running-pods-hold-valid-tokens";
inline constexpr std::string_view kBoundTokensRespectTheirObjects = "bound-tokens-respect-their-objects";
inline constexpr std::string_view kCleanedLegacyTokensWereUnused = "cleaned-legacy-tokens-were-unused";
// Added by the project (scenario format §8 allows it), judged independently
// of the model's code.
inline constexpr std::string_view kTokenSecretsHoldCorrectData = "token-secrets-hold-correct-data";
inline constexpr std::string_view kControllerReferencesResolve = "controller-references-resolve";
inline constexpr std::string_view kOneGeneratedTokenPerAccount = "one-generated-token-per-account";
inline constexpr std::string_view kPodRejectionsHaveCause = "pod-rejections-have-cause";
inline constexpr std::string_view kAdmittedPodsRespectMountableSecrets = "admitted-pods-respect-mountable-secrets";
inline constexpr std::string_view kTokenReviewsAreCorrect = "token-reviews-are-correct";

// All of them: the scenario format's table in its order, then the
// project's own.
const std::vector<InvariantInfo>& all_invariants();

// The invariant of that exact name, or null.
const InvariantInfo* find_invariant(std::string_view name);

}  // namespace sasim::properties
