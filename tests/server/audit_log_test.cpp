// The audit log: appends verify; every kind of tampering is caught at the right line; the line
// format is the documented one (checked with an independent HMAC); hostile bytes never crash the
// reader; concurrent appends keep one chain.
#include "server/audit_log.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <random>
#include <cctype>
#include <thread>

#include "core/error.h"
#include "security_scratch.h"

namespace severn::server {
namespace {

using security_testing::file_mode;
using security_testing::ScratchTest;
using security_testing::slurp;
using security_testing::spit;
using security_testing::split_lines;

AuditEvent event(std::uint64_t k, const std::string& outcome = "allowed") {
  return AuditEvent{"a.clinician",   "clinician", "direct care", "read worklist",
                    "worklists/hypertension/htn_uncontrolled?pcn=U12345",   outcome, "10.0.0.7", "",
                    k};
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

std::string hmac_hex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &n);
  char hex[3];
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", mac[i]);
    out += hex;
  }
  return out;
}

class AuditLogTest : public ScratchTest {
 protected:
  std::filesystem::path log() const { return dir_ / "audit.jsonl"; }
  std::filesystem::path key() const { return dir_ / "audit.key"; }
  std::filesystem::path head() const { return dir_ / "audit.jsonl.head"; }

  // A log of n lines, rows = line number.
  void write_log(int n) {
    AuditLog a = AuditLog::open(log(), key());
    for (int k = 1; k <= n; ++k) a.append(event(static_cast<std::uint64_t>(k)));
  }
  std::vector<std::string> lines() const { return split_lines(slurp(log())); }
  void rewrite(const std::vector<std::string>& lines) { spit(log(), join(lines)); }
  AuditVerification verify() const { return verify_audit_log(log(), key()); }
};

// verify reports a problem beginning with the text.
#define EXPECT_PROBLEM_STARTS(text)                                   \
  do {                                                                \
    const AuditVerification v_ = verify();                            \
    EXPECT_FALSE(v_.ok);                                              \
    EXPECT_EQ(v_.problem.rfind(text, 0), 0u) << v_.problem;           \
  } while (false)

TEST_F(AuditLogTest, AppendsVerifyAndReopenContinuesTheChain) {
  {
    AuditLog a = AuditLog::open(log(), key());
    EXPECT_EQ(a.lines(), 0u);
    EXPECT_TRUE(verify().ok);
    for (int k = 1; k <= 5; ++k) a.append(event(k));
    EXPECT_EQ(a.lines(), 5u);
  }
  EXPECT_EQ(file_mode(log()), 0600u);
  EXPECT_EQ(file_mode(key()), 0600u);
  EXPECT_EQ(file_mode(head()), 0600u);
  EXPECT_EQ(std::filesystem::file_size(key()), 32u);
  AuditVerification v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.lines, 5u);
  {
    AuditLog a = AuditLog::open(log(), key());
    EXPECT_EQ(a.lines(), 5u);
    a.append(event(6, "refused"));
  }
  v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.lines, 6u);
  const auto entries = read_audit_log(log());
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries[5].seq, 6u);
  EXPECT_EQ(entries[5].event.outcome, "refused");
  EXPECT_EQ(entries[2].event.rows, 3u);
  EXPECT_EQ(entries[2].event.target, "worklists/hypertension/htn_uncontrolled?pcn=U12345");
}

TEST_F(AuditLogTest, LineFormatIsTheDocumentedOne) {
  write_log(2);
  const auto ls = lines();
  ASSERT_EQ(ls.size(), 2u);
  // The time and mac vary; everything else is fixed text.
  const std::string& l1 = ls[0];
  const std::size_t time_at = std::string("{\"seq\":1,\"time\":\"").size();
  const std::string time = l1.substr(time_at, 24);
  ASSERT_EQ(time.size(), 24u);
  for (std::size_t i = 0; i < time.size(); ++i) {
    const char want = std::string("0000-00-00T00:00:00.000Z")[i];
    if (want == '0')
      EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(time[i]))) << time;
    else
      EXPECT_EQ(time[i], want) << time;
  }
  const std::string mac = l1.substr(l1.size() - 67, 64);
  EXPECT_EQ(mac.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(l1, "{\"seq\":1,\"time\":\"" + time +
                    "\",\"user\":\"a.clinician\",\"role\":\"clinician\",\"purpose\":\"direct care\",\"action\":\"read "
                    "worklist\",\"target\":\"worklists/hypertension/htn_uncontrolled?pcn=U12345\",\"rows\":1,\"outcome\":"
                    "\"allowed\",\"address\":\"10.0.0.7\",\"detail\":\"\",\"prev\":\"" +
                    std::string(64, '0') + "\",\"mac\":\"" + mac + "\"}\n");
  // mac = HMAC-SHA256(key, the bytes before ,"mac":), recomputed here with OpenSSL directly.
  const std::string key_bytes = slurp(key());
  for (const std::string& l : ls) {
    const std::size_t at = l.find(",\"mac\":\"");
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(l.substr(at + 8, 64), hmac_hex(key_bytes, l.substr(0, at)));
  }
  // prev of line 2 is the mac of line 1.
  EXPECT_EQ(ls[1].substr(ls[1].find("\"prev\":\"") + 8, 64), ls[0].substr(ls[0].find(",\"mac\":\"") + 8, 64));
  const std::string h = slurp(head());
  EXPECT_EQ(h.substr(0, 16), "{\"seq\":2,\"mac\":\"");
  EXPECT_EQ(h.substr(16, 64), ls[1].substr(ls[1].find(",\"mac\":\"") + 8, 64));
}

