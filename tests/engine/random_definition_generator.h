// The random definition generator of the property tests: well-typed definitions over patients,
// registrations, GP events and medications and the hospital tables, with lets, a population,
// dataset variables and measures with intervals and groups. The engine's test compares the native
// engine with the reference evaluator (random_definitions_test.cpp); the SQL engine's test runs
// the same definitions on PostgreSQL and DuckDB (tests/sql/random_differential_test.cpp).
#pragma once
#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "ingest/ingest_fixture.h"

namespace severn::testing::random_definitions {

// What the generator may say about one event table.
struct TableSpec {
  std::string name, date;
  std::vector<std::string> atoms;     // row conditions other than on dates
  std::vector<std::string> numbers;   // int or float columns (min, max, sum, mean, sort_by)
  std::vector<std::string> picks;     // columns worth reading from a picked row
  std::vector<std::string> distinct;  // columns worth counting distinct values of
  std::vector<std::string> dates;     // date columns
  std::vector<std::string> sorts;     // columns sort_by accepts: dates, numbers, strings
};

inline const std::vector<TableSpec>& tables() {
  static const std::vector<TableSpec> t{
      {"clinical_events", "date",
       {"code in bp", "code in hyp", "code in dm", "value > 60", "value > 140", "value is null",
        "value is not null", "value in [5, 60)", "code in {\"271649006\", \"1091811000000102\"}"},
       {"value"}, {"value", "code", "date"}, {"code", "value", "date"}, {"date"}, {"value", "date"}},
      {"medications", "date", {"code in ace", "code not in ace"}, {}, {"code", "date"}, {"code", "date"}, {"date"}, {"date"}},
      {"apcs", "admission_date",
       {"primary_diagnosis in chronic", "secondary_diagnoses in chronic", "secondary_diagnoses not in chronic",
        "primary_diagnosis in emergency", "primary_diagnosis in falls", "primary_procedure in ortho",
        "primary_procedure is null", "primary_diagnosis in categories", "secondary_diagnoses in categories",
        "primary_procedure in procedures", "admission_method in {\"21\", \"22\", \"2D\"}", "admission_method == \"11\"",
        "provider == \"RL1\"", "discharge_date - admission_date > 2", "discharge_date is null"},
       {}, {"admission_date", "discharge_date", "primary_diagnosis", "admission_method", "provider"},
       {"primary_diagnosis", "primary_procedure", "provider", "admission_method"},
       {"admission_date", "discharge_date"}, {"discharge_date", "admission_method", "provider", "admission_date"}},
      {"ec", "arrival_date",
       {"acuity in acuities", "diagnosis in ecdiag", "admitted == 1", "admitted == 0", "provider != \"RXW\"",
        "diagnosis in {\"29857009\", \"21522001\"}"},
       {"admitted"}, {"arrival_date", "acuity", "diagnosis", "admitted"}, {"diagnosis", "acuity"}, {"arrival_date"},
       {"admitted", "provider", "arrival_date"}},
      {"opa", "appointment_date",
       {"treatment_function in [100, 300)", "treatment_function in {110, 300, 320}", "first_attendance == 1",
        "attendance_status in {5, 6}", "attendance_status == 3", "provider == \"RXW\""},
       {"treatment_function", "first_attendance", "attendance_status"},
       {"appointment_date", "treatment_function", "attendance_status", "provider"},
       {"treatment_function", "provider", "attendance_status"}, {"appointment_date"},
       {"treatment_function", "attendance_status", "provider", "appointment_date"}},
  };
  return t;
}

inline const char* const kGroups[] = {"place", "pcn", "practice", "imd_decile", "imd_quintile", "ethnicity_group", "age_band", "sex"};

// Random definitions over patients, registrations, GP events and medications and the hospital
// tables, with lets, a population, dataset variables and measures with intervals and groups.
class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  std::string definition(bool with_measures) {
    std::string out =
        "codelist bp = \"bp.csv\"\ncodelist hyp = \"hyp.csv\"\ncodelist dm = \"dm.csv\"\n"
        "codelist ace = \"ace.csv\"\ncodelist chronic = \"chronic.csv\"\ncodelist emergency = \"emergency.csv\"\n"
        "codelist falls = \"falls.csv\"\ncodelist ortho = \"ortho.csv\"\ncodelist acuities = \"acuity.csv\"\n"
        "codelist ecdiag = \"ecdiag.csv\"\n"
        "codelist categories = \"categories.csv\" with subcodes\ncodelist procedures = \"procedures.csv\" with subcodes\n";
    out += "let recent = clinical_events.where(" + condition(tables()[0], 1) + ")\n";
    out += "let stays = apcs.where(" + condition(tables()[2], 1) + ")\n";
    out += "let grp = " + small_value() + "\n";
    out += "population " + boolean(2) + "\n";
    for (int v = 0; v < 4; ++v) out += "variable v" + std::to_string(v) + " = " + value() + "\n";
    if (with_measures)
      for (int m = 0, n = 1 + pick(3); m < n; ++m) out += measure(m);
    return out;
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
  template <class T>
  const T& one_of(const std::vector<T>& v) { return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))]; }
  // A duration that takes some or all dates off the calendar (before 0001-01-01 or after
  // 9999-12-31), where they are null: the overflow rule of docs/language.md. Only dataset
  // variables use it, so that the measures keep their substance.
  std::string far_duration() {
    switch (pick(4)) {
      case 0: return std::to_string(2020 + pick(10)) + " years";
      case 1: return std::to_string(7970 + pick(10)) + " years";
      case 2: return std::to_string(119980 + pick(8)) + " months";
      default: return std::to_string(3652050 + pick(9)) + " days";
    }
  }
  std::string duration() {
    switch (pick(3)) {
      case 0: return std::to_string(1 + pick(400)) + " days";
      case 1: return std::to_string(1 + pick(60)) + " months";
      default: return std::to_string(1 + pick(5)) + " years";
    }
  }
  std::string date_literal() {
    return format_iso_date(days_from_civil(2005 + pick(20), 1 + pick(12), 1 + pick(28)));
  }
  std::string day(int year_from, int years) {
    const int y = year_from + pick(years), m = 1 + pick(12);
    const int last = civil_from_days(add_months(days_from_civil(y, m, 1), 1) - 1).day;
    return format_iso_date(days_from_civil(y, m, pick(4) == 0 ? last : 1 + pick(last)));
  }

  // A table, or a let over one, with the spec that describes its rows.
  std::pair<std::string, const TableSpec*> frame() {
    const auto& t = tables();
    const TableSpec& s = t[static_cast<std::size_t>(pick(static_cast<int>(t.size())))];
    switch (pick(9)) {
      case 0: return {"recent", &t[0]};
      case 1: return {"stays", &t[2]};
      case 2: return {s.name, &s};
      default: return {s.name + ".where(" + condition(s, 2) + ")", &s};
    }
  }
  std::string condition(const TableSpec& s, int depth) {
    if (depth > 0 && pick(3) == 0) {
      const std::string op = pick(2) ? " and " : " or ";
      return "(" + condition(s, depth - 1) + op + condition(s, depth - 1) + ")";
    }
    if (depth > 0 && pick(8) == 0) return "not (" + condition(s, depth - 1) + ")";
    const std::string& d = pick(4) == 0 ? one_of(s.dates) : s.date;
    switch (pick(8)) {
      case 0: return d + " <= index_date";
      case 1: return d + " in " + (pick(2) ? "(" : "[") + "index_date - " + duration() + ", index_date" + (pick(2) ? "]" : ")");
      case 2: return d + " > " + date_literal();
      case 3: return d + " in [interval_start, index_date]";
      case 4: return d + ".year == " + std::to_string(2015 + pick(10));
      default: return one_of(s.atoms);
    }
  }
  std::string boolean(int depth) {
    if (depth > 0 && pick(3) == 0) {
      const std::string op = pick(2) ? " and " : " or ";
      return "(" + boolean(depth - 1) + op + boolean(depth - 1) + ")";
    }
    if (depth > 0 && pick(10) == 0) return "not " + boolean(depth - 1);
    const auto [f, s] = frame();
    switch (pick(11)) {
      case 0: return f + ".exists()";
      case 1: return f + ".count() > " + std::to_string(pick(6));
      case 2: return "patients.age_on(index_date) >= " + std::to_string(pick(90));
      case 3: return "patients.sex == \"F\"";
      case 4: return "registered_on(index_date - " + duration() + ")";
      case 5: return "patients.date_of_death is null";
      case 6: return f + ".latest()." + s->date + " < " + (pick(2) ? date_literal() : "index_date - " + duration());
      case 7: return f + ".count_episodes(" + duration() + ") >= " + std::to_string(1 + pick(3));
      case 8: return s->numbers.empty() ? f + ".exists()" : f + ".max(" + one_of(s->numbers) + ") > " + std::to_string(pick(150));
      case 9: return "registered_on(interval_start)";
      default: return f + ".count_distinct(" + one_of(s->distinct) + ") >= " + std::to_string(1 + pick(3));
    }
  }
  // A patient-level value with few distinct values: a group for `by`.
  std::string small_value() {
    const auto [f, s] = frame();
    switch (pick(4)) {
      case 0: return f + ".exists()";
      case 1: return "case when " + f + ".count() > 1 then \"many\" when " + f + ".exists() then \"one\" end";
      case 2: return f + ".count_episodes(" + duration() + ")";
      default: return "patients.age_on(index_date) >= 65";
    }
  }
  std::string value() {
    const auto [f, s] = frame();
    switch (pick(21)) {
      // Whole-number overflow: null where the result leaves int64 (a count of 2 or more here).
      case 16: return f + ".count() * 4611686018427387904";
      case 17: return "-(" + f + ".count() - 9223372036854775807 - 1)";
      case 18: return f + ".latest()." + s->date + (pick(2) ? " - " : " + ") + far_duration();
      case 19: return f + ".count_episodes(" + far_duration() + ")";
      case 20: return f + ".where(" + s->date + " > index_date - " + far_duration() + ").count()";
      case 0: return f + ".count()";
      case 1: return s->numbers.empty() ? f + ".count()" : f + ".sum(" + one_of(s->numbers) + ")";
      case 2: return s->numbers.empty() ? f + ".exists()" : f + ".mean(" + one_of(s->numbers) + ")";
      case 3: return f + ".min(" + one_of(s->dates) + ")";
      case 4: return s->numbers.empty() ? f + ".max(" + one_of(s->dates) + ")" : f + ".max(" + one_of(s->numbers) + ")";
      case 5: return f + (pick(2) ? ".latest()." : ".first().") + one_of(s->picks);
      case 6: {
        std::string sorted = f + ".sort_by(" + one_of(s->sorts) + ")";
        if (pick(3) == 0) sorted += ".sort_by(" + one_of(s->sorts) + ")";
        if (pick(3) == 0) sorted += ".where(" + condition(*s, 1) + ")";
        return sorted + (pick(2) ? ".latest()." : ".first().") + one_of(s->picks);
      }
      case 7: return "index_date - " + f + ".latest()." + s->date;
      case 8: return "case when " + boolean(1) + " then " + std::to_string(pick(9)) + " else " +
                     (pick(2) ? "null" : std::to_string(pick(9))) + " end";
      case 9: return "patients.age_on(" + f + ".first()." + s->date + ")";
      case 10: return f + ".count_episodes(" + duration() + ")";
      case 11: return f + ".count_distinct(" + one_of(s->distinct) + ")";
      case 12: return f + ".latest()." + s->date + (pick(2) ? ".month" : ".day");
      case 13: return f + ".first()." + s->date + " + " + duration();
      case 14: return "grp";
      default: return boolean(2);
    }
  }
  std::string intervals() {
    switch (pick(5)) {
      case 0: return "monthly from " + day(2022, 3) + " to " + day(2025, 1);  // about 24 to 36 lanes
      case 1: return "monthly from 2019-01-31 to 2025-02-28";                 // more than 64 lanes
      case 2: return "quarterly from " + day(2020, 4) + " to " + day(2024, 2);
      case 3: return "yearly from " + day(2015, 5) + " to " + day(2022, 4);
      default: {
        std::string out;
        for (int i = 0, n = 1 + pick(3); i < n; ++i) {
          const std::string start = day(2018, 7);
          out += (i ? ", " : "") + start + " to " + format_iso_date(*parse_iso_date(start) + pick(800));
        }
        return out;
      }
    }
  }
  std::string measure(int m) {
    std::string out = "measure m" + std::to_string(m) + " numerator " + boolean(2) + " denominator " +
                      (pick(3) == 0 ? std::string("true") : boolean(1));
    std::vector<std::string> by;
    for (const char* g : kGroups)
      if (pick(4) == 0) by.emplace_back(g);
    if (pick(3) == 0) by.emplace_back("grp");
    // The statistic: a standardised rate needs the age bands, which its age_band breakdown
    // shows so that the test can recompute it.
    const int statistic = pick(4);
    if (statistic == 1 && std::find(by.begin(), by.end(), "age_band") == by.end()) by.emplace_back("age_band");
    std::shuffle(by.begin(), by.end(), rng_);
    for (std::size_t i = 0; i < by.size(); ++i) out += (i ? ", " : " by ") + by[i];
    out += statistic == 0 ? " stats rate" : statistic == 1 ? " stats dsr per 1000" : statistic == 2 ? " stats proportion per 100 confidence 0.998" : "";
    return out + " intervals " + intervals() + "\n";
  }
  std::mt19937_64 rng_;
};

