// HTTP/1.1 over TLS (cpp-httplib with OpenSSL) in front of the Api: it translates requests and
// responses, enforces the transport's limits (body and request-target sizes, timeouts, worker
// threads), sets the security headers on every response, including httplib's own errors, and
// logs one line per request: time, method, route pattern, status, milliseconds, user. Never the
// path or query as sent, never a body (docs/serve.md "Logs").
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "server/api.h"
#include "server/serve_config.h"

namespace severn::server {

// The headers every response carries (docs/serve.md "Security headers").
const std::vector<std::pair<std::string, std::string>>& security_headers();

class HttpServer {
 public:
  // Loads the certificate and key (TLS 1.2 or later only). Throws InputError naming the file
  // when either cannot be used.
  HttpServer(Api& api, const ServeConfig& config, std::function<void(const std::string&)> log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the configured address and port (port 0: any free port); returns the port bound.
  // Throws InputError when it cannot bind.
  int bind();
  // Serves until stop() (from another thread or a signal handler's thread).
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace severn::server
