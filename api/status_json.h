// Status errors as the apiserver writes them (metav1.Status in JSON), and
// the errors the HTTP layer itself answers with, worded as upstream's
// handlers word them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/http.h"
#include "model/api/status.h"

namespace sasim::api {

// metav1.Status: {"kind":"Status","apiVersion":"v1","metadata":{},
// "status":"Failure","message":...,"reason":...,"details":{...},"code":N}.
// `details` is written when it holds something, or when `empty_details`
// says the upstream error carries an empty one (`"details":{}`).
nlohmann::json status_json(const model::ApiStatus& status, bool empty_details = false);

// The Status as a response: its code and the JSON.
HttpResponse status_response(const model::ApiStatus& status, bool empty_details = false);

// 404 for a path the server does not serve: "the server could not find the
// requested resource", with empty details.
HttpResponse not_found_path();
// 405: "the server does not allow this method on the requested resource".
HttpResponse method_not_allowed();
// 406: the Accept header names nothing the server can write.
HttpResponse not_acceptable();
// 413: "Request entity too large: limit is N".
HttpResponse too_large(std::size_t limit);
// 414: "Request-URI too long: limit is N" (the request line's target). The
// apiserver has no reason for it (Go's server answers a header block over
// its limit with 431 and plain text); the Status keeps the code, so that
// a client shows what happened.
HttpResponse uri_too_long(std::size_t limit);
// 415: "the body of the request was in an unknown format - accepted media
// types include: A, B".
HttpResponse unsupported_media_type(const std::vector<std::string_view>& accepted);
// 401: "Unauthorized" (the reason stays on the server, as upstream).
HttpResponse unauthorized();
// 503: the simulation cannot serve (its time or event limit is reached).
HttpResponse service_unavailable(std::string_view message);
// 504: no answer within the simulation's limits.
HttpResponse timeout(std::string_view message);

// Successful deletion without the object: {"status":"Success", "details":
// {name, kind, uid}}.
nlohmann::json success_status(std::string_view name, std::string_view resource, std::string_view uid);

// The JSON text of a response body: compact, invalid UTF-8 replaced.
std::string dump(const nlohmann::json& value);

}  // namespace sasim::api
