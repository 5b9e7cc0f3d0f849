// ApiStatus: a failed API call as the apiserver reports it (metav1.Status),
// with the constructors of k8s.io/apimachinery/pkg/api/errors so that codes,
// reasons and messages are upstream's, word for word.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sasim::model {

struct StatusCause {
  std::string type;     // "FieldValueInvalid", "NamespaceTerminating", ...
  std::string message;
  std::string field;
};

struct StatusDetails {
  std::string name;
  std::string group;
  std::string kind;  // the resource ("serviceaccounts") for most errors; the Kind for Invalid
  std::vector<StatusCause> causes;
  int retry_after_seconds = 0;
};

struct ApiStatus {
  int code = 0;
  std::string reason;  // "NotFound", "AlreadyExists", "Conflict", ...
  std::string message;
  StatusDetails details;

  bool has_cause(std::string_view type) const;
};

// One field error of an Invalid status (field.Error): `field: Type: detail`.
struct FieldError {
  std::string type;    // "FieldValueInvalid", "FieldValueRequired", "FieldValueForbidden", ...
  std::string field;   // "metadata.name"
  std::string value;   // rendered bad value, may be empty
  std::string detail;
  bool show_value = true;
  // `metadata.name: Invalid value: "Bad": a lowercase RFC 1123 ...`
  std::string message() const;
};

FieldError field_invalid(std::string field, std::string value, std::string detail);
FieldError field_required(std::string field, std::string detail = "");
FieldError field_forbidden(std::string field, std::string detail);
FieldError field_not_supported(std::string field, std::string value, const std::vector<std::string>& supported);

// `resource` is the plural resource ("secrets"); `kind` the Kind ("Secret").
ApiStatus status_not_found(std::string_view resource, std::string_view name);
ApiStatus status_already_exists(std::string_view resource, std::string_view name);
// "Operation cannot be fulfilled on secrets \"x\": <detail>"
ApiStatus status_conflict(std::string_view resource, std::string_view name, std::string_view detail);
// The optimistic-concurrency conflict of an update with a stale resourceVersion.
ApiStatus status_conflict_modified(std::string_view resource, std::string_view name);
ApiStatus status_invalid(std::string_view kind, std::string_view name, const std::vector<FieldError>& errors);
// "pods \"x\" is forbidden: <reason>"
ApiStatus status_forbidden(std::string_view resource, std::string_view name, std::string_view reason);
// Creating in a namespace being deleted: Forbidden with the NamespaceTerminating cause.
ApiStatus status_namespace_terminating(std::string_view resource, std::string_view name, std::string_view ns);
ApiStatus status_server_timeout(std::string_view resource, std::string_view operation, int retry_after_seconds);
ApiStatus status_internal_error(std::string_view reason);
ApiStatus status_too_many_requests(std::string_view message, int retry_after_seconds);
ApiStatus status_unauthorized(std::string_view message);
ApiStatus status_bad_request(std::string_view message);

// Reason strings, for comparisons.
inline constexpr std::string_view kReasonNotFound = "NotFound";
inline constexpr std::string_view kReasonAlreadyExists = "AlreadyExists";
inline constexpr std::string_view kReasonConflict = "Conflict";
inline constexpr std::string_view kReasonInvalid = "Invalid";
inline constexpr std::string_view kReasonForbidden = "Forbidden";
inline constexpr std::string_view kReasonServerTimeout = "ServerTimeout";
inline constexpr std::string_view kReasonInternalError = "InternalError";
inline constexpr std::string_view kReasonTooManyRequests = "TooManyRequests";
inline constexpr std::string_view kReasonUnauthorized = "Unauthorized";
inline constexpr std::string_view kCauseNamespaceTerminating = "NamespaceTerminating";

inline bool is_not_found(const ApiStatus& s) { return s.reason == kReasonNotFound; }
inline bool is_conflict(const ApiStatus& s) { return s.reason == kReasonConflict; }
inline bool is_already_exists(const ApiStatus& s) { return s.reason == kReasonAlreadyExists; }

}  // namespace sasim::model
