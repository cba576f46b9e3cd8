#include "ingest/fhir_ingest.h"

#include <algorithm>
#include <climits>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "core/csv_writer.h"
#include "core/date.h"
#include "core/parallel.h"
#include "store/checksum.h"

namespace severn::ingest {
namespace {

// One mapped row. The blob holds, '\0' separated: "Type/id", the subject, the subject's pointer,
// the values (fhir_table_fields order) and their JSON pointers.
struct Row {
  std::string blob;
  std::string id, full_url;  // Patients only: how other resources name them
  std::uint32_t file = 0;
  std::int64_t line = 0;
  std::uint16_t component = 0;
  FhirTable table = FhirTable::kEvents;
  std::int32_t person = -1;  // the Patient's position in the export; INT32_MAX: an NHS number with no Patient
  std::int32_t date = INT32_MAX;
  std::uint32_t code_begin = 0, code_size = 0;
};

std::vector<std::string_view> split(std::string_view blob) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const auto z = blob.find('\0', start);
    if (z == std::string_view::npos) {
      out.push_back(blob.substr(start));
      return out;
    }
    out.push_back(blob.substr(start, z - start));
    start = z + 1;
  }
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
  std::array<std::vector<Row>, kFhirTableCount> rows;
  std::vector<QuarantineLine> quarantine;
  std::map<CountKey, Counts> counts;
};

struct Task {
  std::uint32_t file = 0;
  NdjsonRange range;
  bool whole_json = false;
};

}  // namespace

