// The audit log (docs/serve/audit.md): a tamper-evident, append-only record of every identifiable
// read and every refusal. One JSON object per line:
//   {"seq":1,"time":"2026-12-07T20:15:43.123Z","user":"a.clinician","role":"clinician",
//    "purpose":"direct care","action":"read worklist","target":"worklists/hypertension/htn_uncontrolled?pcn=U12345",
//    "rows":12,"outcome":"allowed","address":"10.0.0.7","detail":"","prev":"<64 hex>","mac":"<64 hex>"}
// seq counts from 1; time is UTC with milliseconds; prev is the previous line's mac (64 zeros on
// line 1); mac is HMAC-SHA256 under a 32-byte key of the line's bytes before `,"mac":`, in
// lowercase hex. Every line is plain ASCII: anything else in a field is written as a \u escape.
// LOG.head holds the last line's seq and mac with its own HMAC, rewritten atomically on each append,
// so a deleted tail is noticed too. Events never carry identifiable data (no NHS numbers or names
// of patients): targets are paths and codes.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace severn::server {

struct AuditEvent {
  std::string user, role, purpose, action, target, outcome, address, detail;
  std::uint64_t rows = 0;  // identifiable rows sent (0 for a refusal)
};
// action e.g. "read worklist", "read ptl", "sign in", "read audit"; outcome "allowed", "refused" or "failed".

struct AuditVerification {
  bool ok = false;
  std::uint64_t lines = 0;  // lines read before the first problem (all of them when ok)
  std::string problem;      // "line 17: ..." naming the first bad line, or "head: ..." / "key: ..."
};

struct AuditEntry {
  std::uint64_t seq = 0;
  std::string time;
  AuditEvent event;
};

class AuditLog {
 public:
  // Opens the log for appending, creating it (mode 0600) and its key file (32 random bytes, mode
  // 0600) if absent. Checks the whole existing chain and the head file first and refuses
  // (InputError naming the line) to extend a broken log; refuses a key file of the wrong size or
  // that its group or others may access, and a log another process holds open for writing.
  static AuditLog open(const std::filesystem::path& log, const std::filesystem::path& key_file);
  ~AuditLog();
  AuditLog(AuditLog&&) noexcept;
  AuditLog& operator=(AuditLog&&) noexcept;

  // Appends one line and fsyncs it and the head file before returning. Throws on an invalid
  // outcome and on any write failure (after which every later append throws too), so the caller
  // sends nothing it could not audit. Thread-safe.
  void append(const AuditEvent& event);
  // Lines in the log.
  std::uint64_t lines() const;
  // verify_audit_log and read_audit_log for a log this process is writing: they hold the append
  // lock, so they never see a line half written by a concurrent append (for GET /api/audit).
  AuditVerification verify() const;
  std::vector<AuditEntry> entries() const;

 private:
  struct State;
  explicit AuditLog(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Never throws on a damaged or hostile log: every problem is reported in `problem`.
AuditVerification verify_audit_log(const std::filesystem::path& log, const std::filesystem::path& key_file);

// The log's entries, checking each line's shape but not the chain (no key needed); throws
// InputError "LOG:N: reason" on a malformed line.
std::vector<AuditEntry> read_audit_log(const std::filesystem::path& log);

// CSV with header seq,time,user,role,purpose,action,target,rows,outcome,address,detail: RFC 4180
// quoting, LF line ends; a cell beginning with = + - @ (or tab or carriage return) gets a leading
// ' so a spreadsheet does not run it as a formula (OWASP, CSV injection).
std::string audit_csv(const std::vector<AuditEntry>& entries);

}  // namespace severn::server
