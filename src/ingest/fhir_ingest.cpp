#include "ingest/fhir_ingest.h"

#include <algorithm>
#include <climits>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "core/csv_writer.h"
#include "core/date.h"
#include "core/parallel.h"
#include "store/checksum.h"

namespace severn::ingest {
namespace {

// JSON pointers are few and repeat ("/effectiveDateTime", "/code/coding/0/code"): rows keep an id.
// Ids are per chunk while reading, then one table for the export.
class PointerTable {
 public:
  static constexpr std::uint16_t kNone = 0;     // no pointer
  static constexpr std::uint16_t kTooMany = 1;  // the table is full (a huge Bundle): not kept
  PointerTable() : strings_{"", "(not kept)"} {}
  std::uint16_t id(std::string_view s) {
    if (s.empty()) return kNone;
    const auto it = ids_.find(s);
    if (it != ids_.end()) return it->second;
    if (strings_.size() >= 0xFFFF) return kTooMany;
    const auto id = static_cast<std::uint16_t>(strings_.size());
    strings_.emplace_back(s);
    ids_.emplace(strings_.back(), id);
    return id;
  }
  std::string_view operator[](std::uint16_t id) const { return strings_[id]; }
  std::size_t size() const { return strings_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::deque<std::string> strings_;  // a deque: views into it stay valid as it grows
  std::unordered_map<std::string_view, std::uint16_t, Hash, std::equal_to<>> ids_;
};

constexpr std::size_t kMaxFields = 10;

// One mapped row. Its blob, in the arena of the range it was read in, holds, '\0' separated:
// "Type/id", the subject (a Patient: its Bundle fullUrl), then the values in fhir_table_fields order
// (a Patient's NHS number among them; other tables' nhs_number comes from their Patient when the
// source delivers the row). An arena per range, not a string per row: millions of rows would
// otherwise cost an allocation and its overhead each.
struct Row {
  std::uint64_t offset = 0;
  std::uint32_t size = 0;
  std::uint32_t arena = 0;
  std::int64_t line = 0;
  std::uint32_t file = 0;
  std::int32_t person = -1;  // the Patient's position in the export; INT32_MAX: an NHS number with no Patient
  std::int32_t date = INT32_MAX;
  std::uint32_t code_begin = 0, code_size = 0;
  std::uint16_t component = 0;
  std::uint16_t subject_pointer = 0;
  std::array<std::uint16_t, kMaxFields> pointers{};
};

using Parts = std::array<std::string_view, 2 + kMaxFields>;
// Splits a blob into its parts; returns how many.
std::size_t split(std::string_view blob, Parts& out) {
  std::size_t n = 0, start = 0;
  while (n < out.size()) {
    const auto z = blob.find('\0', start);
    out[n++] = blob.substr(start, z == std::string_view::npos ? std::string_view::npos : z - start);
    if (z == std::string_view::npos) break;
    start = z + 1;
  }
  return n;
}

std::string_view blob_of(const std::vector<std::string>& arenas, const Row& row) {
  return std::string_view(arenas[row.arena]).substr(row.offset, row.size);
}

struct QuarantineLine {
  std::uint32_t file = 0;
  std::int64_t line = 0;
  std::string resource_type, id, pointer, value, reason;
  std::string full_url;  // a quarantined Patient's Bundle fullUrl: its records are told why
};

struct Counts {
  std::uint64_t read = 0, mapped = 0, quarantined = 0, not_used = 0;
  std::map<std::string, std::uint64_t> not_used_reasons;
  std::set<std::string> tables;
  void add(const Counts& o) {
    read += o.read, mapped += o.mapped, quarantined += o.quarantined, not_used += o.not_used;
    for (const auto& [k, v] : o.not_used_reasons) not_used_reasons[k] += v;
    tables.insert(o.tables.begin(), o.tables.end());
  }
};
using CountKey = std::pair<std::uint32_t, std::string>;

struct Chunk {
  std::string arena;
  std::array<std::vector<Row>, kFhirTableCount> rows;
  std::vector<QuarantineLine> quarantine;
  std::map<CountKey, Counts> counts;
  PointerTable pointers;
};

// A JSON file, or the lines of an NDJSON file that start in [begin, end). Line numbers are
// counted from the task's first line while reading, then moved by the lines of the tasks before.
struct Task {
  std::uint32_t file = 0;
  std::uint64_t begin = 0, end = 0;
  bool whole_json = false;
  std::int64_t lines = 0;  // out: lines read
};

}  // namespace

struct FhirIngest::State {
  FhirExportFiles files;
  std::vector<std::string> arenas;  // per range read; rows point into them by offset
  std::vector<FhirInput> inputs;
  std::array<std::vector<Row>, kFhirTableCount> rows;
  PointerTable pointers;
  std::vector<QuarantineLine> quarantine;
  std::map<CountKey, Counts> counts;
  std::set<std::pair<std::uint32_t, std::int64_t>> quarantined_by_tables;
  std::unordered_map<std::string, std::uint32_t> file_index;
  std::mutex mutex;  // row_quarantined may be called from validation threads
};

namespace {

class FhirTableSource final : public SourceReader {
 public:
  FhirTableSource(std::string name, const std::vector<Row>& rows, const std::vector<Row>& patients,
                  const std::vector<std::string>& arenas, const PointerTable& pointer_table,
                  const FhirExportFiles& files, FhirTable table, std::span<const std::string_view> fields,
                  std::size_t rows_per_part)
      : name_(std::move(name)), rows_(rows), patients_(patients), arenas_(arenas), pointer_table_(pointer_table), files_(files),
        table_(table), per_part_(std::max<std::size_t>(rows_per_part, 1)) {
    const auto& mine = fhir_table_fields(table);
    for (const auto f : fields) {
      const auto it = std::find(mine.begin(), mine.end(), f);
      order_.push_back(it == mine.end() ? -1 : static_cast<int>(it - mine.begin()));
    }
  }
  const std::string& name() const override { return name_; }
  SourceStatus status() const override { return rows_.empty() ? SourceStatus::kEmpty : SourceStatus::kOk; }
  const std::string& status_detail() const override { return detail_; }
  std::uint64_t bytes() const override { return 0; }
  std::string checksum() const override { return {}; }  // the files are in the manifest one by one
  std::size_t parts() const override { return (rows_.size() + per_part_ - 1) / per_part_; }