struct FhirIngest::State {
  FhirExportFiles files;
  std::vector<FhirInput> inputs;
  std::array<std::vector<Row>, kFhirTableCount> rows;
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
                  const FhirExportFiles& files, FhirTable table, std::span<const std::string_view> fields,
                  std::size_t rows_per_part)
      : name_(std::move(name)), rows_(rows), patients_(patients), files_(files), table_(table),
        per_part_(std::max<std::size_t>(rows_per_part, 1)) {
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
    const std::size_t n = fhir_table_fields(table_).size();
    std::vector<std::string_view> fields(order_.size()), pointers(order_.size());
    std::vector<std::string> pointer_text(order_.size());
    const std::size_t end = std::min(rows_.size(), (part + 1) * per_part_);
    for (std::size_t i = part * per_part_; i < end; ++i) {
      const Row& row = rows_[i];
      const auto parts = split(row.blob);
      // parts: text, subject, subject pointer, n values, n pointers
      std::string_view nhs = parts[3];
      std::string_view nhs_pointer = parts[3 + n];
      if (table_ != FhirTable::kPatients) {
        nhs_pointer = parts[2];
        if (row.person >= 0 && row.person != INT32_MAX) nhs = split_first_value(patients_[static_cast<std::size_t>(row.person)]);
        else nhs = parts[1].substr(4);  // "nhs:<number>"
      }
      for (std::size_t k = 0; k < order_.size(); ++k) {
        const int f = order_[k];
        if (f < 0) {
          fields[k] = {}, pointers[k] = {};
          continue;
        }
        fields[k] = f == 0 ? nhs : parts[3 + static_cast<std::size_t>(f)];
        pointers[k] = f == 0 ? nhs_pointer : parts[3 + n + static_cast<std::size_t>(f)];
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
  static std::string_view split_first_value(const Row& patient) {
    // Patients' blobs: text, "", "", nhs_number, ...
    std::string_view b = patient.blob;
    for (int skip = 0; skip < 3; ++skip) b = b.substr(b.find('\0') + 1);
    return b.substr(0, b.find('\0'));
  }
  std::string name_, detail_;
  const std::vector<Row>& rows_;
  const std::vector<Row>& patients_;
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

std::string blob_of(const FhirOutcome& o, const MappedRow& m, std::string_view prefix) {
  std::string b = o.resource_type + "/" + o.id;
  b += '\0';
  b += o.subject;
  b += '\0';
  if (!o.subject_pointer.empty()) b += std::string(prefix) + o.subject_pointer;
  for (const auto& v : m.values) b += '\0', b += v;
  for (const auto& p : m.pointers) {
    b += '\0';
    if (!p.empty()) b += std::string(prefix) + p;
  }
  return b;
}

bool holds_nul(const FhirOutcome& o, std::string& pointer) {
  for (const auto& m : o.rows)
    for (std::size_t k = 0; k < m.values.size(); ++k)
      if (m.values[k].find('\0') != std::string::npos) {
        pointer = m.pointers[k];
        return true;
      }
  if (o.subject.find('\0') != std::string::npos) {
    pointer = o.subject_pointer;
    return true;
  }
  return false;
}

void read_task(const Task& task, const FhirExportFiles& files, const FhirFileText& text, const FhirMapper& mapper,
               Chunk& out) {
  const FhirFile& file = files.files[task.file];
  simdjson::dom::parser parser;
  FhirOutcome o;
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
    for (const auto& m : o.rows) {
      c.tables.insert(fhir_table_name(m.table));
      Row row;
      row.blob = blob_of(o, m, at.pointer);
      row.file = task.file;
      row.line = at.line;
      row.component = m.component;
      row.table = m.table;
      if (m.table == FhirTable::kPatients) {
        row.id = o.id;
        row.full_url = std::string(at.full_url);
      } else {
        if (const auto d = parse_iso_date(m.values[1])) row.date = static_cast<std::int32_t>(*d);
        // The code's place in the blob, for sorting without splitting it again.
        const auto parts = split(row.blob);
        const std::string_view code = parts[3 + 2];
        row.code_begin = static_cast<std::uint32_t>(code.data() - row.blob.data());
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
    for_each_json_file_resource(text.text, parser, on_resource, on_unreadable);
  } else if (file.resource_type.empty()) {
    // A file named for no resource type (Synthea's log.ndjson): its lines are counted, not read.
    const auto body = text.text.substr(task.range.begin, task.range.end - task.range.begin);
    Counts& c = counts("");
    std::uint64_t lines = static_cast<std::uint64_t>(std::count(body.begin(), body.end(), '\n'));
    if (!body.empty() && body.back() != '\n') ++lines;
    c.read += lines;
    c.not_used += lines;
    c.not_used_reasons["the file's name is not a FHIR resource type"] += lines;
  } else {
    for_each_ndjson_resource(text.text.substr(task.range.begin, task.range.end - task.range.begin),
                             task.range.first_line, parser, on_resource, on_unreadable);
  }
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

  // Load (and gunzip) files in parallel, then map their resources in ranges of whole lines.
  std::vector<FhirFileText> texts(list.size());
  s->inputs.resize(list.size());
  parallel_for(list.size(), threads, [&](std::size_t i) {
    texts[i] = load_fhir_file(list[i]);
    const MappedFile raw(list[i].path);
    s->inputs[i] = {list[i].name, raw.size(), store::xxh3_hex(raw.text())};
  });
  std::vector<Task> tasks;
  for (std::uint32_t i = 0; i < list.size(); ++i) {
    if (!list[i].ndjson) {
      tasks.push_back({i, {}, true});
      continue;
    }
    for (const auto& r : split_ndjson(texts[i].text, part_bytes)) tasks.push_back({i, r, false});
  }
  std::vector<Chunk> chunks(tasks.size());
  const FhirMapper mapper(ctx);
  parallel_for(tasks.size(), threads, [&](std::size_t t) { read_task(tasks[t], s->files, texts[tasks[t].file], mapper, chunks[t]); });
  // A gzip stream that broke off: what came before it was read; the break is one quarantined line.
  for (std::uint32_t i = 0; i < list.size(); ++i) {
    if (texts[i].error.empty()) continue;
    const auto lines = static_cast<std::int64_t>(std::count(texts[i].text.begin(), texts[i].text.end(), '\n'));
    Counts& c = s->counts[{i, ""}];
    ++c.read, ++c.quarantined;
    s->quarantine.push_back({i, lines + 1, "", "", "", "", texts[i].error, ""});
  }
  texts.clear();

  for (auto& chunk : chunks) {
    for (std::size_t t = 0; t < kFhirTableCount; ++t)
      for (auto& row : chunk.rows[t]) s->rows[t].push_back(std::move(row));
    for (auto& q : chunk.quarantine) s->quarantine.push_back(std::move(q));
    for (auto& [key, c] : chunk.counts) s->counts[key].add(c);
  }
  chunks.clear();

  // Patients in export order; a repeated id keeps the first.
  auto& patients = s->rows[static_cast<std::size_t>(FhirTable::kPatients)];
  std::unordered_map<std::string, std::int32_t> by_id, by_url, by_nhs;
  std::unordered_map<std::string, std::string> quarantined_patients;  // id -> why its records cannot be kept
  {
    std::vector<Row> kept;
    kept.reserve(patients.size());
    std::unordered_map<std::string, std::pair<std::uint32_t, std::int64_t>> first;
    for (auto& row : patients) {
      if (!row.id.empty()) {
        const auto [it, fresh] = first.emplace(row.id, std::make_pair(row.file, row.line));
        if (!fresh) {
          Counts& c = s->counts[{row.file, "Patient"}];
          --c.mapped, ++c.quarantined;
          s->quarantine.push_back({row.file, row.line, "Patient", row.id, "/id", row.id,
                                   "Patient id repeated: first at " + list[it->second.first].name + " line " +
                                       std::to_string(it->second.second),
                                   ""});
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
    if (!patients[p].id.empty()) by_id.emplace("Patient/" + patients[p].id, pos);
    if (!patients[p].full_url.empty()) by_url.emplace(patients[p].full_url, pos);
    const auto parts = split(patients[p].blob);
    by_nhs.emplace(std::string(parts[3]), pos);
  }
  for (const auto& q : s->quarantine) {
    if (q.resource_type != "Patient") continue;
    if (!q.id.empty()) quarantined_patients.emplace("Patient/" + q.id, q.reason);
    if (!q.full_url.empty()) quarantined_patients.emplace(q.full_url, q.reason);
  }

  // Who each record is about; then the order of docs/fhir.md.
  for (const FhirTable t : {FhirTable::kEvents, FhirTable::kMedications}) {
    auto& rows = s->rows[static_cast<std::size_t>(t)];
    std::vector<Row> kept;
    kept.reserve(rows.size());
    std::pair<std::uint32_t, std::int64_t> last_dropped{UINT32_MAX, -1};
    for (auto& row : rows) {
      const auto parts = split(row.blob);
      const std::string subject(parts[1]);
      std::string why;
      if (subject.rfind("nhs:", 0) == 0) {
        const auto it = by_nhs.find(subject.substr(4));
        row.person = it == by_nhs.end() ? INT32_MAX : it->second;
      } else if (const auto it = subject.rfind("Patient/", 0) == 0 ? by_id.find(subject) : by_url.find(subject);
                 it != (subject.rfind("Patient/", 0) == 0 ? by_id.end() : by_url.end())) {
        row.person = it->second;
      } else {
        const auto q = quarantined_patients.find(subject);
        why = q != quarantined_patients.end() ? "its Patient (" + subject + ") was quarantined: " + q->second
                                              : "reference to a missing Patient (" + subject + ")";
      }
      if (why.empty()) {
        kept.push_back(std::move(row));
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
      s->quarantine.push_back({row.file, row.line, type, std::string(parts[0].substr(slash + 1)), std::string(parts[2]),
                               subject, why, ""});
    }
    std::stable_sort(kept.begin(), kept.end(), [](const Row& a, const Row& b) {
      if (a.person != b.person) return a.person < b.person;
      if (a.date != b.date) return a.date < b.date;
      const std::string_view ca(a.blob.data() + a.code_begin, a.code_size), cb(b.blob.data() + b.code_begin, b.code_size);
      if (ca != cb) return ca < cb;
      if (a.file != b.file) return a.file < b.file;
      if (a.line != b.line) return a.line < b.line;
      return a.component < b.component;
    });
    rows = std::move(kept);
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
                                           s_->rows[static_cast<std::size_t>(FhirTable::kPatients)], s_->files, t, fields,
                                           rows_per_part);
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
        const std::string_view text(row.blob.data(), row.blob.find('\0'));
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
