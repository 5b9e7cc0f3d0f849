// sasim serve's request handling: the api layer's routing, body decoding
// (JSON, YAML, protobuf) and planning, which sees every byte a client sends.
#include <string>
#include <variant>

#include "api/plan.h"
#include "api/route.h"
#include "tools/fuzz_inputs/targets.h"

namespace sasim::tools::fuzz_inputs {

namespace {

std::string_view next_line(std::string_view& rest) {
  const std::size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// "a=1&b=2" in order; keys may repeat, as in the server's parsed query.
void read_query(std::string_view text, api::HttpRequest& request) {
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    const std::size_t eq = pair.find('=');
    request.query.emplace_back(std::string(pair.substr(0, eq)),
                               eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
  }
}

}  // namespace

// The input is an HTTP/1.1 request as text: "METHOD PATH[?QUERY]", header
// lines (Content-Type, Accept, Authorization, User-Agent, and X-Identity:
// anonymous for a request without credentials), a blank line, the body.
// The path is taken as already percent-decoded, as the server hands it on.
void fuzz_serve(std::string_view input) {
  std::string_view rest = input;
  const std::string_view request_line = next_line(rest);
  api::HttpRequest request;
  const std::size_t space = request_line.find(' ');
  request.method = std::string(request_line.substr(0, space));
  std::string_view target = space == std::string_view::npos ? std::string_view() : request_line.substr(space + 1);
  const std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) read_query(target.substr(question + 1), request);
  bool anonymous = false;
  for (std::string_view line = next_line(rest); !line.empty(); line = next_line(rest)) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (name == "Content-Type") request.content_type = value;
    else if (name == "Accept") request.accept = value;
    else if (name == "Authorization") request.authorization = value;
    else if (name == "User-Agent") request.user_agent = value;
    else if (name == "X-Identity") anonymous = value == "anonymous";
  }
  request.body = std::string(rest);

  (void)api::route(request.path);
  const api::Context context;
  const api::Plan plan =
      api::plan_request(request, anonymous ? api::Identity::anonymous() : api::Identity::admin(), context);
  if (const auto* response = std::get_if<api::HttpResponse>(&plan)) {
    fuzz_check(response->status >= 200 && response->status < 600, "an answer with no HTTP status");
  } else if (const auto* call = std::get_if<api::ApiCall>(&plan)) {
    // The simulation gave no answer in time: the 504 every call can get.
    (void)api::render_call(*call, std::nullopt, context);
  } else if (const auto* review = std::get_if<api::TokenReviewCall>(&plan)) {
    (void)api::render_review(*review, std::nullopt);
  }
}

}  // namespace sasim::tools::fuzz_inputs
