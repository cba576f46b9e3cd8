// The elective section's scenario fans: the list simulated from the reported list's fitted models
// to the horizon under `severn elective simulate`'s default scenarios (report/elective_section.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "core/error.h"
#include "elective/capacity_flows.h"
#include "elective/scenario.h"
#include "elective/simulation.h"
#include "elective/simulation_fit.h"
#include "report/elective_section.h"

namespace severn::report {
namespace {

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw InputError(path.string() + ": cannot write the file");
}

std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

// The scenarios' shares within 18 weeks for the whole ICS (the sum over the specialty models).
}  // namespace

void add_elective_simulation(const store::Store& store, const ElectiveOptions& o, ElectiveSection& s) {
  const elective::ReportedList list = elective::read_reported_list(store);
  if (list.periods.empty()) return;
  const Days census = last_month_end_on_or_before(std::min(list.last_date, o.to));
  const Days horizon = o.horizon ? o.horizon : days_from_civil(2029, 3, 31);
  if (horizon <= census) {
    s.notes.push_back("The simulation was not run: the data end after its horizon.");
    return;
  }
  elective::FitOptions fit;
  fit.census = census;
  fit.fit_from = census - static_cast<Days>(7 * 52) + 1;  // a year of weekly flows, as `severn elective simulate`
  elective::FittedModels fitted;
  try {
    fitted = elective::fit_models(list, fit);
  } catch (const InputError& e) {
    s.notes.push_back(std::string("The simulation was not run: ") + e.what());
    return;
  }
  if (fitted.models.empty()) {
    s.notes.push_back("The simulation was not run: no specialty could be fitted.");
    return;
  }
  const elective::MonthlyPlan plan = elective::monthly_plan(census, horizon);
  s.census = census;
  s.runs = o.runs;
  std::string csv = "scenario,month,statistic,median,p5,p95\n";
  for (const elective::Scenario& sc : elective::default_scenarios(census)) {
    const elective::MonteCarlo mc = elective::run_monte_carlo(fitted.models, sc, plan, o.runs, o.seed, o.threads);
    ScenarioFan fan;
    fan.name = sc.name;
    std::vector<double> share(mc.runs);
    for (std::size_t k = 0; k < mc.months; ++k) {
      for (std::size_t run = 0; run < mc.runs; ++run) {
        double size = 0, within = 0;
        for (std::size_t m = 0; m < mc.models; ++m) {
          size += mc.at(run, m, k).size;
          within += mc.at(run, m, k).within_18_weeks;
        }
        share[run] = size > 0 ? within / size : 1.0;
      }
      const elective::Quantiles q = elective::quantiles(share);
      fan.months.push_back(plan.month_ends[k]);
      fan.median.push_back(q.median);
      fan.p5.push_back(q.p5);
      fan.p95.push_back(q.p95);
      csv += csv_text(sc.name) + "," + format_iso_date(plan.month_ends[k]) + ",within_18_weeks_share," +
             fixed(q.median, 4) + "," + fixed(q.p5, 4) + "," + fixed(q.p95, 4) + "\n";
    }
    s.scenarios.push_back(std::move(fan));
  }
  write_text(o.dir / "simulation.csv", csv);
}


}  // namespace severn::report
