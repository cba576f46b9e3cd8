#include "report/html.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <set>

#include "report/charts.h"
#include "report/svg.h"
#include "stats/stats.h"

namespace severn::report {

namespace {

using svg::escape;
using svg::missing;

// The whole population run's measure, as report.cpp defines it.
constexpr const char* kPopulationMeasure = "registered_population";

// ColorBrewer YlGnBu, 5 classes: sequential, colour-blind safe (Brewer, colorbrewer2.org).
constexpr std::array<const char*, 5> kIndicatorPalette = {"#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494"};


std::string count_text(const std::optional<std::int64_t>& c) {
  return c ? svg::number(static_cast<double>(*c), 0) : "withheld";
}

std::string pretty_name(const std::string& name) {
  std::string s = name;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string breakdown_label(const std::string& b) {
  if (b == "imd_quintile") return "IMD quintile";
  if (b == "imd_decile") return "IMD decile";
  if (b == "pcn") return "PCN";
  if (b == "place") return "Place";
  if (b == "age_band") return "age band";
  if (b == "ethnicity_group") return "ethnic group";
  return pretty_name(b);
}

struct StatisticKind {
  std::string kind;  // proportion, rate, dsr, isr, or ""
  double per = 1;
};
StatisticKind parse_statistic(const std::string& statistic) {
  StatisticKind k;
  const auto space = statistic.find(' ');
  k.kind = statistic.substr(0, space);
  const auto per = statistic.find(" per ");
  if (per != std::string::npos) k.per = std::atof(statistic.c_str() + per + 5);
  else k.per = (k.kind == "rate" || k.kind == "dsr") ? 100000 : 1;
  return k;
}

int measure_decimals(const Units& u, const MeasureOutputs& m) {
  if (u.decimals > 0) return u.decimals;
  double magnitude = 0;
  for (const auto& r : m.rows)
    if (r.breakdown == "all" && !missing(r.value)) magnitude = std::max(magnitude, std::abs(r.value));
  return svg::decimals_for(magnitude);
}

std::string anchor(const std::string& prefix, const std::string& name) {
  std::string s = prefix;
  for (char c : name) s += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '-';
  return s;
}

std::string pcn_label(const ReportModel& model, const std::string& code) {
  const auto it = model.pcns.find(code);
  if (code == "U") return "U (practices in no PCN)";
  return it == model.pcns.end() ? code : code + " " + it->second.name;
}

// The long date of an ISO date: "31 March 2025".
std::string long_date(const std::string& iso) {
  static const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                 "July",    "August",   "September", "October", "November", "December"};
  if (iso.size() != 10) return iso;
  const int y = std::atoi(iso.substr(0, 4).c_str()), m = std::atoi(iso.substr(5, 2).c_str()), d = std::atoi(iso.substr(8, 2).c_str());
  if (m < 1 || m > 12) return iso;
  return std::to_string(d) + ' ' + months[m - 1] + ' ' + std::to_string(y);
}

struct Latest {
  Interval interval;
  const MeasureRow* all = nullptr;
};
Latest latest_of(const MeasureOutputs& m) {
  Latest l;
  const auto intervals = m.intervals();
  if (intervals.empty()) return l;
  l.interval = intervals.back();
  l.all = m.row(l.interval, "all", "all");
  return l;
}

const InequalityRow* inequality_of(const MeasureOutputs& m, const Interval& interval, const std::string& index) {
  for (const auto& r : m.inequality)
    if (r.interval == interval && r.index == index) return &r;
  return nullptr;
}

std::string value_with_ci(double v, double lo, double hi, int d, const Units& u) {
  if (missing(v)) return "withheld";
  std::string s = svg::number(v, d) + u.suffix;
  if (!missing(lo) && !missing(hi)) s += " (" + svg::number(lo, d) + " to " + svg::number(hi, d) + ")";
  return s;
}

std::string sii_text(const InequalityRow* sii, int d, const Units& u) {
  if (sii == nullptr) return "";
  if (missing(sii->value)) return "withheld";
  return svg::number(sii->value, d) + " " + u.gap + " (" + svg::number(sii->lower, d) + " to " + svg::number(sii->upper, d) + ")";
}

// --- Page parts ------------------------------------------------------------------------------

const char* kStyle = R"CSS(
:root{--blue:#005EB8;--dark:#003087;--text:#212B32;--grey:#4C6272;--pale:#F0F4F5;--line:#D8DDE0;--warm:#FFEB3B}
*{box-sizing:border-box}
body{margin:0;font-family:Arial,"Helvetica Neue",Helvetica,sans-serif;color:var(--text);background:var(--pale);line-height:1.45;font-size:16px}
header.top{background:var(--blue);color:#fff;padding:18px 32px 14px}
header.top h1{margin:0;font-size:28px;letter-spacing:-.2px}
header.top p{margin:4px 0 0;font-size:15px;opacity:.95}
nav{background:var(--dark);padding:0 32px;position:sticky;top:0;z-index:2}
nav a{color:#fff;text-decoration:none;display:inline-block;padding:9px 12px 9px 0;margin-right:14px;font-size:14px;font-weight:bold}
nav a:hover,nav a:focus{text-decoration:underline}
main{max-width:1260px;margin:0 auto;padding:16px 24px 40px}
section{margin-top:20px}
h2{font-size:24px;margin:28px 0 8px;color:var(--text)}
h3{font-size:19px;margin:0 0 4px}
.notice{background:#fff;border-left:8px solid var(--warm);padding:10px 16px;margin:16px 0 0}
.card{background:#fff;border:1px solid var(--line);padding:16px 20px;margin:14px 0}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:10px 0}
.tile{background:#fff;border-top:4px solid var(--blue);padding:10px 14px}
.tile .v{font-size:28px;font-weight:bold}
.tile .l{font-size:14px;color:var(--grey)}
table{border-collapse:collapse;width:100%;font-size:14px;background:#fff}
caption{text-align:left;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#E8EDEE}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.cols2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.charts{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;margin-top:10px}
.maps{display:grid;grid-template-columns:1fr 1fr;gap:16px}
figure{margin:0;background:#fff}
figure svg{width:100%;height:auto;display:block}
figcaption{font-size:12.5px;color:var(--grey);padding:4px 2px 0}
.key{font-size:15px;margin:6px 0 0}
.key b{font-size:17px}
.desc{color:var(--grey);margin:2px 0 0;font-size:14.5px}
.meta{font-size:13px;color:var(--grey)}
.empty{border:1px dashed var(--line);padding:16px;font-size:13.5px;color:var(--grey);display:flex;align-items:center}
details{margin-top:6px;font-size:14px}
label{font-weight:bold;font-size:14px}
select{font-size:14px;padding:3px;margin-left:6px;max-width:100%}
.chart .ct{font-size:14px;font-weight:bold;fill:#212B32}
.chart .tk{font-size:11px;fill:#4C6272}
.chart .al{font-size:12px;fill:#212B32}
.chart .lg{font-size:11px;fill:#212B32}
.chart .lt{font-size:12px;font-weight:bold;fill:#212B32}
.chart .vl{font-size:10.5px;fill:#212B32}
.chart .pl{font-size:10.5px;fill:#212B32;font-weight:bold}
.chart .wh{font-size:11px;fill:#4C6272;font-style:italic}
a{color:var(--blue)}
@media (max-width:900px){.charts,.maps,.cols2{grid-template-columns:1fr}}
@media print{nav{position:static}.card{break-inside:avoid}}
)CSS";

std::string figure(const std::string& svg_text, const std::string& caption) {
  return "<figure>" + svg_text + "<figcaption>" + caption + "</figcaption></figure>";
}

std::string empty_figure(const std::string& text) { return "<div class=\"empty\">" + escape(text) + "</div>"; }

// --- The overview ------------------------------------------------------------------------------

std::string overview(const ReportModel& model) {
  std::string s = "<section id=\"overview\"><h2>ICS overview</h2>";
  if (model.population) {
    const DefinitionOutputs& p = *model.population;
    const MeasureOutputs* pm = nullptr;
    for (const auto& m : p.measures)
      if (m.name == kPopulationMeasure) pm = &m;
    if (pm != nullptr) {
      const Latest l = latest_of(*pm);
      const auto total = l.all ? l.all->numerator : std::nullopt;
      const auto places = pm->rows_of(l.interval, "place");
      const auto pcns = pm->rows_of(l.interval, "pcn");
      const auto quintiles = pm->rows_of(l.interval, "imd_quintile");
      std::optional<std::int64_t> core20;
      for (const auto* r : quintiles)
        if (r->group == "1") core20 = r->numerator;
      std::size_t real_pcns = 0;
      for (const auto* r : pcns) real_pcns += r->group != "U";
      s += "<div class=\"tiles\">";
      s += "<div class=\"tile\"><div class=\"v\">" + count_text(total) + "</div><div class=\"l\">people registered with an STW practice on " +
           escape(long_date(l.interval.end)) + "</div></div>";
      s += "<div class=\"tile\"><div class=\"v\">" + std::to_string(places.size()) + "</div><div class=\"l\">Places</div></div>";
      s += "<div class=\"tile\"><div class=\"v\">" + std::to_string(real_pcns) +
           "</div><div class=\"l\">Primary Care Networks" + (real_pcns < pcns.size() ? " (and practices in no PCN)" : "") + "</div></div>";
      std::string share = "withheld";
      if (core20 && total && *total > 0) share = svg::number(100.0 * static_cast<double>(*core20) / static_cast<double>(*total), 1) + "%";
      s += "<div class=\"tile\"><div class=\"v\">" + share +
           "</div><div class=\"l\">live in the most deprived fifth of England (Core20: IMD 2025 quintile 1)</div></div>";
      s += "</div>";
      s += "<div class=\"cols2\"><div><table><caption class=\"meta\">Registered population by Place and by IMD quintile, " +
           escape(interval_label(l.interval)) + "</caption><tr><th>Place</th><th class=\"n\">People</th></tr>";
      for (const auto* r : places) s += "<tr><td>" + escape(r->group) + "</td><td class=\"n\">" + count_text(r->numerator) + "</td></tr>";
      s += "<tr><th>IMD 2025 quintile</th><th class=\"n\">People</th></tr>";
      for (const auto* r : quintiles)
        s += "<tr><td>" + escape(r->group) + (r->group == "1" ? " (most deprived; Core20)" : r->group == "5" ? " (least deprived)" : "") +
             "</td><td class=\"n\">" + count_text(r->numerator) + "</td></tr>";
      s += "</table></div><div><table><caption class=\"meta\">Registered population by Primary Care Network</caption>"
           "<tr><th>PCN</th><th>Place</th><th class=\"n\">People</th></tr>";
      for (const auto* r : pcns) {
        const auto it = model.pcns.find(r->group);
        s += "<tr><td>" + escape(pcn_label(model, r->group)) + "</td><td>" + escape(it == model.pcns.end() ? "" : it->second.place) +
             "</td><td class=\"n\">" + count_text(r->numerator) + "</td></tr>";
      }
      s += "</table></div></div>";
    }
  }
  // Headline indicators: every measure's latest period for the whole ICS.
  s += "<h2 id=\"headlines\">Headline indicators</h2><p class=\"meta\">Each indicator's latest period for the whole ICS, with its "
       "confidence interval, the published (rounded) counts, and the slope index of inequality across IMD deciles where the "
       "definition asks for it (least minus most deprived). Select a name to go to its charts.</p>";
  s += "<table><tr><th>Indicator</th><th>Period</th><th class=\"n\">Value (CI)</th><th class=\"n\">Numerator</th><th class=\"n\">Denominator"
       "</th><th>Slope index of inequality (CI)</th></tr>";
  for (const auto& d : model.definitions) {
    s += "<tr><th colspan=\"6\">" + escape(d.title.empty() ? d.name : d.title) + "</th></tr>";
    for (const auto& m : d.measures) {
      const Units u = units_of(m.statistic);
      const int dec = measure_decimals(u, m);
      const Latest l = latest_of(m);
      s += "<tr><td><a href=\"#" + anchor("m-", d.name + "-" + m.name) + "\">" + escape(m.name) + "</a></td><td>" +
           escape(interval_label(l.interval)) + "</td><td class=\"n\">";
      if (l.all) {
        s += escape(value_with_ci(l.all->value, l.all->lower, l.all->upper, dec, u)) + "</td><td class=\"n\">" +
             count_text(l.all->numerator) + "</td><td class=\"n\">" + count_text(l.all->denominator);
      } else {
        s += "</td><td></td><td class=\"n\">";
      }
      s += "</td><td>" + escape(sii_text(inequality_of(m, l.interval, "sii"), dec, u)) + "</td></tr>";
    }
  }
  s += "</table></section>";
  return s;
}

// --- The maps ----------------------------------------------------------------------------------

// Each measure's latest value in each IMD decile (NaN where withheld or absent): from the decile
// breakdown, else from the quintile breakdown (deciles 2q-1 and 2q take quintile q's value).
struct DecileValues {
  std::string key, label, unit_suffix, source_breakdown, period;
  int decimals = 1;
  std::array<double, 10> value{};
};

std::vector<DecileValues> decile_values(const ReportModel& model) {
  std::vector<DecileValues> out;
  for (const auto& d : model.definitions)
    for (const auto& m : d.measures) {
      const bool deciles = m.has_breakdown("imd_decile");
      if (!deciles && !m.has_breakdown("imd_quintile")) continue;
      const Units u = units_of(m.statistic);
      DecileValues v;
      v.key = d.name + "/" + m.name;
      v.label = m.name + " (" + (d.title.empty() ? d.name : d.title) + ")";
      v.unit_suffix = u.suffix;
      v.decimals = measure_decimals(u, m);
      v.source_breakdown = deciles ? "imd_decile" : "imd_quintile";
      const Latest l = latest_of(m);
      v.period = interval_label(l.interval);
      v.value.fill(NAN);
      for (const auto* r : m.rows_of(l.interval, v.source_breakdown)) {
        const int g = std::atoi(r->group.c_str());
        if (deciles && g >= 1 && g <= 10) v.value[g - 1] = r->value;
        if (!deciles && g >= 1 && g <= 5) v.value[2 * g - 2] = v.value[2 * g - 1] = r->value;
      }
      out.push_back(std::move(v));
    }
  return out;
}

struct Classes {
  std::array<std::string, 10> fill;  // per decile; "" = no value
  std::vector<LegendEntry> legend;
};
Classes indicator_classes(const DecileValues& v) {
  Classes c;
  double lo = INFINITY, hi = -INFINITY;
  for (double x : v.value)
    if (!missing(x)) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
  const int k = static_cast<int>(kIndicatorPalette.size());
  for (int d = 0; d < 10; ++d) {
    const int cls = svg::equal_interval_class(v.value[d], lo, hi, k);
    c.fill[d] = cls < 0 ? "" : kIndicatorPalette[cls];
  }
  if (lo <= hi) {
    for (int i = 0; i < k; ++i) {
      const double a = hi > lo ? lo + (hi - lo) * i / k : lo, b = hi > lo ? lo + (hi - lo) * (i + 1) / k : hi;
      c.legend.push_back({kIndicatorPalette[i], svg::number(a, v.decimals) + " to " + svg::number(b, v.decimals) + v.unit_suffix});
    }
  }
  c.legend.push_back({"", "withheld or no value"});
  return c;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '<') {
      out += "\\u003c";
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

std::string maps(const ReportModel& model, const LsoaMap& map) {
  std::string s = "<section id=\"map\"><h2>Deprivation and indicators across STW's neighbourhoods</h2>";
  if (map.areas.empty()) return s + "<p>No LSOA boundaries were available.</p></section>";
  const ProjectedMap projected = project(map.areas, 420, 470);
  // Deprivation: IMD 2025 decile of each LSOA, viridis with decile 1 (most deprived) darkest.
  Choropleth dep;
  dep.id = "map-imd";
  dep.text.title = "Deprivation: IMD 2025 decile of each LSOA";
  dep.text.aria = "Map of the " + std::to_string(map.areas.size()) + " LSOAs of Shropshire, Telford and Wrekin coloured by IMD 2025 decile";
  dep.legend_title = "IMD 2025 national decile";
  for (int d = 1; d <= 10; ++d)
    dep.legend.push_back({std::string(svg::colour::kViridis10[d - 1]),
                          std::to_string(d) + (d == 1 ? " most deprived" : d == 10 ? " least deprived" : "")});
  std::array<int, 10> per_decile{};
  for (std::size_t i = 0; i < map.areas.size(); ++i) {
    const int d = map.imd_decile[i];
    dep.fill.push_back(d >= 1 && d <= 10 ? std::string(svg::colour::kViridis10[d - 1]) : "");
    dep.tooltip.push_back(map.areas[i].code + " " + map.areas[i].name + ": IMD decile " + (d >= 1 ? std::to_string(d) : "unknown"));
    dep.data_key.push_back(d >= 1 ? std::to_string(d) : "");
    if (d >= 1 && d <= 10) ++per_decile[d - 1];
  }
  const auto values = decile_values(model);
  Choropleth ind;
  ind.id = "map-indicator";
  ind.text.title = values.empty() ? "Indicator by deprivation decile" : "Indicator by the LSOA's deprivation decile";
  ind.text.aria = "Map of STW LSOAs coloured by the chosen indicator's value in each LSOA's IMD decile";
  if (!values.empty()) {
    const Classes c = indicator_classes(values.front());
    ind.legend = c.legend;
    ind.legend_title = values.front().label;
    for (std::size_t i = 0; i < map.areas.size(); ++i) {
      const int d = map.imd_decile[i];
      ind.fill.push_back(d >= 1 && d <= 10 ? c.fill[d - 1] : "");
      ind.data_key.push_back(d >= 1 ? std::to_string(d) : "");
      ind.tooltip.push_back(map.areas[i].code + " " + map.areas[i].name + ": IMD decile " + (d >= 1 ? std::to_string(d) : "unknown"));
    }
  }
  s += "<div class=\"card\"><p>STW's " + std::to_string(map.areas.size()) +
       " Lower-layer Super Output Areas (LSOA 2021; about 1,500 residents each). The left map shows each area's national "
       "deprivation decile (IoD 2025). The right map shows the indicator you choose, <b>not measured in each LSOA</b>: the "
       "indicators are published by IMD decile, not by LSOA (an LSOA breakdown would be too small to pass disclosure control), "
       "so each LSOA takes the value of its IMD decile across the whole ICS. It shows where in STW the deprivation gradient of "
       "an indicator falls; it says nothing about differences between areas of the same decile.</p>";
  if (!values.empty()) {
    s += "<label for=\"indicator-choice\">Indicator</label><select id=\"indicator-choice\">";
    for (std::size_t i = 0; i < values.size(); ++i)
      s += "<option value=\"" + std::to_string(i) + "\">" + escape(values[i].label + ", " + values[i].period) + "</option>";
    s += "</select>";
  }
  s += "<div class=\"maps\">";
  std::string dep_caption = "Source: MHCLG English Indices of Deprivation 2025 (LSOA 2021); ONS LSOA (Dec 2021) boundaries, "
                            "generalised clipped. Areas by decile:";
  for (int d = 0; d < 10; ++d) dep_caption += (d ? ", " : " ") + std::to_string(d + 1) + ": " + std::to_string(per_decile[d]);
  dep_caption += ". Colours: viridis (colour-blind safe; darkest = most deprived).";
  s += figure(choropleth(map.areas, projected, dep), escape(dep_caption));
  if (values.empty()) {
    s += empty_figure("No indicator is broken down by IMD decile or quintile.");
  } else {
    s += figure(choropleth(map.areas, projected, ind),
                "<span id=\"indicator-note\">" + escape("Values: " + values.front().label + ", " + values.front().period + ", by IMD " +
                                                         (values.front().source_breakdown == "imd_decile" ? "decile" : "quintile") +
                                                         " (from measures.csv).") +
                    "</span> Five equal intervals of the deciles' range; ColorBrewer YlGnBu (colour-blind safe). Hatched: withheld by "
                    "disclosure control or no value.");
  }
  s += "</div></div></section>";
  // The data the page's script recolours the indicator map with.
  s += "<script type=\"application/json\" id=\"indicator-data\">[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& v = values[i];
    s += std::string(i ? "," : "") + "{\"label\":" + json_string(v.label) + ",\"period\":" + json_string(v.period) +
         ",\"by\":" + json_string(v.source_breakdown == "imd_decile" ? "decile" : "quintile") +
         ",\"suffix\":" + json_string(v.unit_suffix) + ",\"decimals\":" + std::to_string(v.decimals) + ",\"values\":[";
    for (int d = 0; d < 10; ++d) {
      char buf[64];
      if (missing(v.value[d])) std::snprintf(buf, sizeof buf, "null");
      else std::snprintf(buf, sizeof buf, "%.6g", v.value[d]);
      s += std::string(d ? "," : "") + buf;
    }
    s += "]}";
  }
  s += "]</script>";
  return s;
}

// --- One indicator -----------------------------------------------------------------------------

std::string trend_figure(const MeasureOutputs& m, const Units& u, int dec) {
  TrendChart c;
  const auto intervals = m.intervals();
  for (const auto& i : intervals) {
    const MeasureRow* r = m.row(i, "all", "all");
    c.labels.push_back(interval_short_label(i));
    c.value.push_back(r ? r->value : NAN);
    c.lower.push_back(r ? r->lower : NAN);
    c.upper.push_back(r ? r->upper : NAN);
  }
  c.decimals = dec;
  c.text.title = intervals.size() > 1 ? "Trend, " + interval_label(intervals.front()) + " to " + interval_label(intervals.back())
                                      : "Value, " + (intervals.empty() ? std::string("no period") : interval_label(intervals.front()));
  c.text.x_label = intervals.size() > 1 && interval_label(intervals.front()).size() == 8 ? "Month" : "Period";
  c.text.y_label = u.axis;
  c.text.ci_label = m.confidence + " confidence interval";
  c.text.aria = m.name + ": value for the whole ICS in each period, with its confidence interval";
  std::size_t withheld = 0;
  for (double v : c.value) withheld += missing(v);
  std::string caption = "Whole ICS, each period ending on its last day. Band: " + m.confidence + " confidence interval (" +
                        escape(m.statistic) + "). The y axis does not start at zero.";
  if (withheld) caption += " " + std::to_string(withheld) + " period(s) withheld (dotted lines: gaps, not zeros).";
  caption += " Source: data/…/measures.csv, breakdown all.";
  return figure(trend_chart(c), caption);
}

std::string imd_figure(const MeasureOutputs& m, const Units& u, int dec, const Interval& latest) {
  const bool quintiles = m.has_breakdown("imd_quintile");
  const std::string breakdown = quintiles ? "imd_quintile" : m.has_breakdown("imd_decile") ? "imd_decile" : "";
  if (breakdown.empty()) return empty_figure("Not broken down by deprivation: the measure has no imd_quintile or imd_decile breakdown.");
  BarChart c;
  std::size_t withheld = 0;
  for (const auto* r : m.rows_of(latest, breakdown)) {
    if (r->group == "unknown") continue;
    c.labels.push_back((quintiles ? "Q" : "D") + r->group);
    c.value.push_back(r->value);
    c.lower.push_back(r->lower);
    c.upper.push_back(r->upper);
    withheld += missing(r->value);
  }
  c.decimals = dec;
  const MeasureRow* all = m.row(latest, "all", "all");
  if (all && !missing(all->value)) {
    c.overall = all->value;
    c.overall_label = "ICS " + svg::number(all->value, dec) + u.suffix;
  }
  c.text.title = "By deprivation, " + interval_label(latest);
  c.text.x_label = quintiles ? "IMD 2025 quintile (Q1 most deprived = Core20)" : "IMD 2025 decile (D1 most deprived)";
  c.text.y_label = u.axis;
  c.text.ci_label = m.confidence + " CI";
  c.text.aria = m.name + " by IMD " + (quintiles ? "quintile" : "decile") + " with confidence intervals";
  const InequalityRow* sii = inequality_of(m, latest, "sii");
  const InequalityRow* rii = inequality_of(m, latest, "rii");
  std::string caption = "Bars start at zero; whiskers: " + m.confidence + " confidence intervals.";
  if (sii) {
    caption += " Slope index of inequality across deciles: <b>" + escape(sii_text(sii, dec, u)) + "</b>";
    if (rii && !missing(rii->value))
      caption += "; relative index " + svg::number(rii->value, 2) + " (" + svg::number(rii->lower, 2) + " to " + svg::number(rii->upper, 2) + ")";
    caption += ". A positive slope index means the value rises from the most to the least deprived (inequality.csv).";
  } else {
    caption += " The definition asks for no slope index of inequality.";
  }
  if (withheld) caption += " " + std::to_string(withheld) + " group(s) withheld by disclosure control (no bar, not zero).";
  return figure(bar_chart(c), caption);
}

std::string funnel_figure(const ReportModel& model, const MeasureOutputs& m, const Units& u, int dec, const Interval& latest,
                          const std::string& id) {
  std::vector<const FunnelRow*> rows;
  for (const auto& f : m.funnels)
    if (f.interval == latest && f.breakdown == "pcn") rows.push_back(&f);
  const StatisticKind k = parse_statistic(m.statistic);
  if (!m.has_breakdown("pcn")) return empty_figure("Not broken down by PCN: no funnel plot.");
  if (rows.empty() || (k.kind != "proportion" && k.kind != "rate"))
    return empty_figure("No funnel plot: funnel limits are drawn for proportions and crude rates only (" + m.statistic +
                        "); see the PCN rows of measures.csv.");
  FunnelChart c;
  c.id = id;
  std::vector<std::string> withheld, above, below;
  std::size_t outside95 = 0;  // outside the 95% limits but within 99.8%
  for (const auto* r : rows) {
    if (!r->denominator || missing(r->value) || missing(r->lower95)) {
      withheld.push_back(r->group);
      continue;
    }
    FunnelPoint p;
    p.label = r->group;
    p.denominator = static_cast<double>(*r->denominator);
    p.value = r->value;
    p.significance = stats::funnel_significance(r->value, {r->lower95, r->upper95}, {r->lower998, r->upper998});
    if (p.significance == 2) above.push_back(pcn_label(model, r->group));
    if (p.significance == -2) below.push_back(pcn_label(model, r->group));
    outside95 += std::abs(p.significance) == 1;
    c.points.push_back(p);
  }
  if (c.points.empty()) return empty_figure("No funnel plot: every PCN's value or limits are withheld by disclosure control.");
  c.target = NAN;
  for (const auto* r : rows)
    if (!missing(r->target)) {
      c.target = r->target;
      break;
    }
  double lo = INFINITY, hi = 0;
  for (const auto& p : c.points) {
    lo = std::min(lo, p.denominator);
    hi = std::max(hi, p.denominator);
  }
  c.curve_n = stats::funnel_curve_denominators(std::max(1.0, lo), std::max(hi, 1.0), 100);
  for (double n : c.curve_n) {
    const stats::Limits l95 = k.kind == "proportion" ? stats::funnel_proportion_limits(c.target / k.per, n, 0.95)
                                                     : stats::funnel_rate_limits(c.target, n, 0.95, k.per);
    const stats::Limits l998 = k.kind == "proportion" ? stats::funnel_proportion_limits(c.target / k.per, n, 0.998)
                                                      : stats::funnel_rate_limits(c.target, n, 0.998, k.per);
    const double scale = k.kind == "proportion" ? k.per : 1;
    c.lower95.push_back(l95.lower * scale);
    c.upper95.push_back(l95.upper * scale);
    c.lower998.push_back(l998.lower * scale);
    c.upper998.push_back(l998.upper * scale);
  }
  c.decimals = dec;
  c.text.title = "PCNs against the ICS, " + interval_label(latest);
  c.text.x_label = "Denominator (persons, rounded to 5)";
  c.text.y_label = u.axis;
  c.text.aria = "Funnel plot of " + m.name + " for each Primary Care Network against its denominator";
  std::string caption = "Each PCN's value against its size; lines: the ICS value and the 95% and 99.8% control limits (" +
                        std::string(k.kind == "proportion" ? "Wilson score" : "exact Poisson") +
                        ", funnels.csv). PCNs outside 99.8% are labelled.";
  const auto list = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : "; ") + x;
    return s;
  };
  if (!above.empty()) caption += " Above 99.8%: " + escape(list(above)) + ".";
  if (!below.empty()) caption += " Below 99.8%: " + escape(list(below)) + ".";
  if (outside95) caption += " Outside 95% only: " + std::to_string(outside95) + ".";
  if (!withheld.empty()) caption += " Withheld by disclosure control (not drawn): " + escape(list(withheld)) + ".";
  return figure(funnel_chart(c), caption);
}

std::string indicator(const ReportModel& model, const DefinitionOutputs& d, const MeasureOutputs& m) {
  const Units u = units_of(m.statistic);
  const int dec = measure_decimals(u, m);
  const Latest l = latest_of(m);
  const std::string id = anchor("m-", d.name + "-" + m.name);
  std::string s = "<article class=\"card\" id=\"" + id + "\"><h3>" + escape(m.name) + "</h3>";
  if (!m.description.empty()) s += "<p class=\"desc\">" + escape(m.description) + "</p>";
  s += "<p class=\"key\">" + escape(interval_label(l.interval)) + ": ";
  if (l.all) {
    s += "<b>" + escape(value_with_ci(l.all->value, l.all->lower, l.all->upper, dec, u)) + "</b>; " + count_text(l.all->numerator) +
         " of " + count_text(l.all->denominator);
  } else {
    s += "no value";
  }
  const InequalityRow* sii = inequality_of(m, l.interval, "sii");
  if (sii) s += "; slope index of inequality " + escape(sii_text(sii, dec, u));
  std::set<std::string> breakdowns;
  for (const auto& r : m.rows)
    if (r.breakdown != "all") breakdowns.insert(breakdown_label(r.breakdown));
  s += ".</p><p class=\"meta\">" + escape(m.statistic) + ", " + escape(m.confidence) + " confidence; also published by ";
  std::string b;
  for (const auto& x : breakdowns) b += (b.empty() ? "" : ", ") + x;
  s += escape(b.empty() ? "no breakdown" : b) + " in <a href=\"data/" + escape(d.name) + "/measures.csv\">data/" + escape(d.name) +
       "/measures.csv</a>.</p>";
  s += "<div class=\"charts\">" + trend_figure(m, u, dec) + imd_figure(m, u, dec, l.interval) +
       funnel_figure(model, m, u, dec, l.interval, id + "-funnel") + "</div></article>";
  return s;
}

std::string definition_section(const ReportModel& model, const DefinitionOutputs& d) {
  std::string s = "<section id=\"" + anchor("d-", d.name) + "\"><h2>" + escape(d.title.empty() ? d.name : d.title) + "</h2>";
  s += "<p class=\"meta\">Definition <code>" + escape(d.name) + "</code>";
  if (!d.source.empty()) s += " · Source: " + escape(d.source);
  if (!d.version.empty()) s += " · Version: " + escape(d.version);
  s += " · " + svg::number(static_cast<double>(d.run.in_population), 0) + " people in the definition's population on " + escape(long_date(d.run.index_date)) + ".</p>";
  if (!d.header.empty()) s += "<details><summary>Rules and deviations</summary><p>" + escape(d.header) + "</p></details>";
  for (const auto& m : d.measures) s += indicator(model, d, m);
  return s + "</section>";
}

// Linkage sensitivity: each headline (latest period, whole ICS) from every linked record and from
// the records linked with probability at least P, and how far apart they are. Differences come
// from the published figures, and are withheld where either figure is (docs/linkage-uncertainty.md).
std::string link_sensitivity_section(const ReportModel& model) {
  char p[32];
  std::snprintf(p, sizeof p, "%g", *model.min_link_probability);
  const std::string at_least = std::string("links &ge; ") + p;
  std::string rows;
  std::size_t headlines = 0, changed = 0, withheld = 0;
  double largest = 0;
  std::string largest_name;
  for (std::size_t i = 0; i < model.definitions.size() && i < model.strong_definitions.size(); ++i) {
    const DefinitionOutputs& d = model.definitions[i];
    const DefinitionOutputs& sd = model.strong_definitions[i];
    rows += "<tr><th colspan=\"8\">" + escape(d.title.empty() ? d.name : d.title) + "</th></tr>";
    for (const auto& m : d.measures) {
      const MeasureOutputs* sm = nullptr;
      for (const auto& x : sd.measures)
        if (x.name == m.name) sm = &x;
      const Units u = units_of(m.statistic);
      const int dec = measure_decimals(u, m);
      const Latest l = latest_of(m);
      const MeasureRow* strong = sm == nullptr ? nullptr : sm->row(l.interval, "all", "all");
      const MeasureRow* all = l.all;
      ++headlines;
      const auto value = [&](const MeasureRow* r) { return r == nullptr || missing(r->value) ? std::string("withheld") : svg::number(r->value, dec) + u.suffix; };
      std::string value_gap = "withheld", count_gap = "withheld";
      if (all != nullptr && strong != nullptr && !missing(all->value) && !missing(strong->value)) {
        const double gap = all->value - strong->value;
        value_gap = svg::number(gap, dec) + (u.gap.empty() ? "" : " " + u.gap);
        if (svg::number(gap, dec) != svg::number(0, dec)) ++changed;
        if (std::abs(gap) > largest) {
          largest = std::abs(gap);
          largest_name = m.name + " (" + svg::number(gap, dec) + (u.gap.empty() ? "" : " " + u.gap) + ")";
        }
      } else {
        ++withheld;
      }
      if (all != nullptr && strong != nullptr && all->numerator && strong->numerator)
        count_gap = svg::number(static_cast<double>(*all->numerator - *strong->numerator), 0);
      rows += "<tr><td><a href=\"#" + anchor("m-", d.name + "-" + m.name) + "\">" + escape(m.name) + "</a></td><td>" +
              escape(interval_label(l.interval)) + "</td><td class=\"n\">" + escape(value(all)) + "</td><td class=\"n\">" +
              escape(value(strong)) + "</td><td class=\"n\">" + escape(value_gap) + "</td><td class=\"n\">" +
              count_text(all ? all->numerator : std::nullopt) + "</td><td class=\"n\">" +
              count_text(strong ? strong->numerator : std::nullopt) + "</td><td class=\"n\">" + escape(count_gap) + "</td></tr>";
    }
  }
  std::string s = "<section id=\"linkage\"><h2>How much the headlines depend on probabilistic links</h2><div class=\"card\">";
  s += "<p>Each indicator's latest period for the whole ICS, from every linked record and again from only the records linked "
       "to their person with a probability of at least " + std::string(p) + " (records linked by NHS number or by a "
       "reviewer count as certain). " + escape(model.link_filter_text) + " " + std::to_string(changed) + " of " +
       std::to_string(headlines) + " headline values change" +
       (largest_name.empty() ? std::string(".") : "; the largest change is " + escape(largest_name) + ".") +
       (withheld ? " " + std::to_string(withheld) + " cannot be compared because a figure is withheld." : std::string()) + "</p>";
  s += "<p class=\"meta\">Differences are all links minus " + at_least + ", computed from the published (rounded) figures. "
       "Disclosure control covers both sets of figures, and withholds a second figure whenever the pair would reveal that a "
       "small number of people depend on probabilistic links. Every row, by group and period: "
       "data/NAME/linkage_sensitivity.csv.</p>";
  s += "<table><tr><th>Indicator</th><th>Period</th><th class=\"n\">Value, all links</th><th class=\"n\">Value, " + at_least +
       "</th><th class=\"n\">Difference</th><th class=\"n\">Numerator, all links</th><th class=\"n\">Numerator, " + at_least +
       "</th><th class=\"n\">Difference</th></tr>" + rows + "</table></div></section>";
  return s;
}

std::string methods(const ReportModel& model) {
  std::string s = "<section id=\"methods\"><h2>Methods and disclosure control</h2><div class=\"card\">";
  s += "<p>Every figure comes from the definitions named in each section, evaluated by Severn over the store on the index date "
       "(<code>severn run</code>); the CSV files beside this page, under <code>data/</code>, hold every published number, including "
       "the breakdowns by Place, PCN, ethnic group, age band and sex that the charts do not show.</p><ul>"
       "<li><b>Proportions</b> (per cent when <code>per 100</code>): Wilson score confidence intervals.</li>"
       "<li><b>Crude rates</b>: Byar's method, exact Poisson limits below 10 events.</li>"
       "<li><b>Directly standardised rates</b>: European Standard Population 2013, Dobson limits.</li>"
       "<li><b>Indirectly standardised ratios</b>: observed over expected from reference rates by age and sex; exact or Byar's limits.</li>"
       "<li><b>Slope index of inequality</b> (SII): a population-weighted regression of the decile values on their relative rank of "
       "deprivation (0 = most deprived, 1 = least); the SII is the fitted difference between the two ends, in the indicator's units, "
       "with limits from 100,000 simulations. The relative index (RII) is their ratio.</li>"
       "<li><b>Funnel plots</b>: each PCN against the whole ICS at its own denominator; a PCN outside the 99.8% limits is very unlikely "
       "to differ by chance alone (about 1 in 500), outside 95% about 1 in 20.</li></ul>"
       "<p>Methods follow OHID's (PHEindicatormethods); Severn's <code>docs/methods.md</code> gives formulas and tests.</p>";
  s += "<p><b>Disclosure control</b> is applied to every published count and value: ";
  std::string policy;
  for (const auto& d : model.definitions)
    if (!d.run.policy.empty()) policy = d.run.policy;
  s += escape(policy.empty() ? "as recorded in each run.json" : policy) +
       ". Everything the report publishes was decided as one release and audited by linear programming, so that no withheld count "
       "can be narrowed down by combining published figures. Withheld figures are shown as gaps or the word \"withheld\" "
       "(<code>[c]</code> in the CSV files), never as zero, and never with a reason. Funnel points sit at the published denominators.</p>";
  s += "<table><tr><th>Definition</th><th class=\"n\">Measures</th><th class=\"n\">Numerators withheld</th><th "
       "class=\"n\">Denominators withheld</th><th class=\"n\">Rows without a value</th><th class=\"n\">Inequality rows withheld</th><th>Files</th></tr>";
  for (const auto& d : model.definitions) {
    const RunInfo& r = d.run;
    s += "<tr><td>" + escape(d.name) + (r.disclosure_applied ? "" : " <b>(disclosure control OFF)</b>") + "</td><td class=\"n\">" +
         std::to_string(d.measures.size()) + "</td><td class=\"n\">" + std::to_string(r.numerator_small + r.numerator_derivable) +
         "</td><td class=\"n\">" + std::to_string(r.denominator_small + r.denominator_derivable) + "</td><td class=\"n\">" +
         std::to_string(r.values_withheld) + "</td><td class=\"n\">" +
         std::to_string(r.inequality_rows_withheld) + "</td><td><a href=\"data/" + escape(d.name) + "/\">data/" + escape(d.name) +
         "/</a></td></tr>";
  }
  s += "</table></div></section>";
  return s;
}

// Recolours the indicator map from the JSON block when another indicator is chosen; marks the
// page ready (the browser test reads the mark).
const char* kScript = R"JS(
(function () {
  var palette = ["#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494"];
  var dataNode = document.getElementById("indicator-data");
  var data = dataNode ? JSON.parse(dataNode.textContent) : [];
  var select = document.getElementById("indicator-choice");
  var map = document.getElementById("map-indicator");
  function fmt(v, d) { return v.toLocaleString("en-GB", {minimumFractionDigits: d, maximumFractionDigits: d}); }
  function show(i) {
    var m = data[i];
    if (!m || !map) return;
    var present = m.values.filter(function (v) { return v !== null; });
    var lo = Math.min.apply(null, present), hi = Math.max.apply(null, present), k = palette.length;
    function cls(v) {
      if (v === null) return -1;
      if (hi <= lo) return Math.floor(k / 2);
      return Math.max(0, Math.min(k - 1, Math.floor((v - lo) / (hi - lo) * k)));
    }
    map.querySelectorAll("path[data-k]").forEach(function (p) {
      var c = cls(m.values[Number(p.getAttribute("data-k")) - 1]);
      p.setAttribute("fill", c < 0 ? "url(#map-indicator-nodata)" : palette[c]);
    });
    for (var j = 0; j < k; ++j) {
      var t = map.querySelector("[data-legend-text='" + j + "']");
      if (!t) continue;
      var a = hi > lo ? lo + (hi - lo) * j / k : lo, b = hi > lo ? lo + (hi - lo) * (j + 1) / k : hi;
      t.textContent = present.length ? fmt(a, m.decimals) + " to " + fmt(b, m.decimals) + m.suffix : "no value";
    }
    var title = map.querySelector(".legend .lt");
    if (title) {
      var lines = map.querySelectorAll(".legend .lt");
      lines.forEach(function (l, n) { if (n > 0) l.textContent = ""; });
      title.textContent = m.label.length > 60 ? m.label.slice(0, 57) + "..." : m.label;
    }
    var note = document.getElementById("indicator-note");
    if (note) note.textContent = "Values: " + m.label + ", " + m.period + ", by IMD " + m.by + " (from measures.csv).";
  }
  if (select) select.addEventListener("change", function () { show(Number(select.value)); });
  document.body.setAttribute("data-ready", "1");
})();
)JS";

}  // namespace

Units units_of(const std::string& statistic) {
  const StatisticKind k = parse_statistic(statistic);
  Units u;
  const std::string per = svg::number(k.per, 0);
  if (k.kind == "proportion") {
    if (k.per == 100) return {"Per cent (%)", "%", "percentage points", 1};
    if (k.per == 1) return {"Proportion (0 to 1)", "", "", 3};
    return {"Per " + per + " persons", " per " + per, "per " + per, 0};
  }
  if (k.kind == "rate") return {"Rate per " + per + " persons", " per " + per, "per " + per, 0};
  if (k.kind == "dsr") return {"Age-standardised rate per " + per, " per " + per, "per " + per, 0};
  if (k.kind == "isr") {
    if (k.per == 100) return {"Observed as % of expected", "%", "percentage points", 1};
    if (k.per == 1) return {"Ratio observed / expected", "", "", 3};
    return {"Ratio per " + per + " expected", "", "", 0};
  }
  return {"Value", "", "", 0};
}

std::string render_report(const ReportModel& model, const LsoaMap& map) {
  std::size_t measures = 0;
  for (const auto& d : model.definitions) measures += d.measures.size();
  std::string s = "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                  "<title>STW ICS population health report, " + escape(long_date(model.index_date)) + "</title><style>" + kStyle +
                  "</style></head><body>\n";
  s += "<header class=\"top\"><h1>Shropshire, Telford and Wrekin ICS: population health indicators</h1><p>Data to " +
       escape(long_date(model.index_date)) + " · " + std::to_string(model.definitions.size()) + " definitions, " +
       std::to_string(measures) + " indicators · by Place, PCN, deprivation, ethnic group, age and sex · built by Severn</p></header>\n";
  s += "<nav aria-label=\"Sections\"><a href=\"#overview\">Overview</a><a href=\"#headlines\">Headlines</a>";
  if (model.min_link_probability) s += "<a href=\"#linkage\">Linkage</a>";
  s += "<a href=\"#map\">Map</a><a href=\"#elective\">Elective</a>";
  for (const auto& d : model.definitions) s += "<a href=\"#" + anchor("d-", d.name) + "\">" + escape(d.name) + "</a>";
  s += "<a href=\"#methods\">Methods</a></nav>\n<main>";
  if (!model.note.empty()) s += "<div class=\"notice\" role=\"note\">" + escape(model.note) + "</div>";
  s += overview(model) + "\n";
  if (model.min_link_probability) s += link_sensitivity_section(model) + "\n";
  s += maps(model, map) + "\n";
  s += render_elective_section(model.elective) + "\n";
  for (const auto& d : model.definitions) s += definition_section(model, d) + "\n";
  s += methods(model);
  s += "</main><script>" + std::string(kScript) + "</script></body></html>\n";
  return s;
}

}  // namespace severn::report
