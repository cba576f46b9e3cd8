// `severn elective simulate`: capacity and demand per specialty (NHSRwaitinglist's quantities),
// a Monte Carlo simulation of the reported waiting list to March 2029 under scenarios, the
// capacity uplift that reaches 92% within 18 weeks, and a backtest on the history
// (docs/elective/simulation.md).
//
// Disclosure (docs/disclosure.md): the tables are specialty totals and the ICS total, never
// finer than treatment function and priority. Every count read from the data (list sizes, flows
// over 52 weeks, the backtest's actual lists) is published through the policy: 1-7 withheld,
// others rounded, and every figure derived from those counts (rates, load, target queue, shares,
// errors) computed from the published counts. A priority breakdown of a specialty is published
// only when none of its cells is withheld, so no withheld cell can be recovered from the total.
// Simulated quantities are model outputs (quantiles over runs), rounded to the same base.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/disclosure_options.h"
#include "cli/elective_commands.h"
#include "core/error.h"
#include "elective/backtest.h"
#include "elective/capacity.h"
#include "elective/capacity_flows.h"
#include "elective/rtt_weeks.h"
#include "elective/scenario.h"
#include "elective/simulation.h"
#include "elective/simulation_fit.h"
#include "elective/simulation_uplift.h"
#include "store/store.h"

