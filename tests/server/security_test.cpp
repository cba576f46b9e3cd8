// The server under attack, over real sockets: malformed and oversized requests, path traversal,
// parameter tampering, CSRF, session fixation, brute force, cross-site sign-in, what the log may
// hold, and a failing audit log (nothing identifiable is sent).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <regex>

#include "raw_tls.h"
#include "serve_world.h"
#include "server/api.h"
#include "server/audit_log.h"

namespace severn::testing {
namespace {

struct SecurityServer : ::testing::Test {
  void SetUp() override {
    SEVERN_REQUIRE_PACK();
    scratch = std::make_unique<Scratch>("serve-security-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    server = std::make_unique<ServeProcess>(serve_world(), scratch->dir() / "server");
    ASSERT_TRUE(server->running());
    client = https_client(serve_world(), server->port());
  }
  std::string raw(const std::string& request) { return raw_tls_exchange(server->port(), request); }
  SignedIn as(const std::string& name) {
    const ServeUser& u = serve_world().user(name);
    return sign_in(*client, u.name, u.password);
  }
  std::unique_ptr<Scratch> scratch;
  std::unique_ptr<ServeProcess> server;
  std::unique_ptr<httplib::SSLClient> client;
};

void expect_security_headers(const std::string& response, const std::string& what) {
  for (const char* h : {"Content-Security-Policy: default-src 'self'; script-src 'self'", "Strict-Transport-Security: max-age=",
                        "X-Content-Type-Options: nosniff", "X-Frame-Options: DENY", "frame-ancestors 'none'"})
    EXPECT_NE(response.find(h), std::string::npos) << what << " lacks " << h << "\n" << response.substr(0, 600);
}

TEST_F(SecurityServer, MalformedAndOversizedRequestsGetAClear4xxWithTheSecurityHeaders) {
  struct Case {
    std::string name, request;
    int status;
  };
  const std::string host = "Host: localhost\r\nConnection: close\r\n";
  const std::vector<Case> cases{
      {"garbage request line", "GARBAGE\r\n\r\n", 400},
      {"unknown method", "BREW /api/session HTTP/1.1\r\n" + host + "\r\n", 400},
      {"PUT on the API", "PUT /api/session HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n", 405},
      {"DELETE on sign-in", "DELETE /api/login HTTP/1.1\r\n" + host + "\r\n", 405},
      {"target over the limit", "GET /api/measures?definition=" + std::string(3000, 'a') + " HTTP/1.1\r\n" + host + "\r\n", 414},
      {"body over the limit", "POST /api/login HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n" +
                                  std::string(100000, 'x'), 413},
      {"header over 8 KiB", "GET /api/session HTTP/1.1\r\n" + host + "X-Long: " + std::string(9000, 'y') + "\r\n\r\n", 400},
      {"unknown path", "GET /api/nothing HTTP/1.1\r\n" + host + "\r\n", 404},
      {"HTTP/1.0 without host", "GET /api/session HTTP/1.0\r\n\r\n", 401},
  };
  for (const auto& c : cases) {
    const std::string r = raw(c.request);
    EXPECT_EQ(raw_status(r), c.status) << c.name << ":\n" << r.substr(0, 300);
    if (raw_status(r) != 0) expect_security_headers(r, c.name);
  }
  // The server is still serving after all of that.
  const auto ok = client->Get("/api/session");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 401);
}

TEST_F(SecurityServer, PathTraversalFindsNothing) {
  for (const std::string path : {"/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fetc%2fpasswd",
                                 "//etc/passwd", "/static/index.html%00.js", "/static/.%2e/.%2e/etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                                 "/static/%252e%252e/etc/passwd", "/static/web/index.html", "/static/../users.toml", "/api/../../audit.log"}) {
    const std::string r = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    const int status = raw_status(r);
    EXPECT_TRUE(status == 404 || status == 400) << path << ": " << r.substr(0, 200);
    EXPECT_EQ(r.find("root:"), std::string::npos) << path;
    EXPECT_EQ(r.find("argon2id"), std::string::npos) << path;
  }
  // The API's own 404s are logged once, by the API, not again as the HTTP layer's refusals.
  EXPECT_EQ(server->log().find("(refused by the HTTP layer)"), std::string::npos) << server->log();
}

TEST_F(SecurityServer, EveryParameterIsValidated) {
  const SignedIn s = as("cla.clinician");
  ASSERT_EQ(s.status, 200);
  const httplib::Headers h{{"Cookie", s.cookie}};
  const std::string pcn = serve_world().user("cla.clinician").pcns.at(0);
  const std::string wl = "/api/worklists/hypertension/hypertension_case_finding";
  for (const std::string& path : std::vector<std::string>{
        "/api/measures?definition=hypertension&measure=cvdp001hyp_prevalence&nonsense=1",
        "/api/measures?definition=hypertension&definition=lipids&measure=x",
        "/api/measures?definition=hypertension&measure=cvdp001hyp_prevalence&from=2025-13-01",
        "/api/measures?definition=Hypertension&measure=cvdp001hyp_prevalence",
        "/api/measures?definition=hypertension&measure=cvdp001hyp_prevalence&breakdown=nhs_number",
        "/api/measures?definition=hypertension&measure=cvdp001hyp_prevalence&format=xml",
        "/api/measures?definition=hypertension",
        wl + "?pcn=" + pcn + "&purpose=%0Ainjected",
        wl + "?pcn=" + pcn + "&purpose=" + std::string(201, 'p'),
        wl + "?pcn=" + pcn + "&pcn=" + pcn,
        wl + "?pcn=u1",
        wl}) {
    const auto r = client->Get(path.c_str(), h);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 400) << path << ": " << r->body;
    EXPECT_NE(r->body.find("\"error\""), std::string::npos) << path;
  }
  const auto missing = client->Get("/api/measures?definition=nosuch&measure=x", h);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(SecurityServer, SignOutNeedsTheCsrfTokenAndEndsTheSession) {
  const SignedIn s = as("ann.analyst");
  ASSERT_EQ(s.status, 200);
  ASSERT_EQ(s.csrf.size(), 64u);
  const auto post = [&](const httplib::Headers& h) { return client->Post("/api/logout", h, "", "application/json"); };
  auto r = post({{"Cookie", s.cookie}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403) << "sign-out without a CSRF token";
  r = post({{"Cookie", s.cookie}, {"X-CSRF-Token", std::string(64, 'a')}});
  EXPECT_EQ(r->status, 403) << "sign-out with a wrong token";
  r = post({{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf.substr(0, 63)}});
  EXPECT_EQ(r->status, 403) << "sign-out with a truncated token";
  EXPECT_EQ(client->Get("/api/session", httplib::Headers{{"Cookie", s.cookie}})->status, 200) << "the session survives refusals";
  r = post({{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(client->Get("/api/session", httplib::Headers{{"Cookie", s.cookie}})->status, 401) << "the session ended";
}

TEST_F(SecurityServer, SessionIdsAreFreshAndTheCookieIsLockedDown) {
  const std::string planted = std::string(server::kSessionCookie) + "=" + std::string(64, 'b');
  EXPECT_EQ(client->Get("/api/session", httplib::Headers{{"Cookie", planted}})->status, 401);
  const ServeUser& u = serve_world().user("ann.analyst");
  const auto r = client->Post("/api/login", httplib::Headers{{"Cookie", planted}},
                              "{\"user\":\"" + u.name + "\",\"password\":\"" + u.password + "\"}", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const std::string set = r->get_header_value("Set-Cookie");
  EXPECT_EQ(set.find(std::string(64, 'b')), std::string::npos) << "a planted id is never adopted";
  for (const char* attr : {"; Secure", "; HttpOnly", "; SameSite=Strict", "; Path=/", "__Host-"})
    EXPECT_NE(set.find(attr), std::string::npos) << set;
  EXPECT_EQ(client->Get("/api/session", httplib::Headers{{"Cookie", planted}})->status, 401) << "the planted id still means nothing";
  const SignedIn again = as("ann.analyst");
  EXPECT_NE(again.cookie, set.substr(0, set.find(';'))) << "each sign-in gets a new id";
}

TEST_F(SecurityServer, RepeatedFailuresLockTheAccountEvenWithTheRightPasswordAndAreAudited) {
  const ServeUser& u = serve_world().user("ela.elective");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(sign_in(*client, u.name, "wrong-password-" + std::to_string(i)).status, 401);
  const auto r = client->Post("/api/login", "{\"user\":\"" + u.name + "\",\"password\":\"" + u.password + "\"}", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429) << "locked after 5 failures, even with the right password";
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  // An unknown user is locked the same way: the responses never tell whether a user exists.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(sign_in(*client, "nobody.here", "x" + std::to_string(i)).status, 401);
  EXPECT_EQ(sign_in(*client, "nobody.here", "x").status, 429);
  int failed = 0, locked = 0;
  for (const auto& e : server::read_audit_log(server->audit_log())) {
    if (e.event.action != "sign in" || e.event.user != u.name) continue;
    failed += e.event.outcome == "failed";
    locked += e.event.outcome == "refused";
  }
  EXPECT_EQ(failed, 5);
  EXPECT_EQ(locked, 1);
  // Another user is not affected.
  EXPECT_EQ(as("elb.elective").status, 200);
}

TEST_F(SecurityServer, SignInBodiesAndOriginsAreChecked) {
  const ServeUser& u = serve_world().user("ann.analyst");
  const std::string good = "{\"user\":\"" + u.name + "\",\"password\":\"" + u.password + "\"}";
  EXPECT_EQ(client->Post("/api/login", good, "text/plain")->status, 415);
  EXPECT_EQ(client->Post("/api/login", "{not json", "application/json")->status, 400);
  EXPECT_EQ(client->Post("/api/login", "[1,2]", "application/json")->status, 400);
  EXPECT_EQ(client->Post("/api/login", "{\"user\":\"a\",\"password\":\"b\",\"role\":\"admin\"}", "application/json")->status, 400);
  EXPECT_EQ(client->Post("/api/login", "{\"user\":1,\"password\":\"b\"}", "application/json")->status, 400);
  EXPECT_EQ(client->Post("/api/login", httplib::Headers{{"Origin", "https://evil.example"}}, good, "application/json")->status, 403);
  EXPECT_EQ(client->Post("/api/login", good, "application/json")->status, 200);
}

TEST_F(SecurityServer, TheServerLogHoldsNoIdentifiableData) {
  const SignedIn s = as("cla.clinician");
  const std::string pcn = serve_world().user("cla.clinician").pcns.at(0);
  const auto r = client->Get(("/api/worklists/hypertension/hypertension_case_finding?pcn=" + pcn + "&purpose=annual%20review").c_str(),
                             httplib::Headers{{"Cookie", s.cookie}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  std::smatch m;
  const std::regex nhs("\"(999[0-9]{7})\"");
  ASSERT_TRUE(std::regex_search(r->body, m, nhs)) << "the worklist should hold people for this test to mean anything";
  const std::string log = server->log();
  EXPECT_NE(log.find("/api/worklists/{definition}/{worklist}"), std::string::npos) << log;
  EXPECT_EQ(log.find(m[1].str()), std::string::npos) << "an NHS number in the server log";
  EXPECT_EQ(log.find("pcn="), std::string::npos) << "a query string in the server log";
  EXPECT_EQ(log.find("annual"), std::string::npos) << "a stated purpose in the server log";
  EXPECT_EQ(log.find(s.cookie.substr(s.cookie.find('=') + 1)), std::string::npos) << "a session id in the server log";
}

TEST_F(SecurityServer, ThePurposeTravelsInAHeaderAndIsAudited) {
  const SignedIn s = as("cla.clinician");
  const std::string pcn = serve_world().user("cla.clinician").pcns.at(0);
  const std::string path = "/api/worklists/hypertension/hypertension_case_finding?pcn=" + pcn;
  auto r = client->Get(path.c_str(), httplib::Headers{{"Cookie", s.cookie}, {"X-Severn-Purpose", "annual review clinic"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server::read_audit_log(server->audit_log()).back().event.purpose, "annual review clinic");
  r = client->Get((path + "&purpose=x").c_str(), httplib::Headers{{"Cookie", s.cookie}, {"X-Severn-Purpose", "y"}});
  EXPECT_EQ(r->status, 400) << "a purpose given twice";
  r = client->Get(path.c_str(), httplib::Headers{{"Cookie", s.cookie}, {"X-Severn-Purpose", std::string(201, 'p')}});
  EXPECT_EQ(r->status, 400) << "a purpose over 200 characters";
  r = client->Get(path.c_str(), httplib::Headers{{"Cookie", s.cookie}});
  EXPECT_EQ(server::read_audit_log(server->audit_log()).back().event.purpose, "direct care") << "the role's default";
}

TEST_F(SecurityServer, WhenTheAuditCannotBeWrittenNothingIdentifiableIsSent) {
  const SignedIn s = as("cla.clinician");
  const std::string pcn = serve_world().user("cla.clinician").pcns.at(0);
  const std::string path = "/api/worklists/hypertension/hypertension_case_finding?pcn=" + pcn;
  // The audit log may not grow by a byte more (RLIMIT_FSIZE on the server process).
  const auto size = std::filesystem::file_size(server->audit_log());
  rlimit lim{static_cast<rlim_t>(size), static_cast<rlim_t>(size)};
  ASSERT_EQ(::prlimit(server->pid(), RLIMIT_FSIZE, &lim, nullptr), 0);
  const auto r = client->Get(path.c_str(), httplib::Headers{{"Cookie", s.cookie}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body.find("\"rows\""), std::string::npos) << r->body.substr(0, 300);
  EXPECT_EQ(r->body.find("999"), std::string::npos);
  // Aggregates do not depend on the audit and still work.
  EXPECT_EQ(client->Get("/api/definitions", httplib::Headers{{"Cookie", s.cookie}})->status, 200);
}

}  // namespace
}  // namespace severn::testing

namespace severn::testing {
namespace {

TEST(ServeUsersFile, ChangesTakeEffectWithoutARestartAndABrokenFileChangesNothing) {
  SEVERN_REQUIRE_PACK();
  const ServeWorld& w = serve_world();
  Scratch scratch("serve-users-change");
  const auto users = scratch.dir() / "users.toml";
  std::filesystem::copy_file(w.users, users);
  std::filesystem::permissions(users, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ServeProcess server(w, scratch.dir() / "server", "", users);
  ASSERT_TRUE(server.running());
  auto client = https_client(w, server.port());
  const ServeUser& cla = w.user("cla.clinician");
  const ServeUser& ann = w.user("ann.analyst");
  const SignedIn c = sign_in(*client, cla.name, cla.password);
  const SignedIn a = sign_in(*client, ann.name, ann.password);
  ASSERT_EQ(c.status, 200);
  ASSERT_EQ(a.status, 200);
  const auto status = [&](const SignedIn& s) { return client->Get("/api/session", httplib::Headers{{"Cookie", s.cookie}})->status; };
  // Disabled while signed in: the next request finds no session, and signing in is refused.
  const CommandResult d = run_severn("users disable --file " + users.string() + " --name " + cla.name);
  ASSERT_EQ(d.code, 0) << d.output;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the server looks at most once a second
  EXPECT_EQ(status(c), 401) << "a disabled user's session ends";
  EXPECT_EQ(sign_in(*client, cla.name, cla.password).status, 401);
  EXPECT_EQ(status(a), 200) << "other users' sessions go on";
  // Enabled again: the old session stays ended; a new sign-in works.
  ASSERT_EQ(run_severn("users enable --file " + users.string() + " --name " + cla.name).code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(status(c), 401);
  EXPECT_EQ(sign_in(*client, cla.name, cla.password).status, 200);
  // A file broken by hand leaves the last good users in force, and the log says so.
  write_text(users, read_text(users) + "\n[[user]]\nname = \"x\"\nrole = \"superuser\"\n");
  std::filesystem::permissions(users, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(status(a), 200);
  EXPECT_EQ(sign_in(*client, ann.name, ann.password).status, 200);
  EXPECT_NE(server.log().find("previous users stay in force"), std::string::npos) << server.log();
}

}  // namespace
}  // namespace severn::testing
