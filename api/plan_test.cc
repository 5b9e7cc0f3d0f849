// The REST translation end to end without sockets: HTTP requests as kubectl
// and the Python client send them, to plans; the model's answers to HTTP.
#include "api/plan.h"

#include <catch2/catch.hpp>

#include "api/bodies.h"
#include "api/status_json.h"

namespace sasim::api {
namespace {

using nlohmann::json;

constexpr const char* kTableAccept =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

Context context() {
  Context c;
  c.now = sim::Time::from_start(sim::Duration::seconds(90));
  c.resource_version = 42;
  return c;
}

HttpRequest get(std::string path, std::string accept = "application/json") {
  HttpRequest r;
  r.method = "GET";
  const std::size_t q = path.find('?');
  if (q != std::string::npos) {
    std::string query = path.substr(q + 1);
    path = path.substr(0, q);
    std::size_t start = 0;
    while (start <= query.size()) {
      const std::size_t amp = query.find('&', start);
      const std::string pair = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      const std::size_t eq = pair.find('=');
      // Percent-decoding, as the HTTP server does before the translation.
      auto decode = [](std::string text) {
        for (std::size_t at = text.find("%3D"); at != std::string::npos; at = text.find("%3D", at)) text.replace(at, 3, "=");
        return text;
      };
      r.query.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : decode(pair.substr(eq + 1)));
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  r.path = std::move(path);
  r.accept = std::move(accept);
  return r;
}

HttpRequest with_body(std::string method, std::string path, std::string content_type, std::string body) {
  HttpRequest r = get(std::move(path));
  r.method = std::move(method);
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

HttpResponse response_of(const Plan& plan) {
  REQUIRE(std::holds_alternative<HttpResponse>(plan));
  return std::get<HttpResponse>(plan);
}

ApiCall call_of(const Plan& plan) {
  REQUIRE(std::holds_alternative<ApiCall>(plan));
  return std::get<ApiCall>(plan);
}

json body_of(const HttpResponse& response) { return json::parse(response.body); }

model::ObjectPtr account(const char* ns, const char* name, std::uint64_t rv = 7) {
  model::ServiceAccount sa;
  sa.metadata.namespace_ = ns;
  sa.metadata.name = name;
  sa.metadata.uid = "uid-" + std::string(name);
  sa.metadata.resource_version = rv;
  return std::make_shared<const model::Object>(std::move(sa));
}

TEST_CASE("discovery answers at once") {
  const Identity admin = Identity::admin();
  const json version = body_of(response_of(plan_request(get("/version"), admin, context())));
  CHECK(version["major"] == "1");
  CHECK(version["minor"] == "20");
  CHECK(version["gitVersion"] == "v1.20.0");
  const json core = body_of(response_of(plan_request(get("/api/v1"), admin, context())));
  CHECK(core["kind"] == "APIResourceList");
  std::vector<std::string> names;
  for (const json& r : core["resources"]) names.push_back(r["name"]);
  CHECK(names ==
        std::vector<std::string>{"configmaps", "events", "namespaces", "pods", "secrets", "serviceaccounts",
                                 "serviceaccounts/token"});
  CHECK(core["resources"][6]["kind"] == "TokenRequest");
  CHECK(core["resources"][6]["group"] == "authentication.k8s.io");
  CHECK(core["resources"][6]["verbs"] == json::array({"create"}));
  const HttpResponse openapi = response_of(plan_request(get("/openapi/v2"), admin, context()));
  CHECK(openapi.status == 200);
  CHECK(openapi.content_type == "application/octet-stream");
  CHECK(openapi.body.empty());
  CHECK(body_of(response_of(plan_request(get("/apis"), admin, context())))["groups"][0]["name"] ==
        "authentication.k8s.io");
}

TEST_CASE("the errors the REST layer answers itself") {
  const Identity admin = Identity::admin();
  const HttpResponse missing = response_of(plan_request(get("/api/v1/endpoints"), admin, context()));
  CHECK(missing.status == 404);
  CHECK(missing.body ==
        R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404})");
  CHECK(response_of(plan_request(with_body("PUT", "/api/v1/namespaces/default/serviceaccounts", "application/json", "{}"),
                                 admin, context()))
            .status == 405);
  CHECK(response_of(plan_request(get("/api/v1/namespaces", "application/vnd.kubernetes.protobuf"), admin, context()))
            .status == 406);
  const HttpResponse large = response_of(plan_request(
      with_body("POST", "/api/v1/namespaces", "application/json", std::string(kMaxBodyBytes + 1, ' ')), admin,
      context()));
  CHECK(large.status == 413);
  CHECK(body_of(large)["message"] == "Request entity too large: limit is 3145728");
  const HttpResponse text = response_of(plan_request(
      with_body("POST", "/api/v1/namespaces", "text/plain", "examplens"), admin, context()));
  CHECK(text.status == 415);
  CHECK(body_of(text)["message"] ==
        "the body of the request was in an unknown format - accepted media types include: application/json, "
        "application/yaml, application/vnd.kubernetes.protobuf");
  CHECK(body_of(text)["reason"] == "UnsupportedMediaType");
  const HttpResponse broken = response_of(plan_request(
      with_body("POST", "/api/v1/namespaces", "application/vnd.kubernetes.protobuf", std::string("k8s\0\x0a\x0f", 6)),
      admin, context()));
  CHECK(broken.status == 400);
  // The TokenRequest subresource takes only create; other subresources do not exist.
  CHECK(response_of(plan_request(get("/api/v1/namespaces/default/serviceaccounts/default/token"), admin, context()))
            .status == 405);
  CHECK(response_of(plan_request(with_body("POST", "/api/v1/namespaces/default/serviceaccounts/default/status",
                                           "application/json", "{}"),
                                 admin, context()))
            .status == 404);
  CHECK(response_of(plan_request(with_body("POST", "/api/v1/namespaces?dryRun=All", "application/json",
                                           R"({"metadata":{"name":"x"}})"),
                                 admin, context()))
            .status == 400);
}

TEST_CASE("the seed's literal kubectl patch gets Go's JSON syntax error") {
  const HttpRequest patch = with_body("PATCH", "/api/v1/namespaces/default/serviceaccounts/default?fieldManager=kubectl-patch",
                                      "application/strategic-merge-patch+json",
                                      R"({\"imagePullSecrets\": [{\"name\": \"acrkey\"}]})");
  const HttpResponse refused = response_of(plan_request(patch, Identity::admin(), context()));
  CHECK(refused.status == 400);
  const json status = body_of(refused);
  CHECK(status["reason"] == "BadRequest");
  CHECK(status["message"] == R"(invalid character '\\' looking for beginning of object key string)");
}

TEST_CASE("a strategic merge patch becomes the model's patch request") {
  const HttpRequest patch = with_body("PATCH", "/api/v1/namespaces/default/serviceaccounts/default",
                                      "application/strategic-merge-patch+json",
                                      R"({"imagePullSecrets": [{"name": "acrkey"}]})");
  const ApiCall& call = call_of(plan_request(patch, Identity::admin(), context()));
  CHECK(call.request.verb == model::Verb::kPatch);
  CHECK(call.request.patch_type == model::PatchType::kStrategic);
  CHECK(call.request.namespace_ == "default");
  CHECK(call.request.name == "default");
  CHECK((*call.request.merge_patch)["imagePullSecrets"][0]["name"] == "acrkey");
}

TEST_CASE("kubectl create's body becomes a create with the decoded manifest") {
  const HttpRequest create = with_body(
      "POST", "/api/v1/namespaces/examplens/secrets?fieldManager=kubectl-create", "application/json",
      R"({"apiVersion":"v1","kind":"Secret","metadata":{"annotations":{"kubernetes.io/service-account.name":"myserviceaccount"},"name":"mysecretname","namespace":"examplens"},"type":"kubernetes.io/service-account-token"})");
  const ApiCall& call = call_of(plan_request(create, Identity::admin(), context()));
  CHECK(call.request.verb == model::Verb::kCreate);
  CHECK(call.request.kind == model::Kind::kSecret);
  CHECK(call.request.namespace_ == "examplens");
  CHECK(call.request.name == "mysecretname");
  REQUIRE(call.request.body);
  CHECK(call.manifest["type"] == "kubernetes.io/service-account-token");

  const HttpRequest elsewhere =
      with_body("POST", "/api/v1/namespaces/default/serviceaccounts", "application/json",
                R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"x","namespace":"other"}})");
  CHECK(body_of(response_of(plan_request(elsewhere, Identity::admin(), context())))["message"] ==
        "the namespace of the provided object does not match the namespace sent on the request");
  const HttpRequest renamed = with_body("PUT", "/api/v1/namespaces/default/serviceaccounts/a", "application/json",
                                        R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"b"}})");
  CHECK(body_of(response_of(plan_request(renamed, Identity::admin(), context())))["message"] ==
        "the name of the object (b) does not match the name on the URL (a)");
}