TEST_F(AuditLogTest, HostileFieldsAreEscapedToAsciiAndReadBack) {
  AuditEvent e = event(0, "failed");
  e.user = std::string("quote\" backslash\\ newline\n tab\t nul") + '\0' + " del\x7f";
  e.detail = "emoji \xF0\x9F\x98\x80 e-acute \xC3\xA9 bad \xFF\xC3 surrogate \xED\xA0\x80 overlong \xC0\xAF";
  e.purpose = "\xE2\x80\xA8 line separator";
  {
    AuditLog a = AuditLog::open(log(), key());
    a.append(e);
  }
  const std::string text = slurp(log());
  ASSERT_EQ(lines().size(), 1u);
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    ASSERT_TRUE(c >= 0x20 && c < 0x7f) << "byte " << i << " is " << static_cast<int>(c);
  }
  EXPECT_TRUE(verify().ok) << verify().problem;
  const auto entries = read_audit_log(log());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].event.user, e.user);
  EXPECT_EQ(entries[0].event.purpose, e.purpose);
  // Valid UTF-8 comes back as it was; each invalid byte as U+FFFD.
  EXPECT_EQ(entries[0].event.detail, "emoji \xF0\x9F\x98\x80 e-acute \xC3\xA9 bad \xEF\xBF\xBD\xEF\xBF\xBD surrogate "
                                     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD overlong \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_F(AuditLogTest, EditedFieldIsCaughtAtItsLine) {
  write_log(10);
  auto ls = lines();
  const std::size_t at = ls[4].find("\"rows\":5");
  ASSERT_NE(at, std::string::npos);
  ls[4].replace(at, 8, "\"rows\":0");
  rewrite(ls);
  EXPECT_PROBLEM_STARTS("line 5: mac does not match");
}

TEST_F(AuditLogTest, EditedUserWithLengthKeptIsCaught) {
  write_log(3);
  auto ls = lines();
  ls[1].replace(ls[1].find("a.clinician"), 11, "b.clinician");
  rewrite(ls);
  EXPECT_PROBLEM_STARTS("line 2: mac does not match");
}

TEST_F(AuditLogTest, SwappedLinesAreCaught) {
  write_log(10);
  auto ls = lines();
  std::swap(ls[2], ls[3]);
  rewrite(ls);
  EXPECT_PROBLEM_STARTS("line 3: seq 4, expected 3: l");
}

TEST_F(AuditLogTest, DeletedMiddleLineIsCaught) {
  write_log(10);
  auto ls = lines();
  ls.erase(ls.begin() + 3);
  rewrite(ls);
  EXPECT_PROBLEM_STARTS("line 4: seq 5, expected 4: l");
}

TEST_F(AuditLogTest, DeletedFirstLineIsCaught) {
  write_log(10);
  auto ls = lines();
  ls.erase(ls.begin());
  rewrite(ls);
  EXPECT_PROBLEM_STARTS("line 1: seq 2, expected 1: l");
}

TEST_F(AuditLogTest, DeletedLastLineIsCaughtThroughTheHead) {
  write_log(10);
  auto ls = lines();
  ls.pop_back();
  rewrite(ls);
  const AuditVerification v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.problem, "line 10: missing: the head file records 10 lines, the log ends after line 9 (lines were "
                       "deleted from its end)");
  EXPECT_EQ(v.lines, 9u);
}

TEST_F(AuditLogTest, EveryLineDeletedIsCaught) {
  write_log(3);
  rewrite({});
  EXPECT_PROBLEM_STARTS("line 1: missing: ");
  EXPECT_THROW(AuditLog::open(log(), key()), InputError);
}