  void read_part(std::size_t part, RecordSink& sink) const override {
    std::vector<std::string_view> fields(order_.size()), pointers(order_.size());
    Parts parts{}, patient{};
    const std::size_t end = std::min(rows_.size(), (part + 1) * per_part_);
    for (std::size_t i = part * per_part_; i < end; ++i) {
      const Row& row = rows_[i];
      split(blob_of(arenas_, row), parts);
      // parts: text, subject, values
      std::string_view nhs = parts[2];
      std::string_view nhs_pointer = pointer_table_[row.pointers[0]];
      if (table_ != FhirTable::kPatients) {
        nhs_pointer = pointer_table_[row.subject_pointer];
        if (row.person >= 0 && row.person != INT32_MAX) {
          split(blob_of(arenas_, patients_[static_cast<std::size_t>(row.person)]), patient);
          nhs = patient[2];
        } else {
          nhs = parts[1].substr(4);  // "nhs:<number>"
        }
      }
      for (std::size_t k = 0; k < order_.size(); ++k) {
        const int f = order_[k];
        if (f < 0) {
          fields[k] = {}, pointers[k] = {};
          continue;
        }
        const auto fi = static_cast<std::size_t>(f);
        fields[k] = fi == 0 ? nhs : parts[2 + fi];
        pointers[k] = fi == 0 ? nhs_pointer : pointer_table_[row.pointers[fi]];
      }
      SourceRecord r;
      r.line = row.line;
      r.text = parts[0];
      r.fields = fields;
      r.source = files_.files[row.file].name;
      r.pointers = pointers;
      sink.record(r);
    }
  }