TEST_CASE("a list as kubectl get asks for it renders as a Table") {
  const ApiCall& call = call_of(plan_request(get("/api/v1/namespaces/default/serviceaccounts?limit=500", kTableAccept),
                                             Identity::admin(), context()));
  CHECK(call.request.verb == model::Verb::kList);
  model::ApiResponse response;
  response.items = {account("default", "build-robot"), account("default", "default")};
  response.resource_version = 40;
  const HttpResponse rendered = render_call(call, response, context());
  CHECK(rendered.status == 200);
  const json table = body_of(rendered);
  CHECK(table["kind"] == "Table");
  CHECK(table["apiVersion"] == "meta.k8s.io/v1");
  CHECK(table["metadata"]["resourceVersion"] == "40");
  REQUIRE(table["rows"].size() == 2);
  CHECK(table["rows"][1]["cells"] == json::parse(R"(["default", 0, "90s"])"));
  CHECK(table["rows"][1]["object"]["kind"] == "PartialObjectMetadata");
  CHECK(table["rows"][1]["object"]["metadata"]["namespace"] == "default");
}

TEST_CASE("ConfigMaps: kubectl get's Table with DATA and a deletion answered with Success") {
  const ApiCall& list_call = call_of(plan_request(get("/api/v1/namespaces/default/configmaps?limit=500", kTableAccept),
                                                  Identity::admin(), context()));
  CHECK(list_call.request.verb == model::Verb::kList);
  CHECK(list_call.request.kind == model::Kind::kConfigMap);
  model::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "kube-root-ca.crt";
  cm.metadata.uid = "u-2";
  cm.data = {{"ca.crt", "x"}};
  cm.binary_data = {{"blob", "y"}};
  model::ApiResponse listed;
  listed.items = {std::make_shared<const model::Object>(cm)};
  listed.resource_version = 12;
  const json table = body_of(render_call(list_call, listed, context()));
  std::vector<std::string> columns;
  for (const json& c : table["columnDefinitions"]) columns.push_back(c["name"]);
  CHECK(columns == std::vector<std::string>{"Name", "Data", "Age"});
  CHECK(table["rows"][0]["cells"] == json::parse(R"(["kube-root-ca.crt", 2, "90s"])"));

  const ApiCall& delete_call =
      call_of(plan_request(with_body("DELETE", "/api/v1/namespaces/default/configmaps/kube-root-ca.crt",
                                     "application/json", "{}"),
                           Identity::admin(), context()));
  model::ApiResponse deleted;
  deleted.object = std::make_shared<const model::Object>(cm);
  const json status = body_of(render_call(delete_call, deleted, context()));
  CHECK(status["kind"] == "Status");
  CHECK(status["status"] == "Success");
  CHECK(status["details"] == json::parse(R"({"name":"kube-root-ca.crt","kind":"configmaps","uid":"u-2"})"));
}

