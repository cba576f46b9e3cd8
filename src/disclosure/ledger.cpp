#include "disclosure/ledger.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/csv_table.h"
#include "core/csv_writer.h"
#include "core/error.h"

namespace severn::disclosure {
namespace {

constexpr const char* kColumns[] = {"release", "mode", "redact_min", "redact_max", "round_to", "rounding",
                                    "meaning", "interval", "breakdown", "group", "shown"};

}  // namespace

std::vector<LedgerEntry> read_ledger(const std::filesystem::path& path) {
  std::vector<LedgerEntry> out;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return out;
  const CsvTable t = CsvTable::read_file(path);
  std::vector<std::size_t> col;
  for (const char* name : kColumns) col.push_back(t.column(name));
  out.reserve(t.rows());
  for (std::size_t r = 0; r < t.rows(); ++r) {
    LedgerEntry e;
    e.release = t.cell(r, col[0]);
    const std::string& mode = t.cell(r, col[1]);
    if (mode == "rounded") e.policy.mode = Mode::kRounded;
    else if (mode == "suppressed-exact") e.policy.mode = Mode::kSuppressedExact;
    else t.fail(r, col[1], "must be rounded or suppressed-exact");
    e.policy.redact_min = t.get_int(r, col[2]);
    e.policy.redact_max = t.get_int(r, col[3]);
    e.policy.round_to = t.get_int(r, col[4]);
    const std::string& rounding = t.cell(r, col[5]);
    if (rounding == "midpoint") e.policy.midpoint = true;
    else if (rounding != "nearest" && rounding != "none") t.fail(r, col[5], "must be nearest, midpoint or none");
    try {
      e.policy.validate();
    } catch (const InputError& err) {
      t.fail(r, col[2], std::string("not a valid policy: ") + err.what());
    }
    e.meaning = t.cell(r, col[6]);
    e.interval = t.cell(r, col[7]);
    e.breakdown = t.cell(r, col[8]);
    e.group = t.cell(r, col[9]);
    if (e.meaning.empty()) t.fail(r, col[6], "is empty");
    if (e.interval.empty()) t.fail(r, col[7], "is empty");
    e.shown = t.get_int(r, col[10]);
    if (e.shown < 0) t.fail(r, col[10], "a published count cannot be negative");
    out.push_back(std::move(e));
  }
  return out;
}

void append_ledger(const std::filesystem::path& path, const std::vector<LedgerEntry>& entries) {
  std::error_code ec;
  const bool fresh = !std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0;
  std::string text;
  if (fresh) {
    CsvRow h(text);
    for (const char* name : kColumns) h.text(name);
  }
  for (const LedgerEntry& e : entries) {
    CsvRow r(text);
    r.text(e.release).text(e.policy.mode_name()).integer(e.policy.redact_min).integer(e.policy.redact_max)
        .integer(e.policy.rounding_base())
        .text(e.policy.rounding_base() <= 1 ? "none" : e.policy.midpoint ? "midpoint" : "nearest")
        .text(e.meaning).text(e.interval).text(e.breakdown).text(e.group).integer(e.shown);
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) throw InputError(path.string() + ": cannot open the release ledger: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw InputError(path.string() + ": cannot append to the release ledger: " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    throw InputError(path.string() + ": cannot sync the release ledger: " + std::strerror(err));
  }
  ::close(fd);
}

}  // namespace severn::disclosure