// The code lists the generated definitions name, written beside them in `dir`.
inline void write_codelists(const std::filesystem::path& dir) {
  const std::string pack = std::string(SEVERN_TEST_DATA_DIR) + "/codelists/";
  const std::string shipped = std::string(SEVERN_SOURCE_DIR) + "/resources/codelists/";
  write_text(dir / "bp.csv", read_text(pack + "opensafely-systolic-blood-pressure-qof.csv"));
  write_text(dir / "hyp.csv", read_text(pack + "nhsd-primary-care-domain-refsets-hyp_cod.csv"));
  write_text(dir / "dm.csv", read_text(pack + "nhsd-primary-care-domain-refsets-ifcchbam_cod.csv"));
  write_text(dir / "ace.csv", read_text(shipped + "dmd-ace-inhibitors.csv"));
  write_text(dir / "chronic.csv", read_text(shipped + "icd10-chronic-conditions.csv"));
  write_text(dir / "emergency.csv", read_text(shipped + "icd10-general-emergency.csv"));
  write_text(dir / "falls.csv", read_text(shipped + "icd10-falls-injury.csv"));
  write_text(dir / "ortho.csv", read_text(shipped + "opcs4-orthopaedic.csv"));
  write_text(dir / "acuity.csv", read_text(shipped + "snomed-ecds-acuity.csv"));
  write_text(dir / "ecdiag.csv", read_text(shipped + "snomed-ecds-diagnosis.csv"));
  // Categories matched `with subcodes`; I48.9 is listed as well, so an exact entry beside its
  // category changes nothing.
  write_text(dir / "categories.csv", "code,term\nI48,af\nE11,t2dm\nJ44,copd\nS72,femur\nI21,mi\nI48.9,af nos\nK02,caries\n");
  write_text(dir / "procedures.csv", "code,term\nW40,knee\nW37,hip\nW82,meniscus\nF10,tooth\n");

}

}  // namespace severn::testing::random_definitions
