// Measures of rows (`measure NAME over wl_pathways`) on a small synthetic ICS: the engine's exact
// counts per interval, breakdown and group equal the reference evaluator's, which walks each
// person's rows of the table one interval at a time (reference_evaluator.h). The definitions mix
// the row's columns, the person's lets and other tables aggregated per person, breakdowns by row
// columns and by person columns, person measures beside row measures, and populations that leave
// people (and so their rows) out.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/csv_table.h"
#include "ingest/ingest_fixture.h"
#include "lang/checker.h"
#include "measures/run_definition.h"
#include "reference_evaluator.h"
#include "store/store.h"

namespace severn::testing {
namespace {

const char* const kDefinitions[] = {
    // The incomplete list and its 18-week share by row and person columns, monthly.
    "population true\n"
    "measure within over wl_pathways\n"
    "  numerator index_date - clock_start_date <= 126\n"
    "  denominator clock_start_date <= index_date and (clock_stop_date is null or clock_stop_date > index_date)\n"
    "  by provider, treatment_function, priority, age_band, imd_quintile, sex\n"
    "  intervals monthly from 2023-04-01 to 2024-09-30\n",
    // Clock stops in each quarter, by status, for registered adults only; a person measure beside it.
    "let adult = patients.age_on(index_date) >= 18\n"
    "let admitted_lately = apcs.where(admission_date in [interval_start, index_date]).exists()\n"
    "population registered_on(index_date) and adult\n"
    "measure stops over wl_pathways\n"
    "  numerator clock_stop_date - clock_start_date <= 126 and not admitted_lately\n"
    "  denominator clock_stop_date in [interval_start, index_date]\n"
    "  by rtt_status, admitted_lately, place\n"
    "  intervals quarterly from 2022-04-01 to 2024-09-30\n"
    "measure people_stopped\n"
    "  numerator admitted_lately\n"
    "  denominator wl_pathways.where(clock_stop_date in [interval_start, index_date]).exists()\n"
    "  by place\n"
    "  intervals quarterly from 2022-04-01 to 2024-09-30\n",
    // Nulls: a numerator null for open clocks, a let that is null for some rows' persons, the
    // person's number of pathways, a priority column that is often empty, explicit intervals.
    "let last_sbp = clinical_events.where(date <= index_date).latest().value\n"
    "let many = wl_pathways.where(clock_start_date <= index_date).count() >= 2\n"
    "population registered_on(index_date) or patients.sex == \"F\"\n"
    "measure long_stops over wl_pathways\n"
    "  numerator clock_stop_date - clock_start_date > 364\n"
    "  denominator clock_start_date <= index_date and (last_sbp is null or last_sbp > 100)\n"
    "  by many, priority, ethnicity_group\n"
    "  stats proportion per 100\n"
    "  intervals 2020-01-01 to 2020-12-31, 2024-01-01 to 2024-09-30, 2015-06-01 to 2015-06-30\n",
};

// The reference evaluator's counts of one row measure, as engine measure lines (without values).
void reference_rows(const lang::CheckedDefinition& checked, const lang::Measure& m,
                    const std::vector<reference::Person>& people, const reference::Groups& groups,
                    const std::vector<std::pair<Days, Days>>& spans, std::vector<std::string>& out, long& rows_counted) {
  const reference::Context context(checked);
  const lang::TableDef* table = lang::find_event_table(m.over);
  for (const auto& [start, end] : spans) {
    std::map<std::pair<std::string, std::string>, std::pair<long, long>> counts;
    counts[{"all", "all"}];
    for (const auto& person : people) {
      reference::Evaluator ev(context, person, end, start);
      const auto yes = [](const reference::V& v) { return v.k == reference::V::kBool && v.i; };
      if (!yes(ev.eval(*checked.definition.population))) continue;
      const auto it = person.rows.find(m.over);
      if (it == person.rows.end()) continue;
      for (const reference::Row& row : it->second) {
        if (!yes(ev.eval_at(*m.denominator, row, table))) continue;
        const long num = yes(ev.eval_at(*m.numerator, row, table)) ? 1 : 0;
        std::vector<std::pair<std::string, std::string>> keys{{"all", "all"}};
        for (const auto& [column, pos] : m.by) {
          std::string label;
          if (table->find(column) != nullptr) {
            std::size_t c = 0;
            while (table->columns[c].name != column) ++c;
            label = row.cells[c].k == reference::V::kNull ? "unknown" : reference::show(row.cells[c]);
          } else {
            label = groups.label(column, person, ev, end);
          }
          keys.emplace_back(column, label);
        }
        for (const auto& k : keys) {
          counts[k].first += num;
          counts[k].second += 1;
        }
        ++rows_counted;
      }
    }
    for (const auto& [k, c] : counts)
      out.push_back(m.name + "," + format_iso_date(start) + "," + format_iso_date(end) + "," + k.first + "," + k.second +
                    "," + std::to_string(c.first) + "," + std::to_string(c.second));
  }
}

// A person measure's counts, as the random definitions test counts them.
void reference_persons(const lang::CheckedDefinition& checked, const lang::Measure& m,
                       const std::vector<reference::Person>& people, const reference::Groups& groups,
                       const std::vector<std::pair<Days, Days>>& spans, std::vector<std::string>& out) {
  const reference::Context context(checked);
  for (const auto& [start, end] : spans) {
    std::map<std::pair<std::string, std::string>, std::pair<long, long>> counts;
    counts[{"all", "all"}];
    for (const auto& person : people) {
      reference::Evaluator ev(context, person, end, start);
      const auto yes = [&](const lang::Expr& e) {
        const reference::V v = ev.eval(e);
        return v.k == reference::V::kBool && v.i;
      };
      if (!yes(*checked.definition.population) || !yes(*m.denominator)) continue;
      const long num = yes(*m.numerator) ? 1 : 0;
      std::vector<std::pair<std::string, std::string>> keys{{"all", "all"}};
      for (const auto& [column, pos] : m.by) keys.emplace_back(column, groups.label(column, person, ev, end));
      for (const auto& k : keys) {
        counts[k].first += num;
        counts[k].second += 1;
      }
    }
    for (const auto& [k, c] : counts)
      out.push_back(m.name + "," + format_iso_date(start) + "," + format_iso_date(end) + "," + k.first + "," + k.second +
                    "," + std::to_string(c.first) + "," + std::to_string(c.second));
  }
}

TEST(RowMeasures, EngineAgreesWithTheReferenceEvaluator) {
  SEVERN_REQUIRE_PACK();
  Scratch s("row-measures");
  synthesize_small(s.dir() / "src", 1500, 29);
  ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "store", write_key(s.dir())));
  const auto store = store::Store::open(s.dir() / "store");
  const auto people = reference::load((s.dir() / "src").string(), (s.dir() / "store").string());
  const reference::Groups groups(SEVERN_TEST_DATA_DIR);
  long rows_counted = 0, lines = 0, numerators = 0;
  for (std::size_t d = 0; d < std::size(kDefinitions); ++d) {
    write_text(s.dir() / "def.sev", kDefinitions[d]);
    const auto checked = lang::check_file((s.dir() / "def.sev").string(), lang::CheckOptions{});
    measures::RunOptions o;
    o.out = s.dir() / ("out" + std::to_string(d));
    o.index_date = days_from_civil(2024, 9, 30);
    o.threads = 2;
    o.data_dir = SEVERN_TEST_DATA_DIR;
    o.disclosure_control = false;  // exact counts
    measures::run_definition(*store, checked, o);
    const CsvTable got = CsvTable::read_file(o.out / "measures.csv");
    std::vector<std::string> engine;
    for (std::size_t r = 0; r < got.rows(); ++r) {
      std::string line;
      for (std::size_t c = 0; c < 7; ++c) line += (c ? "," : "") + got.cell(r, c);
      engine.push_back(line);
      numerators += got.cell(r, "numerator") != "0" ? 1 : 0;
      const lang::Measure* m = nullptr;
      for (const auto& x : checked.definition.measures) m = x.name == got.cell(r, "measure") ? &x : m;
      ASSERT_NE(m, nullptr);
      EXPECT_EQ(got.cell(r, "statistic"), m->over.empty() ? lang::statistic_text(m->stats)
                                                          : lang::statistic_text(m->stats) + " of wl_pathways rows");
    }
    std::vector<std::string> want;
    for (const auto& m : checked.definition.measures) {
      std::vector<std::pair<Days, Days>> spans = m.intervals->spans;
      if (m.intervals->kind != lang::IntervalKind::kExplicit) {
        const int step = m.intervals->kind == lang::IntervalKind::kMonthly ? 1 : m.intervals->kind == lang::IntervalKind::kQuarterly ? 3 : 12;
        for (int k = 0; add_months(m.intervals->from, k * step) <= m.intervals->to; ++k)
          spans.emplace_back(add_months(m.intervals->from, k * step),
                             std::min<Days>(add_months(m.intervals->from, (k + 1) * step) - 1, m.intervals->to));
      }
      if (m.over.empty()) reference_persons(checked, m, people, groups, spans, want);
      else reference_rows(checked, m, people, groups, spans, want, rows_counted);
    }
    std::sort(engine.begin(), engine.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(engine, want) << "definition " << d << ":\n" << kDefinitions[d];
    lines += static_cast<long>(engine.size());
  }
  // The comparison has substance: many rows counted, many groups, numerators above 0.
  EXPECT_GT(rows_counted, 2000);
  EXPECT_GT(numerators, lines / 3);
  std::printf("row measures: %ld measure lines compared, %ld rows counted by the reference\n", lines, rows_counted);
}

}  // namespace
}  // namespace severn::testing