TEST_CASE("a list with kubectl delete's field selector keeps what matches") {
  const ApiCall& selected = call_of(plan_request(
      get("/api/v1/namespaces/default/serviceaccounts?fieldSelector=metadata.name%3Dbuild-robot"), Identity::admin(),
      context()));
  model::ApiResponse response;
  response.items = {account("default", "build-robot"), account("default", "default")};
  response.resource_version = 40;
  const json list = body_of(render_call(selected, response, context()));
  CHECK(list["kind"] == "ServiceAccountList");
  REQUIRE(list["items"].size() == 1);
  CHECK(list["items"][0]["metadata"]["name"] == "build-robot");
  CHECK_FALSE(list["items"][0].contains("kind"));  // a typed list's items carry none

  HttpRequest unsupported = get("/api/v1/namespaces/default/serviceaccounts");
  unsupported.query.emplace_back("fieldSelector", "spec.nodeName=n");
  CHECK(response_of(plan_request(unsupported, Identity::admin(), context())).status == 400);
}

TEST_CASE("one object as a Table and errors as Status and a deleted Secret as Success") {
  const ApiCall& get_call =
      call_of(plan_request(get("/api/v1/namespaces/default/secrets/myregistrykey", kTableAccept), Identity::admin(), context()));
  model::Secret secret;
  secret.metadata.namespace_ = "default";
  secret.metadata.name = "myregistrykey";
  secret.metadata.resource_version = 9;
  secret.metadata.uid = "u-1";
  secret.type = "kubernetes.io/dockerconfigjson";
  secret.data[".dockerconfigjson"] = model::DataValue("{}");
  model::ApiResponse found;
  found.object = std::make_shared<const model::Object>(secret);
  const json table = body_of(render_call(get_call, found, context()));
  CHECK(table["rows"][0]["cells"] == json::parse(R"(["myregistrykey", "kubernetes.io/dockerconfigjson", 1, "90s"])"));
  CHECK(table["metadata"]["resourceVersion"] == "9");

  model::ApiResponse missing;
  missing.error = model::status_not_found("secrets", "nosuch");
  const HttpResponse not_found = render_call(get_call, missing, context());
  CHECK(not_found.status == 404);
  CHECK(not_found.body ==
        R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets \"nosuch\" not found","reason":"NotFound","details":{"name":"nosuch","kind":"secrets"},"code":404})");

  HttpRequest del = with_body("DELETE", "/api/v1/namespaces/default/secrets/myregistrykey", "application/json",
                              R"({"propagationPolicy":"Background"})");
  const ApiCall& delete_call = call_of(plan_request(del, Identity::admin(), context()));
  CHECK(delete_call.request.verb == model::Verb::kDelete);
  const json deleted = body_of(render_call(delete_call, found, context()));
  CHECK(deleted["status"] == "Success");
  CHECK(deleted["details"]["uid"] == "u-1");
  CHECK_FALSE(render_call(delete_call, std::nullopt, context()).status != 504);
}

