// `severn serve`: the dashboard and API over a store (docs/serve.md), and `severn serve init`,
// which prepares a directory for it: a configuration, a self-signed certificate and one demo user
// per role whose random passwords are printed once (only their argon2id hashes are kept).
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "core/error.h"
#include "elective/ptl_reader.h"
#include "refdata/data_dir.h"
#include "refdata/organisations.h"
#include "server/api.h"
#include "server/audit_log.h"
#include "server/http_server.h"
#include "server/login_throttle.h"
#include "server/owner_only_file.h"
#include "server/password_hash.h"
#include "server/self_signed.h"
#include "server/serve_config.h"
#include "server/served_data.h"
#include "server/sessions.h"
#include "server/users.h"
#include "store/store.h"

namespace severn::cli {
namespace {

namespace fs = std::filesystem;

struct ServeArgs {
  std::string store, config, ready_file;
  int port = -1;  // -1: the config's
};

struct InitArgs {
  std::string dir, store, data;
  int port = 8443;
};

void run_serve(const ServeArgs& a) {
  if (a.store.empty() || a.config.empty())
    throw InputError("severn serve: --store and --config are required (or `severn serve init` to make a config)");
  server::ServeConfig config = server::load_serve_config(a.config);
  if (a.port >= 0) config.port = a.port;
  // SIGINT and SIGTERM are taken by one thread that stops the server, so every worker thread
  // (started later, inheriting the mask) keeps running its request to the end.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A full disk quota must fail the audit append (and so the request, with nothing sent), not
  // kill the server.
  ::signal(SIGXFSZ, SIG_IGN);

  const auto started = std::chrono::steady_clock::now();
  const auto store = store::Store::open(a.store);
  server::UsersSource users(config.users, [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); });
  server::AuditLog audit = server::AuditLog::open(config.audit_log, config.audit_key);
  std::printf("severn serve: %zu users (%s), audit log %s (%llu lines, chain intact)\n", users.current()->users().size(),
              config.users.c_str(), config.audit_log.c_str(), static_cast<unsigned long long>(audit.lines()));
  const auto data = server::prepare_served_data(*store, a.store, config, [](const std::string& s) {
    std::printf("severn serve: %s\n", s.c_str());
    std::fflush(stdout);
  });
  std::printf("severn serve: index date %s; %zu definitions; report %s in %.1f s, worklists %.1f s, PTLs %.1f s\n",
              data->index_date_text.c_str(), data->definitions.size(), data->report_built ? "built" : "reused",
              data->seconds_report, data->seconds_worklists, data->seconds_ptl);
  server::SessionStore sessions(server::SessionPolicy{config.session_idle, config.session_absolute, 10000});
  server::ThrottlePolicy tp;
  tp.max_failures = config.max_failures;
  tp.lockout = config.lockout;
  tp.max_attempts_per_address_per_minute = config.max_logins_per_address_per_minute;
  server::LoginThrottle throttle(tp);
  server::ApiLimits limits;
  limits.max_body_bytes = config.max_body_bytes;
  server::Api api(*data, *store, users, sessions, throttle, audit, config.audit_log, config.audit_key, limits);
  server::HttpServer http(api, config, [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); });
  const int port = http.bind();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("severn serve: listening on https://%s:%d/ (ready in %.1f s; Ctrl-C stops)\n", config.address.c_str(), port,
              secs);
  std::fflush(stdout);
  if (!a.ready_file.empty()) server::replace_owner_only_file(a.ready_file, std::to_string(port) + "\n");
  std::thread stopper([&http, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    http.stop();
  });
  http.run();
  // run() also returns when the server fails; wake the stopper either way.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  std::printf("severn serve: stopped\n");
}

void run_init(const InitArgs& a) {
  const fs::path dir = a.dir;
  fs::create_directories(dir);
  ::chmod(dir.c_str(), 0700);
  const fs::path users_file = dir / "users.toml";
  if (fs::exists(users_file))
    throw InputError(users_file.string() + ": exists; manage its users with `severn users` (docs/serve/users.md)");
  // The demo clinician's PCN: the first of STW's; the elective user's provider: the store's first.
  const auto pack = refdata::DataDir::resolve(a.data);
  const auto organisations = refdata::load_organisations(pack);
  std::string provider = "RXW";
  if (!a.store.empty()) {
    const auto store = store::Store::open(a.store);
    const auto providers = elective::reported_providers(*store);
    if (!providers.empty()) provider = providers.front();
  }
  server::write_self_signed_certificate(dir / "cert.pem", dir / "key.pem", 90);
  server::UserDirectory users;
  struct Demo {
    const char* name;
    server::Role role;
  };
  std::string shown;  // printed only once the users file is saved
  for (const Demo& d : {Demo{"demo.analyst", server::Role::kAnalyst}, Demo{"demo.clinician", server::Role::kClinician},
                        Demo{"demo.elective", server::Role::kElective}, Demo{"demo.admin", server::Role::kAdmin}}) {
    server::User u;
    u.name = d.name;
    u.role = d.role;
    if (d.role == server::Role::kClinician)
      for (const auto& pcn : organisations.pcns)
        if (pcn.code != "U") {  // "U": practices in no PCN (refdata/organisations.h)
          u.pcns = {pcn.code};
          break;
        }
    if (d.role == server::Role::kElective) u.providers = {provider};
    const std::string password = server::random_password();
    u.password_hash = server::hash_password(password);
    std::string scope;
    for (const auto& p : u.pcns) scope += " PCN " + p;
    for (const auto& p : u.providers) scope += " provider " + p;
    char line[256];
    std::snprintf(line, sizeof line, "  %-16s %-10s %s%s\n", d.name, std::string(server::role_name(d.role)).c_str(),
                  password.c_str(), scope.c_str());
    shown += line;
    users.add(std::move(u));
  }
  users.save(users_file);
  std::printf("severn serve init: demo users in %s (the passwords are shown once; only argon2id hashes are kept):\n%s",
              users_file.c_str(), shown.c_str());
  server::replace_owner_only_file(dir / "serve.toml", server::demo_serve_config(a.port));
  std::printf("severn serve init: %s/serve.toml, a self-signed certificate for localhost (cert.pem, key.pem)\n"
              "  start: severn serve --store STORE --config %s/serve.toml   (make serve)\n",
              dir.c_str(), dir.c_str());
}

}  // namespace

void add_serve(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve the dashboard and API over HTTPS with role-based access and an audited identity area (docs/serve.md)");
  cmd->add_option("--store", args->store, "Store directory (severn ingest output)");
  cmd->add_option("--config", args->config, "serve.toml (severn serve init writes one)");
  cmd->add_option("--port", args->port, "Listen on this port instead of the config's (0: any free port)");
  cmd->add_option("--ready-file", args->ready_file, "Write the port bound to this file once listening (for scripts)");
  auto init = std::make_shared<InitArgs>();
  CLI::App* sub = cmd->add_subcommand("init", "Prepare a directory for severn serve: config, self-signed certificate, demo users");
  sub->add_option("--dir", init->dir, "Directory to create (owner-only)")->required();
  sub->add_option("--store", init->store, "Store whose first waiting-list provider the demo elective user is given");
  sub->add_option("--port", init->port, "Port the config listens on (default 8443)");
  sub->add_option("--data", init->data, "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  sub->callback([init] { run_init(*init); });
  cmd->callback([cmd, args] {
    if (cmd->got_subcommand("init")) return;
    run_serve(*args);
  });
}

}  // namespace severn::cli
