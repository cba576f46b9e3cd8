#include "synth/partners.h"

#include "synth/partner_duplicates.h"

namespace severn::synth {
namespace {

// Data-quality rates by partner. NHS number completeness is high in hospital data (SUS) and lower
// in community and especially in council social care records, which take the number from the
// NHS (a trace against the Personal Demographics Service) rather than from the person: 30% of
// council records have none. That is an assumption, within the 25-40% range this data set was
// asked to cover, as no published completeness figure for council records was found (see
// docs/synthetic-population.md). Nicknames, swapped names and lost name parts are commoner where
// records are keyed from conversation (community and social care) than from a referral letter;
// those rates are assumptions too, set so that a linker meets every kind of error in numbers.
constexpr PerturbationRates kTrust{.nhs_missing = 0.020, .nhs_mistyped = 0.004,
                                   .previous_family_name = 0.30, .keeps_previous_family_name = 0.50,
                                   .family_name_one_part = 0.20, .family_name_hyphenation = 0.10,
                                   .name_typo = 0.020, .nickname = 0.04, .names_swapped = 0.003,
                                   .previous_postcode = 0.40, .keeps_previous_postcode = 0.30,
                                   .postcode_missing = 0.005, .postcode_typo = 0.005,
                                   .date_of_birth_error = 0.004};
constexpr PerturbationRates kOrthopaedic{.nhs_missing = 0.010, .nhs_mistyped = 0.003,
                                         .previous_family_name = 0.30, .keeps_previous_family_name = 0.40,
                                         .family_name_one_part = 0.20, .family_name_hyphenation = 0.10,
                                         .name_typo = 0.015, .nickname = 0.03, .names_swapped = 0.002,
                                         .previous_postcode = 0.40, .keeps_previous_postcode = 0.30,
                                         .postcode_missing = 0.005, .postcode_typo = 0.005,
                                         .date_of_birth_error = 0.003};
constexpr PerturbationRates kCommunityTrust{.nhs_missing = 0.040, .nhs_mistyped = 0.006,
                                            .previous_family_name = 0.40, .keeps_previous_family_name = 0.40,
                                            .family_name_one_part = 0.25, .family_name_hyphenation = 0.15,
                                            .name_typo = 0.030, .nickname = 0.08, .names_swapped = 0.005,
                                            .previous_postcode = 0.50, .keeps_previous_postcode = 0.40,
                                            .postcode_missing = 0.010, .postcode_typo = 0.010,
                                            .date_of_birth_error = 0.006};
constexpr PerturbationRates kCouncil{.nhs_missing = 0.300, .nhs_mistyped = 0.010,
                                     .previous_family_name = 0.50, .keeps_previous_family_name = 0.60,
                                     .family_name_one_part = 0.30, .family_name_hyphenation = 0.15,
                                     .name_typo = 0.030, .nickname = 0.12, .names_swapped = 0.010,
                                     .previous_postcode = 0.50, .keeps_previous_postcode = 0.60,
                                     .postcode_missing = 0.020, .postcode_typo = 0.010,
                                     .date_of_birth_error = 0.010};
constexpr PerturbationRates kRecordRates[kPartnerCount] = {kTrust, kOrthopaedic, kCommunityTrust, kCouncil, kCouncil};

// A second registration, made on another day by another clerk who could not find the first:
// far worse quality (councils' second records lack the NHS number more often still).
constexpr PerturbationRates kSecondRecord{.nhs_missing = 0.30, .nhs_mistyped = 0.02,
                                          .previous_family_name = 0.50, .keeps_previous_family_name = 0.30,
                                          .family_name_one_part = 0.30, .family_name_hyphenation = 0.15,
                                          .name_typo = 0.15, .nickname = 0.15, .names_swapped = 0.02,
                                          .previous_postcode = 0.50, .keeps_previous_postcode = 0.20,
                                          .postcode_missing = 0.03, .postcode_typo = 0.02,
                                          .date_of_birth_error = 0.02};
constexpr PerturbationRates kCouncilSecondRecord = [] {
  PerturbationRates r = kSecondRecord;
  r.nhs_missing = 0.50;
  return r;
}();
constexpr PerturbationRates kDuplicateRates[kPartnerCount] = {kSecondRecord, kSecondRecord, kSecondRecord,
                                                              kCouncilSecondRecord, kCouncilSecondRecord};

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

}  // namespace

const char* partner_code(Partner p) {
  static constexpr const char* kCodes[kPartnerCount] = {"RXW", "RL1", "R1D", "E06000051", "E06000020"};
  return kCodes[static_cast<int>(p)];
}

const PerturbationRates& record_rates(Partner partner) { return kRecordRates[static_cast<int>(partner)]; }
const PerturbationRates& duplicate_rates(Partner partner) { return kDuplicateRates[static_cast<int>(partner)]; }

void PersonPartners::prepare(std::size_t k) {
  prepared_[k] = true;
  const auto p = static_cast<Partner>(k);
  const std::string code = partner_code(p);
  Rng main(config_.seed, person_.id, "partner-record-" + code);
  records_[k][0] = perturbed_copy(person_, identity_, record_rates(p), nicknames_, config_.end_date, main);
  records_[k][0].local_id = local_id(p, person_.id, 0);
  has_duplicate_[k] = has_duplicate_record(person_, drawn_, p, config_);
  if (!has_duplicate_[k]) return;
  Rng second(config_.seed, person_.id, "partner-duplicate-" + code);
  auto& dup = records_[k][1];
  dup = perturbed_copy(person_, identity_, duplicate_rates(p), nicknames_, config_.end_date, second);
  dup.local_id = local_id(p, person_.id, 1);
  dup.mark(Perturbation::kDuplicateRecord);
}

const PartnerRecord& PersonPartners::use(Partner partner, Rng& rng) {
  const auto k = static_cast<std::size_t>(partner);
  if (!prepared_[k]) prepare(k);
  // The activity's own stream decides, as it always has (partner_duplicates.h).
  const int copy = has_duplicate_[k] && rng.bernoulli(0.3) ? 1 : 0;
  used_[k][static_cast<std::size_t>(copy)] = true;
  return records_[k][static_cast<std::size_t>(copy)];
}

void PersonPartners::emit(Chunk& chunk) const {
  for (std::size_t k = 0; k < kPartnerCount; ++k) {
    for (std::size_t c = 0; c < 2; ++c) {
      if (!used_[k][c]) continue;
      const PartnerRecord& r = records_[k][c];
      const char* code = partner_code(static_cast<Partner>(k));
      row(chunk, Extract::kPartnerPatients)
          .text(code).text(r.local_id).text(r.nhs_number).text(r.family_name).text(r.given_name)
          .text(std::string(1, person_.sex)).date(r.birth).text(r.postcode).text(r.previous_family_name)
          .text(r.previous_postcode);
      row(chunk, Extract::kTruthPartnerRecords)
          .text(code).text(r.local_id).integer(person_.id).text(r.discrepancies());
      PartnerTally& t = chunk.tally.partners[k];
      ++t.records;
      for (int p = 0; p < kPerturbationCount; ++p) {
        t.applied[static_cast<std::size_t>(p)] += r.has(static_cast<Perturbation>(p));
        t.expected[static_cast<std::size_t>(p)] += r.chance[static_cast<std::size_t>(p)];
      }
    }
  }
}

}  // namespace severn::synth
