#include "synth/fhir_writer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "core/csv_table.h"
#include "core/embedded.h"
#include "core/error.h"
#include "core/mapped_file.h"
#include "synth/gp_codes.h"

namespace severn::synth {
namespace fs = std::filesystem;
namespace {

// ---------------------------------------------------------------------------------------------
// Reading the CSVs: memory-mapped, split into chunks at record boundaries, rendered in parallel.

// A quoted field left open for this many lines is a broken quote, not a long field, so one stray
// quote cannot swallow the rest of a file (the same limit as ingest's CSV reader).
constexpr std::int64_t kMaxLinesInQuotedField = 64;
// Input bytes per chunk: large enough that a chunk's work dwarfs the hand-over between threads,
// small enough that the chunks in flight (rendered JSON is about ten times the CSV) stay small.
constexpr std::size_t kChunkBytes = std::size_t{256} << 10;

struct Record {
  const char* begin = nullptr;  // first byte of the record
  const char* end = nullptr;    // end of its text (line terminator excluded)
  const char* next = nullptr;   // where the next record starts
  std::size_t fields = 0;
  bool ok = true;  // false: quoting is broken; the record is the rest of the line it started on
};

// RFC 4180 records. Field values stay views into the file except quoted fields with "" escapes,
// which are unescaped into the parser's buffers (valid until the next parse).
class RecordParser {
 public:
  explicit RecordParser(std::size_t fields) : views_(fields), buffers_(fields) {}

  Record parse(const char* p, const char* end) {
    Record r;
    r.begin = p;
    std::size_t field = 0;
    for (;;) {
      std::string_view value;
      const char* q = p;
      if (q < end && *q == '"') {
        const char* s = q + 1;
        const char* close = nullptr;
        bool escaped = false;
        std::int64_t newlines = 0;
        for (;;) {
          const void* found = std::memchr(s, '"', static_cast<std::size_t>(end - s));
          const char* c = found ? static_cast<const char*>(found) : end;
          newlines += std::count(s, c, '\n');
          if (!found || newlines > kMaxLinesInQuotedField) return broken(r, r.begin, end);
          if (c + 1 < end && c[1] == '"') {
            escaped = true;
            s = c + 2;
            continue;
          }
          close = c;
          break;
        }
        if (escaped && field < views_.size()) {
          std::string& buf = buffers_[field];
          buf.clear();
          for (const char* b = q + 1; b < close; ++b) {
            buf += *b;
            if (*b == '"') ++b;
          }
          value = buf;
        } else {
          value = std::string_view(q + 1, static_cast<std::size_t>(close - q - 1));
        }
        q = close + 1;
        if (q < end && *q == '\r' && q + 1 < end && q[1] == '\n') ++q;
        if (q < end && *q != ',' && *q != '\n') return broken(r, q, end);
      } else {
        while (q < end && *q != ',' && *q != '\n') {
          if (*q == '"') return broken(r, q, end);  // a quote inside an unquoted field
          ++q;
        }
        const char* vend = q;
        if (q < end && *q == '\n' && vend > p && vend[-1] == '\r') --vend;
        value = std::string_view(p, static_cast<std::size_t>(vend - p));
      }
      if (field < views_.size()) views_[field] = value;
      ++field;
      if (q < end && *q == ',') {
        p = q + 1;
        continue;
      }
      r.fields = field;
      r.end = q;
      if (q > r.begin && q < end && q[-1] == '\r') r.end = q - 1;
      r.next = q < end ? q + 1 : end;
      return r;
    }
  }

  std::string_view operator[](std::size_t i) const { return views_[i]; }

 private:
  // The record is broken: it runs to the end of the line holding `from`, and reading resumes on
  // the next line (for an open quote, the line after the one the record started on).
  static Record broken(Record& r, const char* from, const char* end) {
    const void* nl = std::memchr(from, '\n', static_cast<std::size_t>(end - from));
    const char* stop = nl ? static_cast<const char*>(nl) : end;
    r.ok = false;
    r.fields = 0;
    r.end = stop > r.begin && stop[-1] == '\r' && nl ? stop - 1 : stop;
    r.next = nl ? stop + 1 : end;
    return r;
  }

  std::vector<std::string_view> views_;
  std::vector<std::string> buffers_;
};

struct Chunk {
  const char* begin;
  const char* end;
  std::int64_t first_row;  // 1-based data row number of the chunk's first record
};

// One GP CSV: its header located and its body cut into chunks.
class CsvFile {
 public:
  CsvFile(const fs::path& path, std::string relative, std::initializer_list<std::string_view> columns)
      : relative_(std::move(relative)), file_(path) {
    std::string_view text = file_.text();
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    base_ = file_.text().data();
    const char* p = text.data();
    const char* end = p + text.size();
    if (p == end) throw InputError(relative_ + ": the file is empty (no header line)");
    RecordParser header_parser(256);
    const Record h = header_parser.parse(p, end);
    if (!h.ok) throw InputError(relative_ + ": line 1: the header's quoting is broken");
    width_ = h.fields;
    for (const auto name : columns) {
      std::size_t found = width_;
      for (std::size_t i = 0; i < std::min<std::size_t>(width_, 256); ++i)
        if (lower_trimmed(header_parser[i]) == name) {
          found = i;
          break;
        }
      if (found == width_)
        throw InputError(relative_ + ": the header has no column '" + std::string(name) + "'");
      columns_.push_back(found);
    }
    body_ = std::string_view(h.next, static_cast<std::size_t>(end - h.next));
    plan_chunks();
  }

