#include "report/report.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "engine/run.h"
#include "lang/checker.h"
#include "lang/library.h"
#include "lang/parser.h"
#include "refdata/data_dir.h"
#include "refdata/organisations.h"

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
engine::RunOptions run_options(const std::filesystem::path& dir, const ReportOptions& o) {
  std::filesystem::create_directories(dir);
  engine::RunOptions ro;
  ro.out = dir;
  ro.index_date = o.index_date;
  ro.index_date_source = o.index_date_source;
  ro.threads = o.threads;
  ro.data_dir = o.data_dir;
  ro.disclosure_control = true;
  ro.policy = o.policy;
  ro.sii_repetitions = o.sii_repetitions;
  return ro;
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

ReportModel load_report_model(const std::filesystem::path& out, const std::vector<std::string>& names,
                              const std::string& index_date, const std::string& data_dir) {
  ReportModel model;
  model.index_date = index_date;
  for (const auto& n : names) model.definitions.push_back(load_definition_outputs(out / "data" / n, n));
  if (std::filesystem::exists(out / "data" / kPopulationDir / "measures.csv"))
    model.population = load_definition_outputs(out / "data" / kPopulationDir, kPopulationDir);
  const auto orgs = refdata::load_organisations(refdata::DataDir::resolve(data_dir));
  for (const auto& p : orgs.pcns) model.pcns[p.code] = {p.name, p.place};
  return model;
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
    if (name.empty() || name == kPopulationDir || name == "." || name == "..")
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
  const lang::SourceFile population_file("report:population", kPopulationDefinition);
  const auto population = lang::check(population_file, lang::parse(population_file), check_options);
  // Every definition in one pass over the store (engine/run.h): shared columns, code-list
  // buckets and subexpressions are read and computed once per person.
  std::vector<const lang::CheckedDefinition*> all{&population};
  std::vector<engine::RunOptions> options{run_options(o.out / "data" / kPopulationDir, o)};
  std::vector<std::string> all_texts{kPopulationDefinition};
  labels.push_back(kPopulationDir);
  for (std::size_t i = 0; i < checked.size(); ++i) {
    all.push_back(&checked[i]);
    options.push_back(run_options(o.out / "data" / names[i], o));
    all_texts.push_back(texts[i]);
    labels.push_back(names[i]);
  }
  evaluated = engine::evaluate(store, all, options);
  for (std::size_t i = 0; i < evaluated.size(); ++i) {
    std::filesystem::remove(options[i].out / "dataset.csv");  // record level: not part of a shared report
    write_text(options[i].out / "definition.sev", all_texts[i]);
  }
  if (o.progress) o.progress("every definition, in one pass", seconds_since(t_runs));
  summary.seconds_runs = seconds_since(t_runs);
  // Everything the report publishes is one release: one decision and one audit across all of it.
  const auto t_publish = std::chrono::steady_clock::now();
  engine::PublishOptions po;
  po.disclosure_control = true;
  po.policy = o.policy;
  po.release_ledger = o.release_ledger;
  po.release_tag = "severn report";
  summary.audit = engine::publish(evaluated, labels, po);
  summary.seconds_publish = seconds_since(t_publish);
  if (o.progress) o.progress("disclosure control and audit", summary.seconds_publish);

  const auto t_html = std::chrono::steady_clock::now();
  ReportModel model = load_report_model(o.out, names, format_iso_date(o.index_date), o.data_dir);
  model.note = o.note;
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