TEST_F(AuditLogTest, TruncatedMidLineIsCaught) {
  write_log(10);
  std::string text = slurp(log());
  text.resize(text.size() - 40);
  spit(log(), text);
  EXPECT_PROBLEM_STARTS("line 10: incomplete");
  // Cut just after a newline instead: a whole line is missing.
  auto ls = lines();
  ls.pop_back();
  rewrite(ls);
  EXPECT_PROBLEM_STARTS("line 10: missing:");
}

TEST_F(AuditLogTest, WrongKeyIsCaughtAtLineOne) {
  write_log(4);
  spit(key(), std::string(32, 'k'));
  EXPECT_PROBLEM_STARTS("line 1: mac does not match");
}

TEST_F(AuditLogTest, GarbageIsCaughtAtItsLine) {
  write_log(6);
  auto ls = lines();
  ls.insert(ls.begin() + 2, std::string("\x00\xff\xfe garbage {\"seq\":3}\n", 22));
  rewrite(ls);
  EXPECT_PROBLEM_STARTS("line 3: not an audit line (");
  ls = lines();
  ls.erase(ls.begin() + 2);
  ls[4].insert(30, "\x01");
  rewrite(ls);
  EXPECT_PROBLEM_STARTS("line 5: not an audit line (");
  ls[4] = "\n";
  rewrite(ls);
  EXPECT_PROBLEM_STARTS("line 5: empty");
}

TEST_F(AuditLogTest, LineFromAnotherLogWithTheSameKeyIsCaughtByTheChain) {
  write_log(5);
  const auto mine = lines();
  const std::filesystem::path other = dir_ / "other.jsonl";
  {
    AuditLog a = AuditLog::open(other, key());
    for (int k = 1; k <= 5; ++k) a.append(event(100 + k));
  }
  auto ls = mine;
  ls[2] = split_lines(slurp(other))[2];  // seq 3, a valid mac, but another chain
  rewrite(ls);
  EXPECT_PROBLEM_STARTS("line 3: prev does not match the mac o");
}

TEST_F(AuditLogTest, AlteredOrMissingHeadIsCaught) {
  write_log(3);
  const std::string h = slurp(head());
  std::string edited = h;
  edited.replace(0, 8, "{\"seq\":2");
  spit(head(), edited);
  EXPECT_NE(verify().problem.find("was altered (its own mac does not match)"), std::string::npos) << verify().problem;
  spit(head(), "not json");
  EXPECT_NE(verify().problem.find("is not a head file"), std::string::npos);
  std::filesystem::remove(head());
  EXPECT_NE(verify().problem.find("is missing"), std::string::npos);
  EXPECT_THROW(AuditLog::open(log(), key()), InputError);
  spit(head(), h);
  EXPECT_TRUE(verify().ok);
}

TEST_F(AuditLogTest, LogDeletedButHeadKeptIsCaughtOnOpen) {
  write_log(3);
  std::filesystem::remove(log());
  EXPECT_THROW(AuditLog::open(log(), key()), InputError);
}

TEST_F(AuditLogTest, ALineBeyondTheHeadFromAnInterruptedAppendIsAccepted) {
  // A crash between the line's fsync and the head's rename leaves the head one line behind.
  write_log(2);
  const std::string head_after_2 = slurp(head());
  {
    AuditLog a = AuditLog::open(log(), key());
    a.append(event(3));
  }
  spit(head(), head_after_2);
  const AuditVerification v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.lines, 3u);
  { AuditLog a = AuditLog::open(log(), key()); }  // brings the head up to date
  EXPECT_EQ(slurp(head()).substr(0, 9), "{\"seq\":3,");
}

