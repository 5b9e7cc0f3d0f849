#include "api/plan.h"

#include <fmt/format.h>

#include <cstdlib>

#include "api/bodies.h"
#include "api/go_json.h"
#include "api/status_json.h"
#include "model/objects/name_validation.h"
#include "model/objects/print.h"
#include "model/objects/ascii.h"

namespace sasim::api {
namespace {

using nlohmann::json;

// strconv.ParseBool's true spellings.
bool param_true(const HttpRequest& request, std::string_view key) {
  const auto value = request.param(key);
  return value && (*value == "1" || *value == "t" || *value == "T" || *value == "true" || *value == "TRUE" ||
                   *value == "True");
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

HttpResponse bad_request(std::string message) { return status_response(model::status_bad_request(message)); }

// dryRun is a real apiserver feature that the model does not have; refusing
// is better than writing what the client asked only to be checked.
std::optional<HttpResponse> refuse_dry_run(const HttpRequest& request) {
  if (const auto dry_run = request.param("dryRun"); dry_run && !dry_run->empty()) {
    return bad_request("dryRun is not supported by sasim serve: the request would be applied");
  }
  return std::nullopt;
}

const std::vector<std::string_view> kObjectBodyTypes = {"application/json", "application/yaml",
                                                        "application/vnd.kubernetes.protobuf"};
const std::vector<std::string_view> kPatchBodyTypes = {
    "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"};

// `protobuf`: whether the endpoint reads protobuf (objects do; TokenReview
// bodies do not).
std::optional<HttpResponse> unsupported_object_body(const HttpRequest& request, bool protobuf = true) {
  const BodyType type = body_type(request.content_type);
  if (type == BodyType::kJson || type == BodyType::kYaml || (protobuf && type == BodyType::kProtobuf)) {
    return std::nullopt;
  }
  return unsupported_media_type(kObjectBodyTypes);
}

Plan plan_non_resource(const HttpRequest& request, const Route& route, const Identity& identity,
                       const Context& context) {
  if (request.method != "GET" && request.method != "HEAD") return method_not_allowed();
  switch (route.endpoint) {
    case Endpoint::kVersion: return version_document(context.info);
    case Endpoint::kApiVersions: return api_versions(context.info);
    case Endpoint::kApiGroups: return api_groups();
    case Endpoint::kCoreResources: return core_resources();
    case Endpoint::kAuthGroup: return auth_group();
    case Endpoint::kAuthResources: return auth_resources();
    case Endpoint::kOpenApiV2: return openapi_v2();
    case Endpoint::kHealth: return health();
    default: break;
  }
  (void)identity;
  return not_found_path();
}

Plan plan_token_review(const HttpRequest& request, const Identity& identity, const Context& context,
                       const ResponseFormat& format) {
  AccessRequest access{.resource_request = true, .verb = "create", .api_group = "authentication.k8s.io",
                       .resource = "tokenreviews", .namespace_ = "", .name = "", .path = request.path};
  if (request.method != "POST") {
    const std::string method = model::ascii_lower(request.method);
    access.verb = method == "get" ? "list" : method;
    if (auto denied = authorize(identity, access, context.service_accounts)) return status_response(*denied, true);
    return method_not_allowed();
  }
  if (auto denied = authorize(identity, access, context.service_accounts)) return status_response(*denied, true);
  if (auto unsupported = unsupported_object_body(request, false)) return *unsupported;
  auto document = parse_body(request.body, body_type(request.content_type));
  auto unrecognized = [&](const std::string& why) {
    return bad_request(fmt::format("the object provided is unrecognized (must be of type TokenReview): {}", why));
  };
  if (!document) return unrecognized(document.error().message);
  const json& review = document.value();
  if (!review.is_object()) return unrecognized("couldn't get version/kind; json parse error: not an object");
  const json kind = review.value("kind", json("TokenReview"));
  const json version = review.value("apiVersion", json("authentication.k8s.io/v1"));
  if (kind != "TokenReview" || version != "authentication.k8s.io/v1") {
    return bad_request(fmt::format("{} in version \"{}\" cannot be handled as a TokenReview",
                                   kind.is_string() ? kind.get<std::string>() : kind.dump(),
                                   version.is_string() ? version.get<std::string>() : version.dump()));
  }
  TokenReviewCall call;
  call.format = format;
  const json spec = review.value("spec", json::object());
  if (spec.is_object()) {
    const json token = spec.value("token", json(""));
    if (token.is_string()) call.token = token.get<std::string>();
    const json audiences = spec.value("audiences", json::array());
    if (audiences.is_array()) {
      for (const json& a : audiences) {
        if (a.is_string()) call.audiences.push_back(a.get<std::string>());
      }
    }
  }
  if (call.token.empty()) return bad_request("token is required for TokenReview in authentication");
  return call;
}

// The preconditions of a DELETE's DeleteOptions body.
sim::Result<model::Preconditions, model::ApiStatus> delete_preconditions(const HttpRequest& request) {
  model::Preconditions out;
  if (request.body.empty()) return out;
  auto document = parse_body(request.body, body_type(request.content_type));
  if (!document) return sim::unexpected(document.error());
  const json& options = document.value();
  if (!options.is_object()) return out;
  const json pre = options.value("preconditions", json());
  if (!pre.is_object()) return out;
  const json uid = pre.value("uid", json());
  if (uid.is_string()) out.uid = uid.get<std::string>();
  const json rv = pre.value("resourceVersion", json());
  if (rv.is_string()) {
    auto value = parse_decimal(rv.get<std::string>());
    if (!value) {
      return sim::unexpected(model::status_bad_request(
          fmt::format("invalid resource version: strconv.ParseUint: parsing \"{}\": invalid syntax", rv.get<std::string>())));
    }
    out.resource_version = *value;
  }
  return out;
}

// POST serviceaccounts/NAME/token (TokenRequest, GA in 1.20): the body
// decoded as the TokenRequest storage decodes it (JSON, YAML, or kubectl
// 1.24+'s protobuf), then the model's TokenREST, which checks the rest in the
// release's order (its namespace and name included).
Plan plan_token_request(const HttpRequest& request, const Route& route, ResponseFormat format) {
  if (auto refused = refuse_dry_run(request)) return *refused;
  if (auto unsupported = unsupported_object_body(request)) return *unsupported;
  auto decoded = decode_token_request_body(request.body, body_type(request.content_type));
  if (!decoded) return status_response(decoded.error());
  ApiCall call;
  call.resource = route.resource;
  format.table_version.clear();
  call.format = format;
  call.manifest = std::move(decoded.value().manifest);
  model::ApiRequest& api = call.request;
  api.verb = model::Verb::kCreate;
  api.kind = model::Kind::kServiceAccount;
  api.namespace_ = route.namespace_;
  api.name = route.name;
  api.subresource = "token";
  api.token_request = std::make_shared<const model::TokenRequest>(std::move(decoded.value().request));
  return call;
}

Plan plan_resource(const HttpRequest& request, const Route& route, const Identity& identity, const Context& context,
                   ResponseFormat format) {
  const bool watch = param_true(request, "watch");
  std::string verb;
  const bool collection = route.name.empty();
  if (request.method == "GET" || request.method == "HEAD") verb = watch ? "watch" : collection ? "list" : "get";
  else if (request.method == "POST") verb = "create";
  else if (request.method == "PUT") verb = "update";
  else if (request.method == "PATCH") verb = "patch";
  else if (request.method == "DELETE") verb = collection ? "deletecollection" : "delete";
  else verb = model::ascii_lower(request.method);

  AccessRequest access{.resource_request = true,
                       .verb = verb,
                       .api_group = "",
                       .resource = std::string(route.resource.plural()) +
                                   (route.subresource.empty() ? "" : "/" + route.subresource),
                       .namespace_ = route.namespace_,
                       .name = route.name,
                       .path = request.path};
  if (auto denied = authorize(identity, access, context.service_accounts)) return status_response(*denied, true);
  if (route.resource.kind == model::Kind::kServiceAccount && route.subresource == "token" && verb == "create") {
    return plan_token_request(request, route, format);
  }
  // The TokenRequest subresource takes nothing but create.
  if (route.resource.kind == model::Kind::kServiceAccount && route.subresource == "token") return method_not_allowed();
  // No other subresource is served.
  if (!route.subresource.empty()) return not_found_path();

  const bool object_verb = verb == "get" || verb == "update" || verb == "patch" || verb == "delete";
  const bool collection_verb = verb == "list" || verb == "create" || (verb == "watch");
  if ((object_verb && collection) || (!object_verb && !collection_verb) || (verb == "create" && !collection)) {
    return method_not_allowed();
  }
  if (verb != "get" && verb != "list" && verb != "watch") format.table_version.clear();

  TableOptions table;
  table.version = format.table_version.empty() ? "meta.k8s.io/v1" : format.table_version;
  if (const auto include = request.param("includeObject")) {
    if (*include == "None") table.include = IncludeObject::kNone;
    else if (*include == "Object") table.include = IncludeObject::kObject;
  }

  // Selectors (list and watch).
  FieldSelector fields;
  LabelSelector labels;
  if (verb == "list" || verb == "watch") {
    auto parsed_fields = parse_field_selector(request.param("fieldSelector").value_or(""), route.resource);
    if (!parsed_fields) return bad_request(parsed_fields.error().message);
    fields = std::move(parsed_fields).value();
    // The deprecated watch of one object (?watch=true on its path).
    if (!collection) fields.requirements.push_back(FieldRequirement{"metadata.name", true, route.name});
    auto parsed_labels = parse_label_selector(request.param("labelSelector").value_or(""));
    if (!parsed_labels) return bad_request(parsed_labels.error().message);
    labels = std::move(parsed_labels).value();
  }

  if (verb == "watch") {
    WatchRequest w;
    w.resource = route.resource;
    w.namespace_ = route.namespace_;
    w.fields = std::move(fields);
    w.labels = std::move(labels);
    w.format = format;
    w.table = table;
    if (const auto rv = request.param("resourceVersion"); rv && !rv->empty()) {
      auto value = parse_decimal(*rv);
      if (!value) {
        return bad_request(fmt::format("invalid resource version: strconv.ParseUint: parsing \"{}\": invalid syntax", *rv));
      }
      if (*value != 0) w.resource_version = *value;
    }
    if (const auto timeout = request.param("timeoutSeconds"); timeout && !timeout->empty()) {
      auto value = parse_decimal(*timeout);
      if (!value) return bad_request(fmt::format("invalid timeoutSeconds: \"{}\"", *timeout));
      w.timeout_seconds = static_cast<std::int64_t>(*value);
    }
    return w;
  }

  if (route.resource.is_events()) {
    // Nothing in the simulation records events: every list is empty.
    if (verb != "list") return method_not_allowed();
    if (!format.table_version.empty()) {
      return encoded(200, make_table(route.resource, {}, context.resource_version, context.now, context.encode, table),
                     format);
    }
    return encoded(200,
                   json{{"kind", "EventList"},
                        {"apiVersion", "v1"},
                        {"metadata", {{"resourceVersion", std::to_string(context.resource_version)}}},
                        {"items", json::array()}},
                   format);
  }

  // A namespace that cannot exist (not a DNS-1123 label) holds nothing: the
  // answers are the model's for a missing namespace, given here so that every
  // call that reaches the simulation can be recorded as a scenario step.
  if (!route.namespace_.empty() && !model::is_dns1123_label(route.namespace_).empty()) {
    if (verb == "list") {
      if (!format.table_version.empty()) {
        return encoded(200, make_table(route.resource, {}, context.resource_version, context.now, context.encode, table),
                       format);
      }
      return encoded(200,
                     json{{"kind", std::string(model::kind_name(*route.resource.kind)) + "List"},
                          {"apiVersion", "v1"},
                          {"metadata", {{"resourceVersion", std::to_string(context.resource_version)}}},
                          {"items", json::array()}},
                     format);
    }
    if (verb == "create") return status_response(model::status_not_found("namespaces", route.namespace_));
    return status_response(model::status_not_found(route.resource.plural(), route.name));
  }

  ApiCall call;
  call.resource = route.resource;
  call.format = format;
  call.table = table;
  call.fields = std::move(fields);
  call.labels = std::move(labels);
  model::ApiRequest& api = call.request;
  api.kind = *route.resource.kind;
  api.namespace_ = route.namespace_;
  api.name = route.name;

  if (verb == "get") {
    api.verb = model::Verb::kGet;
    return call;
  }
  if (verb == "list") {
    api.verb = model::Verb::kList;
    return call;
  }
  if (auto refused = refuse_dry_run(request)) return *refused;
  if (verb == "create" || verb == "update") {
    if (auto unsupported = unsupported_object_body(request)) return *unsupported;
    auto decoded = decode_object_body(request.body, body_type(request.content_type), api.kind, context.encode);
    if (!decoded) return status_response(decoded.error());
    DecodedObject body = std::move(decoded).value();
    model::Object object = std::move(body.object);
    model::ObjectMeta& m = model::meta(object);
    json& manifest = body.manifest;
    if (!route.resource.namespaced()) {
      m.namespace_.clear();
      if (manifest.contains("metadata") && manifest["metadata"].is_object()) manifest["metadata"].erase("namespace");
    }
    if (verb == "create") {
      if (route.resource.namespaced() && !m.namespace_.empty() && m.namespace_ != route.namespace_) {
        return bad_request("the namespace of the provided object does not match the namespace sent on the request");
      }
      api.verb = model::Verb::kCreate;
      api.name = m.name;
    } else {
      if (m.name != route.name) {
        return bad_request(
            fmt::format("the name of the object ({}) does not match the name on the URL ({})", m.name, route.name));
      }
      if (route.resource.namespaced() && !m.namespace_.empty() && m.namespace_ != route.namespace_) {
        return bad_request(fmt::format("the namespace of the object ({}) does not match the namespace on the request ({})",
                                       m.namespace_, route.namespace_));
      }
      api.verb = model::Verb::kUpdate;
    }
    api.body = std::make_shared<const model::Object>(std::move(object));
    call.manifest = std::move(manifest);
    return call;
  }
  if (verb == "patch") {
    const BodyType type = body_type(request.content_type);
    if (type == BodyType::kMergePatch) api.patch_type = model::PatchType::kMerge;
    else if (type == BodyType::kStrategicMergePatch) api.patch_type = model::PatchType::kStrategic;
    else if (type == BodyType::kJsonPatch) api.patch_type = model::PatchType::kJson;
    else return unsupported_media_type(kPatchBodyTypes);
    if (auto error = go_json_syntax_error(request.body)) return bad_request(*error);
    json patch = parse_go_json(request.body);
    if (api.patch_type != model::PatchType::kJson && !patch.is_object()) {
      return bad_request(fmt::format("json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                                     patch.is_array() ? "array" : patch.is_string() ? "string"
                                                              : patch.is_number()  ? "number"
                                                              : patch.is_boolean() ? "bool"
                                                                                   : "null"));
    }
    api.verb = model::Verb::kPatch;
    api.merge_patch = std::make_shared<const json>(std::move(patch));
    return call;
  }
  // delete
  auto preconditions = delete_preconditions(request);
  if (!preconditions) return status_response(preconditions.error());
  api.verb = model::Verb::kDelete;
  api.preconditions = std::move(preconditions).value();
  return call;
}

json list_json(const ApiCall& call, const std::vector<model::ObjectPtr>& items, std::uint64_t resource_version,
               const Context& context) {
  json out{{"kind", std::string(model::kind_name(call.request.kind)) + "List"},
           {"apiVersion", "v1"},
           {"metadata", {{"resourceVersion", std::to_string(resource_version)}}}};
  json list = json::array();
  for (const model::ObjectPtr& item : items) {
    json encoded_item = model::encode_object(*item, context.encode);
    // A typed list's items carry no kind or apiVersion of their own.
    encoded_item.erase("kind");
    encoded_item.erase("apiVersion");
    list.push_back(std::move(encoded_item));
  }
  out["items"] = std::move(list);
  return out;
}

}  // namespace

HttpResponse encoded(int status, const json& body, const ResponseFormat& format) {
  if (format.encoding == ResponseFormat::Encoding::kYaml) {
    return HttpResponse{.status = status, .content_type = std::string(kMediaYaml), .body = model::to_yaml(body)};
  }
  return HttpResponse{.status = status, .content_type = std::string(kMediaJson), .body = dump(body)};
}

Plan plan_request(const HttpRequest& request, const Identity& identity, const Context& context) {
  auto found = route(request.path);
  const bool resource = found && (found->endpoint == Endpoint::kResource || found->endpoint == Endpoint::kTokenReviews);
  if (!resource) {
    // Non-resource paths: RBAC first (an anonymous user is forbidden even
    // paths that do not exist), then the document or a 404.
    AccessRequest access{.resource_request = false, .verb = model::ascii_lower(request.method), .api_group = "", .resource = "",
                         .namespace_ = "", .name = "", .path = request.path};
    if (auto denied = authorize(identity, access, context.service_accounts)) return status_response(*denied, true);
    if (!found) return not_found_path();
    return plan_non_resource(request, *found, identity, context);
  }
  if (request.body.size() > kMaxBodyBytes) return too_large(kMaxBodyBytes);
  auto format = negotiate_response(request.accept);
  if (!format) return not_acceptable();
  if (found->endpoint == Endpoint::kTokenReviews) return plan_token_review(request, identity, context, *format);
  return plan_resource(request, *found, identity, context, *format);
}

HttpResponse render_call(const ApiCall& call, const std::optional<model::ApiResponse>& response,
                         const Context& context) {
  if (!response) {
    return timeout("the server was unable to return a response in the time allotted, but may still be processing the "
                   "request");
  }
  if (!response->ok()) return status_response(*response->error);
  const bool table = !call.format.table_version.empty();
  switch (call.request.verb) {
    case model::Verb::kGet:
      if (table) {
        return encoded(200,
                       make_table(call.resource, {response->object}, model::meta(*response->object).resource_version,
                                  context.now, context.encode, call.table),
                       call.format);
      }
      return encoded(200, model::encode_object(*response->object, context.encode), call.format);
    case model::Verb::kList: {
      std::vector<model::ObjectPtr> items;
      for (const model::ObjectPtr& item : response->items) {
        if (matches(call.fields, *item) && matches(call.labels, model::meta(*item).labels)) items.push_back(item);
      }
      if (table) {
        return encoded(200,
                       make_table(call.resource, items, response->resource_version, context.now, context.encode,
                                  call.table),
                       call.format);
      }
      return encoded(200, list_json(call, items, response->resource_version, context), call.format);
    }
    case model::Verb::kCreate:
      // TokenRequest: 201 with the request completed and its status.
      if (response->token_request) {
        return encoded(201, model::encode_token_request(*response->token_request, context.encode), call.format);
      }
      return encoded(201, model::encode_object(*response->object, context.encode), call.format);
    case model::Verb::kUpdate:
    case model::Verb::kPatch:
      return encoded(200, model::encode_object(*response->object, context.encode), call.format);
    case model::Verb::kDelete: {
      // Secret and ConfigMap storage answer a deletion with a Status; the
      // others with the object (a namespace's Terminating one).
      const model::ObjectMeta& m = model::meta(*response->object);
      if (call.request.kind == model::Kind::kSecret || call.request.kind == model::Kind::kConfigMap) {
        return encoded(200, success_status(m.name, model::resource_name(call.request.kind), m.uid),
                       call.format);
      }
      return encoded(200, model::encode_object(*response->object, context.encode), call.format);
    }
    case model::Verb::kWatch:
      break;
  }
  return status_response(model::status_internal_error("unexpected verb"));
}

HttpResponse render_review(const TokenReviewCall& call, const std::optional<model::TokenReviewResult>& result) {
  if (!result) {
    return timeout("the server was unable to return a response in the time allotted, but may still be processing the "
                   "request");
  }
  json spec{{"token", call.token}};
  if (!call.audiences.empty()) spec["audiences"] = call.audiences;
  json status = json::object();
  if (result->authenticated) {
    status["authenticated"] = true;
    json user{{"username", result->username}};
    if (!result->uid.empty()) user["uid"] = result->uid;
    if (!result->groups.empty()) user["groups"] = result->groups;
    if (!result->extra.empty()) user["extra"] = result->extra;
    status["user"] = std::move(user);
    if (!call.audiences.empty()) status["audiences"] = call.audiences;
  } else {
    status["user"] = json::object();
    if (!result->error.empty()) status["error"] = result->error;
  }
  return encoded(201,
                 json{{"kind", "TokenReview"},
                      {"apiVersion", "authentication.k8s.io/v1"},
                      {"metadata", {{"creationTimestamp", nullptr}}},
                      {"spec", std::move(spec)},
                      {"status", std::move(status)}},
                 call.format);
}

}  // namespace sasim::api
