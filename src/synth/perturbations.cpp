#include "synth/perturbations.h"

#include <algorithm>
#include <utility>

#include "synth/names.h"

namespace severn::synth {
namespace {

// Shares of date-of-birth errors by kind, where each is possible. Transposed day and month and
// a day out are the commonest keying errors in dates; a year out is rarer. An assumption.
constexpr double kDaySwapWeight = 0.4, kOneDayWeight = 0.4, kYearWeight = 0.2;

Days with_year(Days birth, int years) {
  const CivilDate c = civil_from_days(birth);
  const int year = c.year + years;
  return days_from_civil(year, c.month, std::min(c.day, days_in_month(year, c.month)));
}

void family_name_errors(PartnerRecord& rec, const Identity& id, const PerturbationRates& r, Rng& rng) {
  using P = Perturbation;
  rec.family_name = id.family_name;
  if (id.birth_family_name != id.family_name) {
    rec.chance[static_cast<int>(P::kPreviousFamilyName)] = static_cast<float>(r.previous_family_name);
    if (rng.bernoulli(r.previous_family_name)) {
      rec.family_name = id.birth_family_name;
      rec.mark(P::kPreviousFamilyName);
    } else if (rng.bernoulli(r.keeps_previous_family_name)) {
      rec.previous_family_name = id.birth_family_name;
    }
  }
  const std::size_t split = rec.family_name.find_first_of("- ");
  if (split != std::string::npos) {
    rec.chance[static_cast<int>(P::kFamilyNameOnePart)] = static_cast<float>(r.family_name_one_part);
    if (rng.bernoulli(r.family_name_one_part)) {
      rec.family_name = rng.bernoulli(0.5) ? rec.family_name.substr(0, split) : rec.family_name.substr(split + 1);
      rec.mark(P::kFamilyNameOnePart);
    } else {
      rec.chance[static_cast<int>(P::kFamilyNameHyphenation)] = static_cast<float>(r.family_name_hyphenation);
      if (rng.bernoulli(r.family_name_hyphenation)) {
        // Smith-Jones as Smith Jones or SmithJones; Lloyd Webber as Lloyd-Webber.
        std::string& n = rec.family_name;
        if (n[split] == ' ') n[split] = '-';
        else if (rng.bernoulli(0.5)) n[split] = ' ';
        else n.erase(split, 1);
        rec.mark(P::kFamilyNameHyphenation);
      }
    }
  }
  rec.chance[static_cast<int>(P::kFamilyNameTypo)] = static_cast<float>(r.name_typo);
  if (rng.bernoulli(r.name_typo)) {
    rec.family_name = typo(rng, rec.family_name);
    rec.mark(P::kFamilyNameTypo);
  }
}

void given_name_errors(PartnerRecord& rec, const Person& person, const Identity& id, const PerturbationRates& r,
                       const Nicknames& nicknames, Rng& rng) {
  using P = Perturbation;
  rec.given_name = id.given_name;
  if (const auto* variants = nicknames.variants(id.given_name, person.sex)) {
    rec.chance[static_cast<int>(P::kGivenNameNickname)] = static_cast<float>(r.nickname);
    if (rng.bernoulli(r.nickname)) {
      rec.given_name = (*variants)[rng.below(variants->size())];
      rec.mark(P::kGivenNameNickname);
    }
  }
  rec.chance[static_cast<int>(P::kGivenNameTypo)] = static_cast<float>(r.name_typo);
  if (rng.bernoulli(r.name_typo)) {
    rec.given_name = typo(rng, rec.given_name);
    rec.mark(P::kGivenNameTypo);
  }
}

void postcode_errors(PartnerRecord& rec, const Identity& id, const PerturbationRates& r, Rng& rng) {
  using P = Perturbation;
  rec.postcode = id.postcode;
  if (!id.previous_postcode.empty()) {
    rec.chance[static_cast<int>(P::kPreviousPostcode)] = static_cast<float>(r.previous_postcode);
    if (rng.bernoulli(r.previous_postcode)) {
      rec.postcode = id.previous_postcode;
      rec.mark(P::kPreviousPostcode);
    } else if (rng.bernoulli(r.keeps_previous_postcode)) {
      rec.previous_postcode = id.previous_postcode;
    }
  }
  rec.chance[static_cast<int>(P::kPostcodeMissing)] = static_cast<float>(r.postcode_missing);
  if (rng.bernoulli(r.postcode_missing)) {
    rec.postcode.clear();
    rec.mark(P::kPostcodeMissing);
    return;
  }
  rec.chance[static_cast<int>(P::kPostcodeTypo)] = static_cast<float>(r.postcode_typo);
  if (rng.bernoulli(r.postcode_typo)) {
    rec.postcode = postcode_typo(rng, rec.postcode);
    rec.mark(P::kPostcodeTypo);
  }
}

void date_of_birth_errors(PartnerRecord& rec, const Person& person, const PerturbationRates& r, Days latest,
                          Rng& rng) {
  using P = Perturbation;
  rec.birth = person.birth;
  const CivilDate c = civil_from_days(person.birth);
  const Days swapped = c.day <= 12 && c.day != c.month ? days_from_civil(c.year, c.day, c.month) : latest + 1;
  const double swap_w = swapped <= latest ? kDaySwapWeight : 0;
  const double total = swap_w + kOneDayWeight + kYearWeight;
  rec.chance[static_cast<int>(P::kDateOfBirthDayMonthSwapped)] = static_cast<float>(r.date_of_birth_error * swap_w / total);
  rec.chance[static_cast<int>(P::kDateOfBirthOffByOneDay)] = static_cast<float>(r.date_of_birth_error * kOneDayWeight / total);
  rec.chance[static_cast<int>(P::kDateOfBirthYearOff)] = static_cast<float>(r.date_of_birth_error * kYearWeight / total);
  if (!rng.bernoulli(r.date_of_birth_error)) return;
  const double w[] = {swap_w, kOneDayWeight, kYearWeight};
  switch (rng.weighted(w)) {
    case 0:
      rec.birth = swapped;
      rec.mark(P::kDateOfBirthDayMonthSwapped);
      break;
    case 1: {
      const Days later = person.birth + 1;
      rec.birth = rng.bernoulli(0.5) && later <= latest ? later : person.birth - 1;
      rec.mark(P::kDateOfBirthOffByOneDay);
      break;
    }
    default: {
      const Days later = with_year(person.birth, 1);
      rec.birth = rng.bernoulli(0.5) && later <= latest ? later : with_year(person.birth, -1);
      rec.mark(P::kDateOfBirthYearOff);
    }
  }
}

}  // namespace

const char* perturbation_name(Perturbation p) {
  switch (p) {
    case Perturbation::kNhsNumberMissing: return "nhs_number_missing";
    case Perturbation::kNhsNumberMistyped: return "nhs_number_mistyped";
    case Perturbation::kPreviousFamilyName: return "previous_family_name";
    case Perturbation::kFamilyNameOnePart: return "family_name_one_part";
    case Perturbation::kFamilyNameHyphenation: return "family_name_hyphenation";
    case Perturbation::kFamilyNameTypo: return "family_name_typo";
    case Perturbation::kGivenNameNickname: return "given_name_nickname";
    case Perturbation::kGivenNameTypo: return "given_name_typo";
    case Perturbation::kNamesSwapped: return "names_swapped";
    case Perturbation::kPreviousPostcode: return "previous_postcode";
    case Perturbation::kPostcodeMissing: return "postcode_missing";
    case Perturbation::kPostcodeTypo: return "postcode_typo";
    case Perturbation::kDateOfBirthDayMonthSwapped: return "date_of_birth_day_month_swapped";
    case Perturbation::kDateOfBirthOffByOneDay: return "date_of_birth_off_by_one_day";
    case Perturbation::kDateOfBirthYearOff: return "date_of_birth_year_off";
    case Perturbation::kDuplicateRecord: return "duplicate_record";
    case Perturbation::kCount: break;
  }
  return "?";
}

std::string PartnerRecord::discrepancies() const {
  std::string out;
  for (int k = 0; k < kPerturbationCount; ++k) {
    if (!has(static_cast<Perturbation>(k))) continue;
    if (!out.empty()) out += ';';
    out += perturbation_name(static_cast<Perturbation>(k));
  }
  return out;
}

PartnerRecord perturbed_copy(const Person& person, const Identity& id, const PerturbationRates& r,
                             const Nicknames& nicknames, Days latest_birth, Rng& rng) {
  using P = Perturbation;
  PartnerRecord rec;
  rec.nhs_number = id.nhs_number;
  rec.chance[static_cast<int>(P::kNhsNumberMissing)] = static_cast<float>(r.nhs_missing);
  rec.chance[static_cast<int>(P::kNhsNumberMistyped)] = static_cast<float>(r.nhs_mistyped);
  const double u = rng.uniform();
  if (u < r.nhs_missing) {
    rec.nhs_number.clear();
    rec.mark(P::kNhsNumberMissing);
  } else if (u < r.nhs_missing + r.nhs_mistyped) {
    rec.nhs_number = mistype_digits(rng, id.nhs_number);
    rec.mark(P::kNhsNumberMistyped);
  }
  family_name_errors(rec, id, r, rng);
  given_name_errors(rec, person, id, r, nicknames, rng);
  rec.chance[static_cast<int>(P::kNamesSwapped)] = static_cast<float>(r.names_swapped);
  if (rng.bernoulli(r.names_swapped)) {
    std::swap(rec.family_name, rec.given_name);
    rec.mark(P::kNamesSwapped);
  }
  postcode_errors(rec, id, r, rng);
  date_of_birth_errors(rec, person, r, latest_birth, rng);
  return rec;
}

}  // namespace severn::synth
