// The discovery documents kubectl reads before anything else (/api, /apis,
// /api/v1 and the authentication group), /version with the simulated
// release, and the OpenAPI answer `kubectl create -f` needs.
#pragma once

#include <string>
#include <string_view>

#include "api/http.h"

namespace sasim::api {

struct ServerInfo {
  std::string version = "1.20";             // the simulated minor release
  std::string address = "127.0.0.1:6443";   // host:port clients reach the server at
};

HttpResponse version_document(const ServerInfo& info);
HttpResponse api_versions(const ServerInfo& info);
HttpResponse api_groups();
HttpResponse core_resources();
HttpResponse auth_group();
HttpResponse auth_resources();
// 200 with an empty body of type application/octet-stream: an empty schema,
// so kubectl validates nothing and falls back to its compiled-in types for
// apply. (A content type with '@', the protobuf one kubectl asks for, would
// break Go's mime parser.)
HttpResponse openapi_v2();
HttpResponse health();

}  // namespace sasim::api
