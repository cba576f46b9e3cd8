#include "synth/partners.h"

#include "synth/names.h"

namespace severn::synth {
namespace {

struct ErrorRates {
  double nhs_missing, nhs_wrong, name_typo, old_postcode, dob_error, duplicate;
};

// Data-quality rates by partner. NHS number completeness is high in hospital data (SUS) and
// lower in community and especially social care records, where linkage is hardest.
constexpr ErrorRates kRates[kPartnerCount] = {
    {0.020, 0.004, 0.020, 0.40, 0.004, 0.006},  // acute
    {0.010, 0.003, 0.015, 0.40, 0.003, 0.004},  // orthopaedic
    {0.040, 0.006, 0.030, 0.50, 0.006, 0.008},  // community
    {0.100, 0.008, 0.030, 0.50, 0.008, 0.012},  // Shropshire Council
    {0.100, 0.008, 0.030, 0.50, 0.008, 0.012},  // Telford and Wrekin Council
};

std::string local_id(Partner p, std::uint32_t person, int copy) {
  // A bijection of person ids onto 9 digits, so ids carry no order and never collide.
  const std::uint64_t m = 1000000000ull;
  const std::uint64_t k = 387420489ull;  // 3^18: coprime with 10^9
  const std::uint64_t x = ((static_cast<std::uint64_t>(person) + static_cast<std::uint64_t>(copy) * 900000ull) * k +
                           123456789ull) % m;
  std::string digits = std::to_string(x);
  digits.insert(0, 9 - digits.size(), '0');
  static constexpr const char* kPrefix[kPartnerCount] = {"RXW", "RL1", "R1D", "SC", "TW"};
  return kPrefix[static_cast<int>(p)] + digits;
}

void add(std::string& list, const char* what) {
  if (!list.empty()) list += ';';
  list += what;
}

PartnerRecord noisy_copy(const Person& person, const Identity& id, const ErrorRates& r, Rng& rng) {
  PartnerRecord rec;
  rec.birth = person.birth;
  rec.family_name = id.family_name;
  rec.given_name = id.given_name;
  rec.postcode = id.postcode;
  rec.nhs_number = id.nhs_number;
  const double u = rng.uniform();
  if (u < r.nhs_missing) {
    rec.nhs_number.clear();
    add(rec.discrepancies, "nhs_number_missing");
  } else if (u < r.nhs_missing + r.nhs_wrong) {
    rec.nhs_number = mistype_digits(rng, id.nhs_number);
    add(rec.discrepancies, "nhs_number_mistyped");
  }
  if (rng.bernoulli(r.name_typo)) {
    rec.family_name = typo(rng, rec.family_name);
    add(rec.discrepancies, "family_name_typo");
  }
  if (rng.bernoulli(r.name_typo)) {
    rec.given_name = typo(rng, rec.given_name);
    add(rec.discrepancies, "given_name_typo");
  }
  if (id.birth_family_name != id.family_name && rng.bernoulli(0.5)) {
    rec.family_name = id.birth_family_name;
    add(rec.discrepancies, "previous_family_name");
  }
  if (!id.previous_postcode.empty() && rng.bernoulli(r.old_postcode)) {
    rec.postcode = id.previous_postcode;
    add(rec.discrepancies, "previous_postcode");
  }
  if (rng.bernoulli(r.dob_error)) {
    const CivilDate c = civil_from_days(person.birth);
    if (c.day <= 12 && c.day != c.month && rng.bernoulli(0.5)) {
      rec.birth = days_from_civil(c.year, c.day, std::min(c.month, days_in_month(c.year, c.day)));
      add(rec.discrepancies, "date_of_birth_day_month_swapped");
    } else {
      rec.birth = person.birth + (rng.bernoulli(0.5) ? 1 : -1);
      add(rec.discrepancies, "date_of_birth_off_by_one_day");
    }
  }
  return rec;
}

}  // namespace

const char* partner_code(Partner p) {
  static constexpr const char* kCodes[kPartnerCount] = {"RXW", "RL1", "R1D", "E06000051", "E06000020"};
  return kCodes[static_cast<int>(p)];
}

PersonPartners::PersonPartners(const Person& person, const Identity& id, const SynthConfig& config) {
  for (int k = 0; k < kPartnerCount; ++k) {
    const auto p = static_cast<Partner>(k);
    Rng rng(config.seed, person.id, purpose_key(partner_code(p)));
    const ErrorRates& r = kRates[k];
    records_[static_cast<std::size_t>(k)][0] = noisy_copy(person, id, r, rng);
    records_[static_cast<std::size_t>(k)][0].local_id = local_id(p, person.id, 0);
    has_duplicate_[static_cast<std::size_t>(k)] = rng.bernoulli(r.duplicate);
    if (has_duplicate_[static_cast<std::size_t>(k)]) {
      // A second registration of the same person, made on another day by another clerk.
      auto& dup = records_[static_cast<std::size_t>(k)][1];
      dup = noisy_copy(person, id, {0.3, 0.02, 0.15, 0.5, 0.02, 0}, rng);
      dup.local_id = local_id(p, person.id, 1);
      add(dup.discrepancies, "duplicate_record");
    }
  }
}

const PartnerRecord& PersonPartners::use(Partner partner, Rng& rng) {
  const auto k = static_cast<std::size_t>(partner);
  const int copy = has_duplicate_[k] && rng.bernoulli(0.3) ? 1 : 0;
  used_[k][static_cast<std::size_t>(copy)] = true;
  return records_[k][static_cast<std::size_t>(copy)];
}

void PersonPartners::emit(const Person& person, Chunk& chunk) const {
  for (int k = 0; k < kPartnerCount; ++k) {
    for (int c = 0; c < 2; ++c) {
      if (!used_[static_cast<std::size_t>(k)][static_cast<std::size_t>(c)]) continue;
      const auto& r = records_[static_cast<std::size_t>(k)][static_cast<std::size_t>(c)];
      const char* code = partner_code(static_cast<Partner>(k));
      row(chunk, Extract::kPartnerPatients)
          .text(code).text(r.local_id).text(r.nhs_number).text(r.family_name).text(r.given_name)
          .text(std::string(1, person.sex)).date(r.birth).text(r.postcode);
      row(chunk, Extract::kTruthPartnerRecords)
          .text(code).text(r.local_id).integer(person.id).text(r.discrepancies);
      ++chunk.tally.partner_records;
      if (r.nhs_number.empty()) ++chunk.tally.partner_nhs_missing;
      else if (r.discrepancies.find("nhs_number_mistyped") != std::string::npos) ++chunk.tally.partner_nhs_wrong;
    }
  }
}

}  // namespace severn::synth
