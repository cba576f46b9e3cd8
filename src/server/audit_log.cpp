#include "server/audit_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

#include <simdjson.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>

#include "core/csv_writer.h"
#include "core/error.h"
#include "server/audit_line.h"
#include "server/owner_only_file.h"

namespace severn::server {
namespace {

namespace fs = std::filesystem;

fs::path head_path(const fs::path& log) { return log.string() + ".head"; }

// The head file: the last line's seq and mac, with an HMAC of its own so that it cannot be
// rewritten to match a log whose tail was cut off.
std::string head_mac(const AuditKey& key, std::uint64_t seq, std::string_view mac) {
  return audit_hmac_hex(key, "severn audit head " + std::to_string(seq) + " " + std::string(mac));
}

std::string head_text(const AuditKey& key, std::uint64_t seq, std::string_view mac) {
  return "{\"seq\":" + std::to_string(seq) + ",\"mac\":\"" + std::string(mac) + "\",\"head_mac\":\"" +
         head_mac(key, seq, mac) + "\"}\n";
}

struct Head {
  std::uint64_t seq = 0;
  std::string mac;
};

// The head file's contents, or a problem ("" when absent is reported through `present`).
std::string read_head(const fs::path& log, const AuditKey& key, Head& head, bool& present) {
  const fs::path path = head_path(log);
  std::ifstream in(path, std::ios::binary);
  present = static_cast<bool>(in);
  if (!present) return "";
  std::string text(4096, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  std::string_view mac, check;
  if (parser.parse(text.data(), text.size(), true).get(object) != simdjson::SUCCESS || object.size() != 3 ||
      object["seq"].get(head.seq) != simdjson::SUCCESS || object["mac"].get(mac) != simdjson::SUCCESS ||
      object["head_mac"].get(check) != simdjson::SUCCESS)
    return "head: " + path.string() + " is not a head file";
  head.mac = std::string(mac);
  if (!audit_macs_equal(check, head_mac(key, head.seq, head.mac)))
    return "head: " + path.string() + " was altered (its own mac does not match)";
  return "";
}

// Reads a file line by line in bounded memory, saying whether each line ended with a newline.
class LineReader {
 public:
  explicit LineReader(const fs::path& path) : in_(path, std::ios::binary) {}
  bool is_open() const { return static_cast<bool>(in_); }
  // False at the end. A line longer than the limit is returned cut to the limit plus one byte.
  bool next(std::string& line, bool& terminated) {
    line.clear();
    terminated = false;
    char c = 0;
    bool any = false;
    while (in_.get(c)) {
      any = true;
      if (c == '\n') {
        terminated = true;
        return true;
      }
      if (line.size() <= kAuditMaxLineBytes) line += c;
    }
    return any;
  }

 private:
  std::ifstream in_;
};

struct ChainState {
  AuditVerification result;
  std::string last_mac{kAuditZeroMac};
  bool head_present = false;
  Head head;
};

// The chain check shared by verify and open: every line's shape, mac, seq and prev, then the head.
ChainState check_chain(const fs::path& log, const AuditKey& key) {
  ChainState s;
  AuditVerification& r = s.result;
  LineReader reader(log);
  if (!reader.is_open()) {
    r.problem = "log: cannot open " + log.string();
    return s;
  }
  // The head is read first so that the mac of the line it names is caught on the way past; its
  // problems are reported after the lines', so the first bad line is named first.
  const std::string head_problem = read_head(log, key, s.head, s.head_present);
  std::string mac_at_head{kAuditZeroMac};
  std::string line;
  bool terminated = false;
  ParsedAuditLine parsed;
  while (reader.next(line, terminated)) {
    const std::uint64_t n = r.lines + 1;
    const std::string at = "line " + std::to_string(n) + ": ";
    if (!terminated) {
      r.problem = at + "incomplete (no newline at its end: the file was cut short)";
      return s;
    }
    if (const std::string problem = parse_audit_line(line, parsed); !problem.empty()) {
      r.problem = at + problem;
      return s;
    }
    if (!audit_macs_equal(parsed.mac, audit_hmac_hex(key, parsed.signed_bytes))) {
      r.problem = at + "mac does not match: the line was edited, or the log was written with another key";
      return s;
    }
    if (parsed.entry.seq != n) {
      r.problem = at + "seq " + std::to_string(parsed.entry.seq) + ", expected " + std::to_string(n) +
                  ": lines before it were deleted, or lines were reordered or inserted";
      return s;
    }
    if (!audit_macs_equal(parsed.prev, s.last_mac)) {
      r.problem = at + "prev does not match the mac of line " + std::to_string(n - 1) +
                  ": lines were deleted, reordered or inserted";
      return s;
    }
    s.last_mac = parsed.mac;
    if (n == s.head.seq) mac_at_head = parsed.mac;
    r.lines = n;
  }
  if (!head_problem.empty()) {
    r.problem = head_problem;
    return s;
  }
  if (!s.head_present) {
    r.problem = "head: " + head_path(log).string() + " is missing (it records the last line, so a deleted tail is noticed)";
    return s;
  }
  if (s.head.seq > r.lines) {
    r.problem = "line " + std::to_string(r.lines + 1) + ": missing: the head file records " + std::to_string(s.head.seq) +
                " lines, the log ends after line " + std::to_string(r.lines) + " (lines were deleted from its end)";
    return s;
  }
  // Lines beyond the head can only have been written with the key, by an append whose head update
  // a crash interrupted; but the line the head names must be the one it recorded.
  if (!audit_macs_equal(mac_at_head, s.head.mac)) {
    r.problem = "line " + std::to_string(s.head.seq) + ": does not match the head file (the log was replaced or rewritten)";
    return s;
  }
  r.ok = true;
  return s;
}

AuditKey read_key(const fs::path& key_file) {
  const std::string bytes = read_owner_only_file(key_file, "the audit key proves who wrote the audit log", 1024);
  AuditKey key{};
  if (bytes.size() != key.size())
    throw InputError(key_file.string() + ": an audit key is " + std::to_string(key.size()) + " bytes, this file has " +
                     std::to_string(bytes.size()));
  std::memcpy(key.data(), bytes.data(), key.size());
  return key;
}

AuditKey create_key(const fs::path& key_file) {
  AuditKey key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
    throw std::runtime_error("the system random generator failed");
  const int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw InputError(key_file.string() + ": cannot create the audit key: " + std::strerror(errno));
  const bool ok = write_fully(fd, std::string_view(reinterpret_cast<const char*>(key.data()), key.size())) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw InputError(key_file.string() + ": cannot write the audit key: " + std::strerror(errno));
  sync_parent_directory(key_file);
  return key;
}

bool nonempty_file(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec) && fs::file_size(path, ec) > 0 && !ec;
}

}  // namespace

struct AuditLog::State {
  fs::path log;
  AuditKey key{};
  int fd = -1;
  mutable std::mutex mutex;
  std::uint64_t seq = 0;
  std::string last_mac{kAuditZeroMac};
  bool broken = false;  // a write failed part-way: nothing more may be appended

