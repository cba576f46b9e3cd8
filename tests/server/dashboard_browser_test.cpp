// The dashboard in a real browser against the real server: a small synthetic ICS is ingested once
// per build of the tests; the test writes a configuration (the demo's), a self-signed certificate
// and one user per role with a random password (only its argon2id hash in users.toml); `severn
// serve` starts on a free port, and tests/server/browser/dashboard.mjs
// (puppeteer-core driving Debian's chromium, axe-core in the page) signs in as each role. The
// screenshots are kept in the build tree (tests/server-dashboard/). Needs chromium, node and the
// npm packages scripts/setup-browser-test installs; without them these tests fail, saying so.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "elective/ptl_reader.h"
#include "ingest/ingest_fixture.h"
#include "pack.h"
#include "refdata/data_dir.h"
#include "refdata/organisations.h"
#include "run_severn.h"
#include "server/password_hash.h"
#include "server/self_signed.h"
#include "server/serve_config.h"
#include "server/users.h"
#include "shared_world.h"
#include "store/store.h"

extern char** environ;

namespace severn::testing {
namespace {

namespace fs = std::filesystem;

// A store of 1,500 synthetic people: enough for every page to have figures, small enough that the
// server's report over it builds in seconds.
fs::path dashboard_store() {
  static const fs::path dir = shared_world("dashboard-world", [](const fs::path& d) {
    const auto src = d / "src";
    synthesize_small(src, 1500, 20261207);
    ingest::run_ingest(options_for(src, d / "store", write_key(d)));
  });
  return dir / "store";
}

const fs::path kBrowserDir = fs::path(SEVERN_SOURCE_DIR) / "tests" / "server" / "browser";
const fs::path kArtifacts = fs::path(SEVERN_TEST_WORLDS_DIR).parent_path() / "tests" / "server-dashboard";

std::string missing_tools() {
  if (!fs::exists("/usr/bin/chromium")) return "chromium is not installed (scripts/setup installs Debian's chromium)";
  if (std::system("node --version > /dev/null 2>&1") != 0) return "node is not installed (scripts/setup installs it)";
  if (!fs::exists(kBrowserDir / "node_modules" / "puppeteer-core") || !fs::exists(kBrowserDir / "node_modules" / "axe-core"))
    return "tests/server/browser/node_modules is missing: run scripts/setup-browser-test (scripts/setup runs it)";
  return "";
}

// `severn serve` as a child process, stopped (SIGTERM, then waited for) when this goes out of scope.
class RunningServer {
 public:
  RunningServer(const fs::path& store, const fs::path& config, const fs::path& dir) : log_(dir / "serve.log") {
    const fs::path ready = dir / "ready";
    const std::string store_s = store.string(), config_s = config.string(), ready_s = ready.string(), log_s = log_.string();
    std::vector<std::string> args{SEVERN_BINARY, "serve", "--store", store_s, "--config", config_s, "--port", "0", "--ready-file", ready_s};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_s.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc = posix_spawn(&pid_, SEVERN_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      return;
    }
    // The first start builds the report over the store (slow under the sanitizers).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      if (fs::exists(ready)) {
        port_ = std::atoi(read_text(ready).c_str());
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  ~RunningServer() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  int port() const { return port_; }
  std::string log() const { return read_text(log_); }

 private:
  fs::path log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

struct Credential {
  std::string user, password;
};

// A directory `severn serve --config DIR/serve.toml` can start from: the demo's configuration, a
// self-signed certificate, and one user per role. The clinician has two of STW's PCNs and the
// elective user the store's first waiting-list provider, so their lists have rows to show.
std::map<std::string, Credential> prepare_serve_dir(const fs::path& dir, const fs::path& store) {
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
  server::write_self_signed_certificate(dir / "cert.pem", dir / "key.pem", 2);
  write_text(dir / "serve.toml", server::demo_serve_config(0));
  const auto organisations = refdata::load_organisations(refdata::DataDir::resolve(SEVERN_TEST_DATA_DIR));
  std::vector<std::string> pcns;
  for (const auto& p : organisations.pcns)
    if (p.code != "U" && pcns.size() < 2) pcns.push_back(p.code);  // "U": practices in no PCN
  const auto providers = elective::reported_providers(*store::Store::open(store));
  server::UserDirectory users;
  std::map<std::string, Credential> credentials;
  for (server::Role role : server::all_roles()) {
    server::User u;
    u.name = "test." + std::string(server::role_name(role));
    u.role = role;
    if (role == server::Role::kClinician) u.pcns = pcns;
    if (role == server::Role::kElective) u.providers = {providers.empty() ? std::string("RXW") : providers.front()};
    const std::string password = server::random_password();
    u.password_hash = server::hash_password(password);
    credentials[std::string(server::role_name(role))] = {u.name, password};
    users.add(std::move(u));
  }
  users.save(dir / "users.toml");
  return credentials;
}

std::string credentials_json(const std::map<std::string, Credential>& users) {
  std::string s = "{";
  for (const auto& [role, u] : users)
    s += std::string(s.size() > 1 ? "," : "") + "\"" + role + "\":{\"user\":\"" + u.user + "\",\"password\":\"" + u.password + "\"}";
  return s + "}";
}

CommandResult run_dashboard_script(int port, const fs::path& credentials, const fs::path& shots) {
  const std::string cmd = "cd '" + kBrowserDir.string() + "' && node dashboard.mjs https://127.0.0.1:" + std::to_string(port) + "/ '" +
                          credentials.string() + "' '" + shots.string() + "' 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, "popen failed"};
  std::string out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class DashboardBrowser : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::is_directory(SEVERN_TEST_DATA_DIR) || !missing_tools().empty()) return;
    scratch_ = new Scratch("dashboard-browser");
    const fs::path serve_dir = scratch_->dir() / "serve";
    const fs::path store = dashboard_store();
    try {
      users_ = prepare_serve_dir(serve_dir, store);
    } catch (const std::exception& e) {
      setup_problem_ = e.what();
      return;
    }
    ::setenv("SEVERN_DATA", SEVERN_TEST_DATA_DIR, 1);
    server_ = new RunningServer(store, serve_dir / "serve.toml", scratch_->dir());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete scratch_;
    scratch_ = nullptr;
  }
  void SetUp() override {
    SEVERN_REQUIRE_PACK();
    const std::string missing = missing_tools();
    if (!missing.empty()) FAIL() << missing;
    ASSERT_EQ(setup_problem_, "");
    ASSERT_EQ(users_.size(), 4u);
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(server_->port(), 0) << "severn serve did not start:\n" << server_->log();
  }

