// Fuzzes a partner extract file through the code path `severn ingest` takes for it: the CSV reader
// (open_csv_source, header matching, splitting into parts, record splitting, UTF-8 checks) and
// then row validation (PartBuilder: every field check of the table, date order, plausible ranges,
// person and partner lookups). The input is one whole extract file; it is validated as every
// table whose header it satisfies (the seed corpus holds one file of each table).
//
// Each file is read twice, as one part and split into small parts, and the two readings must
// agree on how many records were read, accepted and quarantined, and on the line each starts on:
// a file must not mean something else because it was split differently.
//
// Every physical line must reach the ledger (src/ingest/csv_source.h): in a file without quote
// characters, the lines delivered (as records or problems, blank lines before the header
// included) are every line but the header, each once and in order, also when the file has no
// header at all or its line ends are CR only.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "ingest/csv_source.h"
#include "ingest/part_builder.h"
#include "ingest/schema.h"
#include "ingest/table_plan.h"
#include "ingest/validation_context.h"
#include "refdata/data_dir.h"
#include "scratch_dir.h"

namespace severn::fuzz {
namespace {

using namespace severn::ingest;

// Small enough that a seed of a few lines is split into several parts.
constexpr std::size_t kSmallPartBytes = 64;
constexpr const char* kFileName = "extract.csv";

// The people of the hand-written valid extract (tests/ingest/ingest_fixture.h), so rows of the
// seed corpus link and reach the date-of-birth and record-id checks.
struct KnownPerson {
  std::uint64_t nhs_number;
  int year, month, day;  // date of birth
};
constexpr KnownPerson kPersons[] = {
    {9996125483, 1942, 7, 6}, {9990434174, 1950, 3, 14}, {9997366956, 2001, 2, 28}};
struct KnownPartnerRecord {
  const char* partner;
  const char* local_id;
  std::int64_t person;
};
constexpr KnownPartnerRecord kPartnerRecords[] = {{"RXW", "RXW123456789", 0},
                                                  {"RL1", "RL1123456789", 0},
                                                  {"RXW", "RXW510877278", -1},
                                                  {"R1D", "R1D123456789", 0},
                                                  {"E06000051", "SC465363440", 2}};

// Without the reference pack: the allowed values the schema lists itself, and the two practices
// of the seed corpus. Reference-table codes (ethnic categories, treatment functions) and
// plausible ranges are then missing, so the pack is worth having.
ValidationContext context_without_pack(Days as_of) {
  ValidationContext c;
  c.as_of = as_of;
  c.earliest = days_from_civil(1890, 1, 1);
  c.practices = {"M82007", "M82010"};
  for (const auto& spec : table_specs())
    for (const auto& f : spec.fields)
      for (const auto v : f.allowed)
        c.allowed[std::string(spec.table) + "." + std::string(f.name)].emplace(v);
  return c;
}

ValidationContext make_context() {
  const Days as_of = days_from_civil(2025, 6, 30);
  ValidationContext c;
  try {
    c = ValidationContext::load(refdata::DataDir::resolve(""), as_of);
  } catch (const InputError& e) {
    std::fprintf(stderr, "csv_source fuzzer: %s\n  fuzzing without the reference pack\n", e.what());
    c = context_without_pack(as_of);
  }
  for (std::uint32_t i = 0; i < std::size(kPersons); ++i) {
    c.persons.insert(kPersons[i].nhs_number, i);
    c.persons.set_date_of_birth(i, days_from_civil(kPersons[i].year, kPersons[i].month, kPersons[i].day));
  }
  for (std::uint32_t i = 0; i < std::size(kPartnerRecords); ++i) {
    c.partners.insert(kPartnerRecords[i].partner, kPartnerRecords[i].local_id, i);
    c.partner_outcomes.push_back({kPartnerRecords[i].person, kPartnerRecords[i].person >= 0 ? 1.0 : 0.0,
                                  kPartnerRecords[i].person >= 0 ? "" : "no NHS number"});
  }
  return c;
}

struct Fixture {
  ScratchDir dir{"csv"};
  ValidationContext context = make_context();
  std::vector<TablePlan> plans;
  std::vector<std::vector<std::string_view>> names;

  Fixture() {
    for (const auto& spec : table_specs()) {
      plans.push_back(TablePlan::make(spec));
      names.push_back(spec.field_names());
    }
  }
};

struct Counts {
  std::uint64_t read = 0, accepted = 0, quarantined = 0, unlinked = 0;
  std::vector<std::int64_t> lines;  // the line each record or problem starts on, in delivery order
  bool operator==(const Counts&) const = default;
};

// Passes records and problems on to the builder, noting the line each starts on.
class LineSink final : public RecordSink {
 public:
  LineSink(RecordSink& inner, std::vector<std::int64_t>& lines) : inner_(inner), lines_(lines) {}
  void record(const SourceRecord& r) override {
    lines_.push_back(r.line);
    inner_.record(r);
  }
  void problem(const SourceProblem& p) override {
    lines_.push_back(p.line);
    inner_.problem(p);
  }

