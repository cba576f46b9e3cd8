// `severn stats` tables: the vectors again, this time laid out as an analyst's long table (one row
// per area and band) and run through grouping and band matching; then the errors a person sees.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "pack.h"
#include "refdata/standards.h"
#include "run_severn.h"
#include "stats/table.h"
#include "vectors.h"

namespace severn::stats {
namespace {

using testing::Checker;
using testing::number;
using testing::numbers;

const char* const kEsp2013Bands[] = {"0-4",   "5-9",   "10-14", "15-19", "20-24", "25-29", "30-34",
                                     "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65-69",
                                     "70-74", "75-79", "80-84", "85-89", "90+"};

std::vector<StandardBand> esp2013_from(const std::vector<double>& weights) {
  std::vector<StandardBand> out;
  for (std::size_t b = 0; b < weights.size(); ++b) out.push_back({kEsp2013Bands[b], weights[b]});
  return out;
}

CsvTable run(const std::string& csv, const TableOptions& o) {
  return CsvTable::parse(apply_to_table(CsvTable::parse(csv, "in.csv"), o), "out.csv");
}

std::string error_of(const std::string& csv, const TableOptions& o) {
  try {
    apply_to_table(CsvTable::parse(csv, "in.csv"), o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// Every ESP 2013 DSR vector with independent events, each area's bands as rows, grouped by area,
// against the standard matched by band label. Vectors from testdata_DSR_ISR.xlsx, testresults_DSR.
TEST(StatsTable, DsrVectorsAsLongTables) {
  SEVERN_REQUIRE_TESTDATA();
  const CsvTable v = testing::load_vectors("dsr_dobson_esp2013.csv");
  Checker check;
  int vectors = 0;
  for (std::size_t r = 0; r < v.rows(); ++r) {
    const auto cell = [&](const char* c) -> const std::string& { return v.cell(r, c); };
    if (cell("stdpop_name") != "ESP2013" || cell("status") == "workbook_error") continue;
    SCOPED_TRACE(cell("vector_id") + " (" + cell("source") + ")");
    ++vectors;
    const bool independent = cell("independent_events") == "TRUE";
    const auto pop = numbers(cell("pop_by_band"));
    std::string csv = independent ? "area,age_band,count,population\n" : "area,age_band,events,persons,population\n";
    if (independent) {
      const auto count = v.cell(r, "count_by_band");
      const auto counts = numbers(count);
      for (std::size_t b = 0; b < pop.size(); ++b)
        csv += cell("area") + "," + kEsp2013Bands[b] + "," + (std::isnan(counts[b]) ? "NA" : testing::full(counts[b])) +
               "," + testing::full(pop[b]) + "\n";
    } else {
      for (int k = 1; k <= 4; ++k) {
        const std::string& col = cell(("persons_f" + std::to_string(k) + "_by_band").c_str());
        if (col.empty()) continue;
        const auto persons = numbers(col);
        for (std::size_t b = 0; b < pop.size(); ++b)
          csv += cell("area") + "," + kEsp2013Bands[b] + "," + std::to_string(k) + "," +
                 (std::isnan(persons[b]) ? "" : testing::full(persons[b])) + "," + testing::full(pop[b]) + "\n";
      }
    }
    TableOptions o;
    o.disclosure_control = false;  // the vectors are exact counts, compared exactly
    o.method = TableMethod::kDsr;
    o.by = {"area"};
    o.confidence = {number(cell("confidence"))};
    o.multiplier = number(cell("multiplier"));
    o.standard = esp2013_from(numbers(cell("stdpop_by_band")));
    o.standard_name = "ESP2013";
    if (!independent) {
      o.event_frequency = "events";
      o.count = "persons";
    }
    const CsvTable out = run(csv, o);
    ASSERT_EQ(out.rows(), 1u);
    check.close(number(out.cell(0, "total_count")), number(cell("total_count")), "total_count");
    check.close(number(out.cell(0, "total_pop")), number(cell("total_pop")), "total_pop");
    check.close(number(out.cell(0, "value")), number(cell("value")), "value");
    check.close(number(out.cell(0, "lowercl")), number(cell("lowercl")), "lower");
    check.close(number(out.cell(0, "uppercl")), number(cell("uppercl")), "upper");
  }
  EXPECT_EQ(vectors, 20);  // 24 less the 4 ESP 1976 ones
  testing::report("severn stats dsr on long tables", vectors, check);
}

// Every ISR vector with counts by band, as a long table (testdata_DSR_ISR.xlsx, testresults_ISR).
TEST(StatsTable, IsrVectorsAsLongTables) {
  SEVERN_REQUIRE_TESTDATA();
  const CsvTable v = testing::load_vectors("isr_isratio.csv");
  Checker check;
  int vectors = 0;
  for (std::size_t r = 0; r < v.rows(); ++r) {
    const auto cell = [&](const char* c) -> const std::string& { return v.cell(r, c); };
    SCOPED_TRACE(cell("vector_id") + " (" + cell("source") + ")");
    ++vectors;
    const bool totals = cell("count_by_band").empty();
    const auto pop = numbers(cell("pop_by_band")), rc = numbers(cell("refcount_by_band")),
               rp = numbers(cell("refpop_by_band"));
    auto count = numbers(cell("count_by_band"));
    count.resize(pop.size());
    const auto text = [](double x) { return std::isnan(x) ? std::string("NA") : testing::full(x); };
    std::string csv = "area,age_band,count,population,ref_count,ref_population,observed\n";
    for (std::size_t b = 0; b < pop.size(); ++b)
      csv += cell("area") + "," + kEsp2013Bands[b] + "," + (totals ? "" : text(count[b])) + "," + text(pop[b]) + "," +
             text(rc[b]) + "," + text(rp[b]) + "," + cell("observed_total") + "\n";
    TableOptions o;
    o.disclosure_control = false;  // the vectors are exact counts, compared exactly
    const bool rate = cell("function") == "ISRate";
    o.method = rate ? TableMethod::kIsrRate : TableMethod::kIsrRatio;
    o.by = {"area"};
    o.confidence = {number(cell("confidence"))};
    o.multiplier = number(cell(rate ? "multiplier" : "refvalue"));
    if (totals) o.observed = "observed";
    const CsvTable out = run(csv, o);
    ASSERT_EQ(out.rows(), 1u);
    check.close(number(out.cell(0, "observed")), number(cell("observed")), "observed");
    check.close(number(out.cell(0, "expected")), number(cell("expected")), "expected");
    if (rate) check.close(number(out.cell(0, "reference_rate")), number(cell("ref_rate")), "reference_rate");
    check.close(number(out.cell(0, "value")), number(cell("value")), "value");
    check.close(number(out.cell(0, "lowercl")), number(cell("lowercl")), "lower");
    check.close(number(out.cell(0, "uppercl")), number(cell("uppercl")), "upper");
    EXPECT_EQ(out.cell(0, "method"), cell("method"));
  }
  EXPECT_EQ(vectors, 33);
  testing::report("severn stats isr-ratio / isr-rate on long tables", vectors, check);
}

// Every SII vector as a table of quantiles (two areas' records side by side where the workbook
// has them), with standard errors given or from the 95% limits (testdata_SII.xlsx, testdata_SII).
TEST(StatsTable, SiiVectorsAsLongTables) {
  SEVERN_REQUIRE_TESTDATA();
  const CsvTable v = testing::load_vectors("sii_rii.csv");
  Checker check;
  double worst_limit = 0;
  for (std::size_t r = 0; r < v.rows(); ++r) {
    const auto cell = [&](const char* c) -> const std::string& { return v.cell(r, c); };
    SCOPED_TRACE(cell("vector_id") + " (" + cell("source") + ")");
    const auto pop = numbers(cell("population")), value = numbers(cell("value")), se = numbers(cell("se")),
               lower = numbers(cell("lowercl")), upper = numbers(cell("uppercl"));
    // Quantiles written in reverse order: the command must sort them.
    std::string csv = "area,quantile,population,value,se,lowercl,uppercl\n";
    for (std::size_t i = pop.size(); i-- > 0;)
      csv += cell("area") + "," + std::to_string(i + 1) + "," + testing::full(pop[i]) + "," + testing::full(value[i]) +
             "," + testing::full(se[i]) + "," + testing::full(lower[i]) + "," + testing::full(upper[i]) + "\n";
    TableOptions o;
    o.disclosure_control = false;  // the vectors are exact counts, compared exactly
    o.method = TableMethod::kSii;
    o.by = {"area"};
    o.confidence = numbers(cell("confidence"));
    o.multiplier = number(cell("multiplier"));
    o.value_type = cell("value_type") == "0" ? "normal" : cell("value_type") == "1" ? "rate" : "proportion";
    o.transform = cell("transform") == "TRUE";
    o.repetitions = 20000;  // fewer than the library test: this checks the plumbing
    if (r % 2) o.se = "";    // every other vector takes its standard errors from the limits
    const CsvTable out = run(csv, o);
    ASSERT_EQ(out.rows(), o.confidence.size());
    EXPECT_EQ(out.cell(0, "quantiles"), std::to_string(pop.size()));
    check.close(number(out.cell(0, "sii")), number(cell("sii")), "sii");
    if (!cell("rii_value").empty()) check.close(number(out.cell(0, "rii")), number(cell("rii_value")), "rii");
    if (!cell("intercept").empty()) check.close(number(out.cell(0, "intercept")), number(cell("intercept")), "intercept");
    for (std::size_t c = 0; c < o.confidence.size(); ++c) {
      const std::string k = std::to_string(c + 1);
      for (const char* name : {"sii_lower", "sii_upper", "rii_lower", "rii_upper"}) {
        const std::string& expected = cell((std::string(name) + "_" + k).c_str());
        if (expected.empty()) continue;
        const std::string column = std::string(name).substr(0, 3) + "_" + std::string(name).substr(4) + "cl";
        const double rel = std::fabs(number(out.cell(c, column)) / number(expected) - 1);
        EXPECT_LE(rel, 0.05) << column << " at " << o.confidence[c];
        worst_limit = std::max(worst_limit, rel);
      }
    }
  }
  testing::report("severn stats sii on long tables", static_cast<int>(v.rows()), check);
  std::printf("[ stats    ] severn stats sii: worst simulated limit %.3g from the workbook (20,000 repetitions)\n",
              worst_limit);
}

// `severn stats sii --transform` with a multiplier of 100 and -100: the intercept is the fitted
// proportion at rank 0 times |multiplier| (phe_sii v2.1.0, transform branch). Record 326-335
// (sii-027) refitted; the expected values are from tests/stats/sii_reference.py.
TEST(StatsTable, SiiTransformedInterceptIsScaledByTheMultipliersSize) {
  SEVERN_REQUIRE_TESTDATA();
  const CsvTable v = testing::load_vectors("sii_rii.csv");
  std::size_t r = 0;
  while (r < v.rows() && v.cell(r, "vector_id") != "sii-027") ++r;
  ASSERT_LT(r, v.rows());
  const auto pop = numbers(v.cell(r, "population")), value = numbers(v.cell(r, "value")),
             lower = numbers(v.cell(r, "lowercl")), upper = numbers(v.cell(r, "uppercl"));
  std::string csv = "quantile,population,value,lowercl,uppercl\n";
  for (std::size_t i = 0; i < pop.size(); ++i)
    csv += std::to_string(i + 1) + "," + testing::full(pop[i]) + "," + testing::full(value[i]) + "," +
           testing::full(lower[i]) + "," + testing::full(upper[i]) + "\n";
  struct Expected {
    double multiplier, sii, rii, intercept;
  };
  Checker check;
  for (const Expected& e : {Expected{100, -10.964626111259081, 0.53417757432539409, 23.538210070887132},
                            Expected{-100, 10.964626111259081, 1.8720366560930361, 23.538210070887132}}) {
    TableOptions o;
    o.disclosure_control = false;
    o.method = TableMethod::kSii;
    o.se = "";
    o.value_type = "proportion";
    o.transform = true;
    o.multiplier = e.multiplier;
    o.repetitions = 1000;
    const CsvTable out = run(csv, o);
    ASSERT_EQ(out.rows(), 1u);
    check.close(number(out.cell(0, "sii")), e.sii, "sii");
    check.close(number(out.cell(0, "rii")), e.rii, "rii");
    check.close(number(out.cell(0, "intercept")), e.intercept, "intercept");
    EXPECT_LT(number(out.cell(0, "sii_lowercl")), number(out.cell(0, "sii_uppercl")));
    EXPECT_LT(number(out.cell(0, "rii_lowercl")), number(out.cell(0, "rii_uppercl")));
  }
  testing::report("severn stats sii --transform, multiplier +-100", 2, check);
}

// Grouped proportions sum their rows, as phe_proportion does on a grouped data frame
// (testdata_Proportion.xlsx, testdata_Prop_g rows 2 and 10: Area1 1+1 of 100+100; Area09 NA).
TEST(StatsTable, GroupedRowsAreSummedAndMissingStaysMissing) {
  TableOptions o;
  o.disclosure_control = false;  // exact small counts
  o.by = {"area"};
  o.confidence = {0.95, 0.998};
  const CsvTable out = run("area,numerator,denominator\nArea1,1,100\nArea09,NA,100\nArea1,1,100\nArea09,,100\n", o);
  ASSERT_EQ(out.rows(), 4u);
  EXPECT_EQ(out.cell(0, "area"), "Area1");
  EXPECT_EQ(out.cell(0, "numerator"), "2");
  EXPECT_EQ(out.cell(0, "denominator"), "200");
  EXPECT_EQ(out.cell(0, "confidence"), "0.95");
  EXPECT_EQ(out.cell(1, "confidence"), "0.998");
  Checker check;
  check.close(number(out.cell(0, "lowercl")), 2.746658133544438E-3, "lower");
  check.close(number(out.cell(0, "uppercl")), 3.5721761716176796E-2, "upper");
  EXPECT_EQ(out.cell(2, "area"), "Area09");
  EXPECT_EQ(out.cell(2, "value"), "");
  EXPECT_EQ(out.cell(2, "statistic"), "proportion of 1");
}

TEST(StatsTable, UngroupedRowsKeepTheirColumns) {
  TableOptions o;
  o.disclosure_control = false;  // exact small counts
  o.method = TableMethod::kRate;
  o.multiplier = 100000;
  const CsvTable out = run("practice,numerator,denominator,note\nM1,5,100,\"a, b\"\n", o);
  ASSERT_EQ(out.rows(), 1u);
  EXPECT_EQ(out.cell(0, "note"), "a, b");
  EXPECT_EQ(out.cell(0, "value"), "5000");
  EXPECT_EQ(out.cell(0, "statistic"), "rate per 100000");
  EXPECT_EQ(out.cell(0, "method"), "Exact");
}

TEST(StatsTable, ErrorsNameFileLineFieldAndReason) {
  TableOptions p;
  EXPECT_EQ(error_of("area,numerator,denominator\nA,1,10\nB,-1,10\n", p),
            "in.csv:3: field 'numerator': must not be negative, found '-1'");
  EXPECT_EQ(error_of("area,numerator,denominator\nA,1,ten\n", p),
            "in.csv:2: field 'denominator': expected a number (empty or NA for missing), found 'ten'");
  EXPECT_EQ(error_of("area,numerator,denominator\nA,1,inf\n", p),
            "in.csv:2: field 'denominator': must be a finite number, found 'inf'");
  EXPECT_EQ(error_of("area,numerator,denominator\nA,11,10\n", p),
            "in.csv:2: field 'numerator': must not exceed the denominator (11 > 10)");
  p.by = {"area"};
  EXPECT_EQ(error_of("area,numerator,denominator\nA,6,5\nB,1,1\nA,6,5\n", p),
            "in.csv:2: field 'numerator': group area=A (starting on this line): must not exceed the denominator "
            "(12 > 10)");
  p.by = {"region"};
  EXPECT_EQ(error_of("area,numerator,denominator\nA,1,10\n", p),
            "in.csv:1: no column 'region' in the header (name it with --by)");
  p.by = {};
  p.confidence = {95};
  EXPECT_EQ(error_of("area,numerator,denominator\nA,1,10\n", p),
            "--conf: must be between 0.9 and 1 (e.g. 0.95 or 0.998), not 95");
  p.confidence = {0.95};
  EXPECT_EQ(error_of("area,numerator,denominator,value\nA,1,10,3\n", p),
            "in.csv:1: field 'value': the output adds a column of this name; rename it or use --by");

  TableOptions d;
  d.method = TableMethod::kDsr;
  d.standard = {{"0-49", 50000}, {"50+", 50000}};
  d.standard_name = "a two-band test standard";
  EXPECT_EQ(error_of("age_band,count,population\n0-49,3,100\n", d),
            "in.csv:2: field 'age_band': no row for band '50+' of a two-band test standard (every band needs its "
            "population; give a count of 0 where there were no events)");
  EXPECT_EQ(error_of("age_band,count,population\n0-49,3,100\n50+,3,100\n0-49,3,100\n", d),
            "in.csv:4: field 'age_band': band '0-49' appears twice in this group (also line 2)");
  EXPECT_EQ(error_of("age_band,count,population\n0-49,3,100\n50-59,3,100\n", d),
            "in.csv:3: field 'age_band': '50-59' is not a band of a two-band test standard (expected one of 0-49, "
            "50+)");
  EXPECT_EQ(error_of("age_band,count,population\n0-49,3,100\n50+,3,\n", d),
            "in.csv:3: field 'population': must be greater than 0 (a DSR needs every band's population)");
  d.event_frequency = "events";
  EXPECT_EQ(error_of("age_band,events,count,population\n0-49,1,3,100\n50+,1.5,3,100\n", d),
            "in.csv:3: field 'events': must be a whole number of events per person from 1 to 1000");
  EXPECT_EQ(error_of("age_band,events,count,population\n0-49,1,3,100\n50+,1,3,100\n0-49,2,3,90\n", d),
            "in.csv:4: field 'population': differs from the population of band '0-49' on line 2");

  TableOptions q;
  q.method = TableMethod::kSii;
  const std::string five = "quantile,population,value,se\n1,10,5,1\n2,10,5,1\n3,10,5,1\n4,10,5,1\n";
  EXPECT_EQ(error_of(five + "4,10,5,1\n", q), "in.csv:6: field 'quantile': quantile appears twice in this group (also line 5)");
  EXPECT_EQ(error_of(five, q), "in.csv:2: field 'quantile': an SII needs 5 to 100 quantiles, not 4");
  EXPECT_EQ(error_of(five + "5,0,5,1\n", q),
            "in.csv:2: field 'population': must be greater than 0 in every quantile (quantile 5)");
  q.value_type = "ratio";
  EXPECT_EQ(error_of(five + "5,10,5,1\n", q), "--value-type: expected normal, rate or proportion, not 'ratio'");

  TableOptions i;
  i.method = TableMethod::kIsrRatio;
  EXPECT_EQ(error_of("count,population,ref_count,ref_population\n1,100,5,0\n", i),
            "in.csv:2: field 'ref_population': must be greater than 0 (the reference rate of the band divides by it)");
  i.observed = "observed";
  EXPECT_EQ(error_of("observed,population,ref_count,ref_population\n4,100,5,1000\n5,100,5,1000\n", i),
            "in.csv:3: field 'observed': the observed total differs from the group's first row (line 2)");
}

TEST(StatsTable, MethodNames) {
  EXPECT_EQ(parse_table_method("isr-rate"), TableMethod::kIsrRate);
  EXPECT_EQ(parse_table_method("sii"), TableMethod::kSii);
  EXPECT_EQ(parse_table_method("funnel-ratio"), TableMethod::kFunnelRatio);
  EXPECT_STREQ(table_method_name(TableMethod::kFunnelRate), "funnel-rate");
  EXPECT_THROW(parse_table_method("funnel"), InputError);
}

// The binary, as an analyst runs it.
using Result = severn::testing::CommandResult;

Result severn(const std::string& args) { return severn::testing::run_severn(args); }

TEST(StatsCli, DsrAgainstThePackStandardAndClearErrors) {
  SEVERN_REQUIRE_PACK();
  const auto dir = std::filesystem::temp_directory_path() / ("severn-stats-cli-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto in = (dir / "in.csv").string(), out = (dir / "out.csv").string();
  {
    // testdata_DSR_ISR.xlsx, testdata_big (the vectors' dsr-001 and dsr-002).
    const double count[] = {127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91};
    const double pop[] = {636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207};
    std::ofstream f(in);
    f << "area,age_band,count,population\n";
    for (int b = 0; b < 19; ++b) f << "big," << kEsp2013Bands[b] << "," << count[b] << "," << pop[b] << "\n";
  }
  const std::string data = std::string(" --data ") + SEVERN_TEST_DATA_DIR;
  auto r = severn("stats dsr --in " + in + " --out " + out + " --by area --conf 0.95,0.998 --multiplier 10000" + data +
                  " --no-disclosure-control");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("19 input rows -> 2 result rows"), std::string::npos) << r.output;
  const CsvTable t = CsvTable::read_file(out);
  ASSERT_EQ(t.rows(), 2u);
  Checker check;
  check.close(number(t.cell(0, "value")), 1043.0247991469423, "value");
  check.close(number(t.cell(0, "lowercl")), 971.77090679856803, "lower 95%");
  check.close(number(t.cell(1, "uppercl")), 1162.0595999522059, "upper 99.8%");

  r = severn("stats dsr --in " + in + " --out " + out + " --standard esp1976" + data);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("--standard: expected esp2013"), std::string::npos) << r.output;
  r = severn("stats dsr --in " + in + " --out " + out + " --standard esp2013-21" + data);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("in.csv:2: field 'age_band': '0-4' is not a band of ESP 2013 (21 bands)"), std::string::npos)
      << r.output;
  r = severn("stats dsr --in " + (dir / "missing.csv").string() + " --out " + out + data);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("missing.csv: file not found"), std::string::npos) << r.output;
  r = severn("stats funnel --in " + in + " --out " + out);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("unknown method 'funnel'"), std::string::npos) << r.output;
  r = severn("stats rate --in " + in + " --out " + in);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("is the input file"), std::string::npos) << r.output;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace severn::stats