  static inline Scratch* scratch_ = nullptr;
  static inline RunningServer* server_ = nullptr;
  static inline std::string setup_problem_;
  static inline std::map<std::string, Credential> users_;
};

TEST_F(DashboardBrowser, EveryRoleSeesItsPagesWithoutErrorsOrAccessibilityViolations) {
  const fs::path credentials = scratch_->dir() / "credentials.json";
  write_text(credentials, credentials_json(users_));
  fs::remove_all(kArtifacts);
  const auto t0 = std::chrono::steady_clock::now();
  const CommandResult r = run_dashboard_script(server_->port(), credentials, kArtifacts);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // The script's report (checks passed and failed, list timings) is worth reading either way.
  std::printf("%s", r.output.c_str());
  EXPECT_EQ(r.code, 0) << "server log:\n" << server_->log();
  std::printf("dashboard browser test: %.0f s; screenshots in %s\n", secs, kArtifacts.c_str());
  // One screenshot per role and page it may use, and the sign-in page.
  for (const char* name : {"sign-in", "analyst-overview", "analyst-explorer", "analyst-compare", "analyst-elective", "clinician-worklists",
                           "elective-ptl", "admin-audit", "admin-users"}) {
    const fs::path png = kArtifacts / (std::string(name) + ".png");
    EXPECT_TRUE(fs::exists(png)) << png;
    if (fs::exists(png)) {
      EXPECT_EQ(read_text(png).substr(1, 3), "PNG");
    }
  }
  EXPECT_FALSE(fs::exists(kArtifacts / "analyst-worklists.png")) << "the analyst was offered the worklists page";
}

// The check can fail: a wrong password for one role is reported, and the script exits non-zero.
TEST_F(DashboardBrowser, TheScriptFailsWhenARoleCannotSignIn) {
  auto users = users_;
  users["elective"].password += "-wrong";
  const fs::path credentials = scratch_->dir() / "wrong.json";
  write_text(credentials, credentials_json(users));
  const CommandResult r = run_dashboard_script(server_->port(), credentials, scratch_->dir() / "wrong-shots");
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("FAIL elective/sign-in"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("FAIL analyst"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace severn::testing
