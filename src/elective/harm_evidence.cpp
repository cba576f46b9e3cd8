#include "elective/harm_evidence.h"

#include <array>
#include <string_view>

#include "core/date.h"
#include "elective/ptl_period.h"

namespace severn::elective {
namespace {

// Bits of register_mask_: the 17 coded registers of library:segmentation (cancer is read from
// NCRAS), their three resolution lists, the frailty lists and learning disability.
enum Bit : int {
  kHyp, kDm, kCopd, kCkd, kChd, kAf, kHf, kStroke, kPad, kAsthma, kSmi, kDepr, kDem, kLd, kEpil, kOsteo, kRarth,
  kCodedRegisters,  // = 17
  kHypRes = kCodedRegisters, kDmRes, kCopdRes, kMildFrail, kModFrail, kSevFrail,
};

struct ListBits {
  const char* list;
  int bit;
};
constexpr std::array<ListBits, 24> kLists{{
    {"nhsd-primary-care-domain-refsets-hyp_cod", kHyp},      {"nhsd-primary-care-domain-refsets-dm_cod", kDm},
    {"nhsd-primary-care-domain-refsets-copd_cod", kCopd},    {"nhsd-primary-care-domain-refsets-ckd_cod", kCkd},
    {"nhsd-primary-care-domain-refsets-chd_cod", kChd},      {"nhsd-primary-care-domain-refsets-afib_cod", kAf},
    {"nhsd-primary-care-domain-refsets-hf_cod", kHf},        {"nhsd-primary-care-domain-refsets-strk_cod", kStroke},
    {"nhsd-primary-care-domain-refsets-tia_cod", kStroke},   {"nhsd-primary-care-domain-refsets-pad_cod", kPad},
    {"nhsd-primary-care-domain-refsets-ast_cod", kAsthma},   {"nhsd-primary-care-domain-refsets-mh_cod", kSmi},
    {"nhsd-primary-care-domain-refsets-depr_cod", kDepr},    {"nhsd-primary-care-domain-refsets-dem_cod", kDem},
    {"nhsd-primary-care-domain-refsets-ld_cod", kLd},        {"nhsd-primary-care-domain-refsets-epil_cod", kEpil},
    {"nhsd-primary-care-domain-refsets-osteo_cod", kOsteo},  {"nhsd-primary-care-domain-refsets-rarth_cod", kRarth},
    {"nhsd-primary-care-domain-refsets-hypres_cod", kHypRes}, {"nhsd-primary-care-domain-refsets-dmres_cod", kDmRes},
    {"nhsd-primary-care-domain-refsets-copdres_cod", kCopdRes},
    {"nhsd-primary-care-domain-refsets-mildfrail_cod", kMildFrail},
    {"nhsd-primary-care-domain-refsets-modfrail_cod", kModFrail},
    {"nhsd-primary-care-domain-refsets-sevfrail_cod", kSevFrail},
}};

// Emergency admission methods (NHS Data Dictionary ADMISSION METHOD; library:segmentation).
constexpr std::array<std::string_view, 10> kEmergencyMethods{"21", "22", "23", "24", "25", "28", "2A", "2B", "2C", "2D"};

std::span<const std::uint64_t> rows_of(const store::TableView& t, std::uint32_t person) {
  return t.person_offsets().subspan(person, 2);
}

}  // namespace

const char* frailty_name(Frailty f) {
  switch (f) {
    case Frailty::kNoneRecorded: return "none recorded";
    case Frailty::kMild: return "mild";
    case Frailty::kModerate: return "moderate";
    case Frailty::kSevere: return "severe";
  }
  return "";
}

std::string ethnicity_group(std::string_view code) {
  // NHS Data Dictionary ETHNIC CATEGORY grouped as the ONS 2001 census 5+1 groups, as
  // src/query/reference.cpp groups Severn's ethnicity_group column.
  if (code.size() != 1) return "unknown";
  switch (code[0]) {
    case 'A': case 'B': case 'C': return "White";
    case 'D': case 'E': case 'F': case 'G': return "Mixed";
    case 'H': case 'J': case 'K': case 'L': return "Asian or Asian British";
    case 'M': case 'N': case 'P': return "Black or Black British";
    case 'R': case 'S': return "Other ethnic groups";
    case 'Z': return "Not stated";
    default: return "unknown";
  }
}

LinkedRecord::LinkedRecord(const store::Store& store, const refdata::CodelistLibrary& codelists,
                           const refdata::Geography& geography)
    : store_(store) {
  if (store.manifest().find_dictionary("snomedct") != nullptr) {
    const store::Dictionary& snomed = store.dictionary("snomedct");
    register_mask_.assign(snomed.size(), 0);
    for (const auto& l : kLists)
      for (const auto& code : codelists.get(l.list).codes)
        if (const auto id = snomed.find(code); id >= 0) register_mask_[static_cast<std::size_t>(id)] |= 1u << l.bit;
  }
  if (store.manifest().find_dictionary("apcs.admission_method") != nullptr) {
    const store::Dictionary& methods = store.dictionary("apcs.admission_method");
    emergency_method_.assign(methods.size(), 0);
    for (const auto m : kEmergencyMethods)
      if (const auto id = methods.find(m); id >= 0) emergency_method_[static_cast<std::size_t>(id)] = 1;
  }
  const store::TableView& patients = store.table("patients");
  const store::Dictionary& lsoas = store.dictionary(patients.column("lsoa21_code").entry().dictionary);
  imd_by_lsoa_.assign(lsoas.size(), 0);
  for (std::uint32_t i = 0; i < lsoas.size(); ++i)
    if (const refdata::Lsoa* l = geography.find(std::string(lsoas[i]))) imd_by_lsoa_[i] = l->imd_decile;
  const store::Dictionary& ethnic = store.dictionary(patients.column("ethnic_category").entry().dictionary);
  for (std::uint32_t i = 0; i < ethnic.size(); ++i) ethnicity_by_id_.push_back(ethnicity_group(ethnic[i]));
}

PersonAttributes LinkedRecord::attributes(std::uint32_t person, Days on) const {
  PersonAttributes a;
  const store::TableView& patients = store_.table("patients");
  a.imd_decile = imd_by_lsoa_[patients.column("lsoa21_code").values<std::uint32_t>()[person]];
  a.ethnicity_group = ethnicity_by_id_[patients.column("ethnic_category").values<std::uint32_t>()[person]];
  const Days birth = patients.column("date_of_birth").values<Days>()[person];
  if (birth <= on) a.age = age_in_years(birth, on);
  static constexpr char kHex[] = "0123456789abcdef";
  const auto pseudonyms = patients.column("pseudonym").values<std::uint8_t>();
  a.pseudonym.resize(64);
  for (std::size_t i = 0; i < 32; ++i) {
    const std::uint8_t x = pseudonyms[person * 32 + i];
    a.pseudonym[2 * i] = kHex[x >> 4];
    a.pseudonym[2 * i + 1] = kHex[x & 15];
  }
  if (store_.has_table("clinical_events") && !register_mask_.empty()) {
    const store::TableView& events = store_.table("clinical_events");
    const auto dates = events.column("date").values<Days>();
    const auto codes = events.column("snomedct_code").values<std::uint32_t>();
    const auto r = rows_of(events, person);
    for (std::uint64_t row = r[0]; row < r[1] && dates[row] <= on; ++row)
      if (register_mask_[codes[row]] & (1u << kLd)) {
        a.learning_disability = true;
        break;
      }
  }
  return a;
}

HarmEvidence LinkedRecord::harm(std::uint32_t person, Days clock_start, Days on) const {
  HarmEvidence h;
  if (store_.has_table("clinical_events") && !register_mask_.empty()) {
    const store::TableView& events = store_.table("clinical_events");
    const auto dates = events.column("date").values<Days>();
    const auto codes = events.column("snomedct_code").values<std::uint32_t>();
    std::array<Days, kSevFrail + 1> first, last;
    first.fill(kNoDate);
    last.fill(kNoDate);
    Frailty frailty = Frailty::kNoneRecorded;
    const auto r = rows_of(events, person);
    // Rows are sorted by date within the person, so the last frailty code seen is the latest.
    for (std::uint64_t row = r[0]; row < r[1] && dates[row] <= on; ++row) {
      const std::uint32_t m = register_mask_[codes[row]];
      if (m == 0) continue;
      for (int b = 0; b <= kSevFrail; ++b) {
        if (!(m & (1u << b))) continue;
        if (first[b] == kNoDate) first[b] = dates[row];
        last[b] = dates[row];
      }
      // A code in more than one frailty list counts as the most severe (library:segmentation's order).
      if (m & (1u << kSevFrail)) frailty = Frailty::kSevere;
      else if (m & (1u << kModFrail)) frailty = Frailty::kModerate;
      else if (m & (1u << kMildFrail)) frailty = Frailty::kMild;
    }
    h.frailty = frailty;
    for (int b = 0; b < kCodedRegisters; ++b) {
      if (first[b] == kNoDate) continue;
      const int res = b == kHyp ? kHypRes : b == kDm ? kDmRes : b == kCopd ? kCopdRes : -1;
      if (res >= 0 && last[res] != kNoDate && last[res] >= last[b]) continue;  // resolved (library:segmentation)
      ++h.long_term_conditions;
      if (first[b] > clock_start) ++h.new_long_term_conditions;
    }
  }
  if (store_.has_table("cancer_registrations")) {
    const store::TableView& cancer = store_.table("cancer_registrations");
    const auto dates = cancer.column("diagnosis_date").values<Days>();
    const auto r = rows_of(cancer, person);
    if (r[0] < r[1] && dates[r[0]] <= on) {
      ++h.long_term_conditions;
      if (dates[r[0]] > clock_start) ++h.new_long_term_conditions;
    }
  }
  if (store_.has_table("apcs") && !emergency_method_.empty()) {
    const store::TableView& apcs = store_.table("apcs");
    const auto dates = apcs.column("admission_date").values<Days>();
    const auto methods = apcs.column("admission_method").values<std::uint32_t>();
    const auto r = rows_of(apcs, person);
    for (std::uint64_t row = r[0]; row < r[1] && dates[row] <= on; ++row)
      if (dates[row] > clock_start && emergency_method_[methods[row]]) ++h.emergency_admissions;
  }
  if (store_.has_table("ec")) {
    const store::TableView& ec = store_.table("ec");
    const auto dates = ec.column("arrival_date").values<Days>();
    const auto r = rows_of(ec, person);
    for (std::uint64_t row = r[0]; row < r[1] && dates[row] <= on; ++row)
      if (dates[row] > clock_start) ++h.ae_attendances;
  }
  return h;
}

}  // namespace severn::elective
