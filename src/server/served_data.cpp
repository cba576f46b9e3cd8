#include "server/served_data.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/json_text.h"
#include "elective/ptl_reader.h"
#include "elective/sites.h"
#include "engine/run.h"
#include "lang/library.h"
#include "refdata/codelists.h"
#include "refdata/data_dir.h"
#include "refdata/geography.h"
#include "report/charts.h"
#include "report/elective_section.h"
#include "report/lsoa_map.h"
#include "report/report.h"
#include "store/store_error.h"

namespace severn::server {
namespace {

namespace fs = std::filesystem;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// What the served report must have been built from: the store's contents (its manifest's
// checksum file), the index date and the options that change its figures.
std::string report_stamp(const fs::path& store_dir, const ServeConfig& config, const std::string& index_date) {
  const fs::path sums = store_dir / "manifest.sha256";
  if (!fs::exists(sums)) throw store::StoreError(sums.string() + ": missing (a store written by severn ingest has it)");
  return "store " + read_text(sums) + "index_date " + index_date + "\nelective_runs " +
         std::to_string(config.elective_runs) + "\nreference " + config.reference + "\n";
}

constexpr const char* kStampFile = "serve-stamp.txt";

// Builds the report into a fresh directory beside the configured one and moves it into place, so a
// crash mid-build never leaves a half report that a later start would serve.
void build_served_report(const store::Store& store, const ServeConfig& config, Days index_date,
                         const std::string& stamp, const std::function<void(const std::string&)>& progress) {
  const fs::path target = config.report;
  if (fs::exists(target) && !fs::exists(target / kStampFile))
    throw InputError(target.string() + ": exists and was not written by severn serve (no " + kStampFile +
                     "); point data.report at an empty or new directory");
  const fs::path building = target.string() + ".building";
  fs::remove_all(building);
  report::ReportOptions o;
  o.out = building;
  o.index_date = index_date;
  o.index_date_source = "severn serve";
  o.data_dir = config.reference;
  o.elective_runs = config.elective_runs;
  o.note = "Served by severn serve.";
  o.progress = [&](const std::string& what, double s) { progress("report: " + what + " (" + std::to_string(s) + " s)"); };
  report::build_report(store, o);
  std::ofstream(building / kStampFile, std::ios::binary) << stamp;
  fs::remove_all(target);
  fs::rename(building, target);
}

std::optional<CsvTable> table_if_present(const fs::path& p) {
  if (!fs::exists(p)) return std::nullopt;
  return CsvTable::read_file(p);
}

// Row ranges of one measure in a table whose rows are grouped by measure (the published order).
void measure_range(const std::optional<CsvTable>& t, const std::string& name, std::size_t& begin, std::size_t& end) {
  begin = end = 0;
  if (!t || t->rows() == 0) return;
  const std::size_t col = t->column("measure");
  std::size_t r = 0;
  while (r < t->rows() && t->cell(r, col) != name) ++r;
  begin = r;
  while (r < t->rows() && t->cell(r, col) == name) ++r;
  end = r;
}

ServedDefinition load_definition(const lang::LibraryEntry& entry, const fs::path& data_dir, const lang::CheckOptions& co) {
  ServedDefinition d;
  d.name = entry.name;
  d.title = entry.title;
  d.source = entry.source;
  d.version = entry.version;
  d.checked = std::make_unique<lang::CheckedDefinition>(
      lang::check_file(std::string(lang::kLibraryPrefix) + entry.name, co));
  const fs::path dir = data_dir / report::definition_dir_name(std::string(lang::kLibraryPrefix) + entry.name);
  d.measures_csv = CsvTable::read_file(dir / "measures.csv");
  d.funnels_csv = table_if_present(dir / "funnels.csv");
  d.inequality_csv = table_if_present(dir / "inequality.csv");
  for (const lang::Measure& m : d.checked->definition.measures) {
    MeasureInfo info;
    info.name = m.name;
    info.comment = m.comment;
    info.statistic = lang::statistic_text(m.stats);
    info.confidence = lang::confidence_text(m.stats.confidence);
    for (const auto& [b, pos] : m.by) info.breakdowns.push_back(b);
    info.inequality = !m.stats.sii_by.empty();
    measure_range(d.measures_csv, m.name, info.measures_begin, info.measures_end);
    measure_range(d.funnels_csv, m.name, info.funnels_begin, info.funnels_end);
    measure_range(d.inequality_csv, m.name, info.inequality_begin, info.inequality_end);
    std::set<std::pair<std::string, std::string>> intervals;
    const CsvTable& t = *d.measures_csv;
    const std::size_t cs = t.column("interval_start"), ce = t.column("interval_end");
    for (std::size_t r = info.measures_begin; r < info.measures_end; ++r) intervals.emplace(t.cell(r, cs), t.cell(r, ce));
    info.intervals = intervals.size();
    if (!intervals.empty()) {
      info.from = intervals.begin()->first;
      info.to = intervals.rbegin()->second;
    }
    d.measures.push_back(std::move(info));
  }
  for (const lang::Worklist& w : d.checked->definition.worklists) d.worklists.push_back({w.name, &w, {}});
  return d;
}

// Every library worklist's people, in one pass of the engine over the store (no files written).
void evaluate_worklists(const store::Store& store, ServedData& data, const ServeConfig& config, const fs::path& scratch) {
  std::vector<const lang::CheckedDefinition*> defs;
  std::vector<engine::EvaluateOptions> options;
  std::vector<ServedDefinition*> owners;
  for (auto& d : data.definitions) {
    if (d.worklists.empty()) continue;
    engine::EvaluateOptions o;
    o.out = scratch / d.name;
    o.index_date = data.index_date;
    o.index_date_source = "severn serve";
    o.data_dir = config.reference;
    o.dataset = false;
    o.worklists = true;
    o.keep_worklists = true;
    defs.push_back(d.checked.get());
    options.push_back(o);
    owners.push_back(&d);
  }
  if (defs.empty()) return;
  std::vector<engine::Evaluated> evaluated = engine::evaluate(store, defs, options);
  for (std::size_t i = 0; i < evaluated.size(); ++i) {
    auto& entries = evaluated[i].worklist_entries;
    for (std::size_t w = 0; w < entries.size() && w < owners[i]->worklists.size(); ++w)
      for (auto& e : entries[w]) {
        const std::string pcn = e.pcn;
        owners[i]->worklists[w].by_pcn[pcn].push_back(std::move(e));
      }
  }
  std::error_code ec;
  fs::remove_all(scratch, ec);
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string map_json(const report::LsoaMap& map) {
  constexpr double kWidth = 560, kHeight = 720;
  const report::ProjectedMap projected = report::project(map.areas, kWidth, kHeight);
  std::string j = "{\"view_box\":\"0 0 " + number_text(projected.width) + " " + number_text(projected.height) + "\",\"areas\":[";
  for (std::size_t i = 0; i < map.areas.size(); ++i) {
    if (i) j += ",";
    j += "{\"code\":" + json_quoted(map.areas[i].code) + ",\"name\":" + json_quoted(map.areas[i].name) +
         ",\"la\":" + json_quoted(i < map.la_name.size() ? map.la_name[i] : "") +
         ",\"imd_decile\":" + std::to_string(i < map.imd_decile.size() ? map.imd_decile[i] : 0) +
         ",\"path\":" + json_quoted(i < projected.paths.size() ? projected.paths[i] : "") + "}";
  }
  return j + "]}";
}

}  // namespace

const MeasureInfo* ServedDefinition::find_measure(std::string_view n) const {
  for (const auto& m : measures)
    if (m.name == n) return &m;
  return nullptr;
}

const ServedWorklist* ServedDefinition::find_worklist(std::string_view n) const {
  for (const auto& w : worklists)
    if (w.name == n) return &w;
  return nullptr;
}

const ServedProvider* ServedElective::find_provider(std::string_view code) const {
  for (const auto& p : providers)
    if (p.code == code) return &p;
  return nullptr;
}

const ServedDefinition* ServedData::find_definition(std::string_view n) const {
  for (const auto& d : definitions)
    if (d.name == n) return &d;
  return nullptr;
}

std::unique_ptr<ServedData> prepare_served_data(const store::Store& store, const fs::path& store_dir,
                                                const ServeConfig& config,
                                                const std::function<void(const std::string&)>& progress) {
  auto data = std::make_unique<ServedData>();
  const auto& manifest = store.manifest();
  data->index_date_text = !config.index_date.empty() ? config.index_date
                          : !manifest.data_end.empty() ? manifest.data_end
                                                       : manifest.as_of;
  const auto day = parse_iso_date(data->index_date_text);
  if (!day) throw InputError("index date '" + data->index_date_text + "' is not a date YYYY-MM-DD");
  data->index_date = *day;
  data->report = config.report;

  // The aggregates: the report over this store, reused when its stamp matches.
  const auto t_report = std::chrono::steady_clock::now();
  const std::string stamp = report_stamp(store_dir, config, data->index_date_text);
  const fs::path stamp_file = config.report / kStampFile;
  if (fs::exists(stamp_file) && read_text(stamp_file) == stamp) {
    progress("report: reusing " + config.report.string() + " (built from this store and index date)");
  } else {
    progress("report: building " + config.report.string() + " (every library definition, one release)");
    build_served_report(store, config, data->index_date, stamp, progress);
    data->report_built = true;
  }
  data->seconds_report = seconds_since(t_report);

  const auto pack = refdata::DataDir::resolve(config.reference);
  lang::CheckOptions co;
  co.pack_codelists_dir = (pack.root() / "codelists").string();
  const fs::path data_dir = config.report / "data";
  for (const auto& entry : lang::library_entries()) data->definitions.push_back(load_definition(entry, data_dir, co));

  const fs::path elective_dir = data_dir / report::kElectiveDir;
  if (fs::exists(elective_dir / "snapshot.csv")) {
    ServedElective& e = data->elective;
    e.present = true;
    e.monthly = CsvTable::read_file(elective_dir / "snapshot.csv");
    e.weekly = table_if_present(elective_dir / "weekly_snapshot.csv");
    e.clock_stops = table_if_present(elective_dir / "clock_stops.csv");
    e.simulation = table_if_present(elective_dir / "simulation.csv");
    e.measures_csv = table_if_present(elective_dir / "measures.csv");
    e.funnels_csv = table_if_present(elective_dir / "funnels.csv");
    e.inequality_csv = table_if_present(elective_dir / "inequality.csv");
  }

  // Worklists: pseudonymous entries now, identities only per permitted request.
  const auto t_worklists = std::chrono::steady_clock::now();
  progress("worklists: evaluating the library's worklists");
  evaluate_worklists(store, *data, config, config.report.parent_path() / ".severn-serve-worklists");
  data->seconds_worklists = seconds_since(t_worklists);

  // Each provider's PTL, on the store's list date.
  const auto t_ptl = std::chrono::steady_clock::now();
  if (data->elective.present) {
    progress("elective: building each provider's patient tracking list");
    const auto codelists = refdata::CodelistLibrary::load(pack);
    const auto geography = refdata::load_geography(pack);
    const elective::LinkedRecord record(store, codelists, geography);
    const Days on = elective::default_list_date(store);
    data->elective.list_date = on;
    elective::MutualAidOptions mo;
    mo.on = on;
    data->elective.mutual_aid = elective::build_mutual_aid_list(store, geography, mo);
    for (const auto& code : elective::reported_providers(store)) {
      ServedProvider p;
      p.code = code;
      for (const auto& site : elective::provider_sites())
        if (site.org_code == code) {
          p.name = site.org_name;
          break;
        }
      p.ptl = elective::build_ptl(store, record, code, on, elective::PriorityWeights{});
      data->elective.providers.push_back(std::move(p));
    }
  }
  data->seconds_ptl = seconds_since(t_ptl);

  data->pcns = refdata::load_organisations(pack).pcns;
  data->map_json = map_json(report::load_pack_map(config.reference));
  return data;
}

}  // namespace severn::server
