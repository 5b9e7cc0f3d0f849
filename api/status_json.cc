#include "api/status_json.h"

#include <fmt/format.h>

namespace sasim::api {

using nlohmann::json;

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

namespace {

// Go writes the struct's fields in declaration order and leaves out the
// empty ones (omitempty); an ordered object keeps the bytes as familiar.
nlohmann::ordered_json ordered_status(const model::ApiStatus& status, bool empty_details) {
  nlohmann::ordered_json out;
  out["kind"] = "Status";
  out["apiVersion"] = "v1";
  out["metadata"] = json::object();
  out["status"] = "Failure";
  if (!status.message.empty()) out["message"] = status.message;
  if (!status.reason.empty()) out["reason"] = status.reason;
  const model::StatusDetails& d = status.details;
  nlohmann::ordered_json details = nlohmann::ordered_json::object();
  if (!d.name.empty()) details["name"] = d.name;
  if (!d.group.empty()) details["group"] = d.group;
  if (!d.kind.empty()) details["kind"] = d.kind;
  if (!d.causes.empty()) {
    nlohmann::ordered_json causes = nlohmann::ordered_json::array();
    for (const model::StatusCause& c : d.causes) {
      nlohmann::ordered_json cause = nlohmann::ordered_json::object();
      if (!c.type.empty()) cause["reason"] = c.type;
      if (!c.message.empty()) cause["message"] = c.message;
      if (!c.field.empty()) cause["field"] = c.field;
      causes.push_back(std::move(cause));
    }
    details["causes"] = std::move(causes);
  }
  if (d.retry_after_seconds > 0) details["retryAfterSeconds"] = d.retry_after_seconds;
  if (!details.empty() || empty_details) out["details"] = std::move(details);
  out["code"] = status.code;
  return out;
}

}  // namespace

json status_json(const model::ApiStatus& status, bool empty_details) {
  return json::parse(ordered_status(status, empty_details).dump());
}

HttpResponse status_response(const model::ApiStatus& status, bool empty_details) {
  return HttpResponse{.status = status.code,
                      .content_type = std::string(kMediaJson),
                      .body = ordered_status(status, empty_details).dump(-1, ' ', false, json::error_handler_t::replace)};
}

namespace {

model::ApiStatus generic(int code, std::string reason, std::string message) {
  model::ApiStatus status;
  status.code = code;
  status.reason = std::move(reason);
  status.message = std::move(message);
  return status;
}

}  // namespace

HttpResponse not_found_path() {
  return status_response(generic(404, "NotFound", "the server could not find the requested resource"), true);
}

HttpResponse method_not_allowed() {
  return status_response(
      generic(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"), true);
}

HttpResponse not_acceptable() {
  return status_response(generic(406, "NotAcceptable",
                                 "only the following media types are accepted: application/json, application/yaml"));
}

HttpResponse too_large(std::size_t limit) {
  return status_response(
      generic(413, "RequestEntityTooLarge", fmt::format("Request entity too large: limit is {}", limit)));
}

HttpResponse uri_too_long(std::size_t limit) {
  return status_response(generic(414, "", fmt::format("Request-URI too long: limit is {}", limit)));
}

HttpResponse unsupported_media_type(const std::vector<std::string_view>& accepted) {
  std::string list;
  for (std::string_view type : accepted) {
    if (!list.empty()) list += ", ";
    list += type;
  }
  return status_response(generic(
      415, "UnsupportedMediaType",
      fmt::format("the body of the request was in an unknown format - accepted media types include: {}", list)));
}

HttpResponse unauthorized() { return status_response(generic(401, "Unauthorized", "Unauthorized")); }

HttpResponse service_unavailable(std::string_view message) {
  return status_response(generic(503, "ServiceUnavailable", std::string(message)));
}

HttpResponse timeout(std::string_view message) { return status_response(generic(504, "Timeout", std::string(message))); }

json success_status(std::string_view name, std::string_view resource, std::string_view uid) {
  return json{{"kind", "Status"},
              {"apiVersion", "v1"},
              {"metadata", json::object()},
              {"status", "Success"},
              {"details", {{"name", name}, {"kind", resource}, {"uid", uid}}}};
}

}  // namespace sasim::api
