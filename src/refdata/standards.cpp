#include "refdata/standards.h"

#include "core/csv_table.h"
#include "core/error.h"

namespace severn::refdata {

namespace {

std::vector<AgeBandWeight> load_bands(const DataDir& dir, const std::string& file) {
  const auto t = CsvTable::read_file(dir.require(file));
  std::vector<AgeBandWeight> out;
  const auto up = t.column("age_upper");
  for (std::size_t r = 0; r < t.rows(); ++r)
    out.push_back({t.cell(r, "age_band"), static_cast<int>(t.get_int(r, t.column("age_lower"))),
                   t.is_empty(r, up) ? -1 : static_cast<int>(t.get_int(r, up)),
                   t.get_double(r, t.column("weight"))});
  return out;
}

}  // namespace

std::vector<AgeBandWeight> load_esp2013(const DataDir& dir) { return load_bands(dir, "standards/esp2013.csv"); }

std::vector<AgeBandWeight> load_esp2013_21band(const DataDir& dir) {
  return load_bands(dir, "standards/esp2013_21band.csv");
}

std::vector<DementiaRate> load_cfas2(const DataDir& dir) {
  const auto t = CsvTable::read_file(dir.require("standards/cfas2_dementia_prevalence.csv"));
  std::vector<DementiaRate> out;
  const auto up = t.column("age_upper"), sx = t.column("sex"), pv = t.column("prevalence");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    DementiaRate d;
    d.age_lower = static_cast<int>(t.get_int(r, t.column("age_lower")));
    d.age_upper = t.is_empty(r, up) ? -1 : static_cast<int>(t.get_int(r, up));
    const auto& s = t.cell(r, sx);
    if (s != "Male" && s != "Female") t.fail(r, sx, "sex must be Male or Female");
    d.sex = s == "Male" ? 'M' : 'F';
    d.prevalence = t.get_double(r, pv);
    if (d.prevalence < 0 || d.prevalence > 1) t.fail(r, pv, "prevalence outside 0..1");
    out.push_back(d);
  }
  return out;
}

double cfas2_rate(const std::vector<DementiaRate>& rates, int age, char sex) {
  for (const auto& r : rates)
    if (r.sex == sex && age >= r.age_lower && (r.age_upper < 0 || age <= r.age_upper))
      return r.prevalence;
  return 0.0;
}

std::vector<PublishedFigure> load_published_figures(const DataDir& dir) {
  const auto t = CsvTable::read_file(dir.require("reference/stw_published_figures.csv"));
  std::vector<PublishedFigure> out;
  for (std::size_t r = 0; r < t.rows(); ++r)
    out.push_back({t.cell(r, "figure_id"), t.cell(r, "measure"), t.cell(r, "unit"),
                   t.cell(r, "period"), t.cell(r, "source"), t.cell(r, "source_text"),
                   t.get_double(r, t.column("value"))});
  return out;
}

const PublishedFigure& find_figure(const std::vector<PublishedFigure>& figures, const std::string& id) {
  for (const auto& f : figures)
    if (f.id == id) return f;
  throw InputError("reference/stw_published_figures.csv: figure '" + id + "' is missing");
}

}  // namespace severn::refdata
