// `severn audit verify` and `severn audit export` through the real binary.
#include <gtest/gtest.h>

#include "run_severn.h"
#include "security_scratch.h"
#include "server/audit_log.h"

namespace severn::server {
namespace {

using security_testing::file_mode;
using security_testing::ScratchTest;
using security_testing::slurp;
using security_testing::spit;
using security_testing::split_lines;
using severn::testing::run_severn;

class AuditCli : public ScratchTest {
 protected:
  std::string log() const { return (dir_ / "audit.jsonl").string(); }
  std::string key() const { return (dir_ / "audit.key").string(); }
  void SetUp() override {
    ScratchTest::SetUp();
    AuditLog a = AuditLog::open(log(), key());
    a.append(AuditEvent{"ward.e", "elective", "waiting list management", "read ptl", "elective/ptl?provider=RXW",
                        "allowed", "10.1.2.3", "", 840});
    a.append(AuditEvent{"an", "analyst", "direct care", "read worklist", "worklists/hypertension/htn_uncontrolled?pcn=U1",
                        "refused", "10.1.2.4", "role may not read worklists", 0});
    a.append(AuditEvent{"=evil", "", "", "login", "", "failed", "10.1.2.5", "", 0});
  }
};

TEST_F(AuditCli, VerifyIntactLog) {
  const auto r = run_severn("audit verify --log " + log() + " --key " + key());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output, "audit: 3 lines, chain intact\n");
}

TEST_F(AuditCli, VerifyNamesTheFirstBadLine) {
  auto ls = split_lines(slurp(log()));
  ls.erase(ls.begin() + 1);
  spit(log(), ls[0] + ls[1]);
  const auto r = run_severn("audit verify --log " + log() + " --key " + key());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("chain broken: line 2: seq 3, expected 2"), std::string::npos) << r.output;
  // Export with the key refuses a broken log; without it, the lines are still readable.
  EXPECT_EQ(run_severn("audit export --log " + log() + " --key " + key()).code, 1);
  EXPECT_EQ(run_severn("audit export --log " + log()).code, 0);
  const auto missing = run_severn("audit verify --log " + log() + " --key " + (dir_ / "nokey").string());
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.output.find("key: "), std::string::npos) << missing.output;
}

TEST_F(AuditCli, ExportCsvAndJsonl) {
  const auto csv = run_severn("audit export --log " + log() + " --key " + key());
  ASSERT_EQ(csv.code, 0) << csv.output;
  const auto rows = split_lines(csv.output);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], "seq,time,user,role,purpose,action,target,rows,outcome,address,detail\n");
  EXPECT_EQ(rows[1].substr(0, 2), "1,");
  EXPECT_NE(rows[1].find(",ward.e,elective,waiting list management,read ptl,elective/ptl?provider=RXW,840,allowed,10.1.2.3,\n"),
            std::string::npos)
      << rows[1];
  EXPECT_NE(rows[3].find(",'=evil,"), std::string::npos) << rows[3];

  const auto jsonl = run_severn("audit export --log " + log() + " --format jsonl");
  EXPECT_EQ(jsonl.code, 0);
  EXPECT_EQ(jsonl.output, slurp(log()));

  const std::string out = (dir_ / "export.csv").string();
  const auto to_file = run_severn("audit export --log " + log() + " --out " + out);
  EXPECT_EQ(to_file.code, 0) << to_file.output;
  EXPECT_EQ(slurp(out), csv.output);
  EXPECT_EQ(file_mode(out), 0600u);

  EXPECT_EQ(run_severn("audit export --log " + log() + " --format xml").code, 1);
  spit(log(), "not json\n");
  const auto bad = run_severn("audit export --log " + log());
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.output.find("audit.jsonl:1: not an audit line"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace severn::server
