#include "report/report.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "engine/run.h"
#include "measures/csv_writers.h"
#include "measures/linkage_sensitivity.h"
#include "measures/publish.h"
#include "lang/checker.h"
#include "lang/library.h"
#include "lang/parser.h"
#include "refdata/data_dir.h"
#include "refdata/organisations.h"
#include "report/elective_section.h"

namespace severn::report {

namespace {

constexpr const char* kPopulationDir = "report_population";

// The overview's population: everyone registered with an STW practice on the index date, by
// Place, PCN and IMD quintile (counts pass the same disclosure control as every indicator).
constexpr const char* kPopulationDefinition = R"SEV(# title: Registered population (the report's overview)
population registered_on(index_date)

measure registered_population
  numerator   true
  denominator true
  by place, pcn, imd_quintile
  intervals last 1 months
)SEV";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the definition file");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw InputError(path.string() + ": cannot write the file");
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Options for evaluating one definition into dir; its aggregates are published later, with the rest.
engine::EvaluateOptions run_options(const std::filesystem::path& dir, const ReportOptions& o) {
  std::filesystem::create_directories(dir);
  engine::EvaluateOptions eo;
  eo.out = dir;
  eo.index_date = o.index_date;
  eo.index_date_source = o.index_date_source;
  eo.threads = o.threads;
  eo.data_dir = o.data_dir;
  eo.dataset = false;  // record level: not part of a shared report
  return eo;
}

std::string probability_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", p);
  return buf;
}

// What the view without weak links left out, for the page.
std::string link_filter_text(const store::LinkFilter& f) {
  if (f.no_probabilities())
    return "This store holds no link probabilities (it was built before probabilistic linkage), so every record counts "
           "as linked with probability 1 and both columns agree.";
  std::string s = std::to_string(f.rows_removed()) + " partner records were linked with a probability below " +
                  probability_text(f.min_probability) + " and are left out of the second figures (";
  for (std::size_t i = 0; i < f.tables.size(); ++i)
    s += (i ? "; " : "") + f.tables[i].name + ": " + std::to_string(f.tables[i].rows_before - f.tables[i].rows_after) + " of " +
         std::to_string(f.tables[i].rows_before);
  return s + ").";
}

}  // namespace

std::string definition_dir_name(const std::string& definition) {
  if (lang::is_library_path(definition)) return definition.substr(lang::kLibraryPrefix.size());
  return std::filesystem::path(definition).stem().string();
}

LsoaMap load_pack_map(const std::string& data_dir) {
  const auto pack = refdata::DataDir::resolve(data_dir);
  return load_lsoa_map(pack.require("geography/lsoa21_stw.geojson"), pack.require("geography/lsoa21_stw.csv"));
}

