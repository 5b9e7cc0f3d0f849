// An HTTP exchange as plain data: what the server threads (tools/serve) hand
// to the translation layer and get back. No sockets here; headers that the
// translation does not read are not carried.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sasim::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", "PUT", "PATCH", "DELETE", ...
  std::string path;    // percent-decoded, without the query
  // The query's parameters, decoded, in the order given (a key may repeat).
  std::vector<std::pair<std::string, std::string>> query;
  std::string content_type;   // the Content-Type header, as sent
  std::string accept;         // the Accept header, as sent
  std::string authorization;  // the Authorization header, as sent
  std::string user_agent;
  std::string body;

  // The first value of a query parameter.
  std::optional<std::string> param(std::string_view key) const {
    for (const auto& [k, v] : query) {
      if (k == key) return v;
    }
    return std::nullopt;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// The media types the apiserver speaks.
inline constexpr std::string_view kMediaJson = "application/json";
inline constexpr std::string_view kMediaYaml = "application/yaml";
inline constexpr std::string_view kMediaProtobuf = "application/vnd.kubernetes.protobuf";

}  // namespace sasim::api