  const std::string& relative() const { return relative_; }
  std::size_t size() const { return file_.size(); }
  std::size_t width() const { return width_; }
  std::size_t column(std::size_t i) const { return columns_[i]; }
  const std::vector<Chunk>& chunks() const { return chunks_; }
  std::uint64_t offset(const char* p) const { return static_cast<std::uint64_t>(p - base_); }
  const char* at(std::uint64_t offset) const { return base_ + offset; }
  const char* body_end() const { return body_.data() + body_.size(); }
  bool contains(std::string_view s) const {
    return s.data() >= base_ && s.data() + s.size() <= base_ + file_.size();
  }
  void release(const Chunk& c) const { release(c.begin, c.end); }

 private:
  static std::string lower_trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    std::string out(s);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }

  // Unmaps the whole pages of a range that has been read. The files are read in order, so
  // without this the resident size grows to the size of the CSVs; a later read of the range (a
  // blood-pressure partner) maps it again from the page cache.
  void release(const char* begin, const char* end) const {
    static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto from = (reinterpret_cast<std::uintptr_t>(begin) + page - 1) / page * page;
    const auto to = reinterpret_cast<std::uintptr_t>(end) / page * page;
    if (from < to) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
  }

  // Without a quote character every line is one record, so the file is cut at line ends and
  // rows are counted by line ends; otherwise records are parsed to find where they end.
  void plan_chunks() {
    const char* p = body_.data();
    const char* const end = body_end();
    bool quoted = false;
    for (const char* q = p; q < end && !quoted;) {
      const char* stop = q + std::min(kChunkBytes * 16, static_cast<std::size_t>(end - q));
      quoted = std::memchr(q, '"', static_cast<std::size_t>(stop - q)) != nullptr;
      release(q, stop);
      q = stop;
    }
    std::int64_t row = 1;
    if (!quoted) {
      while (p < end) {
        const char* cut = p + std::min(kChunkBytes, static_cast<std::size_t>(end - p));
        if (cut < end) {
          const void* nl = std::memchr(cut, '\n', static_cast<std::size_t>(end - cut));
          cut = nl ? static_cast<const char*>(nl) + 1 : end;
        }
        chunks_.push_back({p, cut, row});
        row += std::count(p, cut, '\n') + (cut[-1] != '\n' ? 1 : 0);
        release(p, cut);
        p = cut;
      }
      return;
    }
    RecordParser parser(width_);
    while (p < end) {
      const char* start = p;
      const std::int64_t first = row;
      while (p < end && static_cast<std::size_t>(p - start) < kChunkBytes) {
        p = parser.parse(p, end).next;
        ++row;
      }
      chunks_.push_back({start, p, first});
      release(start, p);
    }
  }

  std::string relative_;
  MappedFile file_;
  const char* base_ = nullptr;
  std::string_view body_;
  std::size_t width_ = 0;
  std::vector<std::size_t> columns_;
  std::vector<Chunk> chunks_;
};

// Renders chunks on `threads` workers and hands them to `consume` in chunk order, with a bounded
// number in flight, so the output is the same whatever the thread count. Out objects are reused
// (Out::clear keeps capacity): a fresh multi-megabyte buffer per chunk costs more in page faults
// than the rendering itself.
template <class Out>
void ordered_parallel(std::size_t n, unsigned threads, const std::function<void(std::size_t, Out&)>& render,
                      const std::function<void(std::size_t, Out&)>& consume) {
  if (threads <= 1 || n <= 1) {
    Out out;
    for (std::size_t k = 0; k < n; ++k) {
      out.clear();
      render(k, out);
      consume(k, out);
    }
    return;
  }
  const std::size_t window = static_cast<std::size_t>(threads) * 2;
  std::vector<std::unique_ptr<Out>> ready(n);
  std::vector<std::unique_ptr<Out>> spare;
  std::atomic<std::size_t> next{0};
  std::size_t consumed = 0;
  std::mutex mu;
  std::condition_variable cv;
  std::exception_ptr failure;
  auto worker = [&] {
    for (;;) {
      const std::size_t k = next++;
      if (k >= n) return;
      std::unique_ptr<Out> out;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return k < consumed + window || failure; });
        if (failure) return;
        if (!spare.empty()) {
          out = std::move(spare.back());
          spare.pop_back();
        }
      }
      if (out) out->clear();
      else out = std::make_unique<Out>();
      try {
        render(k, *out);
      } catch (...) {
        std::lock_guard lock(mu);
        if (!failure) failure = std::current_exception();
        cv.notify_all();
        return;
      }
      std::lock_guard lock(mu);
      ready[k] = std::move(out);
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  try {
    for (std::size_t k = 0; k < n; ++k) {
      std::unique_ptr<Out> out;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return ready[k] != nullptr || failure; });
        if (failure) break;
        out = std::move(ready[k]);
      }
      consume(k, *out);
      std::lock_guard lock(mu);
      ++consumed;
      spare.push_back(std::move(out));
      cv.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mu);
    if (!failure) failure = std::current_exception();
    cv.notify_all();
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

// ---------------------------------------------------------------------------------------------
// JSON text.

