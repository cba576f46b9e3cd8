#include "server/serve_config.h"

#include <toml++/toml.h>

#include <functional>
#include <map>
#include <set>

#include "core/date.h"
#include "core/error.h"

namespace severn::server {
namespace {

std::string where(const ServeConfig& c, const toml::node& n) {
  return c.file.string() + ":" + std::to_string(n.source().begin.line);
}

// Each key the config may hold, with the reader that stores it.
using Reader = std::function<void(ServeConfig&, const toml::node&, const std::string& key)>;

std::string text_of(const ServeConfig& c, const toml::node& n, const std::string& key) {
  if (!n.is_string()) throw InputError(where(c, n) + ": " + key + ": must be a string");
  return n.as_string()->get();
}

long long int_of(const ServeConfig& c, const toml::node& n, const std::string& key, long long lo, long long hi) {
  if (!n.is_integer()) throw InputError(where(c, n) + ": " + key + ": must be an integer");
  const long long v = n.as_integer()->get();
  if (v < lo || v > hi)
    throw InputError(where(c, n) + ": " + key + ": " + std::to_string(v) + " is outside " + std::to_string(lo) + ".." +
                     std::to_string(hi));
  return v;
}

std::filesystem::path path_of(const ServeConfig& c, const toml::node& n, const std::string& key) {
  const std::string t = text_of(c, n, key);
  if (t.empty()) throw InputError(where(c, n) + ": " + key + ": empty path");
  const std::filesystem::path p(t);
  return p.is_absolute() ? p : c.file.parent_path() / p;
}

const std::map<std::string, Reader>& readers() {
  static const std::map<std::string, Reader> r{
      {"server.address", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.address = text_of(c, n, k); }},
      {"server.port", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.port = static_cast<int>(int_of(c, n, k, 0, 65535)); }},
      {"server.certificate", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.certificate = path_of(c, n, k); }},
      {"server.private_key", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.private_key = path_of(c, n, k); }},
      {"server.threads", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.threads = static_cast<int>(int_of(c, n, k, 2, 1024)); }},
      {"server.keep_alive_requests", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.keep_alive_requests = static_cast<int>(int_of(c, n, k, 1, 100000)); }},
      {"server.max_body_bytes", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.max_body_bytes = static_cast<std::size_t>(int_of(c, n, k, 256, 1 << 20)); }},
      {"server.max_uri_bytes", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.max_uri_bytes = static_cast<std::size_t>(int_of(c, n, k, 256, 8192)); }},
      {"server.read_timeout_seconds", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.read_timeout = std::chrono::seconds(int_of(c, n, k, 1, 300)); }},
      {"data.report", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.report = path_of(c, n, k); }},
      {"data.reference", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.reference = path_of(c, n, k).string(); }},
      {"data.index_date", [](ServeConfig& c, const toml::node& n, const std::string& k) {
         c.index_date = text_of(c, n, k);
         if (!parse_iso_date(c.index_date)) throw InputError(where(c, n) + ": " + k + ": '" + c.index_date + "' is not a date YYYY-MM-DD");
       }},
      {"data.elective_runs", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.elective_runs = static_cast<std::size_t>(int_of(c, n, k, 0, 10000)); }},
      {"access.users", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.users = path_of(c, n, k); }},
      {"access.audit_log", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.audit_log = path_of(c, n, k); }},
      {"access.audit_key", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.audit_key = path_of(c, n, k); }},
      {"access.session_idle_minutes", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.session_idle = std::chrono::minutes(int_of(c, n, k, 1, 24 * 60)); }},
      {"access.session_absolute_hours", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.session_absolute = std::chrono::hours(int_of(c, n, k, 1, 24)); }},
      {"access.max_failures", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.max_failures = static_cast<int>(int_of(c, n, k, 1, 100)); }},
      {"access.lockout_minutes", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.lockout = std::chrono::minutes(int_of(c, n, k, 1, 24 * 60)); }},
      {"access.max_logins_per_address_per_minute", [](ServeConfig& c, const toml::node& n, const std::string& k) { c.max_logins_per_address_per_minute = static_cast<int>(int_of(c, n, k, 1, 10000)); }},
  };
  return r;
}

}  // namespace

ServeConfig load_serve_config(const std::filesystem::path& file) {
  ServeConfig c;
  c.file = std::filesystem::absolute(file);
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw InputError(file.string() + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  for (const auto& [section, node] : root) {
    const std::string s(section.str());
    if (s != "server" && s != "data" && s != "access")
      throw InputError(where(c, node) + ": unknown section [" + s + "] (sections: server, data, access)");
    if (!node.is_table()) throw InputError(where(c, node) + ": " + s + " must be a table [" + s + "]");
    for (const auto& [key, value] : *node.as_table()) {
      const std::string full = s + "." + std::string(key.str());
      const auto r = readers().find(full);
      if (r == readers().end()) throw InputError(where(c, value) + ": unknown key " + full + " (docs/serve.md lists the keys)");
      r->second(c, value, full);
    }
  }
  const auto require = [&](const std::filesystem::path& p, const char* key) {
    if (p.empty()) throw InputError(file.string() + ": " + key + " is required");
  };
  require(c.certificate, "server.certificate");
  require(c.private_key, "server.private_key");
  require(c.users, "access.users");
  require(c.audit_log, "access.audit_log");
  require(c.audit_key, "access.audit_key");
  if (c.report.empty()) c.report = c.file.parent_path() / "report";
  return c;
}

std::string demo_serve_config(int port) {
  return "# severn serve: the demo's configuration (docs/serve.md). Paths are relative to this file.\n"
         "[server]\n"
         "address = \"127.0.0.1\"\n"
         "port = " + std::to_string(port) + "\n"
         "certificate = \"cert.pem\"\n"
         "private_key = \"key.pem\"\n"
         "\n[data]\n"
         "report = \"report\"\n"
         "\n[access]\n"
         "users = \"users.toml\"\n"
         "audit_log = \"audit.log\"\n"
         "audit_key = \"audit.key\"\n";
}

}  // namespace severn::server