TEST_CASE("delete preconditions come from DeleteOptions") {
  HttpRequest del = with_body("DELETE", "/api/v1/namespaces/default/serviceaccounts/x", "application/json",
                              R"({"preconditions":{"uid":"u-1","resourceVersion":"12"}})");
  const ApiCall& call = call_of(plan_request(del, Identity::admin(), context()));
  CHECK(call.request.preconditions.uid == std::optional<std::string>("u-1"));
  CHECK(call.request.preconditions.resource_version == std::optional<std::uint64_t>(12));
}

TEST_CASE("a namespace that cannot exist is answered without the simulation") {
  const HttpResponse list = response_of(plan_request(get("/api/v1/namespaces/Not_A_Label/secrets"), Identity::admin(), context()));
  CHECK(body_of(list)["items"].empty());
  const HttpResponse object =
      response_of(plan_request(get("/api/v1/namespaces/Not_A_Label/secrets/x"), Identity::admin(), context()));
  CHECK(object.status == 404);
  CHECK(body_of(object)["message"] == "secrets \"x\" not found");
}

TEST_CASE("events are listed empty") {
  const HttpResponse events = response_of(plan_request(
      get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dmy-pod"), Identity::admin(), context()));
  const json list = body_of(events);
  CHECK(list["kind"] == "EventList");
  CHECK(list["items"].empty());
  CHECK(list["metadata"]["resourceVersion"] == "42");
}

TEST_CASE("watches become watch requests") {
  HttpRequest request = get("/api/v1/namespaces/default/serviceaccounts", kTableAccept);
  request.query = {{"resourceVersion", "40"}, {"watch", "true"}, {"timeoutSeconds", "30"}};
  const Plan plan = plan_request(request, Identity::admin(), context());
  REQUIRE(std::holds_alternative<WatchRequest>(plan));
  const WatchRequest& w = std::get<WatchRequest>(plan);
  CHECK(w.resource_version == std::optional<std::uint64_t>(40));
  CHECK(w.timeout_seconds == std::optional<std::int64_t>(30));
  CHECK(w.format.table_version == "meta.k8s.io/v1");
  request.query = {{"resourceVersion", "0"}, {"watch", "1"}};
  CHECK_FALSE(std::get<WatchRequest>(plan_request(request, Identity::admin(), context())).resource_version.has_value());
  request.query = {{"resourceVersion", "abc"}, {"watch", "true"}};
  CHECK(response_of(plan_request(request, Identity::admin(), context())).status == 400);
}

TEST_CASE("a TokenReview presents its token and answers in the API's shape") {
  const HttpRequest review =
      with_body("POST", "/apis/authentication.k8s.io/v1/tokenreviews", "application/json",
                R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"abc"}})");
  const Plan plan = plan_request(review, Identity::admin(), context());
  REQUIRE(std::holds_alternative<TokenReviewCall>(plan));
  const TokenReviewCall& call = std::get<TokenReviewCall>(plan);
  CHECK(call.token == "abc");
  model::TokenReviewResult accepted;
  accepted.authenticated = true;
  accepted.username = "system:serviceaccount:default:default";
  accepted.uid = "u";
  accepted.groups = {"system:serviceaccounts", "system:serviceaccounts:default"};
  const HttpResponse ok = render_review(call, accepted);
  CHECK(ok.status == 201);
  CHECK(body_of(ok)["status"]["user"]["username"] == "system:serviceaccount:default:default");
  model::TokenReviewResult rejected;
  rejected.error = "Token has been invalidated";
  const json status = body_of(render_review(call, rejected))["status"];
  CHECK_FALSE(status.contains("authenticated"));
  CHECK(status["error"] == "Token has been invalidated");
}