void append_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t from = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c != '"' && c != '\\' && c >= 0x20) continue;
    out.append(s.data() + from, i - from);
    from = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(u, sizeof u);
      }
    }
  }
  out.append(s.data() + from, s.size() - from);
  out += '"';
}

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A JSON number that parsers read as a finite number: RFC 8259's grammar, an integer that fits
// 64 bits (larger ones are an error, not a number, to some parsers) or a finite double.
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (is_digit(s[i])) {
    while (i < n && is_digit(s[i])) ++i;
  } else {
    return false;
  }
  bool integer = true;
  if (i < n && s[i] == '.') {
    integer = false;
    const std::size_t from = ++i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == from) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    integer = false;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t from = i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == from) return false;
  }
  if (i != n) return false;
  if (integer) {
    std::int64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + n, v);
    return r.ec == std::errc() && r.ptr == s.data() + n;
  }
  double d = 0;
  const auto r = std::from_chars(s.data(), s.data() + n, d);
  return r.ec == std::errc() && r.ptr == s.data() + n;
}

// A CSV row that cannot be converted, as a line no JSON parser accepts (it starts with a letter
// that begins no JSON value), so the reader quarantines it with its text.
void append_broken(std::string& out, const std::string& file, std::int64_t row, const Record& r,
                   std::size_t width) {
  out += "severn synth: ";
  out += file;
  out += " row ";
  append_int(out, row);
  if (!r.ok) {
    out += " has broken quoting: ";
  } else {
    out += " has ";
    append_int(out, static_cast<std::int64_t>(r.fields));
    out += r.fields == 1 ? " field" : " fields";
    out += ", the header ";
    append_int(out, static_cast<std::int64_t>(width));
    out += ": ";
  }
  for (const char* p = r.begin; p < r.end; ++p) {
    if (*p == '\n') out += "\\n";
    else if (*p == '\r') out += "\\r";
    else out += *p;
  }
  out += '\n';
}

// ---------------------------------------------------------------------------------------------
// The FHIR vocabulary.

constexpr std::string_view kNhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";
constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr std::string_view kUcum = "http://unitsofmeasure.org";
constexpr std::string_view kExportBase = "https://fhir.severn.invalid";

enum class Type : std::uint8_t { kObservation, kCondition, kProcedure };
enum class Bp : std::uint8_t { kNone, kSystolic, kDiastolic };

struct Unit {
  std::string human, ucum;
};

struct CodeInfo {
  Type type = Type::kObservation;
  Bp bp = Bp::kNone;
  const Unit* unit = nullptr;
};

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using TextMap = std::unordered_map<std::string, V, TransparentHash, std::equal_to<>>;

// The UCUM code of each unit of resources/reference/measurement-ranges.csv (docs/fhir.md).
std::string ucum_of(const std::string& unit) {
  if (unit == "mmHg") return "mm[Hg]";
  if (unit == "mL/min/1.73m2") return "mL/min/{1.73_m2}";
  if (unit == "mmol/mol" || unit == "mmol/L" || unit == "kg/m2" || unit == "umol/L" || unit == "mg/mmol" ||
      unit == "%")
    return unit;
  throw std::logic_error("measurement-ranges.csv: no UCUM code for the unit '" + unit + "'");
}

class Vocabulary {
 public:
  explicit Vocabulary(const refdata::CodelistLibrary& lib) {
    const GpCodes g = build_gp_codes(lib);
    // A code in lists of two kinds (none is, today) takes the later of condition, procedure and
    // measurement: a code that carries a value must stay an Observation to keep it.
    auto mark = [&](const CodePicker& p, Type t) {
      for (const std::string* c : p.codes()) codes_[*c].type = t;
    };
    for (const auto& d : g.diagnosis) mark(d, Type::kCondition);
    for (const CodePicker* p : {&g.diabetes_type1, &g.diabetes_type2, &g.tia, &g.hf_lvsd, &g.ckd3a, &g.ckd3b,
                                &g.ckd4, &g.ckd5, &g.hyp_resolved, &g.dm_resolved, &g.copd_resolved,
                                &g.alcohol_problem, &g.ibs})
      mark(*p, Type::kCondition);
    for (const std::string* c : g.cancer_snomed) codes_[*c].type = Type::kCondition;
    // eFI deficits that are disorders; the rest (symptoms, findings, social circumstances, care
    // arrangements) are Observations.
    using D = EfiDeficit;
    for (const D d : {D::kAnaemia, D::kArthritis, D::kFragilityFracture, D::kHearingImpairment,
                      D::kHeartValveDisease, D::kHypotensionSyncope, D::kParkinsonism, D::kPepticUlcer,
                      D::kSkinUlcer, D::kThyroidDisease, D::kUrinaryIncontinence, D::kUrinarySystemDisease,
                      D::kVisualImpairment})
      mark(g.efi_deficit[static_cast<std::size_t>(d)], Type::kCondition);
    for (const CodePicker* p : {&g.flu, &g.pneumococcal, &g.covid, &g.foot_check, &g.retinal_screening,
                                &g.health_check, &g.asthma_review, &g.copd_review})
      mark(*p, Type::kProcedure);

    const auto ranges_text = embedded::find("reference/measurement-ranges.csv");
    if (!ranges_text) throw std::logic_error("reference/measurement-ranges.csv is not compiled in");
    const auto ranges = CsvTable::parse(*ranges_text, "resources/reference/measurement-ranges.csv");
    for (std::size_t r = 0; r < ranges.rows(); ++r) {
      const std::string& unit = ranges.cell(r, "unit");
      units_.push_back({unit, ucum_of(unit)});
    }
    for (std::size_t r = 0; r < ranges.rows(); ++r)
      for (const auto& code : lib.get(ranges.cell(r, "codelist")).codes) {
        CodeInfo& info = codes_[code];
        info.type = Type::kObservation;
        info.unit = &units_[r];
      }
    for (const auto& code : lib.get("opensafely-systolic-blood-pressure-qof").codes) codes_[code].bp = Bp::kSystolic;
    for (const auto& code : lib.get("user-milanwiedemann-diastolic-blood-pressure-qof").codes) {
      CodeInfo& info = codes_[code];
      if (info.bp == Bp::kSystolic)
        throw InputError("code " + code + " is in both the systolic and the diastolic blood pressure code lists");
      info.bp = Bp::kDiastolic;
    }
  }

