#include "server/http_server.h"

#include <httplib.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/error.h"
#include "server/api_json.h"

namespace severn::server {
namespace {

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Mozilla's "intermediate" TLS configuration: TLS 1.2 and 1.3 only, AEAD ciphers with forward
// secrecy for 1.2 (https://wiki.mozilla.org/Security/Server_Side_TLS, version 5.7).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

const std::vector<std::pair<std::string, std::string>>& security_headers() {
  static const std::vector<std::pair<std::string, std::string>> h{
      // Only this server's own scripts, styles, images and API: no inline script, no framing.
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
      {"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"},
      // Identifiable lists must not sit in any cache; aggregates change with each report.
      {"Cache-Control", "no-store"},
  };
  return h;
}

struct HttpServer::Impl {
  Api& api;
  const ServeConfig& config;
  std::function<void(const std::string&)> log;
  std::unique_ptr<httplib::SSLServer> server;
  int port = 0;

  Impl(Api& a, const ServeConfig& c, std::function<void(const std::string&)> l) : api(a), config(c), log(std::move(l)) {}

  void handle(const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    ApiResponse r;
    if (req.target.size() > config.max_uri_bytes) {
      r.status = 414;
      r.body = error_json("request target too long");
      r.route = "(too long)";
    } else {
      // The target is parsed here, not by httplib (which folds identical repeated parameters):
      // what the API checks is exactly what was sent.
      ApiRequest a;
      std::string why;
      if (!parse_request_target(req.target, a, why)) {
        r.status = 400;
        r.body = error_json(why);
        r.route = "(malformed target)";
      } else {
        a.method = req.method;
        for (const auto& [k, v] : req.headers) a.headers.emplace_back(k, v);
        a.body = req.body;
        a.remote_address = req.remote_addr;
        r = api.handle(a);
      }
    }
    res.status = r.status;
    for (const auto& [k, v] : r.headers) res.set_header(k, v);
    if (req.method == "HEAD") res.set_header("Content-Type", r.content_type);
    else res.set_content(std::move(r.body), r.content_type);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    char line[512];
    std::snprintf(line, sizeof line, "%s %s %s %d %.1f ms %s", utc_now().c_str(), req.method.c_str(),
                  r.route.empty() ? "(no route)" : r.route.c_str(), r.status, ms, r.user.empty() ? "-" : r.user.c_str());
    log(line);
  }
};

HttpServer::HttpServer(Api& api, const ServeConfig& config, std::function<void(const std::string&)> log)
    : impl_(std::make_unique<Impl>(api, config, std::move(log))) {
  std::string problem;
  const std::string cert = config.certificate.string(), key = config.private_key.string();
  impl_->server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_set_cipher_list(&ctx, kTls12Ciphers) != 1) problem = "the TLS 1.2 cipher list was refused";
    else if (SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) != 1)
      problem = cert + ": not a readable PEM certificate (chain)";
    else if (SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) != 1)
      problem = key + ": not a readable PEM private key";
    else if (SSL_CTX_check_private_key(&ctx) != 1)
      problem = key + ": does not match the certificate " + cert;
    return problem.empty();
  });
  if (!problem.empty() || !impl_->server->is_valid())
    throw InputError("severn serve: TLS: " + (problem.empty() ? std::string("could not set up TLS") : problem));
  httplib::SSLServer& s = *impl_->server;
  httplib::Headers defaults;
  for (const auto& [k, v] : security_headers()) defaults.emplace(k, v);
  s.set_default_headers(defaults);
  const int threads = config.threads;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  s.set_payload_max_length(config.max_body_bytes);
  s.set_read_timeout(config.read_timeout.count(), 0);
  s.set_write_timeout(config.read_timeout.count(), 0);
  s.set_keep_alive_max_count(static_cast<std::size_t>(config.keep_alive_requests));
  s.set_keep_alive_timeout(5);
  // A response goes out in more than one write (headers, then body): with Nagle's algorithm the
  // second waits for the client's delayed ACK, about 40 ms on Linux, on every request.
  s.set_tcp_nodelay(true);
  Impl* impl = impl_.get();
  const auto handler = [impl](const httplib::Request& req, httplib::Response& res) { impl->handle(req, res); };
  s.Get(".*", handler);
  s.Post(".*", handler);
  s.Put(".*", handler);
  s.Delete(".*", handler);
  s.Patch(".*", handler);
  s.Options(".*", handler);
  // httplib's own refusals (a malformed request line, a body over the limit, an unknown method)
  // get a JSON body like every other error; the security headers come from the defaults.
  s.set_error_handler([impl](const httplib::Request& req, httplib::Response& res) {
    // httplib calls this for every status of 400 or more, the API's own too: those have a body
    // and were logged by handle().
    if (!res.body.empty()) return;
    res.set_content(error_json("bad request (" + std::to_string(res.status) + ")"), "application/json");
    impl->log(utc_now() + " " + (req.method.size() <= 16 ? req.method : std::string("?")) + " (refused by the HTTP layer) " +
              std::to_string(res.status));
  });
  s.set_exception_handler([impl](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(error_json("internal error: nothing was sent"), "application/json");
    impl->log(utc_now() + " exception in the HTTP layer");
  });
}

HttpServer::~HttpServer() = default;

int HttpServer::bind() {
  httplib::SSLServer& s = *impl_->server;
  if (impl_->config.port == 0) {
    impl_->port = s.bind_to_any_port(impl_->config.address);
    if (impl_->port < 0) throw InputError("severn serve: cannot bind " + impl_->config.address);
  } else {
    if (!s.bind_to_port(impl_->config.address, impl_->config.port))
      throw InputError("severn serve: cannot bind " + impl_->config.address + ":" + std::to_string(impl_->config.port) +
                       " (in use, or not allowed)");
    impl_->port = impl_->config.port;
  }
  return impl_->port;
}

void HttpServer::run() { impl_->server->listen_after_bind(); }

void HttpServer::stop() { impl_->server->stop(); }

}  // namespace severn::server