 private:
  std::string name_, detail_;
  const std::vector<Row>& rows_;
  const std::vector<Row>& patients_;
  const std::vector<std::string>& arenas_;
  const PointerTable& pointer_table_;
  const FhirExportFiles& files_;
  FhirTable table_;
  std::size_t per_part_;
  std::vector<int> order_;
};

FhirTable table_named(std::string_view name, bool& found) {
  for (std::size_t t = 0; t < kFhirTableCount; ++t)
    if (name == fhir_table_name(static_cast<FhirTable>(t))) {
      found = true;
      return static_cast<FhirTable>(t);
    }
  found = false;
  return FhirTable::kEvents;
}

bool holds_nul(const FhirOutcome& o, std::string& pointer) {
  for (std::size_t r = 0; r < o.row_count; ++r) {
    const auto& m = o.rows[r];
    for (std::size_t k = 0; k < m.values.size(); ++k)
      if (m.values[k].find('\0') != std::string::npos) {
        pointer = m.pointers[k];
        return true;
      }
  }
  if (o.subject.find('\0') != std::string::npos) {
    pointer = o.subject_pointer;
    return true;
  }
  return false;
}

void read_task(Task& task, const FhirExportFiles& files, const FhirFileText& text, const FhirMapper& mapper,
               Chunk& out) {
  const FhirFile& file = files.files[task.file];
  simdjson::dom::parser parser;
  FhirOutcome o;
  std::string pointer;  // reused: a Bundle entry's prefix + the field's pointer
  auto pointer_id = [&](std::string_view prefix, const std::string& p) {
    if (p.empty()) return PointerTable::kNone;
    if (prefix.empty()) return out.pointers.id(p);
    pointer.assign(prefix);
    pointer += p;
    return out.pointers.id(pointer);
  };
  auto counts = [&](const std::string& type) -> Counts& { return out.counts[{task.file, type}]; };
  auto on_resource = [&](const FhirLocated& at) {
    mapper.map(at.resource, file.ndjson ? file.resource_type : std::string_view(), o);
    Counts& c = counts(o.resource_type);
    ++c.read;
    std::string nul_pointer;
    if (o.kind == FhirOutcome::Kind::kRows && holds_nul(o, nul_pointer)) {
      o.kind = FhirOutcome::Kind::kQuarantined;
      o.pointer = nul_pointer, o.value = "", o.reason = "a NUL character in a value";
    }
    switch (o.kind) {
      case FhirOutcome::Kind::kNotUsed:
        ++c.not_used;
        ++c.not_used_reasons[o.reason];
        return;
      case FhirOutcome::Kind::kQuarantined:
        ++c.quarantined;
        out.quarantine.push_back({task.file, at.line, o.resource_type, o.id, std::string(at.pointer) + o.pointer, o.value,
                                  o.reason, o.resource_type == "Patient" ? std::string(at.full_url) : std::string()});
        return;
      case FhirOutcome::Kind::kRows:
        break;
    }
    ++c.mapped;
    const std::uint16_t subject_pointer = pointer_id(at.pointer, o.subject_pointer);
    for (std::size_t r = 0; r < o.row_count; ++r) {
      const MappedRow& m = o.rows[r];
      c.tables.insert(fhir_table_name(m.table));
      Row row;
      std::string& arena = out.arena;
      row.offset = arena.size();
      arena += o.resource_type;
      arena += '/';
      arena += o.id;
      arena += '\0';
      arena += m.table == FhirTable::kPatients ? std::string_view(at.full_url) : std::string_view(o.subject);
      for (const auto& v : m.values) arena += '\0', arena += v;
      row.size = static_cast<std::uint32_t>(arena.size() - row.offset);
      row.file = task.file;
      row.line = at.line;
      row.component = m.component;
      row.subject_pointer = subject_pointer;
      for (std::size_t k = 0; k < m.pointers.size() && k < kMaxFields; ++k) row.pointers[k] = pointer_id(at.pointer, m.pointers[k]);
      if (m.table != FhirTable::kPatients) {
        if (const auto d = parse_iso_date(m.values[1])) row.date = static_cast<std::int32_t>(*d);
        // The code's place in the blob, for sorting without splitting it again.
        Parts parts{};
        const std::string_view blob = std::string_view(arena).substr(row.offset, row.size);
        split(blob, parts);
        const std::string_view code = parts[2 + 2];
        row.code_begin = static_cast<std::uint32_t>(code.data() - blob.data());
        row.code_size = static_cast<std::uint32_t>(code.size());
      }
      out.rows[static_cast<std::size_t>(m.table)].push_back(std::move(row));
    }
  };
  auto on_unreadable = [&](const FhirUnreadable& u) {
    Counts& c = counts("");
    ++c.read;
    ++c.quarantined;
    out.quarantine.push_back({task.file, u.line, "", "", u.pointer, u.value, u.reason, ""});
  };
  if (task.whole_json) {
    for_each_json_file_resource(text.text(), parser, on_resource, on_unreadable);
    return;
  }
  // One buffer per thread, kept: fresh multi-megabyte buffers cost a page fault per page.
  thread_local std::string buffer;
  const std::uint64_t size = file.gzip ? text.text().size() : text.size;
  const NdjsonLines lines = ndjson_lines(file, text.text(), size, task.begin, task.end, buffer);
  task.lines = static_cast<std::int64_t>(std::count(lines.text.begin(), lines.text.end(), '\n'));
  if (!lines.text.empty() && lines.text.back() != '\n') ++task.lines;
  if (file.resource_type.empty()) {
    // A file named for no resource type (Synthea's log.ndjson): its lines are counted, not read.
    Counts& c = counts("");
    const auto n = static_cast<std::uint64_t>(task.lines);
    c.read += n;
    c.not_used += n;
    c.not_used_reasons["the file's name is not a FHIR resource type"] += n;
    return;
  }
  for_each_ndjson_resource(lines.text, 1, parser, on_resource, on_unreadable, lines.padded);
}

}  // namespace

FhirIngest::FhirIngest(std::unique_ptr<State> state) : s_(std::move(state)) {}
FhirIngest::FhirIngest(FhirIngest&&) noexcept = default;
FhirIngest& FhirIngest::operator=(FhirIngest&&) noexcept = default;
FhirIngest::~FhirIngest() = default;

std::optional<FhirIngest> FhirIngest::read(const std::filesystem::path& extract_dir, const ValidationContext& ctx,
                                           unsigned threads, std::size_t part_bytes) {
  auto files = find_fhir_export(extract_dir);
  if (!files) return std::nullopt;
  auto s = std::make_unique<State>();
  s->files = std::move(*files);
  const auto& list = s->files.files;
  for (std::uint32_t i = 0; i < list.size(); ++i) s->file_index[list[i].name] = i;

  // Checksum every file and gunzip the compressed ones and read the JSON files whole, in
  // parallel; then map resources in ranges of whole lines, read with pread (no mapping: a
  // many-gigabyte export need not be resident).
  std::vector<FhirFileText> texts(list.size());
  s->inputs.resize(list.size());
  parallel_for(list.size(), threads, [&](std::size_t i) {
    if (list[i].gzip || !list[i].ndjson) texts[i] = load_fhir_file(list[i]);
    else texts[i].size = std::filesystem::file_size(list[i].path);
    s->inputs[i] = {list[i].name, std::filesystem::file_size(list[i].path), store::xxh3_hex_of_file(list[i].path)};
  });
  std::vector<Task> tasks;
  const std::uint64_t step = std::max<std::uint64_t>(part_bytes, 1);
  for (std::uint32_t i = 0; i < list.size(); ++i) {
    if (!list[i].ndjson) {
      tasks.push_back({i, 0, 0, true, 0});
      continue;
    }
    const std::uint64_t size = list[i].gzip ? texts[i].text().size() : texts[i].size;
    for (std::uint64_t b = 0; b < size; b += step) tasks.push_back({i, b, std::min(size, b + step), false, 0});
  }
  std::vector<Chunk> chunks(tasks.size());
  const FhirMapper mapper(ctx);
  parallel_for(tasks.size(), threads, [&](std::size_t t) { read_task(tasks[t], s->files, texts[tasks[t].file], mapper, chunks[t]); });
  // Line numbers: each task counted from its own first line.
  {
    std::vector<std::int64_t> before(list.size(), 0);
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      if (tasks[t].whole_json) continue;
      const std::int64_t offset = before[tasks[t].file];
      before[tasks[t].file] += tasks[t].lines;
      if (offset == 0) continue;
      for (auto& rows : chunks[t].rows)
        for (auto& row : rows) row.line += offset;
      for (auto& q : chunks[t].quarantine) q.line += offset;
    }
    // A gzip stream that broke off: what came before it was read; the break is one quarantined line.
    for (std::uint32_t i = 0; i < list.size(); ++i) {
      if (texts[i].error.empty()) continue;
      Counts& c = s->counts[{i, ""}];
      ++c.read, ++c.quarantined;
      s->quarantine.push_back({i, before[i] + 1, "", "", "", "", texts[i].error, ""});
    }
  }
  texts.clear();