  const CodeInfo& operator[](std::string_view code) const {
    static const CodeInfo kOther;
    const auto it = codes_.find(code);
    return it == codes_.end() ? kOther : it->second;
  }

 private:
  std::deque<Unit> units_;
  TextMap<CodeInfo> codes_;
};

using PatientIndex = TextMap<std::int64_t>;  // NHS number text -> row of its first Patient

void append_subject(std::string& out, std::string_view nhs, const PatientIndex& patients) {
  if (nhs.empty()) return;  // FHIR has no empty strings: no subject, which the reader rejects
  const auto it = patients.find(nhs);
  if (it != patients.end()) {
    out += ",\"subject\":{\"reference\":\"Patient/p";
    append_int(out, it->second);
    out += "\"}";
    return;
  }
  out += ",\"subject\":{\"identifier\":{\"system\":\"";
  out += kNhsNumberSystem;
  out += "\",\"value\":";
  append_string(out, nhs);
  out += "}}";
}

void append_coding(std::string& out, std::string_view system, std::string_view code) {
  out += "{\"coding\":[{\"system\":\"";
  out += system;
  out += '"';
  if (!code.empty()) {
    out += ",\"code\":";
    append_string(out, code);
  }
  out += "}]}";
}

void append_quantity(std::string& out, std::string_view value, const Unit* unit) {
  out += "{\"value\":";
  if (is_json_number(value)) out += value;
  else append_string(out, value);
  if (unit) {
    out += ",\"unit\":";
    append_string(out, unit->human);
    out += ",\"system\":\"";
    out += kUcum;
    out += "\",\"code\":";
    append_string(out, unit->ucum);
  }
  out += '}';
}

void append_start(std::string& out, std::string_view type, std::string_view id_prefix, std::int64_t row) {
  out += "{\"resourceType\":\"";
  out += type;
  out += "\",\"id\":\"";
  out += id_prefix;
  append_int(out, row);
  out += "\",\"meta\":{\"profile\":[\"https://fhir.hl7.org.uk/StructureDefinition/UKCore-";
  out += type;
  out += "\"]}";
}

void append_text_element(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  out += ",\"";
  out += name;
  out += "\":";
  append_string(out, value);
}

// ---------------------------------------------------------------------------------------------
// Patients.

enum PatientColumn { kPNhs, kPFamily, kPGiven, kPSex, kPBirth, kPDeath, kPPostcode, kPLsoa, kPEthnic, kPPractice };

void append_patient(std::string& out, std::int64_t row, const RecordParser& f, const CsvFile& csv) {
  auto v = [&](PatientColumn c) { return f[csv.column(static_cast<std::size_t>(c))]; };
  append_start(out, "Patient", "p", row);
  if (!v(kPEthnic).empty()) {
    out += ",\"extension\":[{\"url\":\"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory\","
           "\"valueCodeableConcept\":";
    append_coding(out, "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland", v(kPEthnic));
    out += "}]";
  }
  if (!v(kPNhs).empty()) {
    out += ",\"identifier\":[{\"extension\":[{\"url\":\"https://fhir.hl7.org.uk/StructureDefinition/"
           "Extension-UKCore-NHSNumberVerificationStatus\",\"valueCodeableConcept\":{\"coding\":[{\"system\":"
           "\"https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland\",\"code\":\"01\","
           "\"display\":\"Number present and verified\"}]}}],\"system\":\"";
    out += kNhsNumberSystem;
    out += "\",\"value\":";
    append_string(out, v(kPNhs));
    out += "}]";
  }
  if (!v(kPFamily).empty() || !v(kPGiven).empty()) {
    out += ",\"name\":[{\"use\":\"official\"";
    if (!v(kPFamily).empty()) {
      out += ",\"family\":";
      append_string(out, v(kPFamily));
    }
    if (!v(kPGiven).empty()) {
      out += ",\"given\":[";
      append_string(out, v(kPGiven));
      out += ']';
    }
    out += "}]";
  }
  const std::string_view sex = v(kPSex);
  if (sex == "M") out += ",\"gender\":\"male\"";
  else if (sex == "F") out += ",\"gender\":\"female\"";
  else append_text_element(out, "gender", sex);  // not a FHIR gender: the reader rejects it, as ingest does
  append_text_element(out, "birthDate", v(kPBirth));
  append_text_element(out, "deceasedDateTime", v(kPDeath));
  if (!v(kPPostcode).empty() || !v(kPLsoa).empty()) {
    out += ",\"address\":[{";
    if (!v(kPLsoa).empty()) {
      out += "\"extension\":[{\"url\":\"https://fhir.severn.invalid/StructureDefinition/address-lsoa21\","
             "\"valueString\":";
      append_string(out, v(kPLsoa));
      out += "}],";
    }
    out += "\"use\":\"home\"";
    if (!v(kPPostcode).empty()) {
      out += ",\"postalCode\":";
      append_string(out, v(kPPostcode));
    }
    out += "}]";
  }
  if (!v(kPPractice).empty()) {
    out += ",\"generalPractitioner\":[{\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/ods-organization-code\","
           "\"value\":";
    append_string(out, v(kPPractice));
    out += "}}]";
  }
  out += "}\n";
}

