#include "synth/person.h"

namespace severn::synth {

const char* condition_name(Condition c) {
  switch (c) {
    case Condition::kHypertension: return "hypertension";
    case Condition::kDiabetes: return "diabetes";
    case Condition::kNdh: return "non_diabetic_hyperglycaemia";
    case Condition::kCkd: return "ckd_3_5";
    case Condition::kChd: return "coronary_heart_disease";
    case Condition::kAf: return "atrial_fibrillation";
    case Condition::kStrokeTia: return "stroke_tia";
    case Condition::kHeartFailure: return "heart_failure";
    case Condition::kPad: return "peripheral_arterial_disease";
    case Condition::kOtherCirculatory: return "other_circulatory";
    case Condition::kAsthma: return "asthma";
    case Condition::kCopd: return "copd";
    case Condition::kSmi: return "severe_mental_illness";
    case Condition::kDepression: return "depression";
    case Condition::kDementia: return "dementia";
    case Condition::kLearningDisability: return "learning_disability";
    case Condition::kEpilepsy: return "epilepsy";
    case Condition::kCancer: return "cancer";
    case Condition::kOsteoporosis: return "osteoporosis";
    case Condition::kRheumatoidArthritis: return "rheumatoid_arthritis";
    case Condition::kCount: break;
  }
  return "?";
}

}  // namespace severn::synth
