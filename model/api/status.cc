#include "model/api/status.h"

#include <fmt/format.h>

namespace sasim::model {

bool ApiStatus::has_cause(std::string_view type) const {
  for (const StatusCause& cause : details.causes) {
    if (cause.type == type) return true;
  }
  return false;
}

std::string FieldError::message() const {
  // field.Error.Error(): "<field>: <type string>[: <value>][: <detail>]"
  std::string type_text;
  if (type == "FieldValueInvalid") type_text = "Invalid value";
  else if (type == "FieldValueRequired") type_text = "Required value";
  else if (type == "FieldValueForbidden") type_text = "Forbidden";
  else if (type == "FieldValueNotSupported") type_text = "Unsupported value";
  else if (type == "FieldValueDuplicate") type_text = "Duplicate value";
  else if (type == "FieldValueNotFound") type_text = "Not found";
  else if (type == "FieldValueTooLong") type_text = "Too long";
  else if (type == "FieldValueTooMany") type_text = "Too many";
  else type_text = type;
  std::string out = fmt::format("{}: {}", field, type_text);
  if (show_value) out += fmt::format(": \"{}\"", value);
  if (!detail.empty()) out += ": " + detail;
  return out;
}

FieldError field_invalid(std::string field, std::string value, std::string detail) {
  return {"FieldValueInvalid", std::move(field), std::move(value), std::move(detail), true};
}
FieldError field_required(std::string field, std::string detail) {
  return {"FieldValueRequired", std::move(field), "", std::move(detail), false};
}
FieldError field_forbidden(std::string field, std::string detail) {
  return {"FieldValueForbidden", std::move(field), "", std::move(detail), false};
}
FieldError field_not_supported(std::string field, std::string value, const std::vector<std::string>& supported) {
  std::string list;
  for (const std::string& s : supported) {
    if (!list.empty()) list += ", ";
    list += fmt::format("\"{}\"", s);
  }
  return {"FieldValueNotSupported", std::move(field), std::move(value), "supported values: " + list, true};
}

namespace {
ApiStatus make(int code, std::string_view reason, std::string message, std::string_view resource,
               std::string_view name) {
  ApiStatus s;
  s.code = code;
  s.reason = std::string(reason);
  s.message = std::move(message);
  s.details.name = std::string(name);
  s.details.kind = std::string(resource);
  return s;
}
}  // namespace

ApiStatus status_not_found(std::string_view resource, std::string_view name) {
  return make(404, kReasonNotFound, fmt::format("{} \"{}\" not found", resource, name), resource, name);
}

ApiStatus status_already_exists(std::string_view resource, std::string_view name) {
  return make(409, kReasonAlreadyExists, fmt::format("{} \"{}\" already exists", resource, name), resource, name);
}

ApiStatus status_conflict(std::string_view resource, std::string_view name, std::string_view detail) {
  return make(409, kReasonConflict, fmt::format("Operation cannot be fulfilled on {} \"{}\": {}", resource, name, detail),
              resource, name);
}

ApiStatus status_conflict_modified(std::string_view resource, std::string_view name) {
  return status_conflict(resource, name,
                         "the object has been modified; please apply your changes to the latest version and try again");
}

ApiStatus status_invalid(std::string_view kind, std::string_view name, const std::vector<FieldError>& errors) {
  // utilerrors.NewAggregate: one error prints bare, several as [a, b].
  std::string aggregate;
  if (errors.size() == 1) {
    aggregate = errors[0].message();
  } else {
    aggregate = "[";
    for (std::size_t i = 0; i < errors.size(); ++i) {
      if (i > 0) aggregate += ", ";
      aggregate += errors[i].message();
    }
    aggregate += "]";
  }
  ApiStatus s = make(422, kReasonInvalid, fmt::format("{} \"{}\" is invalid: {}", kind, name, aggregate), kind, name);
  for (const FieldError& e : errors) {
    std::string cause_message = e.message();
    // StatusCause.Message is the error without its field prefix.
    const std::string prefix = e.field + ": ";
    if (cause_message.rfind(prefix, 0) == 0) cause_message.erase(0, prefix.size());
    s.details.causes.push_back({e.type, cause_message, e.field});
  }
  return s;
}

ApiStatus status_forbidden(std::string_view resource, std::string_view name, std::string_view reason) {
  std::string message = name.empty() ? fmt::format("{} is forbidden: {}", resource, reason)
                                     : fmt::format("{} \"{}\" is forbidden: {}", resource, name, reason);
  return make(403, kReasonForbidden, std::move(message), resource, name);
}

ApiStatus status_namespace_terminating(std::string_view resource, std::string_view name, std::string_view ns) {
  ApiStatus s = status_forbidden(
      resource, name, fmt::format("unable to create new content in namespace {} because it is being terminated", ns));
  s.details.causes.push_back(
      {std::string(kCauseNamespaceTerminating), fmt::format("namespace {} is being terminated", ns), "metadata.namespace"});
  return s;
}

ApiStatus status_server_timeout(std::string_view resource, std::string_view operation, int retry_after_seconds) {
  ApiStatus s = make(500, kReasonServerTimeout,
                     fmt::format("The {} operation against {} could not be completed at this time, please try again.",
                                 operation, resource),
                     resource, operation);
  s.details.retry_after_seconds = retry_after_seconds;
  return s;
}

ApiStatus status_internal_error(std::string_view reason) {
  ApiStatus s = make(500, kReasonInternalError, fmt::format("Internal error occurred: {}", reason), "", "");
  s.details.causes.push_back({"", std::string(reason), ""});
  return s;
}

ApiStatus status_too_many_requests(std::string_view message, int retry_after_seconds) {
  ApiStatus s = make(429, kReasonTooManyRequests, std::string(message), "", "");
  s.details.retry_after_seconds = retry_after_seconds;
  return s;
}

ApiStatus status_unauthorized(std::string_view message) {
  return make(401, kReasonUnauthorized, std::string(message), "", "");
}

ApiStatus status_bad_request(std::string_view message) {
  return make(400, "BadRequest", std::string(message), "", "");
}

}  // namespace sasim::model