// ---------------------------------------------------------------------------------------------
// Output files.

class NdjsonFile {
 public:
  NdjsonFile(const fs::path& path, std::string relative) : path_(path), relative_(std::move(relative)) {
    file_ = std::fopen(path.c_str(), "wbx");
    if (!file_) throw InputError("cannot create " + path.string() + ": " + std::strerror(errno));
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  }
  ~NdjsonFile() {
    if (file_) std::fclose(file_);
  }
  NdjsonFile(const NdjsonFile&) = delete;
  NdjsonFile& operator=(const NdjsonFile&) = delete;

  void write(const std::string& text, std::int64_t lines) {
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file_) != text.size())
      throw InputError("write failed in " + path_.string() + " (disk full?)");
    lines_ += lines;
    bytes_ += static_cast<std::int64_t>(text.size());
  }
  void finish() {
    const bool ok = std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok || !closed) throw InputError("could not complete " + path_.string());
  }
  const std::string& relative() const { return relative_; }
  std::int64_t lines() const { return lines_; }
  std::int64_t bytes() const { return bytes_; }

 private:
  fs::path path_;
  std::string relative_;
  FILE* file_ = nullptr;
  std::int64_t lines_ = 0, bytes_ = 0;
};

// Removes what a failed conversion created, so the CSVs stay the one form of each table.
class Created {
 public:
  void file(fs::path p) { paths_.push_back(std::move(p)); }
  void dir(fs::path p) { paths_.push_back(std::move(p)); }
  void keep() { paths_.clear(); }
  ~Created() {
    std::error_code ec;
    for (auto it = paths_.rbegin(); it != paths_.rend(); ++it) fs::remove(*it, ec);
  }

 private:
  std::vector<fs::path> paths_;
};

