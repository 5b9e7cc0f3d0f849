// The HTTP side of `sasim serve`: cpp-httplib's server (over TLS unless
// asked for plain HTTP) on a pool of threads, each request turned into an
// api::HttpRequest and handed to the Simulation, each answer written back;
// a watch is a chunked response fed from its WatchChannel until the client
// goes, the watch's timeout passes or the server stops.
//
// Why cpp-httplib (Debian's libcpp-httplib-dev 0.11.4): a maintained,
// blocking-per-connection server with OpenSSL 3 TLS (sasim already uses
// OpenSSL for its JWTs), chunked streaming for watches and every verb
// kubectl sends, in a few hundred lines of glue; Boost.Beast (already
// installed) would need an asynchronous design several times larger, and
// the C servers in Debian bring a second TLS stack (docs/serve.md).
#pragma once

#include <memory>
#include <string>

#include "api/http.h"
#include "sim/result.h"
#include "tools/serve/simulation.h"
#include "tools/serve/tls.h"

namespace sasim::tools::serve {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 6443;  // 0: any free port
  const TlsIdentity* tls = nullptr;  // null: plain HTTP
  int threads = 64;  // connections served at once (each watch holds one)
  // Connections waiting for a thread; beyond them, 429 (connection_queue.h).
  int max_waiting = 256;
};

// The Status for one of cpp-httplib's own refusals, by the code it chose:
// 413 (a body over 3 MiB), 414 (a request line over 8 KiB), else 400 (a
// header line over 8 KiB, a request that is not HTTP/1.1). The answer
// keeps the code; only 413 and 414 have one of their own.
api::HttpResponse refusal_status(int code);

class HttpServer {
 public:
  HttpServer(Simulation& simulation, HttpServerOptions options);
  ~HttpServer();
  // Binds the port; the port bound (useful with port 0).
  sim::Result<int> bind();
  // Serves until stop(); call from its own thread.
  void serve();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sasim::tools::serve