TEST_F(AuditLogTest, OpenRefusesToExtendABrokenLog) {
  write_log(6);
  auto ls = lines();
  ls.erase(ls.begin() + 4);
  rewrite(ls);
  try {
    AuditLog::open(log(), key());
    FAIL() << "opened a broken log";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("refusing to extend a broken audit log: line 5: seq 6, expected 5"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(lines().size(), 5u);  // nothing appended
}

TEST_F(AuditLogTest, KeyFileChecks) {
  write_log(1);
  spit(key(), std::string(31, 'k'));
  EXPECT_THROW(AuditLog::open(log(), key()), InputError);
  EXPECT_NE(verify().problem.find("an audit key is 32 bytes, this file has 31"), std::string::npos) << verify().problem;
  spit(key(), std::string(32, 'k'), 0644);
  EXPECT_THROW(AuditLog::open(log(), key()), InputError);
  EXPECT_NE(verify().problem.find("run chmod 600"), std::string::npos) << verify().problem;
  // A log with lines and no key: a new key would not match them, so none is made.
  std::filesystem::remove(key());
  EXPECT_THROW(AuditLog::open(log(), key()), InputError);
  EXPECT_FALSE(std::filesystem::exists(key()));
  EXPECT_EQ(verify().problem.substr(0, 5), "key: ");
}

TEST_F(AuditLogTest, OneWriterPerLog) {
  AuditLog a = AuditLog::open(log(), key());
  EXPECT_THROW(AuditLog::open(log(), key()), InputError);
  a.append(event(1));
  EXPECT_TRUE(verify().ok);
}

TEST_F(AuditLogTest, InvalidOutcomeIsRefused) {
  AuditLog a = AuditLog::open(log(), key());
  EXPECT_THROW(a.append(event(1, "ok")), std::invalid_argument);
  EXPECT_EQ(a.lines(), 0u);
}

TEST_F(AuditLogTest, ConcurrentAppendsFromEightThreadsKeepOneChain) {
  {
    AuditLog a = AuditLog::open(log(), key());
    std::vector<std::thread> threads;
    for (int k = 0; k < 8; ++k)
      threads.emplace_back([&a, k] {
        for (int i = 0; i < 25; ++i) a.append(event(static_cast<std::uint64_t>(k * 1000 + i)));
      });
    // A reader (GET /api/audit) verifying while the writers append never sees a half-written line.
    int checks = 0;
    bool all_ok = true;
    std::thread reader([&] {
      for (; checks < 20; ++checks) {
        const AuditVerification v = a.verify();
        all_ok = all_ok && v.ok && a.entries().size() >= v.lines;
      }
    });
    for (auto& t : threads) t.join();
    reader.join();
    EXPECT_TRUE(all_ok);
    EXPECT_EQ(a.lines(), 200u);
    EXPECT_EQ(a.entries().size(), 200u);
    EXPECT_TRUE(a.verify().ok);
  }
  const AuditVerification v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.lines, 200u);
  std::set<std::uint64_t> rows;
  for (const auto& e : read_audit_log(log())) rows.insert(e.event.rows);
  EXPECT_EQ(rows.size(), 200u);
}

TEST_F(AuditLogTest, HostileFilesNeverCrashVerifyOrRead) {
  write_log(3);
  const std::string good = slurp(log());
  std::mt19937_64 rng(7);
  for (int round = 0; round < 400; ++round) {
    std::string text = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0: text[at] = static_cast<char>(rng()); break;
        case 1: text.erase(at, rng() % 50); break;
        case 2: text.insert(at, std::string(1 + rng() % 8, static_cast<char>(rng()))); break;
        default: text.insert(at, text.substr(rng() % text.size(), rng() % 200)); break;
      }
      if (text.empty()) text = "x";
    }
    spit(log(), text);
    const AuditVerification v = verify();
    if (text != good) {
      EXPECT_FALSE(v.ok) << "round " << round;
      EXPECT_EQ(v.problem.rfind("line ", 0), 0u) << v.problem;
    }
    try {
      read_audit_log(log());
    } catch (const InputError&) {
    }
  }
  // A very long line without a newline, and one with.
  spit(log(), std::string(200000, '{'));
  EXPECT_EQ(verify().problem.substr(0, 19), "line 1: incomplete ");
  spit(log(), std::string(200000, 'a') + "\n");
  EXPECT_EQ(verify().problem, "line 1: longer than 65536 bytes");
}

TEST(AuditCsv, QuotesAndDefusesFormulas) {
  AuditEntry a{1, "2026-12-07T20:15:43.123Z", AuditEvent{"=cmd|' /C calc'!A0", "admin", "audit, \"review\"", "read audit",
                                                         "audit", "allowed", "+44", "line\nbreak", 0}};
  AuditEntry b{2, "2026-12-07T20:15:44.000Z", AuditEvent{"@user", "analyst", "-x", "login", "", "failed", "::1", "\ttab", 3}};
  EXPECT_EQ(audit_csv({a, b}),
            "seq,time,user,role,purpose,action,target,rows,outcome,address,detail\n"
            "1,2026-12-07T20:15:43.123Z,'=cmd|' /C calc'!A0,admin,\"audit, \"\"review\"\"\",read audit,audit,0,allowed,'+44,"
            "\"line\nbreak\"\n"
            "2,2026-12-07T20:15:44.000Z,'@user,analyst,'-x,login,,3,failed,::1,'\ttab\n");
}

}  // namespace
}  // namespace severn::server