TEST_CASE("a TokenRequest in JSON becomes the model's serviceaccounts/token create") {
  const Plan plan = plan_request(
      with_body("POST", "/api/v1/namespaces/default/serviceaccounts/builder/token", "application/json",
                R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{"name":"builder"},)"
                R"("spec":{"audiences":["vault"],"expirationSeconds":3607,)"
                R"("boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"web","uid":"u1"}}})"),
      Identity::admin(), context());
  const ApiCall call = call_of(plan);
  CHECK(call.request.verb == model::Verb::kCreate);
  CHECK(call.request.kind == model::Kind::kServiceAccount);
  CHECK(call.request.subresource == "token");
  CHECK(call.request.namespace_ == "default");
  CHECK(call.request.name == "builder");
  REQUIRE(call.request.token_request);
  const model::TokenRequest& body = *call.request.token_request;
  CHECK(body.metadata.name == "builder");
  CHECK(body.audiences == std::vector<std::string>{"vault"});
  CHECK(body.expiration_seconds == std::optional<std::int64_t>(3607));
  REQUIRE(body.bound_object_ref);
  CHECK(*body.bound_object_ref == model::BoundObjectReference{"Pod", "v1", "web", "u1"});
  // kubectl 1.20-style nulls leave everything to the defaults.
  const ApiCall empty = call_of(plan_request(
      with_body("POST", "/api/v1/namespaces/default/serviceaccounts/default/token", "application/json",
                R"({"metadata":{"creationTimestamp":null},"spec":{"audiences":null,"expirationSeconds":null,)"
                R"("boundObjectRef":null},"status":{"token":"","expirationTimestamp":null}})"),
      Identity::admin(), context()));
  CHECK(empty.request.token_request->audiences.empty());
  CHECK_FALSE(empty.request.token_request->expiration_seconds);
  CHECK_FALSE(empty.request.token_request->bound_object_ref);
}

TEST_CASE("kubectl 1.32's create token body in protobuf decodes") {
  // `kubectl create token default` as kubectl 1.32 sends it: an empty spec.
  static constexpr unsigned char kBytes[] = {
      0x6b, 0x38, 0x73, 0x00, 0x0a, 0x28, 0x0a, 0x18, 0x61, 0x75, 0x74, 0x68, 0x65, 0x6e, 0x74, 0x69,
      0x63, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x6b, 0x38, 0x73, 0x2e, 0x69, 0x6f, 0x2f, 0x76, 0x31,
      0x12, 0x0c, 0x54, 0x6f, 0x6b, 0x65, 0x6e, 0x52, 0x65, 0x71, 0x75, 0x65, 0x73, 0x74, 0x12, 0x1a,
      0x0a, 0x10, 0x0a, 0x00, 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, 0x38, 0x00,
      0x42, 0x00, 0x12, 0x00, 0x1a, 0x04, 0x0a, 0x00, 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00};
  const std::string body(reinterpret_cast<const char*>(kBytes), sizeof kBytes);
  const ApiCall plain = call_of(plan_request(with_body("POST", "/api/v1/namespaces/default/serviceaccounts/default/token",
                                                       "application/vnd.kubernetes.protobuf", body),
                                             Identity::admin(), context()));
  REQUIRE(plain.request.token_request);
  CHECK(plain.request.token_request->audiences.empty());
  CHECK_FALSE(plain.request.token_request->expiration_seconds);
  // --audience a --duration 10m0s --bound-object-kind Pod --bound-object-name web: spec fields 1, 4 and 3.
  // Protobuf fields by hand: key (field << 3 | wire type), then the value.
  auto field = [](int number, const std::string& bytes) {
    return std::string(1, static_cast<char>(number << 3 | 2)) + static_cast<char>(bytes.size()) + bytes;
  };
  const std::string ref = field(1, "Pod") + field(2, "v1") + field(3, "web");
  const std::string spec = field(1, "a") + std::string{static_cast<char>(4 << 3), static_cast<char>(0xd8), 0x04} +
                           field(3, ref);  // expirationSeconds 600 as a varint
  const std::string type_meta = field(1, "authentication.k8s.io/v1") + field(2, "TokenRequest");
  const std::string envelope = std::string("k8s", 3) + '\0' + field(1, type_meta) + field(2, field(2, spec));
  const ApiCall full = call_of(plan_request(with_body("POST", "/api/v1/namespaces/default/serviceaccounts/default/token",
                                                      "application/vnd.kubernetes.protobuf", envelope),
                                            Identity::admin(), context()));
  const model::TokenRequest& got = *full.request.token_request;
  CHECK(got.audiences == std::vector<std::string>{"a"});
  CHECK(got.expiration_seconds == std::optional<std::int64_t>(600));
  REQUIRE(got.bound_object_ref);
  CHECK(*got.bound_object_ref == model::BoundObjectReference{"Pod", "v1", "web", ""});
}

