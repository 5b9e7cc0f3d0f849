#include "tools/serve/http_server.h"

#include <httplib.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <chrono>

#include "api/bodies.h"
#include "api/status_json.h"
#include "tools/serve/connection_queue.h"

namespace sasim::tools::serve {
namespace {

api::HttpRequest to_api(const httplib::Request& req) {
  api::HttpRequest out;
  out.method = req.method;
  out.path = req.path;  // percent-decoded by cpp-httplib
  for (const auto& [key, value] : req.params) out.query.emplace_back(key, value);
  out.content_type = req.get_header_value("Content-Type");
  out.accept = req.get_header_value("Accept");
  out.authorization = req.get_header_value("Authorization");
  out.user_agent = req.get_header_value("User-Agent");
  out.body = req.body;
  return out;
}

// Whether the client of a watch has gone. A watch's client sends nothing
// after its request, so anything to read on the socket is its end: a FIN,
// or over TLS the close_notify alert Go sends first (which is why
// cpp-httplib's is_writable, which peeks for data, cannot tell).
bool client_gone(int fd, httplib::DataSink& sink) {
  if (fd < 0) return !sink.is_writable();
  pollfd p{.fd = fd, .events = POLLIN | POLLRDHUP, .revents = 0};
  return poll(&p, 1, 0) != 0;
}

// Streams a watch's events until it ends. `fd`: the connection's socket
// (-1: unknown, plain HTTP).
void stream_watch(httplib::Response& res, const Reply& reply, int fd) {
  std::shared_ptr<WatchChannel> channel = reply.watch;
  const auto deadline = reply.watch_timeout_seconds
                            ? std::chrono::steady_clock::now() + std::chrono::seconds(*reply.watch_timeout_seconds)
                            : std::chrono::steady_clock::time_point::max();
  res.status = 200;
  res.set_chunked_content_provider(
      reply.response.content_type,
      [channel, deadline, fd](std::size_t, httplib::DataSink& sink) {
        // Each call waits a quarter of a second at most, so that cpp-httplib
        // sees a server stop between calls.
        if (std::chrono::steady_clock::now() >= deadline) {
          channel->close();
          sink.done();
          return true;
        }
        std::vector<std::string> events;
        const bool open = channel->pop(events, std::chrono::milliseconds(250));
        for (const std::string& event : events) {
          if (!sink.write(event.data(), event.size())) {
            channel->close();
            return false;
          }
        }
        if (events.empty() && !open) {
          sink.done();
          return true;
        }
        if (events.empty() && client_gone(fd, sink)) {
          channel->close();
          return false;
        }
        return true;
      },
      [channel](bool) { channel->close(); });
}

}  // namespace

api::HttpResponse refusal_status(int code) {
  switch (code) {
    case 413: return api::too_large(api::kMaxBodyBytes);
    case 414: return api::uri_too_long(CPPHTTPLIB_REQUEST_URI_MAX_LENGTH);
    default: return api::status_response(model::status_bad_request("the request could not be read as HTTP/1.1"));
  }
}

struct HttpServer::Impl {
  Simulation& simulation;
  HttpServerOptions options;
  std::unique_ptr<httplib::Server> server;

  Impl(Simulation& sim, HttpServerOptions opts) : simulation(sim), options(std::move(opts)) {
    if (options.tls != nullptr) {
      server = std::make_unique<httplib::SSLServer>(options.tls->certificate.get(), options.tls->key.get());
    } else {
      server = std::make_unique<httplib::Server>();
    }
    const auto threads = static_cast<std::size_t>(options.threads);
    const auto max_waiting = static_cast<std::size_t>(options.max_waiting);
    server->new_task_queue = [threads, max_waiting] { return new ConnectionQueue(threads, max_waiting); };
    server->set_pre_routing_handler(refuse_when_full);
    server->set_keep_alive_max_count(1'000'000);
    // An idle connection is closed after 5 s (clients reconnect at once);
    // cpp-httplib waits that long for idle connections when it stops.
    server->set_keep_alive_timeout(5);
    // A client that stops sending or reading mid-request loses its
    // connection after 5 s rather than holding a thread (cpp-httplib's
    // defaults, set here so that docs/hardening.md's limits are visible).
    server->set_read_timeout(5, 0);
    server->set_write_timeout(5, 0);
    server->set_payload_max_length(api::kMaxBodyBytes);
    server->set_tcp_nodelay(true);
    const httplib::Server::Handler handler = [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res);
    };
    server->Get(".*", handler);
    server->Post(".*", handler);
    server->Put(".*", handler);
    server->Patch(".*", handler);
    server->Delete(".*", handler);
    server->Options(".*", handler);
    // cpp-httplib's own refusals (a body over the limit, a request line over
    // its limit, a request it cannot parse) get the apiserver's Status, with
    // the code cpp-httplib answers (its 414 is not a 400).
    server->set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      const api::HttpResponse status = refusal_status(res.status);
      res.status = status.status;
      res.set_content(status.body, status.content_type);
      return httplib::Server::HandlerResponse::Handled;
    }));
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    // Never compress: Go asks for gzip on every request, and cpp-httplib
    // would then gzip a watch stream chunk by chunk, holding events back in
    // the compressor. The apiserver itself leaves small answers plain.
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");  // the object is the server's own, not const
    Reply reply = simulation.handle(to_api(req));
    if (!reply.warning.empty()) res.set_header("Warning", reply.warning);
    if (reply.watch) {
      stream_watch(res, reply, req.ssl != nullptr ? SSL_get_fd(req.ssl) : -1);
      return;
    }
    res.status = reply.response.status;
    res.set_content(reply.response.body, reply.response.content_type);
  }
};

HttpServer::HttpServer(Simulation& simulation, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(simulation, std::move(options))) {}

HttpServer::~HttpServer() = default;

sim::Result<int> HttpServer::bind() {
  if (!impl_->server->is_valid()) return sim::unexpected(sim::Error{"the HTTP server could not be set up (TLS)"});
  if (impl_->options.port == 0) {
    const int port = impl_->server->bind_to_any_port(impl_->options.host);
    if (port < 0) return sim::unexpected(sim::Error{"cannot listen on " + impl_->options.host});
    return port;
  }
  if (!impl_->server->bind_to_port(impl_->options.host, impl_->options.port)) {
    return sim::unexpected(
        sim::Error{"cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port)});
  }
  return impl_->options.port;
}

void HttpServer::serve() { impl_->server->listen_after_bind(); }

void HttpServer::stop() { impl_->server->stop(); }

}  // namespace sasim::tools::serve
