#include "synth/gp_codes.h"

#include "core/error.h"

namespace severn::synth {

// New cancer shares and early-stage shares: rounded from Cancer Research UK incidence statistics
// and the NHS Digital/NDRS "Cancer Registration Statistics" stage breakdowns for England. The
// early-stage shares are re-weighted at run time to the STW figure (JFP12).
const std::vector<CancerSite>& cancer_sites() {
  static const std::vector<CancerSite> s = {
      {"breast", "254837009", "C50", 'F', 0.15, 0.85},
      {"prostate", "254900004", "C61", 'M', 0.14, 0.50},
      {"lung", "363358000", "C34", 'B', 0.13, 0.30},
      {"colon", "363406005", "C18", 'B', 0.07, 0.45},
      {"rectum", "363351006", "C20", 'B', 0.04, 0.45},
      {"melanoma", "93655004", "C43", 'B', 0.05, 0.90},
      {"bladder", "399326009", "C67", 'B', 0.03, 0.60},
      {"kidney", "363518003", "C64", 'B', 0.035, 0.60},
      {"pancreas", "363418001", "C25", 'B', 0.03, 0.20},
      {"stomach", "363349007", "C16", 'B', 0.018, 0.25},
      {"oesophagus", "363402007", "C15", 'B', 0.025, 0.20},
      {"uterus", "371973000", "C54", 'F', 0.03, 0.85},
      {"ovary", "363443007", "C56", 'F', 0.02, 0.35},
      {"brain", "363473003", "C71", 'B', 0.017, 0.50},
      {"thyroid", "363478007", "C73", 'B', 0.012, 0.85},
      {"liver", "187767006", "C22", 'B', 0.02, 0.30},
  };
  return s;
}

const char* efi_deficit_file(EfiDeficit d) {
  static constexpr const char* kFiles[kEfiDeficitCount] = {
      "snomed-efi-activity-limitation", "snomed-efi-anaemia", "snomed-efi-arthritis",
      "snomed-efi-care-requirement", "snomed-efi-dizziness", "snomed-efi-dyspnoea", "snomed-efi-falls",
      "snomed-efi-foot-problems", "snomed-efi-fragility-fracture", "snomed-efi-hearing-impairment",
      "snomed-efi-heart-valve-disease", "snomed-efi-housebound", "snomed-efi-hypotension-syncope",
      "snomed-efi-memory-problems", "snomed-efi-mobility-problems", "snomed-efi-parkinsonism",
      "snomed-efi-peptic-ulcer", "snomed-efi-skin-ulcer", "snomed-efi-sleep-disturbance",
      "snomed-efi-social-vulnerability", "snomed-efi-thyroid-disease", "snomed-efi-urinary-incontinence",
      "snomed-efi-urinary-system-disease", "snomed-efi-visual-impairment", "snomed-efi-weight-loss"};
  return kFiles[static_cast<int>(d)];
}

GpCodes build_gp_codes(const refdata::CodelistLibrary& lib) {
  auto L = [&](const char* name) -> const refdata::Codelist& { return lib.get(name); };
  auto pcd = [&](const char* cluster) -> const refdata::Codelist& {
    return lib.get(std::string("nhsd-primary-care-domain-refsets-") + cluster + "_cod");
  };
  const auto& ob = kObstetricTerms;
  GpCodes g;
  auto& d = g.diagnosis;
  using C = Condition;
  d[idx(C::kHypertension)] = CodePicker(pcd("hyp"), {"Essential hypertension"}, ob, 0.8);
  d[idx(C::kDiabetes)] = CodePicker(pcd("dm"), {"Diabetes mellitus"}, ob, 0.5);
  g.diabetes_type1 = CodePicker(pcd("dmtype1"), {"Diabetes mellitus type 1"}, ob, 0.8);
  g.diabetes_type2 = CodePicker(pcd("dmtype2"), {"Diabetes mellitus type 2"}, ob, 0.8);
  d[idx(C::kNdh)] = CodePicker::by_rank(pcd("ndh"));
  d[idx(C::kCkd)] = CodePicker(pcd("ckd"), {"Chronic kidney disease stage 3"}, ob, 0.8);
  g.ckd3a = CodePicker(pcd("ckd"), {"Chronic kidney disease stage 3A"}, ob, 1.0);
  g.ckd3b = CodePicker(pcd("ckd"), {"Chronic kidney disease stage 3B"}, ob, 1.0);
  g.ckd4 = CodePicker(pcd("ckd"), {"Chronic kidney disease stage 4"}, ob, 1.0);
  g.ckd5 = CodePicker(pcd("ckd"), {"Chronic kidney disease stage 5"}, ob, 1.0);
  d[idx(C::kChd)] = CodePicker(pcd("chd"), {"Ischemic heart disease", "Myocardial infarction",
                                           "Acute myocardial infarction", "Angina pectoris"},
                               ob, 0.8);
  d[idx(C::kAf)] = CodePicker(pcd("afib"), {"Atrial fibrillation", "Paroxysmal atrial fibrillation",
                                           "Persistent atrial fibrillation"},
                              ob, 0.85);
  d[idx(C::kStrokeTia)] = CodePicker(pcd("strk"), {"Cerebrovascular accident", "Cerebral infarction"},
                                     ob, 0.8);
  g.tia = CodePicker(pcd("tia"), {"Transient ischemic attack"}, ob, 0.85);
  d[idx(C::kHeartFailure)] = CodePicker(pcd("hf"), {"Heart failure", "Congestive heart failure"}, ob, 0.8);
  g.hf_lvsd = CodePicker(pcd("hflvsd"), {"Left ventricular systolic dysfunction"}, ob, 0.8);
  d[idx(C::kPad)] = CodePicker(pcd("pad"), {"Peripheral arterial disease", "Peripheral vascular disease"},
                               ob, 0.8);
  d[idx(C::kOtherCirculatory)] = CodePicker::by_rank(L("snomed-other-circulatory"));
  d[idx(C::kAsthma)] = CodePicker(pcd("ast"), {"Asthma"}, ob, 0.7);
  d[idx(C::kCopd)] = CodePicker(pcd("copd"), {"Chronic obstructive lung disease"}, ob, 0.7);
  d[idx(C::kSmi)] = CodePicker(pcd("mh"), {"Schizophrenia", "Bipolar disorder"}, ob, 0.6);
  d[idx(C::kDepression)] = CodePicker(pcd("depr"), {"Depressive disorder"}, ob, 0.6);
  d[idx(C::kDementia)] = CodePicker(pcd("dem"), {"Dementia", "Alzheimer's disease", "Vascular dementia"},
                                    ob, 0.85);
  d[idx(C::kLearningDisability)] = CodePicker(
      pcd("ld"), {"Intellectual disability", "Mild learning disability", "Moderate learning disability"},
      ob, 0.8);
  d[idx(C::kEpilepsy)] = CodePicker(pcd("epil"), {"Epilepsy"}, ob, 0.7);
  d[idx(C::kCancer)] = CodePicker(pcd("c19can"), {"Malignant neoplasm of breast"}, ob, 0.1);
  d[idx(C::kOsteoporosis)] = CodePicker(pcd("osteo"), {"Osteoporosis"}, ob, 0.8);
  d[idx(C::kRheumatoidArthritis)] = CodePicker(pcd("rarth"), {"Rheumatoid arthritis"}, ob, 0.85);
  g.hyp_resolved = CodePicker::by_rank(pcd("hypres"));
  g.dm_resolved = CodePicker::by_rank(pcd("dmres"));
  g.copd_resolved = CodePicker::by_rank(pcd("copdres"));

  g.systolic = CodePicker(L("opensafely-systolic-blood-pressure-qof"),
                          {"Systolic blood pressure", "Systolic arterial pressure",
                           "Sitting systolic blood pressure"},
                          {"ambulatory", "24 hour", "day interval", "night", "minimum", "maximum",
                           "post exercise", "baseline", "home"},
                          0.97);
  g.diastolic = CodePicker(L("user-milanwiedemann-diastolic-blood-pressure-qof"),
                           {"Diastolic blood pressure", "Diastolic arterial pressure",
                            "Sitting diastolic blood pressure"},
                           {"ambulatory", "24 hour", "day interval", "night", "minimum", "maximum",
                            "baseline", "home"},
                           0.97);
  g.hba1c = CodePicker(pcd("ifcchbam"),
                       {"Haemoglobin A1c level - International Federation of Clinical Chemistry "
                        "and Laboratory Medicine standardised"},
                       {}, 0.85);
  g.cholesterol = CodePicker(pcd("chol2"), {"Serum cholesterol level", "Serum total cholesterol level"},
                             {}, 0.85);
  g.bmi = CodePicker(pcd("bmival"), {"Body mass index"}, {"baseline"}, 0.95);
  g.obese = CodePicker(pcd("bmiobese"), {"Obese", "Body mass index 30+ - obesity"}, {}, 0.8);
  g.creatinine = CodePicker(pcd("cre"), {"Serum creatinine level"}, {}, 0.85);
  g.egfr = CodePicker::by_rank(L("snomed-egfr"));
  g.acr = CodePicker::by_rank(L("snomed-urine-acr"));
  g.current_smoker = CodePicker(pcd("lsmok"), {"Cigarette smoker", "Smoker"}, {}, 0.8);
  g.ex_smoker = CodePicker(pcd("exsmok"), {"Ex-smoker"}, {}, 0.8);
  g.never_smoker = CodePicker::by_rank(L("snomed-never-smoked"));
  g.alcohol = CodePicker::by_rank(L("snomed-alcohol-consumption"));
  g.flu = CodePicker::by_rank(L("snomed-flu-vaccination"));
  g.pneumococcal = CodePicker::by_rank(L("snomed-pneumococcal-vaccination"));
  g.covid = CodePicker::by_rank(L("snomed-covid-vaccination"));
  g.foot_check = CodePicker::by_rank(L("snomed-diabetic-foot-check"));
  g.retinal_screening = CodePicker::by_rank(L("snomed-retinal-screening"));
  g.health_check = CodePicker::by_rank(L("snomed-nhs-health-check"));
  g.qrisk = CodePicker::by_rank(L("snomed-qrisk"));
  g.asthma_review = CodePicker::by_rank(L("snomed-asthma-review"));
  g.copd_review = CodePicker::by_rank(L("snomed-copd-review"));
  g.mild_frailty = CodePicker::by_rank(pcd("mildfrail"));
  g.moderate_frailty = CodePicker::by_rank(pcd("modfrail"));
  g.severe_frailty = CodePicker::by_rank(pcd("sevfrail"));
  g.care_home = CodePicker(pcd("carehome"), {"Lives in care home", "Living in residential institution"},
                           {}, 0.9);
  g.palliative = CodePicker(pcd("palcare"), {"Palliative care"}, {}, 0.6);

  for (int k = 0; k < kEfiDeficitCount; ++k)
    g.efi_deficit[static_cast<std::size_t>(k)] = CodePicker::by_rank(L(efi_deficit_file(static_cast<EfiDeficit>(k))));

  const auto& can = pcd("c19can");
  const auto& haem = pcd("c19haemcan");
  for (const auto& site : cancer_sites()) {
    const std::string* found = nullptr;
    for (const auto* list : {&can, &haem})
      for (std::size_t i = 0; i < list->codes.size() && !found; ++i)
        if (list->codes[i] == site.snomed) found = &list->codes[i];
    if (!found)
      throw InputError(std::string("cancer site code ") + site.snomed +
                       " is not in the C19CAN/C19HAEMCAN code lists");
    g.cancer_snomed.push_back(found);
  }

  g.acei = CodePicker::by_rank(L("dmd-ace-inhibitors"));
  g.arb = CodePicker::by_rank(L("dmd-arbs"));
  g.ccb = CodePicker::by_rank(L("dmd-calcium-channel-blockers"));
  g.thiazide = CodePicker::by_rank(L("dmd-thiazide-diuretics"));
  g.beta_blocker = CodePicker::by_rank(L("dmd-beta-blockers"));
  g.doac = CodePicker::by_rank(L("dmd-anticoagulants-doac"));
  g.warfarin = CodePicker::by_rank(L("dmd-warfarin"));
  // Statin intensity (NICE NG238 / CG181 table): high = atorvastatin 20-80 mg, rosuvastatin
  // 10-40 mg; medium = atorvastatin 10 mg, simvastatin 20-40 mg, rosuvastatin 5 mg; low =
  // simvastatin 10 mg, pravastatin, fluvastatin. Generic VMP names from the pack's statin list.
  const auto& st = L("opensafely-statin-medication");
  g.statin_high = CodePicker(st, {"Atorvastatin 20mg tablets", "Atorvastatin 40mg tablets",
                                  "Atorvastatin 80mg tablets", "Rosuvastatin 10mg tablets"},
                             {"("}, 1.0);
  g.statin_medium = CodePicker(st, {"Simvastatin 40mg tablets", "Simvastatin 20mg tablets",
                                    "Atorvastatin 10mg tablets", "Rosuvastatin 5mg tablets"},
                               {"("}, 1.0);
  g.statin_low = CodePicker(st, {"Simvastatin 10mg tablets", "Pravastatin 10mg tablets",
                                 "Pravastatin 20mg tablets"},
                            {"("}, 1.0);
  g.saba = CodePicker::by_rank(L("dmd-saba"));
  g.ics = CodePicker::by_rank(L("dmd-ics-inhalers"));
  g.ics_laba = CodePicker::by_rank(L("dmd-ics-laba"));
  g.metformin = CodePicker::by_rank(L("dmd-metformin"));
  g.sulfonylurea = CodePicker::by_rank(L("dmd-sulfonylureas"));
  g.sglt2 = CodePicker::by_rank(L("dmd-sglt2"));
  g.dpp4 = CodePicker::by_rank(L("dmd-dpp4"));
  g.insulin = CodePicker::by_rank(L("dmd-insulin"));
  g.antipsychotic = CodePicker::by_rank(L("dmd-antipsychotics"));
  g.antidepressant = CodePicker::by_rank(L("dmd-antidepressants"));
  g.antiepileptic = CodePicker::by_rank(L("dmd-antiepileptics"));
  g.alcohol_problem = CodePicker::by_rank(L("snomed-alcohol-problems"));
  g.ibs = CodePicker::by_rank(L("snomed-irritable-bowel-syndrome"));
  g.laxative = CodePicker::by_rank(L("dmd-laxatives"));
  g.antispasmodic = CodePicker::by_rank(L("dmd-antispasmodics"));
  g.opioid = CodePicker::by_rank(L("dmd-opioid-analgesics"));
  g.gabapentinoid = CodePicker::by_rank(L("dmd-gabapentinoids"));
  return g;
}

}  // namespace severn::synth
