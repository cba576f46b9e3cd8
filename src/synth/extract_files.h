// The partner extracts `severn synth` writes: one CSV per source, in the schemas documented in
// docs/data-model.md, plus the ground truth. Each chunk of people is rendered into memory by a
// worker thread, then appended to the files in person order, so output never depends on threads.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "core/csv_writer.h"
#include "synth/partner_codes.h"
#include "synth/perturbations.h"

namespace severn::synth {

enum class Extract : int {
  kGpPatients,
  kGpRegistrations,
  kGpEvents,
  kGpMedications,
  kApc,
  kEc,
  kOpa,
  kRttPathways,
  kRttActivity,
  kRttSnapshots,
  kCommunity,
  kSocialCare,
  kPartnerPatients,
  kDeaths,
  kCancer,
  kTruthPersons,
  kTruthPartnerRecords,
  kTruthRttErrors,
  kCount
};
inline constexpr int kExtractCount = static_cast<int>(Extract::kCount);

struct ExtractSpec {
  const char* path;    // relative to the output directory
  const char* header;  // CSV header row without newline
};
const ExtractSpec& spec(Extract e);

// One partner's records and their perturbations: how many records had each, and how many the
// rates called for (the sum of each record's chance).
struct PartnerTally {
  std::int64_t records = 0;
  std::array<std::int64_t, kPerturbationCount> applied{};
  std::array<double, kPerturbationCount> expected{};
  void add(const PartnerTally& o);
};

// Figures counted while rendering, for the calibration report.
struct Tally {
  std::int64_t rtt_open_at_snapshot = 0;
  std::int64_t rtt_open_over_18w = 0;
  std::int64_t rtt_open_over_52w = 0, rtt_open_over_65w = 0, rtt_open_over_78w = 0;
  std::int64_t rtt_reported_rows = 0;
  std::int64_t cancers_staged = 0;
  std::int64_t cancers_early = 0;
  std::int64_t deaths = 0;
  std::int64_t cvd_deaths = 0;
  std::int64_t emergency_admissions = 0;
  std::int64_t ae_attendances = 0;
  std::int64_t opa_appointments = 0;
  std::int64_t opa_dna = 0;
  std::int64_t opa_dna_most_deprived = 0, opa_most_deprived = 0;
  std::int64_t opa_dna_least_deprived = 0, opa_least_deprived = 0;
  std::int64_t people = 0, adults = 0;  // adults: 18+ at the end of their record
  std::int64_t double_barrelled = 0, double_barrel_eligible = 0;  // family names (person_identity.h)
  std::array<PartnerTally, kPartnerCount> partners{};
  void add(const Tally& o);
};

struct Chunk {
  std::array<std::string, kExtractCount> text;
  std::array<std::int64_t, kExtractCount> rows{};
  Tally tally;
  std::string& out(Extract e) {
    ++rows[static_cast<std::size_t>(e)];
    return text[static_cast<std::size_t>(e)];
  }
};

// Starts a row of `e` in `chunk`: CsvRow r = row(chunk, Extract::kGpEvents); r.text(...)...
inline CsvRow row(Chunk& chunk, Extract e) { return CsvRow(chunk.out(e)); }

}  // namespace severn::synth