std::optional<Days> end_date_of(const fs::path& manifest) {
  std::ifstream in(manifest, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  const std::string text = s.str();
  auto at = text.find("\"end_date\"");
  if (at == std::string::npos) return std::nullopt;
  at = text.find('"', text.find(':', at));
  if (at == std::string::npos) return std::nullopt;
  const auto close = text.find('"', at + 1);
  if (close == std::string::npos) return std::nullopt;
  return parse_iso_date(std::string_view(text).substr(at + 1, close - at - 1));
}

// ---------------------------------------------------------------------------------------------
// The conversion of each table.

struct Counts {
  std::int64_t conditions = 0, observations = 0, panels = 0, procedures = 0, broken = 0;
};

PatientIndex convert_patients(const CsvFile& csv, NdjsonFile& out, unsigned threads, Counts& counts) {
  struct Out {
    std::string text;
    std::vector<std::pair<std::string, std::int64_t>> keys;
    std::int64_t lines = 0, broken = 0;
    void clear() {
      text.clear();
      keys.clear();
      lines = broken = 0;
    }
  };
  PatientIndex index;
  const auto& chunks = csv.chunks();
  ordered_parallel<Out>(
      chunks.size(), threads,
      [&](std::size_t k, Out& o) {
        RecordParser f(csv.width());
        const Chunk& c = chunks[k];
        o.text.reserve(static_cast<std::size_t>(c.end - c.begin) * 12);
        std::int64_t row = c.first_row;
        for (const char* p = c.begin; p < c.end; ++row) {
          const Record r = f.parse(p, c.end);
          p = r.next;
          ++o.lines;
          if (!r.ok || r.fields != csv.width()) {
            append_broken(o.text, csv.relative(), row, r, csv.width());
            ++o.broken;
            continue;
          }
          append_patient(o.text, row, f, csv);
          const std::string_view nhs = f[csv.column(kPNhs)];
          if (!nhs.empty()) o.keys.emplace_back(nhs, row);
        }
      },
      [&](std::size_t k, Out& o) {
        out.write(o.text, o.lines);
        counts.broken += o.broken;
        for (auto& [nhs, row] : o.keys) index.try_emplace(std::move(nhs), row);
        csv.release(chunks[k]);
      });
  return index;
}

// Blood-pressure panels: the k-th systolic and the k-th diastolic reading of one (NHS number,
// date), in file order, make one Observation, written where the earlier of the two stands. The
// pairing needs the whole file before any panel is written, so a first pass finds the pairs.
struct Pairs {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> first;  // (earlier row, later row) by offset
  std::vector<std::uint64_t> second;                           // later rows, ascending
};

enum EventColumn { kENhs, kEDate, kECode, kEValue };
enum MedicationColumn { kMNhs, kMDate, kMCode };

Pairs pair_blood_pressures(const CsvFile& csv, const Vocabulary& vocab, unsigned threads) {
  struct Reading {
    std::uint64_t offset;
    bool systolic;
    std::string_view nhs, date;
  };
  struct Out {
    std::vector<Reading> readings;
    std::deque<std::string> owned;  // unescaped quoted values the readings point into (a deque
                                    // moves its blocks, not its strings, so views stay valid)
    void clear() {
      readings.clear();
      owned.clear();
    }
  };
  struct Key {
    std::string_view nhs, date;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      const std::size_t a = std::hash<std::string_view>{}(k.nhs);
      return a ^ (std::hash<std::string_view>{}(k.date) + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
    }
  };
  struct Waiting {
    bool systolic;
    std::size_t head = 0;
    std::vector<std::uint64_t> offsets;
  };
  std::unordered_map<Key, Waiting, KeyHash> waiting;
  std::vector<std::deque<std::string>> owned;  // keeps keys of escaped values alive for the pass
  Pairs pairs;
  const auto& chunks = csv.chunks();
  ordered_parallel<Out>(
      chunks.size(), threads,
      [&](std::size_t k, Out& o) {
        RecordParser f(csv.width());
        const Chunk& c = chunks[k];
        for (const char* p = c.begin; p < c.end;) {
          const Record r = f.parse(p, c.end);
          p = r.next;
          if (!r.ok || r.fields != csv.width()) continue;
          const Bp bp = vocab[f[csv.column(kECode)]].bp;
          if (bp == Bp::kNone) continue;
          auto keep = [&](std::string_view s) {
            return csv.contains(s) ? s : std::string_view(o.owned.emplace_back(s));
          };
          o.readings.push_back({csv.offset(r.begin), bp == Bp::kSystolic, keep(f[csv.column(kENhs)]),
                                keep(f[csv.column(kEDate)])});
        }
      },
      [&](std::size_t k, Out& o) {
        if (!o.owned.empty()) owned.push_back(std::move(o.owned));
        for (const Reading& r : o.readings) {
          const auto [it, fresh] = waiting.try_emplace(Key{r.nhs, r.date});
          Waiting& w = it->second;
          if (fresh || w.head == w.offsets.size()) {
            w.systolic = r.systolic;
            w.head = 0;
            w.offsets.assign(1, r.offset);
            continue;
          }
          if (w.systolic == r.systolic) {
            w.offsets.push_back(r.offset);
            continue;
          }
          pairs.first.emplace_back(w.offsets[w.head++], r.offset);
          pairs.second.push_back(r.offset);
          if (w.head == w.offsets.size()) waiting.erase(it);
        }
        // Last: the readings were read from the chunk's pages. Keys still waiting stay valid
        // views; reading one again maps its page again.
        csv.release(chunks[k]);
      });
  std::sort(pairs.first.begin(), pairs.first.end());
  return pairs;  // `second` is already ascending: each is appended as the scan reaches it
}

struct EventOut {
  std::string condition, observation, procedure;
  Counts counts;
  void clear() {
    condition.clear();
    observation.clear();
    procedure.clear();
    counts = {};
  }
};

class EventRenderer {
 public:
  EventRenderer(const CsvFile& csv, const Vocabulary& vocab, const PatientIndex& patients, const Pairs& pairs)
      : csv_(csv), vocab_(vocab), patients_(patients), pairs_(pairs), f_(csv.width()), partner_(csv.width()) {}

  void render(const Chunk& c, EventOut& o) {
    o.observation.reserve(static_cast<std::size_t>(c.end - c.begin) * 8);
    const std::uint64_t from = csv_.offset(c.begin);
    auto first = std::lower_bound(pairs_.first.begin(), pairs_.first.end(), std::make_pair(from, std::uint64_t{0}));
    auto second = std::lower_bound(pairs_.second.begin(), pairs_.second.end(), from);
    std::int64_t row = c.first_row;
    for (const char* p = c.begin; p < c.end; ++row) {
      const Record r = f_.parse(p, c.end);
      p = r.next;
      if (!r.ok || r.fields != csv_.width()) {
        append_broken(o.observation, csv_.relative(), row, r, csv_.width());
        ++o.counts.broken;
        continue;
      }
      const std::uint64_t at = csv_.offset(r.begin);
      if (second != pairs_.second.end() && *second == at) {
        ++second;  // written with its partner, earlier in the file
        continue;
      }
      if (first != pairs_.first.end() && first->first == at) {
        panel(row, first->second, o);
        ++first;
        continue;
      }
      single(row, o);
    }
  }

 private:
  std::string_view v(const RecordParser& f, EventColumn c) const {
    return f[csv_.column(static_cast<std::size_t>(c))];
  }

  void single(std::int64_t row, EventOut& o) {
    const std::string_view code = v(f_, kECode);
    const CodeInfo& info = vocab_[code];
    switch (info.type) {
      case Type::kCondition: {
        std::string& out = o.condition;
        append_start(out, "Condition", "c", row);
        out += ",\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
               "condition-clinical\",\"code\":\"active\"}]},\"verificationStatus\":{\"coding\":[{\"system\":"
               "\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",\"code\":\"confirmed\"}]}";
        out += ",\"code\":";
        append_coding(out, kSnomed, code);
        append_subject(out, v(f_, kENhs), patients_);
        append_text_element(out, "onsetDateTime", v(f_, kEDate));
        out += "}\n";
        ++o.counts.conditions;
        return;
      }
      case Type::kProcedure: {
        std::string& out = o.procedure;
        append_start(out, "Procedure", "pr", row);
        out += ",\"status\":\"completed\",\"code\":";
        append_coding(out, kSnomed, code);
        append_subject(out, v(f_, kENhs), patients_);
        append_text_element(out, "performedDateTime", v(f_, kEDate));
        out += "}\n";
        ++o.counts.procedures;
        return;
      }
      case Type::kObservation: {
        std::string& out = o.observation;
        append_start(out, "Observation", "o", row);
        out += ",\"status\":\"final\",\"code\":";
        append_coding(out, kSnomed, code);
        append_subject(out, v(f_, kENhs), patients_);
        append_text_element(out, "effectiveDateTime", v(f_, kEDate));
        if (!v(f_, kEValue).empty()) {
          out += ",\"valueQuantity\":";
          append_quantity(out, v(f_, kEValue), info.unit);
        }
        out += "}\n";
        ++o.counts.observations;
        return;
      }
    }
  }

  void component(std::string& out, const RecordParser& f) const {
    out += "{\"code\":";
    append_coding(out, kSnomed, v(f, kECode));
    if (!v(f, kEValue).empty()) {
      out += ",\"valueQuantity\":";
      append_quantity(out, v(f, kEValue), vocab_[v(f, kECode)].unit);
    }
    out += '}';
  }

  // The panel takes the earlier row's number, NHS number and date (the pair shares the last two).
  void panel(std::int64_t row, std::uint64_t partner_offset, EventOut& o) {
    partner_.parse(csv_.at(partner_offset), csv_.body_end());
    const bool first_is_systolic = vocab_[v(f_, kECode)].bp == Bp::kSystolic;
    const RecordParser& systolic = first_is_systolic ? f_ : partner_;
    const RecordParser& diastolic = first_is_systolic ? partner_ : f_;
    std::string& out = o.observation;
    append_start(out, "Observation", "o", row);
    out += ",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"75367002\"},"
           "{\"system\":\"http://loinc.org\",\"code\":\"85354-9\"}]}";
    append_subject(out, v(f_, kENhs), patients_);
    append_text_element(out, "effectiveDateTime", v(f_, kEDate));
    out += ",\"component\":[";
    component(out, systolic);
    out += ',';
    component(out, diastolic);
    out += "]}\n";
    ++o.counts.panels;
  }

  const CsvFile& csv_;
  const Vocabulary& vocab_;
  const PatientIndex& patients_;
  const Pairs& pairs_;
  RecordParser f_, partner_;
};

void convert_events(const CsvFile& csv, const Vocabulary& vocab, const PatientIndex& patients,
                    NdjsonFile& condition, NdjsonFile& observation, NdjsonFile& procedure, unsigned threads,
                    Counts& counts) {
  const Pairs pairs = pair_blood_pressures(csv, vocab, threads);
  const auto& chunks = csv.chunks();
  ordered_parallel<EventOut>(
      chunks.size(), threads,
      [&](std::size_t k, EventOut& o) { EventRenderer(csv, vocab, patients, pairs).render(chunks[k], o); },
      [&](std::size_t k, EventOut& o) {
        csv.release(chunks[k]);
        condition.write(o.condition, o.counts.conditions);
        observation.write(o.observation, o.counts.observations + o.counts.panels + o.counts.broken);
        procedure.write(o.procedure, o.counts.procedures);
        counts.conditions += o.counts.conditions;
        counts.observations += o.counts.observations;
        counts.panels += o.counts.panels;
        counts.procedures += o.counts.procedures;
        counts.broken += o.counts.broken;
      });
}

std::int64_t convert_medications(const CsvFile& csv, const PatientIndex& patients, NdjsonFile& out,
                                 unsigned threads, Counts& counts) {
  struct Out {
    std::string text;
    std::int64_t lines = 0, broken = 0;
    void clear() {
      text.clear();
      lines = broken = 0;
    }
  };
  std::int64_t requests = 0;
  const auto& chunks = csv.chunks();
  ordered_parallel<Out>(
      chunks.size(), threads,
      [&](std::size_t k, Out& o) {
        RecordParser f(csv.width());
        const Chunk& c = chunks[k];
        o.text.reserve(static_cast<std::size_t>(c.end - c.begin) * 10);
        std::int64_t row = c.first_row;
        for (const char* p = c.begin; p < c.end; ++row) {
          const Record r = f.parse(p, c.end);
          p = r.next;
          ++o.lines;
          if (!r.ok || r.fields != csv.width()) {
            append_broken(o.text, csv.relative(), row, r, csv.width());
            ++o.broken;
            continue;
          }
          auto v = [&](MedicationColumn col) { return f[csv.column(static_cast<std::size_t>(col))]; };
          append_start(o.text, "MedicationRequest", "m", row);
          o.text += ",\"status\":\"completed\",\"intent\":\"order\",\"medicationCodeableConcept\":";
          append_coding(o.text, "https://dmd.nhs.uk", v(kMCode));
          append_subject(o.text, v(kMNhs), patients);
          append_text_element(o.text, "authoredOn", v(kMDate));
          o.text += "}\n";
        }
      },
      [&](std::size_t k, Out& o) {
        csv.release(chunks[k]);
        out.write(o.text, o.lines);
        requests += o.lines - o.broken;
        counts.broken += o.broken;
      });
  return requests;
}

void write_manifest(const fs::path& path, Days data_end, const std::vector<std::string>& types) {
  std::string m = "{\n  \"transactionTime\": \"" + format_iso_date(data_end) + "T23:59:59Z\",\n";
  m += "  \"request\": \"" + std::string(kExportBase) + "/$export?_type=";
  for (std::size_t i = 0; i < types.size(); ++i) m += (i ? "," : "") + types[i];
  m += "\",\n  \"requiresAccessToken\": false,\n  \"output\": [";
  for (std::size_t i = 0; i < types.size(); ++i)
    m += std::string(i ? "," : "") + "\n    {\"type\": \"" + types[i] + "\", \"url\": \"" + types[i] + ".ndjson\"}";
  m += "\n  ],\n  \"error\": []\n}\n";
  NdjsonFile f(path, "");
  f.write(m, 0);
  f.finish();
}

}  // namespace