ReportSummary build_report(const store::Store& store, const ReportOptions& o) {
  ReportSummary summary;
  std::vector<std::string> definitions = o.definitions;
  if (definitions.empty())
    for (const auto& e : lang::library_entries()) definitions.push_back(std::string(lang::kLibraryPrefix) + e.name);
  if (definitions.empty()) throw InputError("severn report: no definitions to run (the library is empty)");

  lang::CheckOptions check_options;
  check_options.pack_codelists_dir = (refdata::DataDir::resolve(o.data_dir).root() / "codelists").string();
  // Check every definition before running any, so a mistake costs no run time; names must differ.
  std::vector<std::string> names;
  std::vector<lang::CheckedDefinition> checked;
  std::vector<std::string> texts;
  for (const auto& d : definitions) {
    const std::string name = definition_dir_name(d);
    if (name.empty() || name == kPopulationDir || name == kElectiveDir || name == "." || name == "..")
      throw InputError(d + ": cannot be used as a report definition name");
    for (const auto& n : names)
      if (n == name) throw InputError(d + ": two definitions would share data/" + name + "/; rename one");
    names.push_back(name);
    checked.push_back(lang::check_file(d, check_options));
    if (lang::is_library_path(d)) texts.emplace_back(lang::find_library(name)->text);
    else texts.push_back(read_text(d));
  }

  std::filesystem::create_directories(o.out / "data");
  const auto t_runs = std::chrono::steady_clock::now();
  std::vector<engine::Evaluated> evaluated;
  std::vector<std::string> labels;
  std::vector<const lang::CheckedDefinition*> sources;  // of evaluated[i]
  const lang::SourceFile population_file("report:population", kPopulationDefinition);
  const auto population = lang::check(population_file, lang::parse(population_file), check_options);
  // Every definition in one pass over the store (engine/run.h): shared columns, code-list
  // buckets and subexpressions are read and computed once per person.
  std::vector<const lang::CheckedDefinition*> all{&population};
  std::vector<engine::EvaluateOptions> options{run_options(o.out / "data" / kPopulationDir, o)};
  std::vector<std::string> all_texts{kPopulationDefinition};
  labels.push_back(kPopulationDir);
  sources.push_back(&population);
  for (std::size_t i = 0; i < checked.size(); ++i) {
    all.push_back(&checked[i]);
    options.push_back(run_options(o.out / "data" / names[i], o));
    all_texts.push_back(texts[i]);
    labels.push_back(names[i]);
    sources.push_back(&checked[i]);
  }
  // The elective section's person-level breakdown (by IMD quintile) joins the same pass and the
  // same release, as the last definition, when the store holds a waiting list.
  const bool elective = has_waiting_list(store, nullptr);
  const std::size_t defined = all.size();  // the population and the report's definitions
  std::optional<lang::SourceFile> elective_file;
  std::optional<lang::CheckedDefinition> elective_checked;
  if (elective) {
    const std::string text = elective_definition_text(last_month_end_on_or_before(o.index_date));
    elective_file.emplace("report:elective", text);
    elective_checked.emplace(lang::check(*elective_file, lang::parse(*elective_file), check_options));
    all.push_back(&*elective_checked);
    options.push_back(run_options(o.out / "data" / kElectiveDir, o));
    all_texts.push_back(text);
    labels.push_back(kElectiveDir);
    sources.push_back(&*elective_checked);
  }
  evaluated = engine::evaluate(store, all, options);
  for (std::size_t i = 0; i < evaluated.size(); ++i) {
    write_text(options[i].out / "definition.sev", all_texts[i]);  // for readers of data/NAME/; the report reads the AST
  }
  if (o.progress) o.progress("every definition, in one pass", seconds_since(t_runs));
  // Linkage sensitivity: the definitions (not the registered population, which is GP data only)
  // a second time, in one pass over the view without weak links.
  std::vector<engine::Evaluated> strong;
  if (o.link_sensitivity) {
    const auto t_strong = std::chrono::steady_clock::now();
    const auto view = store::Store::without_weak_links(store, *o.link_sensitivity);
    summary.link_filter = *view->link_filter();
    const auto end = static_cast<std::ptrdiff_t>(defined);
    strong = engine::evaluate(*view, std::vector<const lang::CheckedDefinition*>(all.begin() + 1, all.begin() + end),
                              std::vector<engine::EvaluateOptions>(options.begin() + 1, options.begin() + end));
    summary.seconds_link_sensitivity = seconds_since(t_strong);
    if (o.progress) o.progress("again, without weak links", summary.seconds_link_sensitivity);
  }
  summary.seconds_runs = seconds_since(t_runs);
  // Everything the report publishes is one release: one decision and one audit across all of it.
  const auto t_publish = std::chrono::steady_clock::now();
  std::vector<measures::DefinitionCounts> counts;
  for (std::size_t i = 0; i < evaluated.size(); ++i)
    counts.push_back({labels[i], &evaluated[i].measures,
                      measures::statistics_options(sources[i]->definition, o.data_dir, o.sii_repetitions, 1,
                                                   evaluated[i].summary.threads),
                      ""});
  measures::PublishOptions po;
  const std::string strong_text = o.link_sensitivity ? " links>=" + probability_text(*o.link_sensitivity) : "";
  for (std::size_t i = 0; i < strong.size(); ++i) {
    counts.push_back({labels[i + 1] + " (" + strong_text.substr(1) + ")", &strong[i].measures,
                      measures::statistics_options(sources[i + 1]->definition, o.data_dir, o.sii_repetitions, 1,
                                                   strong[i].summary.threads),
                      " [" + strong_text.substr(1) + "]"});
    po.link_pairs.push_back({i + 1, evaluated.size() + i});
  }
  po.disclosure_control = true;
  po.policy = o.policy;
  po.release_ledger = o.release_ledger;
  po.release_tag = "severn report";
  const measures::ReleaseValues release = measures::publish(counts, po);
  summary.audit = release.audit;
  // The CSV files and run.json beside the page, for its readers; the page itself is built from
  // the values in memory.
  for (std::size_t i = 0; i < evaluated.size(); ++i)
    measures::write_definition_outputs(evaluated[i].out, evaluated[i].summary, release.definitions[i], release);
  for (std::size_t i = 0; i < strong.size(); ++i)
    write_text(evaluated[i + 1].out / "linkage_sensitivity.csv",
               measures::linkage_sensitivity_csv(labels[i + 1], *o.link_sensitivity,
                                                 measures::link_sensitivity_rows(release.definitions[i + 1],
                                                                                 release.definitions[evaluated.size() + i])));
  summary.seconds_publish = seconds_since(t_publish);
  if (o.progress) o.progress("disclosure control and audit", summary.seconds_publish);

  const auto t_html = std::chrono::steady_clock::now();
  ReportModel model;
  model.index_date = format_iso_date(o.index_date);
  model.note = o.note;
  model.population = definition_outputs(kPopulationDir, release.definitions[0], evaluated[0].summary, release);
  for (std::size_t i = 1; i < defined; ++i)
    model.definitions.push_back(definition_outputs(labels[i], release.definitions[i], evaluated[i].summary, release));
  if (o.link_sensitivity) {
    model.min_link_probability = *o.link_sensitivity;
    model.link_filter_text = link_filter_text(*summary.link_filter);
    for (std::size_t i = 0; i < strong.size(); ++i)
      model.strong_definitions.push_back(
          definition_outputs(labels[i + 1], release.definitions[evaluated.size() + i], strong[i].summary, release));
  }
  // The elective section: the snapshot under the same policy, and the simulation's fans.
  ElectiveOptions eo;
  eo.dir = o.out / "data" / kElectiveDir;
  eo.to = o.index_date;
  eo.policy = o.policy;
  eo.runs = o.elective_runs;
  eo.threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  model.elective = build_elective_section(store, eo);
  if (elective) model.elective.by_person = definition_outputs(kElectiveDir, release.definitions[defined], evaluated[defined].summary, release);
  summary.elective = model.elective.has_list;
  summary.seconds_elective_snapshot = model.elective.seconds_snapshot;
  summary.seconds_elective_simulation = model.elective.seconds_simulation;
  summary.elective_audit = model.elective.snapshot_audit;
  if (o.progress && elective) o.progress("elective snapshot", summary.seconds_elective_snapshot);
  if (o.progress && o.elective_runs > 0 && summary.elective) o.progress("elective simulation", summary.seconds_elective_simulation);
  for (const auto& p : refdata::load_organisations(refdata::DataDir::resolve(o.data_dir)).pcns)
    model.pcns[p.code] = {p.name, p.place};
  const std::string html = render_report(model, load_pack_map(o.data_dir));
  summary.html = o.out / "index.html";
  // Written beside and renamed over, so a reader never sees half a page.
  write_text(o.out / "index.html.tmp", html);
  std::filesystem::rename(o.out / "index.html.tmp", summary.html);
  summary.seconds_html = seconds_since(t_html);
  summary.html_bytes = html.size();
  summary.definitions = model.definitions.size();
  for (const auto& d : model.definitions) summary.measures += d.measures.size();
  return summary;
}

}  // namespace severn::report
