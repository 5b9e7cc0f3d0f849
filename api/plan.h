// The translation of one HTTP request into what the simulation must do, and
// of the simulation's answer back into HTTP: the apiserver's REST layer,
// without I/O, threads or the simulation itself.
//
// plan_request reads a request and decides: answer at once (discovery,
// errors: 400, 401, 403, 404, 405, 406, 413, 415), make a call to the
// simulated apiserver (ApiCall: the model's request plus how to render its
// answer), present a token to the authenticator (TokenReviewCall), or open
// a watch (WatchRequest). The caller (tools/serve) runs calls through the
// simulation and renders the answers with render_call / render_review.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/access.h"
#include "api/discovery.h"
#include "api/http.h"
#include "api/media.h"
#include "api/route.h"
#include "api/selectors.h"
#include "api/tables.h"
#include "api/watch.h"
#include "model/api/request.h"
#include "model/api/token_review.h"
#include "model/objects/codec.h"
#include "sim/time.h"

namespace sasim::api {

struct Context {
  ServerInfo info;
  sim::Time now;
  model::EncodeOptions encode;
  std::uint64_t resource_version = 0;  // the store's, for the always-empty event lists
  ServiceAccountAccess service_accounts = ServiceAccountAccess::kReadOnly;
};

struct ApiCall {
  model::ApiRequest request;   // verb, kind, namespace, name, body, patch, preconditions
  nlohmann::json manifest;     // create and update: the body as decoded (see DecodedObject)
  Resource resource;
  ResponseFormat format;
  TableOptions table;
  FieldSelector fields;        // list: filters applied to the model's answer
  LabelSelector labels;
};

struct TokenReviewCall {
  std::string token;
  std::vector<std::string> audiences;  // spec.audiences, echoed in the status
  ResponseFormat format;
};

using Plan = std::variant<HttpResponse, ApiCall, TokenReviewCall, WatchRequest>;

Plan plan_request(const HttpRequest& request, const Identity& identity, const Context& context);

// The answer to a call: the model's response (none: no answer within the
// simulation's limits, a 504).
HttpResponse render_call(const ApiCall& call, const std::optional<model::ApiResponse>& response, const Context& context);
HttpResponse render_review(const TokenReviewCall& call, const std::optional<model::TokenReviewResult>& result);

// An object or list in the negotiated encoding (JSON or YAML).
HttpResponse encoded(int status, const nlohmann::json& body, const ResponseFormat& format);

}  // namespace sasim::api
