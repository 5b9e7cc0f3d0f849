// Kubernetes' own strings for the ServiceAccount machinery (k8s.io/api
// core/v1 and the plugins), in one place so that a typo cannot hide.
#pragma once

#include <string_view>

namespace sasim::model {

inline constexpr std::string_view kSecretTypeServiceAccountToken = "kubernetes.io/service-account-token";
inline constexpr std::string_view kSecretTypeOpaque = "Opaque";
inline constexpr std::string_view kServiceAccountNameKey = "kubernetes.io/service-account.name";
inline constexpr std::string_view kServiceAccountUidKey = "kubernetes.io/service-account.uid";
inline constexpr std::string_view kServiceAccountTokenKey = "token";
inline constexpr std::string_view kServiceAccountRootCaKey = "ca.crt";
inline constexpr std::string_view kServiceAccountNamespaceKey = "namespace";
inline constexpr std::string_view kEnforceMountableSecretsAnnotation = "kubernetes.io/enforce-mountable-secrets";
inline constexpr std::string_view kMirrorPodAnnotation = "kubernetes.io/config.mirror";
inline constexpr std::string_view kDefaultServiceAccountName = "default";
inline constexpr std::string_view kDefaultApiTokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
inline constexpr std::string_view kNamespaceFinalizerKubernetes = "kubernetes";
inline constexpr std::string_view kServiceAccountUsernamePrefix = "system:serviceaccount:";
inline constexpr std::string_view kAllServiceAccountsGroup = "system:serviceaccounts";
inline constexpr std::string_view kLegacyIssuer = "kubernetes/serviceaccount";
// The root-CA publisher's ConfigMap, which the projected token volume mounts.
inline constexpr std::string_view kRootCaConfigMapName = "kube-root-ca.crt";

}  // namespace sasim::model