namespace severn::cli {
namespace {

using namespace severn::elective;

struct SimulateArgs {
  std::string store, out;
  std::size_t runs = 1000;
  std::uint64_t seed = 20290331;
  unsigned threads = 2;
  std::vector<std::string> scenarios;
  std::string census, horizon = "2029-03-31";
  std::size_t fit_weeks = 52;
  std::string backtest_from = "2022-04-01", backtest_census = "2023-03-31";
  int backtest_months = 12;
  bool no_backtest = false;
  std::size_t uplift_runs = 100;
  DisclosureChoice disclosure;
};

Days parse_date_option(const std::string& option, const std::string& text) {
  if (auto d = parse_iso_date(text)) return *d;
  throw InputError(option + ": '" + text + "' is not a date YYYY-MM-DD");
}

std::string fmt(double v, int decimals) {
  if (std::isnan(v) || std::isinf(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(path.string() + ": cannot open for writing");
    f << text;
    if (!f.flush()) throw InputError(path.string() + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw InputError(path.string() + ": cannot replace: " + ec.message());
}

std::string csv_escape(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

// Publishing counts through the policy (or exactly, with --no-disclosure-control).
struct Publisher {
  disclosure::Policy policy;
  bool on = true;
  bool withheld(std::int64_t n) const { return on && disclosure::is_small(policy, n); }
  std::int64_t count(std::int64_t n) const { return on ? disclosure::rounded(policy, n) : n; }
  // A simulated quantity (a quantile of counts over runs) to the same base.
  double model_count(double v) const {
    const double base = on ? static_cast<double>(policy.rounding_base()) : 1.0;
    return std::round(v / base) * base;
  }
};

Days last_month_end_on_or_before(Days d) {
  const CivilDate c = civil_from_days(d);
  const Days end = days_from_civil(c.year, c.month, days_in_month(c.year, c.month));
  if (end <= d) return end;
  return days_from_civil(c.year, c.month, 1) - 1;
}

std::string capacity_csv(const ReportedList& list, Days census, std::size_t weeks, Days horizon, const Publisher& pub) {
  std::string out =
      "treatment_function,priority,census_date,target_weeks,list_size,mean_wait_weeks,clock_starts_52w,clock_stops_52w,"
      "removals_52w,demand_per_week,capacity_per_week,removals_per_week,load,pressure,target_mean_wait_weeks,"
      "target_queue_size,queue_ratio,cv_demand,cv_capacity,target_capacity_per_week,relief_capacity_26w,"
      "relief_capacity_to_horizon\n";
  std::set<int> tfs;
  for (const ReportedPeriod& p : list.periods) tfs.insert(p.treatment_function);
  const double weeks_to_horizon = static_cast<double>(horizon - census) / kDaysPerWeek;
  auto row = [&](const std::string& tf, const std::string& priority, double target, const ListObservation& exact,
                 bool hide = false) {
    std::string r = tf + "," + priority + "," + format_iso_date(census) + "," + fmt(target, 2) + ",";
    if (hide || pub.withheld(exact.list_size) || pub.withheld(exact.clock_starts) || pub.withheld(exact.clock_stops) ||
        pub.withheld(exact.removals)) {
      for (int i = 0; i < 18; ++i) r += std::string(disclosure::kWithheldMarker) + (i < 17 ? "," : "");
      return r + "\n";
    }
    ListObservation o = exact;
    o.list_size = pub.count(exact.list_size);
    o.clock_starts = pub.count(exact.clock_starts);
    o.clock_stops = pub.count(exact.clock_stops);
    o.removals = pub.count(exact.removals);
    const CapacityQuantities q = capacity_quantities(o, target, 26);
    const CapacityQuantities qh = capacity_quantities(o, target, weeks_to_horizon);
    r += std::to_string(o.list_size) + "," + fmt(o.mean_wait_weeks, 1) + "," + std::to_string(o.clock_starts) + "," +
         std::to_string(o.clock_stops) + "," + std::to_string(o.removals) + "," + fmt(q.demand_per_week, 2) + "," +
         fmt(q.capacity_per_week, 2) + "," + fmt(q.removals_per_week, 2) + "," + fmt(q.load, 3) + "," +
         fmt(q.pressure, 3) + "," + fmt(q.target_mean_wait_weeks, 2) + "," + fmt(q.target_queue_size, 1) + "," +
         fmt(q.queue_ratio, 3) + "," + fmt(o.cv_demand, 3) + "," + fmt(o.cv_capacity, 3) + "," +
         fmt(q.target_capacity, 2) + "," + fmt(q.relief_capacity, 2) + "," + fmt(qh.relief_capacity, 2) + "\n";
    return r;
  };
  auto withheld = [&](const ListObservation& o) {
    return pub.withheld(o.list_size) || pub.withheld(o.clock_starts) || pub.withheld(o.clock_stops) ||
           pub.withheld(o.removals);
  };
  std::vector<std::pair<std::string, FlowScope>> scopes{{"all", FlowScope{}}};
  std::map<std::string, ListObservation> totals;
  std::size_t tf_withheld = 0, tf_published = 0;
  for (int tf : tfs) {
    const FlowScope scope{tf, FlowScope::kAnyProvider};
    scopes.push_back({std::to_string(tf), scope});
    const ListObservation& o = totals[std::to_string(tf)] = observe_list(list, scope, std::nullopt, census, weeks);
    ++(withheld(o) ? tf_withheld : tf_published);
  }
  totals["all"] = observe_list(list, FlowScope{}, std::nullopt, census, weeks);
  // The ICS total is the sum of the specialties: with a specialty withheld, the total is published
  // only when the difference with the published ones cannot pin it down (counts rounded, and at
  // least two specialties published, so the difference spans at least 2 x (round_to - 1) + 1).
  const bool total_protects = tf_withheld == 0 || (pub.policy.rounding_base() >= 5 && tf_published >= 2);
  for (const auto& [name, scope] : scopes) {
    const bool hide_total = name == "all" && !total_protects;
    out += row(name, "all", kStandardWeeks, totals.at(name), hide_total);
    if (hide_total) continue;
    // The priority breakdown, only when every cell of it can be published.
    std::vector<std::pair<int, ListObservation>> parts;
    bool publishable = true;
    for (int p : {1, 2, 3, 4, 0}) {
      parts.emplace_back(p, observe_list(list, scope, p, census, weeks));
      const ListObservation& o = parts.back().second;
      publishable = publishable && !pub.withheld(o.list_size) && !pub.withheld(o.clock_starts) &&
                    !pub.withheld(o.clock_stops) && !pub.withheld(o.removals);
    }
    if (!publishable) continue;
    for (const auto& [p, o] : parts) {
      out += row(name, p == 0 ? "none" : "P" + std::to_string(p), priority_target_weeks(p), o);
    }
  }
  return out;
}

// Weekly flows over the `weeks` weeks to the census, for all, each provider, each treatment
// function and each provider's treatment function. Under the rounded policy a withheld cell
// always shares a sum with at least one other rounded count (a provider's two or more
// specialties, the other provider, its 52-week total in capacity.csv), so what a reader can
// work out about it spans at least 9 values; under suppressed-exact it would not, and the
// file is not written (run_simulate says so).
std::string flows_csv(const ReportedList& list, Days census, std::size_t weeks, const Publisher& pub) {
  std::string out =
      "week_ending,provider_code,treatment_function,clock_starts,stops_admitted,stops_non_admitted,stops_type_unknown,"
      "removals,list_size\n";
  std::set<int> tfs;
  for (const ReportedPeriod& p : list.periods) tfs.insert(p.treatment_function);
  const Days first = census - static_cast<Days>(kDaysPerWeek * (weeks - 1));
  auto cell = [&](std::int64_t n) {
    return pub.withheld(n) ? std::string(disclosure::kWithheldMarker) : std::to_string(pub.count(n));
  };
  for (std::int64_t provider = FlowScope::kAnyProvider; provider < static_cast<std::int64_t>(list.providers.size());
       ++provider) {
    std::vector<int> scope_tfs{FlowScope::kAnyTreatmentFunction};
    scope_tfs.insert(scope_tfs.end(), tfs.begin(), tfs.end());
    for (int tf : scope_tfs) {
      const WeeklyFlows f = weekly_flows(list, FlowScope{tf, provider}, first, weeks);
      const std::string prefix = (provider < 0 ? std::string("all") : list.providers[provider]) + "," +
                                 (tf < 0 ? std::string("all") : std::to_string(tf)) + ",";
      std::int64_t any = 0;
      for (std::size_t w = 0; w < weeks; ++w) any += f.clock_starts[w] + f.list_size[w] + f.stops(w) + f.removals[w];
      if (any == 0) continue;  // a provider without this specialty
      for (std::size_t w = 0; w < weeks; ++w) {
        out += format_iso_date(first + static_cast<Days>(kDaysPerWeek * w)) + "," + prefix + cell(f.clock_starts[w]) +
               "," + cell(f.stops_admitted[w]) + "," + cell(f.stops_non_admitted[w]) + "," +
               cell(f.stops_unknown_type[w]) + "," + cell(f.removals[w]) + "," + cell(f.list_size[w]) + "\n";
      }
    }
  }
  return out;
}

std::string tf_name(int tf) { return tf == 0 ? "other" : tf == kAllSpecialties ? "all" : std::to_string(tf); }

struct ScenarioOutput {
  std::string ics, by_specialty;
};

void add_quantile_rows(std::string& out, const std::string& prefix, const char* statistic, std::vector<double>& v,
                       bool is_count, const Publisher& pub) {
  const Quantiles q = quantiles(v);
  auto f = [&](double x) { return is_count ? fmt(pub.model_count(x), 0) : fmt(x, 4); };
  out += prefix + statistic + "," + f(q.median) + "," + f(q.p5) + "," + f(q.p25) + "," + f(q.p75) + "," + f(q.p95) + "\n";
}

ScenarioOutput simulation_rows(const Scenario& s, const MonteCarlo& mc, const MonthlyPlan& plan,
                               const std::vector<QueueModel>& models, const Publisher& pub) {
  ScenarioOutput o;
  std::vector<double> size(mc.runs), share(mc.runs), over52(mc.runs);
  for (std::size_t k = 0; k < mc.months; ++k) {
    const std::string month = format_iso_date(plan.month_ends[k]);
    for (std::size_t m = 0; m <= mc.models; ++m) {
      const bool all = m == mc.models;
      for (std::size_t run = 0; run < mc.runs; ++run) {
        ListStats t;
        for (std::size_t j = all ? 0 : m; j < (all ? mc.models : m + 1); ++j) {
          const ListStats& x = mc.at(run, j, k);
          t.size += x.size;
          t.within_18_weeks += x.within_18_weeks;
          t.over_52_weeks += x.over_52_weeks;
        }
        size[run] = t.size;
        share[run] = t.size > 0 ? t.within_18_weeks / t.size : 1.0;
        over52[run] = t.over_52_weeks;
      }
      std::string& out = all ? o.ics : o.by_specialty;
      const std::string prefix = csv_escape(s.name) + "," +
                                 (all ? std::string() : tf_name(models[m].treatment_function) + ",") + month + ",";
      add_quantile_rows(out, prefix, "list_size", size, true, pub);
      add_quantile_rows(out, prefix, "within_18_weeks_share", share, false, pub);
      add_quantile_rows(out, prefix, "over_52_weeks", over52, true, pub);
    }
  }
  return o;
}

std::string backtest_csv(const BacktestResult& r, const Publisher& pub, std::string& summary) {
  std::string out = "treatment_function,month,horizon_months,statistic,actual,predicted_median,p5,p95,abs_pct_error\n";
  // The actual list through the policy; shares and errors from the published counts.
  std::map<std::pair<int, Days>, std::int64_t> published_size;
  std::map<std::tuple<int, int, std::string>, double> ape;
  for (const BacktestPoint& p : r.points) {
    const bool held = pub.withheld(p.actual_list);
    std::string actual, err;
    double e = NAN;
    if (!held) {
      if (p.statistic == "list_size") {
        const auto a = static_cast<double>(pub.count(p.actual_list));
        actual = fmt(a, 0);
        e = a > 0 ? std::abs(p.predicted.median - a) / a * 100 : NAN;
      } else {
        const double within = std::round(p.actual * static_cast<double>(p.actual_list));
        const double a = static_cast<double>(pub.count(static_cast<std::int64_t>(within))) /
                         static_cast<double>(pub.count(p.actual_list));
        actual = fmt(a, 4);
        e = a > 0 ? std::abs(p.predicted.median - a) / a * 100 : NAN;
      }
      err = fmt(e, 2);
      ape[{p.treatment_function, p.horizon, p.statistic}] = e;
    }
    const bool count = p.statistic == "list_size";
    auto f = [&](double x) { return count ? fmt(pub.model_count(x), 0) : fmt(x, 4); };
    out += tf_name(p.treatment_function) + "," + format_iso_date(p.month_end) + "," + std::to_string(p.horizon) + "," +
           p.statistic + "," + (held ? disclosure::kWithheldMarker : actual) + "," + f(p.predicted.median) + "," +
           f(p.predicted.p5) + "," + f(p.predicted.p95) + "," + (held ? disclosure::kWithheldMarker : err) + "\n";
  }
  // ics_mape_window: the ICS total's APE averaged over months 1..h, the form of Wood and
  // Worthington's figures ("MAPE on six and twelve month windows").
  summary = "horizon_months,statistic,ics_ape,ics_mape_window,mape_across_specialties,specialties,anchor_mape\n";
  std::map<std::string, std::pair<double, int>> window;  // statistic -> running sum, count
  for (const BacktestSummary& s : r.summary) {
    double total = 0;
    std::size_t n = 0;
    double ics = NAN;
    for (const auto& [key, e] : ape) {
      if (std::get<1>(key) != s.horizon || std::get<2>(key) != s.statistic || std::isnan(e)) continue;
      if (std::get<0>(key) == kAllSpecialties) {
        ics = e;
      } else {
        total += e;
        ++n;
      }
    }
    // Wood and Worthington (2025), BNSSG: list size MAPE 0.4% at 6 months, 4.7% at 12.
    const std::string anchor = s.statistic == "list_size" ? (s.horizon == 6 ? "0.4" : s.horizon == 12 ? "4.7" : "") : "";
    auto& [wsum, wn] = window[s.statistic];
    if (!std::isnan(ics)) {
      wsum += ics;
      ++wn;
    }
    summary += std::to_string(s.horizon) + "," + s.statistic + "," + fmt(ics, 2) + "," +
               (wn ? fmt(wsum / wn, 2) : "") + "," +
               (n ? fmt(total / static_cast<double>(n), 2) : "") + "," + std::to_string(n) + "," + anchor + "\n";
  }
  return out;
}

void run_simulate(SimulateArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  Publisher pub;
  pub.on = !a.disclosure.off;
  pub.policy = a.disclosure.checked();
  if (a.runs == 0) throw InputError("--runs: give at least 1 run");
  if (a.threads == 0) throw InputError("--threads: give at least 1");
  std::vector<Scenario> scenarios;
  for (const std::string& f : a.scenarios) scenarios.push_back(read_scenario_file(f));

  const auto store = store::Store::open(a.store);
  const ReportedList list = read_reported_list(*store);
  if (list.periods.empty()) throw InputError(a.store + ": wl_pathways has no rows");
  const Days census = a.census.empty() ? last_month_end_on_or_before(list.last_date) : parse_date_option("--census", a.census);
  const Days horizon = parse_date_option("--horizon", a.horizon);
  if (horizon <= census) throw InputError("--horizon: " + a.horizon + " is not after the census " + format_iso_date(census));
  if (a.fit_weeks < 4) throw InputError("--fit-weeks: give at least 4 weeks");
  if (scenarios.empty()) scenarios = default_scenarios(census);
  std::set<std::string> names;
  for (const Scenario& s : scenarios) {
    if (!names.insert(s.name).second) throw InputError("--scenario: two scenarios are named '" + s.name + "'");
  }
  std::filesystem::create_directories(a.out);
  const std::filesystem::path out(a.out);
  if (!list.has_removals) {
    std::printf("note: the store predates the WLMDS columns (removal_date, removal_reason, waiting_list_type): "
                "removals other than treatment are not known and are taken as none\n");
  }

  write_file(out / "capacity.csv", capacity_csv(list, census, a.fit_weeks, horizon, pub));
  const bool write_flows = !pub.on || pub.policy.rounding_base() >= 5;
  if (write_flows) {
    write_file(out / "flows.csv", flows_csv(list, census, a.fit_weeks, pub));
  } else {
    std::printf("note: flows.csv is not written under --disclosure-policy suppressed-exact: its weekly cells nest in "
                "the 52-week totals of capacity.csv, and exact counts would let a withheld cell be recovered\n");
  }

  FitOptions fit;
  fit.census = census;
  fit.fit_from = census - static_cast<Days>(kDaysPerWeek * a.fit_weeks) + 1;
  const FittedModels fitted = fit_models(list, fit);
  const MonthlyPlan plan = monthly_plan(census, horizon);
  if (plan.month_ends.empty()) throw InputError("--horizon: no month end between the census and the horizon");

  std::string ics = "scenario,month,statistic,median,p5,p25,p75,p95\n";
  std::string by_tf = "scenario,treatment_function,month,statistic,median,p5,p25,p75,p95\n";
  double sim_seconds = 0;
  for (const Scenario& s : scenarios) {
    const auto s0 = std::chrono::steady_clock::now();
    const MonteCarlo mc = run_monte_carlo(fitted.models, s, plan, a.runs, a.seed, a.threads);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
    sim_seconds += secs;
    std::printf("scenario '%s': %zu runs x %zu specialties x %zu weeks in %.2f s\n", s.name.c_str(), a.runs,
                fitted.models.size(), plan.total_steps(), secs);
    const ScenarioOutput o = simulation_rows(s, mc, plan, fitted.models, pub);
    ics += o.ics;
    by_tf += o.by_specialty;
  }
  write_file(out / "simulation.csv", ics);
  write_file(out / "simulation_by_specialty.csv", by_tf);

  if (a.uplift_runs > 0) {
    UpliftSearch search;
    search.runs = a.uplift_runs;
    search.seed = a.seed;
    search.threads = a.threads;
    std::string up = "scenario,treatment_function,target_share,target_date,baseline_median_share,reached,uplift,"
                     "median_share_at_uplift,capacity_per_week,capacity_needed_per_week\n";
    const Scenario& base = scenarios.front();
    auto add = [&](const std::string& name, std::span<const QueueModel> models) {
      const UpliftResult r = uplift_to_reach(models, base, plan, search);
      double cap = 0;
      for (const QueueModel& m : models) cap += m.capacity_per_step;
      up += csv_escape(base.name) + "," + name + "," + fmt(search.target_share, 2) + "," +
            format_iso_date(plan.month_ends.back()) + "," + fmt(r.baseline_share, 4) + "," + (r.reached ? "yes" : "no") +
            "," + (r.reached ? fmt(r.uplift, 3) : ">" + fmt(search.max_uplift, 1)) + "," + fmt(r.median_share, 4) + "," +
            fmt(pub.model_count(cap), 0) + "," + (r.reached ? fmt(pub.model_count(cap * (1 + r.uplift)), 0) : "") + "\n";
    };
    add("all", fitted.models);
    for (std::size_t m = 0; m < fitted.models.size(); ++m) {
      add(tf_name(fitted.models[m].treatment_function), std::span<const QueueModel>(&fitted.models[m], 1));
    }
    write_file(out / "uplift_to_92.csv", up);
  }

  std::string backtest_note = "not run (--no-backtest)";
  if (!a.no_backtest) {
    BacktestOptions b;
    b.fit.fit_from = parse_date_option("--backtest-from", a.backtest_from);
    b.fit.census = parse_date_option("--backtest-census", a.backtest_census);
    b.horizon_months = a.backtest_months;
    b.runs = a.runs;
    b.seed = a.seed;
    b.threads = a.threads;
    const BacktestResult r = run_backtest(list, b);
    std::string summary;
    write_file(out / "backtest.csv", backtest_csv(r, pub, summary));
    write_file(out / "backtest_summary.csv", summary);
    backtest_note = "fit " + a.backtest_from + " to " + a.backtest_census;
    std::printf("backtest (fit %s..%s):\n%s", a.backtest_from.c_str(), a.backtest_census.c_str(), summary.c_str());
  }

  std::string pooled;
  for (std::size_t m = 0; m < fitted.models.size(); ++m) {
    if (fitted.models[m].treatment_function != 0) continue;
    for (int tf : fitted.pooled_tfs[m]) pooled += (pooled.empty() ? "" : ",") + std::to_string(tf);
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string meta = "{\n  \"census\": \"" + format_iso_date(census) + "\",\n  \"horizon\": \"" +
                     format_iso_date(plan.month_ends.back()) + "\",\n  \"fit_weeks\": " + std::to_string(a.fit_weeks) +
                     ",\n  \"runs\": " + std::to_string(a.runs) + ",\n  \"seed\": " + std::to_string(a.seed) +
                     ",\n  \"threads\": " + std::to_string(a.threads) + ",\n  \"specialty_models\": " +
                     std::to_string(fitted.models.size()) + ",\n  \"pooled_as_other\": [" + pooled +
                     "],\n  \"store_has_removals\": " + (list.has_removals ? "true" : "false") +
                     ",\n  \"backtest\": \"" + backtest_note + "\",\n  \"simulation_seconds\": " + fmt(sim_seconds, 3) +
                     ",\n  \"total_seconds\": " + fmt(total, 3) + ",\n  \"disclosure\": " +
                     disclosure::metadata_json(pub.policy, pub.on) + "\n}\n";
  write_file(out / "simulation.json", meta);
  std::printf("wrote %s (capacity.csv, %ssimulation.csv, simulation_by_specialty.csv%s%s, simulation.json) in %.1f s\n",
              a.out.c_str(), write_flows ? "flows.csv, " : "", a.uplift_runs > 0 ? ", uplift_to_92.csv" : "",
              a.no_backtest ? "" : ", backtest.csv, backtest_summary.csv", total);
}

}  // namespace

void add_elective_simulate(CLI::App& elective) {
  auto a = std::make_shared<SimulateArgs>();
  CLI::App* cmd = elective.add_subcommand(
      "simulate", "Capacity and demand per specialty (NHSRwaitinglist's load, pressure, target queue, target and "
                  "relief capacity), a Monte Carlo simulation of the reported waiting list to March 2029 under "
                  "scenarios, the capacity uplift that reaches 92% within 18 weeks, and a backtest "
                  "(docs/elective/simulation.md)");
  cmd->add_option("--store", a->store, "The store (severn ingest output)")->required();
  cmd->add_option("--out", a->out, "Output directory (created if absent)")->required();
  cmd->add_option("--runs", a->runs, "Monte Carlo runs per scenario (default 1000)");
  cmd->add_option("--seed", a->seed, "Random seed: the same seed gives the same output (default 20290331)");
  cmd->add_option("--threads", a->threads, "Threads (default 2)");
  cmd->add_option("--scenario", a->scenarios,
                  "A scenario TOML file (repeatable; the first is the base of the uplift search). Default: status quo, "
                  "referrals +5% a year, capacity +10%, a validation sprint");
  cmd->add_option("--census", a->census, "Start of the simulation, YYYY-MM-DD (default: the data's last month end)");
  cmd->add_option("--horizon", a->horizon, "Last month end simulated (default 2029-03-31)");
  cmd->add_option("--fit-weeks", a->fit_weeks, "Weeks before the census the models are fitted on (default 52)");
  cmd->add_option("--backtest-from", a->backtest_from, "Backtest: first day of the fit window (default 2022-04-01)");
  cmd->add_option("--backtest-census", a->backtest_census, "Backtest: last day of the fit window (default 2023-03-31)");
  cmd->add_option("--backtest-months", a->backtest_months, "Backtest: months predicted (default 12)");
  cmd->add_flag("--no-backtest", a->no_backtest, "Skip the backtest");
  cmd->add_option("--uplift-runs", a->uplift_runs,
                  "Runs per step of the search for the capacity uplift reaching 92% (default 100; 0 skips it)");
  add_disclosure_options(cmd, a->disclosure);
  cmd->callback([a] { run_simulate(*a); });
}

}  // namespace severn::cli