 private:
  RecordSink& inner_;
  std::vector<std::int64_t>& lines_;
};

// The lines a file without quote characters must deliver: every physical line but the header
// (the first line holding more than spaces, tabs and CRs). A UTF-8 byte-order mark is ignored;
// when the first line break is a lone CR, every lone CR ends a line.
std::vector<std::int64_t> expected_lines(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string s(text);
  const auto brk = s.find_first_of("\r\n");
  if (brk != std::string::npos && s[brk] == '\r' && (brk + 1 == s.size() || s[brk + 1] != '\n'))
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) s[i] = '\n';
  std::vector<std::int64_t> lines;
  bool header_seen = false;
  std::int64_t line = 0;
  std::size_t begin = 0;
  while (begin < s.size()) {
    const auto nl = s.find('\n', begin);
    const std::string_view l = std::string_view(s).substr(begin, nl == std::string::npos ? std::string::npos : nl - begin);
    ++line;
    if (!header_seen && l.find_first_not_of(" \t\r") != std::string_view::npos)
      header_seen = true;
    else
      lines.push_back(line);
    if (nl == std::string::npos) break;
    begin = nl + 1;
  }
  return lines;
}

// Reads every part of the source and validates its records, as run_ingest does (one thread).
// A header that fits no table quarantines every record the same way whatever the table, so with
// `skip_bad_header` that path is not read again.
Counts read_and_validate(const Fixture& f, std::size_t table, std::size_t part_bytes, bool skip_bad_header,
                         SourceStatus& status) {
  // As run_ingest: columns added to an extract later may be missing from an older one.
  const TableSpec& spec = table_specs()[table];
  std::vector<std::string_view> optional;
  for (const auto& field : spec.fields)
    if (field.optional_column) optional.push_back(field.name);
  const auto source = open_csv_source(f.dir.path(), kFileName, f.names[table], part_bytes, optional);
  const auto absent = source->absent_fields();
  const TablePlan older = absent.empty() ? TablePlan{} : TablePlan::make(spec, absent);
  const TablePlan& plan = absent.empty() ? f.plans[table] : older;
  status = source->status();
  (void)source->checksum();
  (void)source->status_detail();
  Counts n;
  if (status == SourceStatus::kMissing) return n;
  if (status == SourceStatus::kBadHeader && skip_bad_header) return n;
  for (std::size_t i = 0; i < source->parts(); ++i) {
    PartBuilder builder(plan, f.context, kFileName);
    LineSink sink(builder, n.lines);
    source->read_part(i, sink);
    const PartOutput out = builder.take();
    n.read += out.read;
    n.accepted += out.accepted_rows();
    n.quarantined += out.quarantine.size();
    n.unlinked += out.unlinked.size();
  }
  return n;
}

void check_split_agrees(const Fixture& f, std::size_t table, const Counts& whole, std::size_t part_bytes) {
  SourceStatus status{};
  const Counts split = read_and_validate(f, table, part_bytes, false, status);
  if (split == whole) return;
  std::fprintf(stderr,
               "csv_source fuzzer: %s read as one part gives read %llu accepted %llu quarantined %llu "
               "unlinked %llu, but in parts of %zu bytes read %llu accepted %llu quarantined %llu unlinked %llu\n",
               std::string(table_specs()[table].source).c_str(), static_cast<unsigned long long>(whole.read),
               static_cast<unsigned long long>(whole.accepted), static_cast<unsigned long long>(whole.quarantined),
               static_cast<unsigned long long>(whole.unlinked), part_bytes,
               static_cast<unsigned long long>(split.read), static_cast<unsigned long long>(split.accepted),
               static_cast<unsigned long long>(split.quarantined), static_cast<unsigned long long>(split.unlinked));
  if (split.lines != whole.lines) std::fprintf(stderr, "  (the lines delivered differ)\n");
  std::abort();
}

std::string joined(const std::vector<std::int64_t>& lines) {
  std::string s;
  for (const auto l : lines) s += (s.empty() ? "" : " ") + std::to_string(l);
  return s;
}

void check_every_line_delivered(std::string_view text, std::size_t table, const Counts& whole) {
  if (text.find('"') != std::string_view::npos) return;  // a quoted field may span lines
  const auto expected = expected_lines(text);
  if (whole.lines == expected) return;
  std::fprintf(stderr, "csv_source fuzzer: %s: lines delivered [%s] but the file's lines other than the header are [%s]\n",
               std::string(table_specs()[table].source).c_str(), joined(whole.lines).c_str(), joined(expected).c_str());
  std::abort();
}

}  // namespace
}  // namespace severn::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace severn::fuzz;
  static const Fixture fixture;
  write_file(fixture.dir.path() / kFileName, std::string_view(reinterpret_cast<const char*>(data), size));
  bool bad_header_read = false;
  for (std::size_t t = 0; t < fixture.plans.size(); ++t) {
    SourceStatus status{};
    const std::size_t one_part = std::max<std::size_t>(size, 1) * 2;
    Counts whole;
    try {
      whole = read_and_validate(fixture, t, one_part, bad_header_read, status);
    } catch (const severn::InputError&) {
      return 0;  // the file exists but cannot be read: not a property of its bytes
    }
    if (status == SourceStatus::kBadHeader) {
      if (bad_header_read) continue;
      bad_header_read = true;
    }
    if (status == SourceStatus::kMissing) continue;
    check_split_agrees(fixture, t, whole, kSmallPartBytes);
    check_every_line_delivered(std::string_view(reinterpret_cast<const char*>(data), size), t, whole);
  }
  return 0;
}
