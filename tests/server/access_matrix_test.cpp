// Every role against every endpoint and every PCN and provider, over a real TLS socket: allowed
// where the role and the user's own scope allow, 403 where they do not, 401 without a session;
// every identifiable read and every refusal leaves exactly one audit line saying who, what, how
// many rows and whether it was allowed, and the chain verifies at the end.
#include <gtest/gtest.h>

#include <algorithm>

#include "serve_world.h"
#include "server/audit_log.h"

namespace severn::testing {
namespace {

struct Expect {
  int status = 0;
  bool audited = false;   // one new audit line
  std::string outcome;    // its outcome
  std::string action;
};

bool holds(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// Rows of the first table in a JSON body: counts the "[" that open rows after "rows":[.
std::size_t table_rows(const std::string& body) {
  const auto at = body.find("\"rows\":[");
  if (at == std::string::npos) return 0;
  std::size_t depth = 0, rows = 0;
  bool in_string = false;
  for (std::size_t i = at + 8; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[') {
      if (depth == 0) ++rows;
      ++depth;
    } else if (c == ']') {
      if (depth == 0) break;
      --depth;
    }
  }
  return rows;
}

TEST(AccessMatrix, EveryRoleEveryEndpointEveryScope) {
  SEVERN_REQUIRE_PACK();
  const ServeWorld& w = serve_world();
  Scratch scratch("serve-matrix");
  ServeProcess server(w, scratch.dir() / "server");
  ASSERT_TRUE(server.running());
  auto client = https_client(w, server.port());
  const std::string def = "hypertension", list = "hypertension_case_finding";

  struct Endpoint {
    std::string path;
    std::function<Expect(const ServeUser&)> expect;
  };
  std::vector<Endpoint> endpoints;
  const auto aggregate = [](const ServeUser&) { return Expect{200, false, "", ""}; };
  for (const std::string p : {"/api/session", "/api/definitions", "/api/measures?definition=hypertension&measure=cvdp001hyp_prevalence",
                              "/api/measures?definition=hypertension&measure=cvdp001hyp_prevalence&breakdown=pcn&format=csv",
                              "/api/pcns", "/api/providers", "/api/map/lsoa", "/api/elective/snapshot", "/api/elective/scenarios"})
    endpoints.push_back({p, aggregate});
  for (const auto& pcn : w.pcns)
    endpoints.push_back({"/api/worklists/" + def + "/" + list + "?pcn=" + pcn, [pcn](const ServeUser& u) {
                           const bool ok = u.role == server::Role::kClinician && holds(u.pcns, pcn);
                           return Expect{ok ? 200 : 403, true, ok ? "allowed" : "refused", "read worklist"};
                         }});
  for (const auto& provider : w.providers)
    endpoints.push_back({"/api/elective/ptl?provider=" + provider, [provider](const ServeUser& u) {
                           const bool ok = u.role == server::Role::kElective && holds(u.providers, provider);
                           return Expect{ok ? 200 : 403, true, ok ? "allowed" : "refused", "read ptl"};
                         }});
  for (const auto& provider : w.providers)
    endpoints.push_back({"/api/elective/mutual-aid?provider=" + provider, [provider](const ServeUser& u) {
                           const bool ok = u.role == server::Role::kElective && holds(u.providers, provider);
                           return Expect{ok ? 200 : 403, true, ok ? "allowed" : "refused", "read mutual aid"};
                         }});
  endpoints.push_back({"/api/audit", [](const ServeUser& u) {
                         const bool ok = u.role == server::Role::kAdmin;
                         return Expect{ok ? 200 : 403, true, ok ? "allowed" : "refused", "read audit"};
                       }});
  endpoints.push_back({"/api/users", [](const ServeUser& u) {
                         const bool ok = u.role == server::Role::kAdmin;
                         return Expect{ok ? 200 : 403, !ok, ok ? "" : "refused", "list users"};
                       }});

  // Without a session: 401 everywhere, and nothing audited.
  std::size_t lines = server::read_audit_log(server.audit_log()).size();
  for (const auto& e : endpoints) {
    const auto r = client->Get(e.path.c_str());
    ASSERT_TRUE(r) << e.path;
    EXPECT_EQ(r->status, 401) << e.path;
    EXPECT_EQ(r->body.find("\"rows\""), std::string::npos) << e.path;
  }
  EXPECT_EQ(server::read_audit_log(server.audit_log()).size(), lines);

  int allowed = 0, refused = 0, identifiable_rows = 0;
  for (const ServeUser& u : w.people) {
    const SignedIn s = sign_in(*client, u.name, u.password);
    if (u.disabled) {
      EXPECT_EQ(s.status, 401) << u.name << " is disabled";
      continue;
    }
    ASSERT_EQ(s.status, 200) << u.name;
    httplib::Headers h{{"Cookie", s.cookie}};
    for (const auto& e : endpoints) {
      const Expect x = e.expect(u);
      lines = server::read_audit_log(server.audit_log()).size();
      const auto r = client->Get(e.path.c_str(), h);
      ASSERT_TRUE(r) << u.name << " " << e.path;
      EXPECT_EQ(r->status, x.status) << u.name << " " << e.path << ": " << r->body.substr(0, 200);
      const auto entries = server::read_audit_log(server.audit_log());
      if (!x.audited) {
        EXPECT_EQ(entries.size(), lines) << u.name << " " << e.path << " should leave no audit line";
        continue;
      }
      ASSERT_EQ(entries.size(), lines + 1) << u.name << " " << e.path << " should leave one audit line";
      const server::AuditEvent& a = entries.back().event;
      EXPECT_EQ(a.user, u.name);
      EXPECT_EQ(a.role, std::string(server::role_name(u.role)));
      EXPECT_EQ(a.action, x.action) << e.path;
      EXPECT_EQ(a.outcome, x.outcome) << u.name << " " << e.path;
      EXPECT_EQ(a.address, "127.0.0.1");
      if (x.outcome == "refused") {
        ++refused;
        EXPECT_EQ(a.rows, 0u);
        EXPECT_FALSE(a.detail.empty()) << "a refusal says why";
        EXPECT_EQ(r->body.find("\"rows\""), std::string::npos) << "a refusal carries no rows";
      } else {
        ++allowed;
        if (x.action != "read audit") {
          EXPECT_EQ(a.rows, table_rows(r->body)) << u.name << " " << e.path << ": the audit counts the rows sent";
          EXPECT_FALSE(a.purpose.empty()) << "a read has a purpose (stated or the role's default)";
          identifiable_rows += static_cast<int>(a.rows);
        }
      }
    }
  }
  // The matrix had substance: allowed and refused identifiable reads, with people on the lists.
  EXPECT_GT(allowed, 4);
  EXPECT_GT(refused, 40);
  EXPECT_GT(identifiable_rows, 20);
  const auto v = server::verify_audit_log(server.audit_log(), server.audit_key());
  EXPECT_TRUE(v.ok) << v.problem;
  std::cout << "matrix: " << w.people.size() << " users x " << endpoints.size() << " endpoints; " << allowed
            << " identifiable reads allowed (" << identifiable_rows << " rows), " << refused << " refused; audit "
            << v.lines << " lines, chain intact\n";
}

}  // namespace
}  // namespace severn::testing
