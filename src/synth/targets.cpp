#include "synth/targets.h"

namespace severn::synth {

Targets load_targets(const std::vector<refdata::PublishedFigure>& f) {
  using refdata::find_figure;
  Targets t;
  auto fig = [&](const char* id) -> const refdata::PublishedFigure& { return find_figure(f, id); };
  auto src = [&](const char* id) { return fig(id).source + " (" + id + ")"; };
  t.aged_65_plus_pct = fig("JFP02").value;
  t.hypertension = fig("JFP03").value;
  t.atrial_fibrillation = fig("JFP04").value;
  t.diabetes = fig("JFP05").value;
  t.diabetes_type2_pct = fig("JFP06").value;
  t.circulatory = fig("JFP08").value;
  t.rtt_open = fig("JFP09").value;
  t.rtt_over_18w_pct = fig("JFP10").value;
  t.cvd_deaths_per_month = fig("JFP11").value;
  t.cancer_early_stage_pct = fig("JFP12").value;
  t.all = {
      {"aged_65_plus", "people aged 65 or over", t.aged_65_plus_pct, true, src("JFP02")},
      {"hypertension", "people with diagnosed hypertension", t.hypertension, false, src("JFP03")},
      {"atrial_fibrillation", "people with atrial fibrillation", t.atrial_fibrillation, false,
       src("JFP04")},
      {"diabetes", "people with diagnosed diabetes", t.diabetes, false, src("JFP05")},
      {"diabetes_type2", "type 2 share of diabetes", t.diabetes_type2_pct, true, src("JFP06")},
      {"circulatory", "people with heart and circulatory disease", t.circulatory, false,
       src("JFP08")},
      {"cvd_deaths", "deaths from circulatory disease per month", t.cvd_deaths_per_month, false,
       src("JFP11")},
      {"rtt_open", "open RTT pathways on 2024-12-31", t.rtt_open, false, src("JFP09")},
      {"rtt_over_18w", "open RTT pathways waiting over 18 weeks", t.rtt_over_18w_pct, true,
       src("JFP10")},
      {"cancer_early_stage", "staged cancers diagnosed at stage 1 or 2", t.cancer_early_stage_pct,
       true, src("JFP12")},
  };
  return t;
}

// Approximate England register prevalence from the QOF 2023-24 publication (NHS England,
// "Quality and Outcomes Framework, 2023-24"), rounded. STW's own QOF figures are not in the
// reference pack, and the QOF data file could not be checked in this environment, so these are
// marked approximate wherever they are shown (docs/sources/qof-and-national-figures.md).
const std::vector<QofRate>& qof_rates() {
  static const std::vector<QofRate> rates = {
      {"coronary_heart_disease", 0, 0.030, "approx. England QOF 2023-24 CHD register (unverified)"},
      {"stroke_tia", 0, 0.019, "approx. England QOF 2023-24 stroke and TIA register (unverified)"},
      {"heart_failure", 0, 0.011, "approx. England QOF 2023-24 heart failure register (unverified)"},
      {"peripheral_arterial_disease", 0, 0.006, "approx. England QOF 2023-24 PAD register (unverified)"},
      {"asthma", 6, 0.065, "approx. England QOF 2023-24 asthma register (6+) (unverified)"},
      {"copd", 0, 0.019, "approx. England QOF 2023-24 COPD register (unverified)"},
      {"ckd_3_5", 18, 0.042, "approx. England QOF 2023-24 CKD register (18+) (unverified)"},
      {"severe_mental_illness", 0, 0.010, "approx. England QOF 2023-24 mental health register (unverified)"},
      {"learning_disability", 0, 0.006, "approx. England QOF 2023-24 learning disability register (unverified)"},
      {"depression", 18, 0.133, "approx. England QOF 2023-24 depression register (18+) (unverified)"},
      {"epilepsy", 18, 0.008, "approx. England QOF 2023-24 epilepsy register (18+) (unverified)"},
      {"cancer", 0, 0.036, "approx. England QOF 2023-24 cancer register (unverified)"},
      {"osteoporosis", 50, 0.010, "approx. England QOF 2023-24 osteoporosis register (50+) (unverified)"},
      {"rheumatoid_arthritis", 16, 0.008, "approx. England QOF 2023-24 rheumatoid arthritis register (16+) (unverified)"},
      {"non_diabetic_hyperglycaemia", 18, 0.060, "NDH coded in GP records, England (approximate)"},
  };
  return rates;
}

}  // namespace severn::synth
