#include "properties/invariant.h"

namespace sasim::properties {

std::string_view kind_name(InvariantKind kind) {
  return kind == InvariantKind::kAlways ? "always" : "eventually";
}

const std::vector<InvariantInfo>& all_invariants() {
  // Immutable after its first construction: a constant, not state.
  static const std::vector<InvariantInfo> kAll{
      {kEveryNamespaceHasDefaultServiceAccount, InvariantKind::kEventually,
       "each Active namespace has a ServiceAccount default"},
      {kEveryServiceAccountHasValidToken, InvariantKind::kEventually,
       "each ServiceAccount references at least one Secret holding a token that authenticates as that account"},
      {kTokenSecretsBelongToLiveServiceAccounts, InvariantKind::kEventually,
       "every service-account-token Secret names an existing ServiceAccount whose UID matches its uid annotation"},
      {kTokenSecretsArePopulated, InvariantKind::kEventually,
       "every service-account-token Secret has token, namespace and (with a root CA) ca.crt"},
      {kAdmittedPodsUseExistingServiceAccount, InvariantKind::kAlways,
       "a pod is admitted only if its ServiceAccount existed at admission"},
      {kAdmittedPodsFollowAutomount, InvariantKind::kAlways,
       "admitted pods mount a token exactly when pod, else ServiceAccount, else default says so"},
      {kAdmittedPodsInheritImagePullSecrets, InvariantKind::kAlways,
       "a pod admitted without imagePullSecrets gets its ServiceAccount's"},
      {kDeletedTokensDoNotAuthenticate, InvariantKind::kAlways,
       "once a token Secret's deletion is committed and the apiserver's cache has seen it, its token is rejected"},
      {kResourceVersionsIncrease, InvariantKind::kAlways, "every committed write gets a larger resourceVersion"},
      {kUidsAreUnique, InvariantKind::kAlways, "no two objects ever share a UID"},
      {kRunningPodsHoldValidTokens, InvariantKind::kEventually,
       "every Running pod that mounts a projected token holds, as its process last read it, one that authenticates "
       "as its ServiceAccount"},
      {kBoundTokensRespectTheirObjects, InvariantKind::kAlways,
       "no bound token is accepted once its pod, Secret or ServiceAccount is gone, has another uid or was deleted "
       "more than 60 s ago, or once it is past exp plus 60 s"},
      {kCleanedLegacyTokensWereUnused, InvariantKind::kAlways,
       "the legacy-token cleaner labels invalid or deletes only auto-generated token Secrets that no pod mounts, "
       "created and unused (neither presented nor labelled last-used) for the clean-up period, tracked that long"},
      {kTokenSecretsHoldCorrectData, InvariantKind::kEventually,
       "every token Secret of a live ServiceAccount holds its own namespace (or the non-empty one a user wrote), the "
       "cluster's root CA, and, where the tokens controller wrote it, a token the cluster's key signed with this "
       "Secret's and account's legacy claims"},
      {kControllerReferencesResolve, InvariantKind::kEventually,
       "every reference the tokens controller added to a ServiceAccount names an existing Secret"},
      {kOneGeneratedTokenPerAccount, InvariantKind::kEventually,
       "no ServiceAccount has more than one token Secret the tokens controller generated for it, or one it does not "
       "reference"},
      {kPodRejectionsHaveCause, InvariantKind::kAlways,
       "ServiceAccount admission refuses a pod only for a cause 1.20 gives, judged on what admission was given"},
      {kAdmittedPodsRespectMountableSecrets, InvariantKind::kAlways,
       "when mountable secrets are enforced, an admitted pod references only Secrets its ServiceAccount lists"},
      {kTokenReviewsAreCorrect, InvariantKind::kAlways,
       "every token review answers as an independent check of the signature, the legacy claims and (with "
       "serviceAccountLookup) the Secret and ServiceAccount says"},
  };
  return kAll;
}

const InvariantInfo* find_invariant(std::string_view name) {
  for (const InvariantInfo& info : all_invariants()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace sasim::properties