FhirConversion write_gp_fhir(const fs::path& extract_dir, const refdata::CodelistLibrary& lib, unsigned threads,
                             std::optional<Days> data_end) {
  const auto t0 = std::chrono::steady_clock::now();
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (!data_end) data_end = end_date_of(extract_dir / "manifest.json");
  if (!data_end)
    throw InputError("cannot date the FHIR export: " + (extract_dir / "manifest.json").string() +
                     " holds no end_date");
  const fs::path patients_csv = extract_dir / "gp/patients.csv";
  const fs::path events_csv = extract_dir / "gp/events.csv";
  const fs::path medications_csv = extract_dir / "gp/medications.csv";
  std::error_code ec;
  if (!fs::exists(patients_csv, ec))
    throw InputError(patients_csv.string() + " is missing: the FHIR export's Patients come from it");
  const fs::path out_dir = extract_dir / "fhir/gp";
  if (fs::exists(out_dir, ec) && !fs::is_empty(out_dir, ec))
    throw InputError(out_dir.string() + " already holds files: it is written only into an empty directory");

  const Vocabulary vocab(lib);
  // Opened first so a missing column stops the run before anything is written.
  const CsvFile patients(patients_csv, "gp/patients.csv",
                         {"nhs_number", "family_name", "given_name", "sex", "date_of_birth", "date_of_death",
                          "postcode", "lsoa21_code", "ethnic_category", "practice_code"});
  std::optional<CsvFile> events, medications;
  if (fs::exists(events_csv, ec))
    events.emplace(events_csv, "gp/events.csv", std::initializer_list<std::string_view>{
                                                    "nhs_number", "event_date", "snomedct_code", "numeric_value"});
  if (fs::exists(medications_csv, ec))
    medications.emplace(medications_csv, "gp/medications.csv",
                        std::initializer_list<std::string_view>{"nhs_number", "issue_date", "dmd_code"});

  Created created;
  for (const fs::path& d : {extract_dir / "fhir", out_dir})
    if (!fs::exists(d, ec)) {
      fs::create_directory(d);
      created.dir(d);
    }
  std::vector<std::string> types;
  std::vector<std::unique_ptr<NdjsonFile>> files;
  auto open = [&](const std::string& type) -> NdjsonFile& {
    const fs::path path = out_dir / (type + ".ndjson");
    types.push_back(type);
    created.file(path);
    return *files.emplace_back(std::make_unique<NdjsonFile>(path, "fhir/gp/" + type + ".ndjson"));
  };

  FhirConversion result;
  Counts counts;
  NdjsonFile& patient_file = open("Patient");
  const PatientIndex index = convert_patients(patients, patient_file, threads, counts);
  result.patients = patient_file.lines() - counts.broken;  // counts.broken holds the Patients' alone here
  result.removed.push_back("gp/patients.csv");
  if (events) {
    NdjsonFile& condition = open("Condition");
    NdjsonFile& observation = open("Observation");
    NdjsonFile& procedure = open("Procedure");
    convert_events(*events, vocab, index, condition, observation, procedure, threads, counts);
    result.removed.push_back("gp/events.csv");
  }
  if (medications) {
    result.medication_requests = convert_medications(*medications, index, open("MedicationRequest"), threads, counts);
    result.removed.push_back("gp/medications.csv");
  }
  result.conditions = counts.conditions;
  result.observations = counts.observations;
  result.panels = counts.panels;
  result.procedures = counts.procedures;
  result.broken_rows = counts.broken;
  for (auto& f : files) {
    f->finish();
    result.files.emplace_back(f->relative(), f->lines());
    result.fhir_bytes += f->bytes();
  }
  for (const CsvFile* csv : std::initializer_list<const CsvFile*>{
           &patients, events ? &*events : nullptr, medications ? &*medications : nullptr})
    if (csv) result.csv_bytes += static_cast<std::int64_t>(csv->size());
  const fs::path manifest = out_dir / "manifest.json";
  created.file(manifest);
  write_manifest(manifest, *data_end, types);

  // Every FHIR file is complete: only now do the CSVs go, so a failure above leaves them.
  events.reset();
  medications.reset();
  created.keep();
  for (const auto& rel : result.removed) fs::remove(extract_dir / rel);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace severn::synth
