// Measures of rows (`measure NAME over TABLE`): what the checker refuses, with the exact text, and
// what it accepts (the row's columns by name, the person's values, row-column breakdowns).
#include <gtest/gtest.h>

#include "lang_fixture.h"

namespace severn::lang::testing {
namespace {

const std::string kIntervals = "  intervals yearly from 2024-04-01 to 2025-03-31\n";

std::string measure(const std::string& line) { return "population true\n" + line + "\n" + kIntervals; }

TEST(RowMeasureErrors, OverAnUnknownTableWithDidYouMean) {
  LangScratch s;
  EXPECT_EQ(s.check(measure("measure m over wl_pathway numerator true denominator true")),
            "DIR/def.sev:2:16: error: measure 'm' is over 'wl_pathway', which is not an event table\n"
            " 2 | measure m over wl_pathway numerator true denominator true\n"
            "   |                ^\n"
            "  did you mean 'wl_pathways'?\n");
}

TEST(RowMeasureErrors, OverPatientsIsAPersonMeasure) {
  LangScratch s;
  EXPECT_EQ(s.check(measure("measure m over patients numerator true denominator true")),
            "DIR/def.sev:2:16: error: measure 'm' is over patients, which is what a measure counts without 'over'\n"
            " 2 | measure m over patients numerator true denominator true\n"
            "   |                ^\n"
            "  remove 'over patients'; 'over' names an event table whose rows are counted, e.g. 'over wl_pathways'\n");
}

TEST(RowMeasureErrors, OnlyAProportionApplies) {
  LangScratch s;
  for (const char* stat : {"rate", "dsr", "rate per 1000"}) {
    const std::string text = "population true\nmeasure m over wl_pathways numerator true denominator true\n  stats " +
                              std::string(stat) + "\n" + kIntervals;
    EXPECT_NE(s.check(text).find("DIR/def.sev:3:3: error: measure 'm' counts rows of wl_pathways, so only a proportion applies"),
              std::string::npos)
        << stat;
  }
  EXPECT_EQ(s.check("population true\nmeasure m over wl_pathways numerator true denominator true\n"
                    "  stats proportion per 100 confidence 0.998\n" + kIntervals),
            "");
}

TEST(RowMeasureErrors, NoSlopeIndexOfRows) {
  LangScratch s;
  EXPECT_EQ(s.check("population true\nmeasure m over wl_pathways numerator true denominator true\n"
                    "  stats proportion, sii by imd_decile\n" + kIntervals),
            "DIR/def.sev:3:28: error: measure 'm' counts rows of wl_pathways, and the slope index of inequality is "
            "taken over persons\n"
            " 3 |   stats proportion, sii by imd_decile\n"
            "   |                            ^\n"
            "  the SII weights deprivation groups by their share of the population's persons; break the measure down "
            "with 'by imd_quintile' instead\n");
}

TEST(RowMeasureErrors, ByADecimalOrDateColumnOfTheTable) {
  LangScratch s;
  EXPECT_EQ(s.check(measure("measure m over clinical_events numerator true denominator true by value")),
            "DIR/def.sev:2:67: error: 'value' is a float column of clinical_events and cannot group a measure\n"
            " 2 | measure m over clinical_events numerator true denominator true by value\n"
            "   |                                                                   ^\n"
            "  group by a column of type bool, int, string or code (provider, treatment_function, priority ...), a "
            "built-in group column or a let\n");
  EXPECT_NE(s.check(measure("measure m over wl_pathways numerator true denominator true by clock_start_date"))
                .find("error: 'clock_start_date' is a date column of wl_pathways and cannot group a measure"),
            std::string::npos);
  // A list column (several codes per row) cannot group either.
  EXPECT_NE(s.check(measure("measure m over apcs numerator true denominator true by secondary_diagnoses"))
                .find("error: 'secondary_diagnoses' is a list of code (ICD-10 / OPCS-4) column of apcs"),
            std::string::npos);
}

TEST(RowMeasureErrors, AFrameWhereARowsConditionIsNeeded) {
  LangScratch s;
  EXPECT_EQ(s.check(measure("measure m over wl_pathways numerator true denominator wl_pathways.where(clock_stop_date is null)")),
            "DIR/def.sev:2:67: error: the denominator of measure 'm' is tested on each row of wl_pathways, but this is "
            "a frame of wl_pathways\n"
            " 2 | measure m over wl_pathways numerator true denominator wl_pathways.where(clock_stop_date is null)\n"
            "   |                                                                   ^\n"
            "  write the condition on the row's own columns, e.g. 'clock_stop_date is null'\n");
  EXPECT_NE(s.check(measure("measure m over wl_pathways numerator apcs.latest() denominator true"))
                .find("error: the numerator of measure 'm' is tested on each row of wl_pathways, but this is a row of apcs"),
            std::string::npos);
}

TEST(RowMeasureErrors, RowsOfAnotherTable) {
  LangScratch s;
  EXPECT_EQ(s.check(measure("measure m over wl_pathways numerator apcs.admission_date > index_date denominator true")),
            "DIR/def.sev:2:58: error: the numerator of measure 'm' is tested on each row of wl_pathways, but this has "
            "a value per row of apcs\n"
            " 2 | measure m over wl_pathways numerator apcs.admission_date > index_date denominator true\n"
            "   |                                                          ^\n"
            "  aggregate rows of apcs to one value per person first, e.g. with .exists() or .max(...)\n");
  EXPECT_NE(s.check(measure("measure m over wl_pathways numerator apcs.admission_date > clock_start_date denominator true"))
                .find("error: this mixes rows of apcs with rows of wl_pathways"),
            std::string::npos);
}

TEST(RowMeasureErrors, ConditionsAreTrueOrFalse) {
  LangScratch s;
  EXPECT_EQ(s.check(measure("measure m over wl_pathways numerator clock_start_date denominator true")),
            "DIR/def.sev:2:38: error: the numerator must be true or false, but this is date per row of wl_pathways\n"
            " 2 | measure m over wl_pathways numerator clock_start_date denominator true\n"
            "   |                                      ^\n");
}

TEST(RowMeasureErrors, APersonMeasureCannotReadARowsColumn) {
  LangScratch s;
  EXPECT_NE(s.check(measure("measure m numerator clock_stop_date is null denominator true"))
                .find("error: unknown name 'clock_stop_date'"),
            std::string::npos);
}

TEST(RowMeasureErrors, WhatARowMeasureMayRead) {
  LangScratch s;
  CheckedDefinition d;
  // The row's columns, lets and patients of its person, another table aggregated per person, the
  // same table aggregated (all of the person's rows), and groups of the row and of the person.
  EXPECT_EQ(s.check("let older = patients.age_on(index_date) >= 65\n"
                    "let provider = \"hidden by the column\"\n"
                    "population registered_on(index_date)\n"
                    "measure m over wl_pathways\n"
                    "  numerator index_date - clock_start_date <= 126 and older\n"
                    "  denominator clock_stop_date is null and apcs.where(admission_date >= index_date - 1 year).exists()\n"
                    "    and wl_pathways.where(clock_stop_date is null).count() >= 1\n"
                    "  by provider, treatment_function, priority, older, imd_quintile\n" +
                        kIntervals,
                    &d),
            "");
  ASSERT_EQ(d.definition.measures.size(), 1u);
  EXPECT_EQ(d.definition.measures[0].over, "wl_pathways");
}

}  // namespace
}  // namespace severn::lang::testing