TEST_CASE("a TokenRequest body of the wrong kind or types is refused with 400") {
  auto post = [](std::string body) {
    return response_of(plan_request(with_body("POST", "/api/v1/namespaces/default/serviceaccounts/default/token",
                                              "application/json", std::move(body)),
                                    Identity::admin(), context()));
  };
  const HttpResponse kind = post(R"({"apiVersion":"v1","kind":"ServiceAccount"})");
  CHECK(kind.status == 400);
  CHECK(body_of(kind)["message"].get<std::string>().starts_with(
      "ServiceAccount in version \"v1\" cannot be handled as a TokenRequest"));
  const HttpResponse seconds = post(R"({"spec":{"expirationSeconds":"1h"}})");
  CHECK(seconds.status == 400);
  CHECK(body_of(seconds)["message"] ==
        "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: json: cannot unmarshal string into Go "
        "struct field TokenRequestSpec.spec.expirationSeconds of type int64");
  CHECK(post(R"({"spec":{"audiences":"vault"}})").status == 400);
  CHECK(post("[1]").status == 400);
  CHECK(post("{").status == 400);
  CHECK(response_of(plan_request(with_body("POST", "/api/v1/namespaces/default/serviceaccounts/default/token?dryRun=All",
                                           "application/json", "{}"),
                                 Identity::admin(), context()))
            .status == 400);
}

TEST_CASE("the model's TokenRequest answer renders as 201 with its status") {
  const ApiCall call = call_of(plan_request(
      with_body("POST", "/api/v1/namespaces/default/serviceaccounts/default/token", "application/json", "{}"),
      Identity::admin(), context()));
  auto answer = std::make_shared<model::TokenRequest>();
  answer->audiences = {"https://kubernetes.default.svc.cluster.local"};
  answer->expiration_seconds = 3600;
  answer->token = model::DataValue(std::string("header.payload.signature"));
  answer->expiration_timestamp = sim::Time::from_start(sim::Duration::seconds(3690));
  model::ApiResponse response;
  response.token_request = answer;
  const HttpResponse ok = render_call(call, response, context());
  CHECK(ok.status == 201);
  const json body = body_of(ok);
  CHECK(body["kind"] == "TokenRequest");
  CHECK(body["apiVersion"] == "authentication.k8s.io/v1");
  CHECK(body["spec"]["expirationSeconds"] == 3600);
  CHECK(body["status"]["token"] == "header.payload.signature");
  CHECK(body["status"]["expirationTimestamp"] == "2020-01-01T01:01:30Z");
  model::ApiResponse missing;
  missing.error = model::status_not_found("serviceaccounts", "default");
  CHECK(render_call(call, missing, context()).status == 404);
}

TEST_CASE("a read-only ServiceAccount is forbidden to write") {
  const Identity sa{"system:serviceaccount:default:default", "u", {"system:serviceaccounts"}};
  HttpRequest del = with_body("DELETE", "/api/v1/namespaces/default/serviceaccounts/default", "application/json", "");
  const HttpResponse denied = response_of(plan_request(del, sa, context()));
  CHECK(denied.status == 403);
  CHECK(body_of(denied)["reason"] == "Forbidden");
  CHECK(std::holds_alternative<ApiCall>(plan_request(get("/api/v1/namespaces/default/serviceaccounts"), sa, context())));
}

}  // namespace
}  // namespace sasim::api
