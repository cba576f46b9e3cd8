// serve.toml: how `severn serve` listens, where its users, audit log and served data live, and its
// security limits (docs/serve.md "Configuration"). Relative paths are relative to the config
// file's directory. Every key is checked: an unknown key or a value of the wrong type is an
// InputError naming the file, line and key, so a typo never silently leaves a default in force.
#pragma once
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>

namespace severn::server {

struct ServeConfig {
  std::filesystem::path file;  // the config file itself

  // [server]
  std::string address = "127.0.0.1";
  int port = 8443;
  std::filesystem::path certificate, private_key;  // PEM; required
  // Worker threads. httplib gives a keep-alive connection a thread until it closes or idles 5 s:
  // fewer threads than open connections leaves the rest queued, whatever the load.
  int threads = 256;
  int keep_alive_requests = 1000;     // requests on one connection before it is closed
  std::size_t max_body_bytes = 16384;   // a larger request body: 413
  std::size_t max_uri_bytes = 2048;     // a longer request target: 414
  std::chrono::seconds read_timeout{10};

  // [data]
  std::filesystem::path report;    // a `severn report` directory over the store; built at start if absent
  std::string reference;           // reference pack ("": $SEVERN_DATA, else ../shared/data)
  std::string index_date;          // YYYY-MM-DD, or "" for the store's data end
  std::size_t elective_runs = 100; // simulation runs per scenario when the report is built here

  // [access]
  std::filesystem::path users, audit_log, audit_key;  // required
  std::chrono::seconds session_idle{1800}, session_absolute{8 * 3600};
  int max_failures = 5;
  std::chrono::seconds lockout{900};
  int max_logins_per_address_per_minute = 20;
};

// Throws InputError naming the file (and line) on anything missing, unknown or malformed.
ServeConfig load_serve_config(const std::filesystem::path& file);

// The text of a config for the demo: everything under `dir` (certificate, users, audit, report).
std::string demo_serve_config(int port);

}  // namespace severn::server