  // One pointer table for the export: each chunk's ids are mapped into it.
  std::array<std::size_t, kFhirTableCount> total{};
  for (const auto& chunk : chunks)
    for (std::size_t t = 0; t < kFhirTableCount; ++t) total[t] += chunk.rows[t].size();
  for (std::size_t t = 0; t < kFhirTableCount; ++t) s->rows[t].reserve(total[t]);
  s->arenas.resize(chunks.size());
  for (std::size_t ci = 0; ci < chunks.size(); ++ci) {
    Chunk& chunk = chunks[ci];
    s->arenas[ci] = std::move(chunk.arena);
    std::vector<std::uint16_t> remap(chunk.pointers.size());
    for (std::size_t i = 0; i < remap.size(); ++i) remap[i] = s->pointers.id(chunk.pointers[static_cast<std::uint16_t>(i)]);
    remap[PointerTable::kTooMany] = PointerTable::kTooMany;
    for (std::size_t t = 0; t < kFhirTableCount; ++t) {
      for (auto& row : chunk.rows[t]) {
        row.arena = static_cast<std::uint32_t>(ci);
        row.subject_pointer = remap[row.subject_pointer];
        for (auto& p : row.pointers) p = remap[p];
        s->rows[t].push_back(std::move(row));
      }
      std::vector<Row>().swap(chunk.rows[t]);
    }
    for (auto& q : chunk.quarantine) s->quarantine.push_back(std::move(q));
    for (auto& [key, c] : chunk.counts) s->counts[key].add(c);
  }
  chunks.clear();

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view v) const { return std::hash<std::string_view>{}(v); }
  };
  using Index = std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>>;
  Parts parts{};
  // Patients in export order; a repeated id keeps the first.
  auto& patients = s->rows[static_cast<std::size_t>(FhirTable::kPatients)];
  Index by_id, by_url, by_nhs;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> quarantined_patients;  // why their records cannot be kept
  {
    std::vector<Row> kept;
    kept.reserve(patients.size());
    std::unordered_map<std::string, std::pair<std::uint32_t, std::int64_t>, Hash, std::equal_to<>> first;
    for (auto& row : patients) {
      split(blob_of(s->arenas, row), parts);
      const std::string_view id = parts[0].substr(parts[0].find('/') + 1);
      if (!id.empty()) {
        const auto [it, fresh] = first.emplace(std::string(id), std::make_pair(row.file, row.line));
        if (!fresh) {
          Counts& c = s->counts[{row.file, "Patient"}];
          --c.mapped, ++c.quarantined;
          s->quarantine.push_back({row.file, row.line, "Patient", std::string(id), "/id", std::string(id),
                                   "Patient id repeated: first at " + list[it->second.first].name + " line " +
                                       std::to_string(it->second.second),
                                   std::string(parts[1])});
          continue;
        }
      }
      kept.push_back(std::move(row));
    }
    patients = std::move(kept);
  }
  for (std::size_t p = 0; p < patients.size(); ++p) {
    const auto pos = static_cast<std::int32_t>(p);
    patients[p].person = pos;
    split(blob_of(s->arenas, patients[p]), parts);
    const std::string_view id = parts[0].substr(parts[0].find('/') + 1);
    if (!id.empty()) by_id.emplace(std::string(id), pos);
    if (!parts[1].empty()) by_url.emplace(std::string(parts[1]), pos);
    by_nhs.emplace(std::string(parts[2]), pos);
  }
  for (const auto& q : s->quarantine) {
    if (q.resource_type != "Patient") continue;
    if (!q.id.empty()) quarantined_patients.emplace("Patient/" + q.id, q.reason);
    if (!q.full_url.empty()) quarantined_patients.emplace(q.full_url, q.reason);
  }

  // Who each record is about; then the order of docs/fhir.md.
  for (const FhirTable t : {FhirTable::kEvents, FhirTable::kMedications}) {
    auto& rows = s->rows[static_cast<std::size_t>(t)];
    std::size_t kept = 0;
    std::pair<std::uint32_t, std::int64_t> last_dropped{UINT32_MAX, -1};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Row& row = rows[i];
      split(blob_of(s->arenas, row), parts);
      const std::string_view subject = parts[1];
      std::string why;
      if (subject.rfind("nhs:", 0) == 0) {
        const auto it = by_nhs.find(subject.substr(4));
        row.person = it == by_nhs.end() ? INT32_MAX : it->second;
      } else {
        const bool relative = subject.rfind("Patient/", 0) == 0;
        const Index& index = relative ? by_id : by_url;
        const auto it = index.find(relative ? subject.substr(8) : subject);
        if (it != index.end()) {
          row.person = it->second;
        } else {
          const auto q = quarantined_patients.find(subject);
          why = q != quarantined_patients.end() ? "its Patient (" + std::string(subject) + ") was quarantined: " + q->second
                                                : "reference to a missing Patient (" + std::string(subject) + ")";
        }
      }
      if (why.empty()) {
        if (kept != i) rows[kept] = std::move(row);
        ++kept;
        continue;
      }
      // A panel's rows share a resource: count and list it once.
      const std::pair<std::uint32_t, std::int64_t> at{row.file, row.line};
      if (at == last_dropped) continue;
      last_dropped = at;
      const auto slash = parts[0].find('/');
      const std::string type(parts[0].substr(0, slash));
      Counts& c = s->counts[{row.file, type}];
      --c.mapped, ++c.quarantined;
      s->quarantine.push_back({row.file, row.line, type, std::string(parts[0].substr(slash + 1)),
                               std::string(s->pointers[row.subject_pointer]), std::string(subject), why, ""});
    }
    rows.resize(kept);
    const auto& arenas = s->arenas;
    std::stable_sort(rows.begin(), rows.end(), [&arenas](const Row& a, const Row& b) {
      if (a.person != b.person) return a.person < b.person;
      if (a.date != b.date) return a.date < b.date;
      const std::string_view ca = blob_of(arenas, a).substr(a.code_begin, a.code_size),
                             cb = blob_of(arenas, b).substr(b.code_begin, b.code_size);
      if (ca != cb) return ca < cb;
      if (a.file != b.file) return a.file < b.file;
      if (a.line != b.line) return a.line < b.line;
      return a.component < b.component;
    });
  }
  std::stable_sort(s->quarantine.begin(), s->quarantine.end(), [](const QuarantineLine& a, const QuarantineLine& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  return FhirIngest(std::move(s));
}

const std::string& FhirIngest::name() const { return s_->files.name; }

bool FhirIngest::feeds(std::string_view table) const {
  bool found = false;
  const FhirTable t = table_named(table, found);
  if (!found) return false;
  if (t == FhirTable::kPatients) return true;  // a GP export is the person list, even when every Patient is bad
  if (!s_->rows[static_cast<std::size_t>(t)].empty()) return true;
  // Resources of the table's types that were all quarantined or not used still fed it.
  for (const auto& [key, c] : s_->counts)
    if (c.read > 0 && fhir_table_of_type(key.second) == t) return true;
  return false;
}

std::unique_ptr<SourceReader> FhirIngest::source(std::string_view table, std::span<const std::string_view> fields,
                                                 std::size_t rows_per_part) const {
  bool found = false;
  const FhirTable t = table_named(table, found);
  if (!found) return nullptr;
  return std::make_unique<FhirTableSource>(s_->files.name, s_->rows[static_cast<std::size_t>(t)],
                                           s_->rows[static_cast<std::size_t>(FhirTable::kPatients)], s_->arenas, s_->pointers,
                                           s_->files,
                                           t, fields, rows_per_part);
}

void FhirIngest::row_quarantined(std::string_view source_file, std::int64_t line) {
  const auto it = s_->file_index.find(std::string(source_file));
  if (it == s_->file_index.end()) return;
  const std::lock_guard lock(s_->mutex);
  s_->quarantined_by_tables.insert({it->second, line});
}

std::vector<FhirLedgerEntry> FhirIngest::ledger() const {
  // Resources the table stage quarantined a row of, by file and type.
  std::map<CountKey, std::uint64_t> by_tables;
  if (!s_->quarantined_by_tables.empty()) {
    for (const auto& rows : s_->rows) {
      std::pair<std::uint32_t, std::int64_t> last{UINT32_MAX, -1};
      for (const auto& row : rows) {
        const std::pair<std::uint32_t, std::int64_t> at{row.file, row.line};
        if (at == last || !s_->quarantined_by_tables.count(at)) continue;
        last = at;
        const std::string_view blob = blob_of(s_->arenas, row);
        const std::string_view text = blob.substr(0, blob.find('\0'));
        ++by_tables[{row.file, std::string(text.substr(0, text.find('/')))}];
      }
    }
  }
  std::vector<FhirLedgerEntry> out;
  for (const auto& [key, c] : s_->counts) {
    FhirLedgerEntry e;
    e.source = s_->files.files[key.first].name;
    e.resource_type = key.second;
    for (const auto& t : c.tables) e.tables += (e.tables.empty() ? "" : ";") + t;
    const auto q = by_tables.count(key) ? by_tables.at(key) : 0;
    e.read = c.read;
    e.accepted = c.mapped - std::min(q, c.mapped);
    e.quarantined = c.quarantined + std::min(q, c.mapped);
    e.not_used = c.not_used;
    for (const auto& [reason, n] : c.not_used_reasons)
      e.note += (e.note.empty() ? "not used: " : "; ") + reason + " (" + std::to_string(n) + ")";
    out.push_back(std::move(e));
  }
  return out;
}

std::string FhirIngest::quarantine_csv() const {
  std::string text;
  CsvRow(text).text("source_file").text("line").text("resource_type").text("id").text("field").text("value").text("reason");
  for (const auto& q : s_->quarantine)
    CsvRow(text).text(s_->files.files[q.file].name).integer(q.line).text(q.resource_type).text(q.id).text(q.pointer)
        .text(q.value).text(q.reason);
  return text;
}

const std::vector<FhirInput>& FhirIngest::inputs() const { return s_->inputs; }
const std::vector<std::string>& FhirIngest::notes() const { return s_->files.notes; }

}  // namespace severn::ingest
