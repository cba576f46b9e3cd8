#include "measures/linkage_sensitivity.h"

#include <cstdio>
#include <map>
#include <stdexcept>
#include <tuple>

#include "core/csv_writer.h"
#include "measures/csv_writers.h"
#include "disclosure/suppression.h"

namespace severn::measures {
namespace {

using Key = std::tuple<Days, Days, std::string, std::string>;

// A group nobody is in: 0 persons, published as 0 (an absent group is 0 in the release too).
const MeasureRow& nobody() {
  static const MeasureRow row;
  return row;
}

LinkSensitivityRow pair_row(const MeasureValues& m, const MeasureRow& key, const MeasureRow& all, const MeasureRow& strong) {
  LinkSensitivityRow r;
  r.measure = m.name;
  r.statistic = m.statistic;
  r.start = key.start;
  r.end = key.end;
  r.breakdown = key.breakdown;
  r.group = key.group;
  r.numerator_all = all.numerator;
  r.numerator_strong = strong.numerator;
  r.denominator_all = all.denominator;
  r.denominator_strong = strong.denominator;
  r.value_all_withheld = all.withheld;
  r.value_strong_withheld = strong.withheld;
  // As measures.csv publishes them, so a difference agrees with the files to the last digit.
  r.value_all = all.withheld ? NAN : as_published(all.value);
  r.value_strong = strong.withheld ? NAN : as_published(strong.value);
  return r;
}

void count(CsvRow& row, const PublishedCount& c) {
  if (c.withheld()) row.text(disclosure::kWithheldMarker);
  else row.integer(c.shown);
}

void number(CsvRow& row, bool withheld, double v) {
  if (withheld) row.text(disclosure::kWithheldMarker);
  else if (std::isfinite(v)) row.decimal(v, 6);
  else row.empty();
}

}  // namespace

std::vector<LinkSensitivityRow> link_sensitivity_rows(const DefinitionValues& all_links, const DefinitionValues& strong_links) {
  if (all_links.measures.size() != strong_links.measures.size())
    throw std::logic_error("link_sensitivity_rows: the two sides are not one definition");
  std::vector<LinkSensitivityRow> out;
  for (std::size_t m = 0; m < all_links.measures.size(); ++m) {
    const MeasureValues& a = all_links.measures[m];
    const MeasureValues& s = strong_links.measures[m];
    std::map<Key, const MeasureRow*> strong_rows, all_rows;
    for (const auto& r : s.rows) strong_rows[{r.start, r.end, r.breakdown, r.group}] = &r;
    for (const auto& r : a.rows) all_rows[{r.start, r.end, r.breakdown, r.group}] = &r;
    for (const auto& r : a.rows) {
      const auto it = strong_rows.find({r.start, r.end, r.breakdown, r.group});
      out.push_back(pair_row(a, r, r, it == strong_rows.end() ? nobody() : *it->second));
    }
    // Groups only the strong links give (a person whose weak records kept them out of a group).
    for (const auto& r : s.rows)
      if (!all_rows.count({r.start, r.end, r.breakdown, r.group})) out.push_back(pair_row(a, r, nobody(), r));
  }
  return out;
}

std::string linkage_sensitivity_csv(const std::string& definition, double min_link_probability,
                                    const std::vector<LinkSensitivityRow>& rows) {
  std::string out;
  CsvRow(out).text("definition").text("measure").text("interval_start").text("interval_end").text("breakdown").text("group")
      .text("min_link_probability").text("value_all_links").text("value_strong_links").text("value_difference")
      .text("numerator_all_links").text("numerator_strong_links").text("numerator_difference")
      .text("denominator_all_links").text("denominator_strong_links").text("denominator_difference").text("statistic");
  char p[32];
  std::snprintf(p, sizeof p, "%g", min_link_probability);
  for (const auto& r : rows) {
    CsvRow row(out);
    row.text(definition).text(r.measure).date(r.start).date(r.end).text(r.breakdown).text(r.group).text(p);
    number(row, r.value_all_withheld, r.value_all);
    number(row, r.value_strong_withheld, r.value_strong);
    number(row, r.value_difference_withheld(), r.value_difference());
    count(row, r.numerator_all);
    count(row, r.numerator_strong);
    if (r.numerator_difference_withheld()) row.text(disclosure::kWithheldMarker);
    else row.integer(r.numerator_difference());
    count(row, r.denominator_all);
    count(row, r.denominator_strong);
    if (r.denominator_difference_withheld()) row.text(disclosure::kWithheldMarker);
    else row.integer(r.denominator_difference());
    row.text(r.statistic);
  }
  return out;
}

}  // namespace severn::measures
