// The elective section of the page (report/elective_section.h): trend charts of the list and the
// 18-week share, bars by IMD quintile and of long waiters by treatment function, and a fan chart
// per scenario. Withheld counts are gaps (NaN), never zeros.
#include <cmath>

#include "report/charts.h"
#include "report/elective_section.h"
#include "report/svg.h"

namespace severn::report {
namespace {

using svg::escape;
using svg::missing;

double value_of(const PublishedCount& c) { return c ? static_cast<double>(*c) : NAN; }

std::string month_label(Days month_end) {
  const CivilDate c = civil_from_days(month_end);
  return interval_short_label({format_iso_date(days_from_civil(c.year, c.month, 1)), format_iso_date(month_end)});
}

std::string long_month(Days month_end) {
  const CivilDate c = civil_from_days(month_end);
  return interval_label({format_iso_date(days_from_civil(c.year, c.month, 1)), format_iso_date(month_end)});
}

std::string figure(const std::string& svg_text, const std::string& caption) {
  return "<figure>" + svg_text + "<figcaption>" + caption + "</figcaption></figure>";
}

std::string empty_figure(const std::string& text) { return "<div class=\"empty\">" + escape(text) + "</div>"; }

std::string count_text(const PublishedCount& c) { return c ? svg::number(static_cast<double>(*c), 0) : "withheld"; }

std::size_t withheld_of(const std::vector<double>& v) {
  std::size_t n = 0;
  for (double x : v) n += missing(x);
  return n;
}

std::string withheld_note(std::size_t n, const char* what) {
  return n ? " " + std::to_string(n) + " " + what + " withheld by disclosure control (gaps, not zeros)." : "";
}

std::string list_size_figure(const ElectiveSection& s) {
  TrendChart c;
  for (const auto& m : s.months) {
    c.labels.push_back(month_label(m.date));
    c.value.push_back(value_of(m.incomplete));
    c.lower.push_back(NAN);
    c.upper.push_back(NAN);
  }
  c.decimals = 0;
  c.text.title = "Incomplete RTT pathways at each month end";
  c.text.x_label = "Month end";
  c.text.y_label = "Incomplete pathways (count)";
  c.text.ci_label = "no interval (a count)";
  c.text.aria = "The number of incomplete pathways on the reported waiting list at each month end";
  return figure(trend_chart(c), "The provider's reported list (wl_pathways), counted as NHS England's RTT statistics count "
                                "it; counts rounded by disclosure control. The y axis does not start at zero." +
                                    withheld_note(withheld_of(c.value), "month(s)") +
                                    " Source: data/elective/snapshot.csv, rows all/all.");
}

std::string share_figure(const ElectiveSection& s) {
  TrendChart c;
  for (const auto& m : s.months) {
    c.labels.push_back(month_label(m.date));
    c.value.push_back(100 * m.share_within_18_weeks());
    c.lower.push_back(NAN);
    c.upper.push_back(NAN);
  }
  c.decimals = 1;
  c.reference = 92;
  c.reference_label = "standard: 92% by March 2029";
  c.text.title = "Share of incomplete pathways within 18 weeks";
  c.text.x_label = "Month end";
  c.text.y_label = "Within 18 weeks (%)";
  c.text.ci_label = "no interval (the whole list)";
  c.text.aria = "The percentage of incomplete pathways waiting at most 18 weeks at each month end, against the 92% standard";
  return figure(trend_chart(c), "Within 18 weeks: waited at most 126 days at the month end. Computed from the published "
                                "(rounded) counts; a month with either count withheld is a gap." +
                                    withheld_note(withheld_of(c.value), "month(s)") +
                                    " Source: data/elective/snapshot.csv.");
}

std::string imd_figure(const ElectiveSection& s) {
  if (!s.by_person) return empty_figure("Not broken down by deprivation: the person-level definition was not run.");
  const MeasureOutputs* m = nullptr;
  for (const auto& x : s.by_person->measures)
    if (x.name == kElectiveMeasure) m = &x;
  if (!m || m->intervals().empty()) return empty_figure("No person on the list at the last month end: no deprivation breakdown.");
  const Interval latest = m->intervals().back();
  BarChart c;
  for (const auto* r : m->rows_of(latest, "imd_quintile")) {
    if (r->group == "unknown") continue;
    c.labels.push_back("Q" + r->group);
    c.value.push_back(r->value);
    c.lower.push_back(r->lower);
    c.upper.push_back(r->upper);
  }
  c.decimals = 1;
  const MeasureRow* all = m->row(latest, "all", "all");
  if (all && !missing(all->value)) {
    c.overall = all->value;
    c.overall_label = "ICS " + svg::number(all->value, 1) + "%";
  }
  c.text.title = "People waiting over 18 weeks by deprivation, " + interval_label(latest);
  c.text.x_label = "IMD 2025 quintile (Q1 most deprived = Core20)";
  c.text.y_label = "Over 18 weeks (% of people)";
  c.text.ci_label = m->confidence + " CI";
  c.text.aria = "The share of people on the waiting list who have waited over 18 weeks, by IMD quintile, with confidence intervals";
  return figure(bar_chart(c), "A person counts once: on the list when any pathway is open at the month end, over 18 weeks "
                              "when any has waited more than 126 days. Bars start at zero; whiskers: " +
                                  escape(m->confidence) + " confidence intervals. Published in the report's single audited "
                                  "release." + withheld_note(withheld_of(c.value), "group(s)") +
                                  " Source: data/elective/measures.csv.");
}

std::string long_waiters_figure(const ElectiveSection& s, int weeks) {
  BarChart c;
  for (const auto& w : s.by_function) {
    c.labels.push_back(std::to_string(w.treatment_function));
    c.value.push_back(value_of(weeks == 52 ? w.over_52_weeks : w.over_65_weeks));
    c.lower.push_back(NAN);
    c.upper.push_back(NAN);
  }
  c.decimals = 0;
  const std::string when = long_month(s.months.back().date);
  c.text.title = "Waiting over " + std::to_string(weeks) + " weeks by treatment function, " + when;
  c.text.x_label = "Treatment function code";
  c.text.y_label = "Pathways (count)";
  c.text.ci_label = "no interval (a count)";
  c.text.aria = "Incomplete pathways waiting more than " + std::to_string(weeks) + " weeks by treatment function";
  return figure(bar_chart(c), "Over " + std::to_string(weeks) + " weeks: waited more than " + std::to_string(7 * weeks) +
                                  " days. Counts rounded by disclosure control." +
                                  withheld_note(withheld_of(c.value), "treatment function(s)") +
                                  " Source: data/elective/snapshot.csv, provider all.");
}

std::string fan_figure(const ScenarioFan& f, std::size_t runs) {
  TrendChart c;
  for (std::size_t k = 0; k < f.months.size(); ++k) {
    c.labels.push_back(month_label(f.months[k]));
    c.value.push_back(100 * f.median[k]);
    c.lower.push_back(100 * f.p5[k]);
    c.upper.push_back(100 * f.p95[k]);
  }
  c.decimals = 1;
  c.reference = 92;
  c.reference_label = "92% standard";
  c.text.title = "Scenario: " + f.name;
  c.text.x_label = "Month end";
  c.text.y_label = "Within 18 weeks (%)";
  c.text.ci_label = "5th to 95th percentile of " + std::to_string(runs) + " runs";
  c.text.aria = "Simulated share within 18 weeks to March 2029 under the scenario " + f.name + ": median and 5-95% band";
  std::string caption = "Line: median of the runs; band: 5th to 95th percentile.";
  if (!f.median.empty())
    caption += " " + escape(long_month(f.months.back())) + ": median " + svg::number(100 * f.median.back(), 1) + "% (" +
               svg::number(100 * f.p5.back(), 1) + "% to " + svg::number(100 * f.p95.back(), 1) + "%).";
  return figure(trend_chart(c), caption);
}

}  // namespace

std::string render_elective_section(const ElectiveSection& s) {
  std::string h = "<section id=\"elective\"><h2>Elective care: the RTT waiting list</h2>";
  if (!s.has_list) return h + "<div class=\"card\"><p>" + escape(s.reason) + "</p></div></section>";
  const ElectiveMonth& last = s.months.back();
  h += "<div class=\"card\"><p>At " + escape(long_month(last.date)) + " the reported list held <b>" +
       escape(count_text(last.incomplete)) + "</b> incomplete pathways, ";
  const double share = last.share_within_18_weeks();
  h += missing(share) ? std::string("the share within 18 weeks withheld") : "<b>" + svg::number(100 * share, 1) + "%</b> within 18 weeks";
  h += " (standard 92% by March 2029), " + escape(count_text(last.over_52_weeks)) + " over 52 weeks and " +
       escape(count_text(last.over_65_weeks)) + " over 65 weeks.</p>";
  for (const auto& n : s.notes) h += "<p class=\"meta\">" + escape(n) + "</p>";
  h += "<p class=\"meta\">Counts of pathways are <code>severn elective snapshot</code>'s outputs under the report's disclosure policy "
       "(counts 1 to 7 withheld, others rounded, then audited so no withheld count can be narrowed): their own release, "
       "audited on its own. " + escape(s.snapshot_audit) + "</p>";
  h += "<div class=\"charts\">" + list_size_figure(s) + share_figure(s) + "</div>";
  h += "<h3>By deprivation</h3><div class=\"charts\">" + imd_figure(s) + "</div>";
  h += "<h3>Long waiters by specialty</h3><div class=\"charts\">" + long_waiters_figure(s, 52) + long_waiters_figure(s, 65) +
       "</div>";
  h += "<h3>Scenarios to March 2029</h3>";
  if (s.scenarios.empty()) {
    h += empty_figure(s.runs == 0 ? "The simulation was not run (--elective-runs 0)." : "The simulation was not run.");
  } else {
    h += "<p class=\"meta\">A stochastic simulation of the list (weekly, by weeks-waited bands, one model per specialty fitted "
         "to the year before " + escape(format_iso_date(s.census)) + "), " + std::to_string(s.runs) +
         " runs per scenario (<code>severn elective simulate</code> runs more; docs/elective/simulation.md). Model outputs, not "
         "counts of people. Source: data/elective/simulation.csv.</p><div class=\"charts\">";
    for (const auto& f : s.scenarios) h += fan_figure(f, s.runs);
    h += "</div>";
  }
  return h + "</div></section>";
}

}  // namespace severn::report