  ~State() {
    if (fd >= 0) ::close(fd);
  }
};

AuditLog::AuditLog(std::unique_ptr<State> state) : state_(std::move(state)) {}
AuditLog::~AuditLog() = default;
AuditLog::AuditLog(AuditLog&&) noexcept = default;
AuditLog& AuditLog::operator=(AuditLog&&) noexcept = default;

AuditLog AuditLog::open(const fs::path& log, const fs::path& key_file) {
  auto s = std::make_unique<State>();
  s->log = log;
  std::error_code ec;
  if (fs::exists(key_file, ec)) {
    s->key = read_key(key_file);
  } else {
    if (nonempty_file(log))
      throw InputError(key_file.string() + ": missing, but " + log.string() +
                       " already has lines: only the key that wrote them can extend or verify it");
    s->key = create_key(key_file);
  }
  const bool existed = fs::exists(log, ec);
  s->fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (s->fd < 0) throw InputError(log.string() + ": cannot open the audit log: " + std::strerror(errno));
  // One writer per log: a second server appending to the same file would fork the chain.
  if (::flock(s->fd, LOCK_EX | LOCK_NB) != 0)
    throw InputError(log.string() + ": another process is writing this audit log");
  if (!existed || !nonempty_file(log)) {
    Head head;
    bool head_present = false;
    const std::string problem = read_head(log, s->key, head, head_present);
    if (!problem.empty()) throw InputError(log.string() + ": refusing to extend a broken audit log: " + problem);
    if (head_present && head.seq > 0)
      throw InputError(log.string() + ": refusing to extend a broken audit log: line 1: missing: the head file records " +
                       std::to_string(head.seq) + " lines, the log is empty");
    if (::fsync(s->fd) != 0) throw InputError(log.string() + ": cannot fsync: " + std::strerror(errno));
    replace_owner_only_file(head_path(log), head_text(s->key, 0, kAuditZeroMac));
    return AuditLog(std::move(s));
  }
  ChainState chain = check_chain(log, s->key);
  if (!chain.result.ok)
    throw InputError(log.string() + ": refusing to extend a broken audit log: " + chain.result.problem +
                     " (keep this file as evidence, see severn audit verify, and start a new log)");
  s->seq = chain.result.lines;
  s->last_mac = chain.last_mac;
  if (chain.head.seq != s->seq) replace_owner_only_file(head_path(log), head_text(s->key, s->seq, s->last_mac));
  return AuditLog(std::move(s));
}

void AuditLog::append(const AuditEvent& event) {
  if (!audit_outcome_valid(event.outcome))
    throw std::invalid_argument("audit outcome '" + event.outcome + "' is not allowed, refused or failed");
  State& s = *state_;
  const std::lock_guard lock(s.mutex);
  if (s.broken) throw std::runtime_error(s.log.string() + ": an earlier audit write failed; no more can be appended");
  const AuditEntry entry{s.seq + 1, audit_time_now(), event};
  const std::string line = audit_line_text(entry, s.last_mac, s.key);
  if (line.size() > kAuditMaxLineBytes + 1)
    throw std::invalid_argument("audit line longer than " + std::to_string(kAuditMaxLineBytes) + " bytes");
  const std::string mac = line.substr(line.size() - 67, 64);
  if (!write_fully(s.fd, line) || ::fsync(s.fd) != 0) {
    s.broken = true;
    throw std::runtime_error(s.log.string() + ": cannot write the audit log: " + std::strerror(errno));
  }
  try {
    replace_owner_only_file(head_path(s.log), head_text(s.key, entry.seq, mac));
  } catch (...) {
    s.broken = true;
    throw;
  }
  s.seq = entry.seq;
  s.last_mac = mac;
}

std::uint64_t AuditLog::lines() const {
  const std::lock_guard lock(state_->mutex);
  return state_->seq;
}

AuditVerification verify_audit_log(const fs::path& log, const fs::path& key_file) {
  AuditKey key{};
  try {
    key = read_key(key_file);
  } catch (const std::exception& e) {
    AuditVerification r;
    r.problem = std::string("key: ") + e.what();
    return r;
  }
  return check_chain(log, key).result;
}

std::vector<AuditEntry> read_audit_log(const fs::path& log) {
  LineReader reader(log);
  if (!reader.is_open()) throw InputError(log.string() + ": cannot open the audit log");
  std::vector<AuditEntry> entries;
  std::string line;
  bool terminated = false;
  ParsedAuditLine parsed;
  std::int64_t n = 0;
  while (reader.next(line, terminated)) {
    ++n;
    if (!terminated) throw InputError(located(log.string(), n, "", "incomplete line (no newline at its end)"));
    if (const std::string problem = parse_audit_line(line, parsed); !problem.empty())
      throw InputError(located(log.string(), n, "", problem));
    entries.push_back(std::move(parsed.entry));
    parsed = ParsedAuditLine{};
  }
  return entries;
}

namespace {
// OWASP "CSV Injection": a leading = + - @ (or tab, carriage return) makes a spreadsheet treat
// the cell as a formula; a leading ' makes it text.
std::string spreadsheet_safe(std::string_view cell) {
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos)
    return "'" + std::string(cell);
  return std::string(cell);
}
}  // namespace

std::string audit_csv(const std::vector<AuditEntry>& entries) {
  std::string out = "seq,time,user,role,purpose,action,target,rows,outcome,address,detail\n";
  for (const AuditEntry& a : entries) {
    const AuditEvent& e = a.event;
    CsvRow row(out);
    row.integer(static_cast<std::int64_t>(a.seq)).text(spreadsheet_safe(a.time)).text(spreadsheet_safe(e.user));
    row.text(spreadsheet_safe(e.role)).text(spreadsheet_safe(e.purpose)).text(spreadsheet_safe(e.action));
    row.text(spreadsheet_safe(e.target)).integer(static_cast<std::int64_t>(e.rows)).text(spreadsheet_safe(e.outcome));
    row.text(spreadsheet_safe(e.address)).text(spreadsheet_safe(e.detail));
  }
  return out;
}

}  // namespace severn::server
