// The dashboard in a real browser against the real server: `severn serve` over the server tests'
// synthetic world (serve_world.h: store, report, certificate, users with known passwords) on a
// free port, and tests/server/browser/dashboard.mjs (puppeteer-core driving Debian's chromium,
// axe-core in the page) signs in as one user of each role. The screenshots are kept in the build
// tree (tests/server-dashboard/). Needs chromium, node and the npm packages
// scripts/setup-browser-test installs; without them these tests fail, saying so.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "pack.h"
#include "serve_world.h"

namespace severn::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kBrowserDir = fs::path(SEVERN_SOURCE_DIR) / "tests" / "server" / "browser";
const fs::path kArtifacts = fs::path(SEVERN_TEST_WORLDS_DIR).parent_path() / "tests" / "server-dashboard";

std::string missing_tools() {
  if (!fs::exists("/usr/bin/chromium")) return "chromium is not installed (scripts/setup installs Debian's chromium)";
  if (std::system("node --version > /dev/null 2>&1") != 0) return "node is not installed (scripts/setup installs it)";
  if (!fs::exists(kBrowserDir / "node_modules" / "puppeteer-core") || !fs::exists(kBrowserDir / "node_modules" / "axe-core"))
    return "tests/server/browser/node_modules is missing: run scripts/setup-browser-test (scripts/setup runs it)";
  return "";
}

struct Credential {
  std::string user, password;
};

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
    const ServeWorld& w = serve_world();
    // One user of each role from the world: the clinician of one PCN, the elective user of RXW.
    for (const char* name : {"ann.analyst", "cla.clinician", "ela.elective", "adm.admin"}) {
      const ServeUser& u = w.user(name);
      users_[std::string(server::role_name(u.role))] = {u.name, u.password};
    }
    scratch_ = new Scratch("dashboard-browser");
    server_ = new ServeProcess(w, scratch_->dir() / "serve");
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
    ASSERT_EQ(users_.size(), 4u);
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->running()) << "severn serve did not start:\n" << server_->log();
  }

  static inline Scratch* scratch_ = nullptr;
  static inline ServeProcess* server_ = nullptr;
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
  // The analyst signs in as before; the clinician and admin are left out to keep this short (the
  // script reports them as missing, which is a failure too, but not the one looked for here).
  std::map<std::string, Credential> users{{"analyst", users_.at("analyst")}, {"elective", users_.at("elective")}};
  users["elective"].password += "-wrong";
  const fs::path credentials = scratch_->dir() / "wrong.json";
  write_text(credentials, credentials_json(users));
  const CommandResult r = run_dashboard_script(server_->port(), credentials, scratch_->dir() / "wrong-shots");
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("FAIL elective/sign-in"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("FAIL analyst"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ok   analyst/nav"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace severn::testing
