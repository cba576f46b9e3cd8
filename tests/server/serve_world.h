// A small synthetic ICS served by a real `severn serve` over TLS on a free port, for the server's
// tests. The world (store, report, certificate, users with known passwords) is built once per
// build of the tests (shared_world.h); each test starts its own server process with its own
// audit log, sessions and throttle, so tests never share state, and stops it at the end.
#pragma once
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "ingest/ingest_fixture.h"
#include "refdata/data_dir.h"
#include "refdata/organisations.h"
#include "run_severn.h"
#include "server/password_hash.h"
#include "server/self_signed.h"
#include "server/users.h"
#include "shared_world.h"

namespace severn::testing {

struct ServeUser {
  std::string name, password;
  server::Role role;
  std::vector<std::string> pcns, providers;
  bool disabled = false;
};

struct ServeWorld {
  std::filesystem::path dir, store, report, cert, key, users;
  std::vector<ServeUser> people;
  std::vector<std::string> pcns;       // every PCN code of the reference pack but "U"
  std::vector<std::string> providers;  // the waiting list's providers
  const ServeUser& user(const std::string& name) const {
    for (const auto& u : people)
      if (u.name == name) return u;
    throw std::runtime_error("no test user " + name);
  }
};

// serve.toml for one test's server: its own audit log, the world's users, report and certificate.
inline std::string serve_config_text(const ServeWorld& w, const std::filesystem::path& own, const std::string& extra_access = "",
                                     const std::filesystem::path& users = {}) {
  return "[server]\naddress = \"127.0.0.1\"\nport = 0\ncertificate = \"" + w.cert.string() + "\"\nprivate_key = \"" +
         w.key.string() + "\"\n[data]\nreport = \"" + w.report.string() + "\"\nreference = \"" + SEVERN_TEST_DATA_DIR +
         "\"\nelective_runs = 20\n[access]\nusers = \"" + (users.empty() ? w.users : users).string() + "\"\naudit_log = \"" +
         (own / "audit.log").string() + "\"\naudit_key = \"" + (own / "audit.key").string() + "\"\n" + extra_access;
}

// A running `severn serve`; stopped (SIGTERM, then waited for) when destroyed.
class ServeProcess {
 public:
  // `users`: a users file of the test's own instead of the world's (for tests that change it).
  ServeProcess(const ServeWorld& w, const std::filesystem::path& own, const std::string& extra_access = "",
               const std::filesystem::path& users = {})
      : dir_(own) {
    std::filesystem::create_directories(own);
    write_text(own / "serve.toml", serve_config_text(w, own, extra_access, users));
    const std::filesystem::path ready = own / "port";
    std::filesystem::remove(ready);
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string out = (own / "stdout.txt").string(), err = (own / "stderr.txt").string();
      if (std::freopen(out.c_str(), "w", stdout) == nullptr || std::freopen(err.c_str(), "w", stderr) == nullptr) ::_exit(126);
      const std::string config = (own / "serve.toml").string(), store = w.store.string(), ready_s = ready.string();
      ::execl(SEVERN_BINARY, SEVERN_BINARY, "serve", "--store", store.c_str(), "--config", config.c_str(), "--ready-file",
              ready_s.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
    while (std::chrono::steady_clock::now() < deadline) {
      if (std::filesystem::exists(ready)) {
        port_ = std::stoi(read_text(ready));
        return;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "severn serve did not start: " << read_text(own / "stdout.txt") << read_text(own / "stderr.txt");
  }
  ~ServeProcess() { stop(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Stops the server; its exit status (0 when it stopped cleanly), or -1.
  int stop() {
    if (pid_ <= 0) return exit_status_;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_status_;
  }
  bool running() const { return pid_ > 0 && port_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path audit_log() const { return dir_ / "audit.log"; }
  std::filesystem::path audit_key() const { return dir_ / "audit.key"; }
  std::string log() const { return read_text(dir_ / "stderr.txt"); }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;
};

// A TLS client that checks the server's certificate against the world's self-signed one.
inline std::unique_ptr<httplib::SSLClient> https_client(const ServeWorld& w, int port) {
  auto c = std::make_unique<httplib::SSLClient>("localhost", port);
  c->set_ca_cert_path(w.cert.string().c_str());
  c->enable_server_certificate_verification(true);
  c->set_connection_timeout(10);
  c->set_read_timeout(60);
  return c;
}

// Signs in; returns the session cookie ("name=value") and the CSRF token, or empty on failure.
struct SignedIn {
  std::string cookie, csrf;
  int status = 0;
};
inline SignedIn sign_in(httplib::SSLClient& c, const std::string& user, const std::string& password) {
  SignedIn s;
  const auto r = c.Post("/api/login", "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}", "application/json");
  if (!r) return s;
  s.status = r->status;
  if (r->status != 200) return s;
  const std::string set = r->get_header_value("Set-Cookie");
  s.cookie = set.substr(0, set.find(';'));
  const std::string key = "\"csrf_token\":\"";
  const auto at = r->body.find(key);
  if (at != std::string::npos) s.csrf = r->body.substr(at + key.size(), 64);
  return s;
}

// The world's files under `dir` (what serve_world() builds there).
inline ServeWorld serve_world_files(const std::filesystem::path& dir) {
  ServeWorld w;
  w.dir = dir;
  w.store = dir / "store";
  w.report = dir / "report";
  w.cert = dir / "cert.pem";
  w.key = dir / "key.pem";
  w.users = dir / "users.toml";
  return w;
}

inline const ServeWorld& serve_world() {
  static const ServeWorld w = [] {
    const std::vector<std::string> pcn_codes = [] {
      std::vector<std::string> v;
      for (const auto& p : refdata::load_organisations(refdata::DataDir::resolve(SEVERN_TEST_DATA_DIR)).pcns)
        if (p.code != "U") v.push_back(p.code);
      return v;
    }();
    const auto dir = shared_world("serve-world", [&](const std::filesystem::path& d) {
      const auto src = d / "src";
      synthesize_small(src, 3000, 20261207);
      ingest::run_ingest(options_for(src, d / "store", write_key(d)));
      server::write_self_signed_certificate(d / "cert.pem", d / "key.pem", 30);
      // Users with known (random, synthetic-world-only) passwords, kept beside the world.
      server::UserDirectory users;
      std::string passwords;
      const auto add = [&](const std::string& name, server::Role role, std::vector<std::string> pcns,
                           std::vector<std::string> providers, bool disabled) {
        server::User u;
        u.name = name;
        u.role = role;
        u.pcns = std::move(pcns);
        u.providers = std::move(providers);
        const std::string pw = server::random_password();
        u.password_hash = server::hash_password(pw);
        u.disabled = disabled;
        users.add(u);
        passwords += name + " " + pw + "\n";
      };
      add("ann.analyst", server::Role::kAnalyst, {}, {}, false);
      add("cla.clinician", server::Role::kClinician, {pcn_codes.at(0)}, {}, false);
      add("clb.clinician", server::Role::kClinician, {pcn_codes.at(1), pcn_codes.at(2)}, {}, false);
      add("ela.elective", server::Role::kElective, {}, {"RXW"}, false);
      add("elb.elective", server::Role::kElective, {}, {"RL1"}, false);
      add("adm.admin", server::Role::kAdmin, {}, {}, false);
      add("dis.clinician", server::Role::kClinician, {pcn_codes.at(0)}, {}, true);
      users.save(d / "users.toml");
      write_text(d / "passwords.txt", passwords);
      // The first start builds the report the tests' servers then reuse (its stamp matches).
      ServeProcess first(serve_world_files(d), d / "first-start");
      if (!first.running()) throw std::runtime_error("the world's first severn serve did not start");
      if (first.stop() != 0) throw std::runtime_error("the world's first severn serve did not stop cleanly");
    });
    ServeWorld r = serve_world_files(dir);
    r.pcns = pcn_codes;
    r.providers = {"RL1", "RXW"};
    const auto users = server::UserDirectory::load(r.users);
    std::istringstream in(read_text(dir / "passwords.txt"));
    for (std::string name, pw; in >> name >> pw;) {
      const server::User* u = users.find(name);
      r.people.push_back({name, pw, u->role, u->pcns, u->providers, u->disabled});
    }
    return r;
  }();
  return w;
}

}  // namespace severn::testing
