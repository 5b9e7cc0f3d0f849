// cpp-httplib's own refusals, over a real socket: each answer is the
// apiserver's Status with the code of the answer itself.
#include "tools/serve/http_server.h"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "scenarios/parser.h"

namespace sasim::tools::serve {
namespace {

// Sends `request` as it is and reads one answer: its head, then as many
// bytes as its Content-Length says (the server keeps the connection open).
std::string send_raw(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  const timeval timeout{.tv_sec = 10, .tv_usec = 0};  // a hung server fails the test rather than hanging it
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and stop reading before the end
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  char buffer[4096];
  for (;;) {
    const std::size_t head_end = answer.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const std::size_t length_at = answer.find("Content-Length: ");
      if (length_at != std::string::npos && length_at < head_end &&
          answer.size() >= head_end + 4 + std::stoul(answer.substr(length_at + 16))) {
        break;
      }
    }
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

struct Answer {
  int status = 0;
  nlohmann::json body;
};

Answer parse(const std::string& answer) {
  Answer out;
  INFO("answer: " << answer.substr(0, 300));
  REQUIRE(answer.starts_with("HTTP/1.1 "));
  out.status = std::stoi(answer.substr(9, 3));
  const std::size_t blank = answer.find("\r\n\r\n");
  REQUIRE(blank != std::string::npos);
  out.body = nlohmann::json::parse(answer.substr(blank + 4));
  return out;
}

TEST_CASE("serve: a request line or a header line or a body over its limit gets a Status with its own code") {
  auto parsed = scenarios::parse_scenario_text("name: serve\n", "serve.yaml");
  REQUIRE(parsed.ok());
  SimulationOptions simulation_options;
  simulation_options.log_requests = false;
  auto simulation = Simulation::start(std::move(parsed).value(), simulation_options);
  REQUIRE(simulation.ok());
  HttpServer server(*simulation.value(), HttpServerOptions{.host = "127.0.0.1", .port = 0, .threads = 4});
  const auto port = server.bind();
  REQUIRE(port.ok());
  std::thread serving([&server] { server.serve(); });

  const Answer long_line =
      parse(send_raw(port.value(), "GET /api/v1/" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(long_line.status == 414);
  CHECK(long_line.body["kind"] == "Status");
  CHECK(long_line.body["code"] == 414);
  CHECK(long_line.body["message"] == "Request-URI too long: limit is 8192");

  const Answer long_header = parse(
      send_raw(port.value(), "GET /version HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(9000, 'h') + "\r\n\r\n"));
  CHECK(long_header.status == 400);
  CHECK(long_header.body["code"] == 400);
  CHECK(long_header.body["reason"] == "BadRequest");

  const std::string body(3 * 1024 * 1024 + 1, ' ');
  const Answer large = parse(send_raw(port.value(), "POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n"
                                                    "Content-Type: application/json\r\nContent-Length: " +
                                                        std::to_string(body.size()) + "\r\n\r\n" + body));
  CHECK(large.status == 413);
  CHECK(large.body["code"] == 413);
  CHECK(large.body["message"] == "Request entity too large: limit is 3145728");

  server.stop();
  serving.join();
}

TEST_CASE("serve: refusal_status keeps the code of cpp-httplib's refusal") {
  CHECK(refusal_status(413).status == 413);
  CHECK(refusal_status(414).status == 414);
  CHECK(nlohmann::json::parse(refusal_status(414).body)["code"] == 414);
  CHECK(refusal_status(400).status == 400);
  CHECK(nlohmann::json::parse(refusal_status(400).body)["code"] == 400);
}

}  // namespace
}  // namespace sasim::tools::serve
