// Options of `severn synth`.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/date.h"

namespace severn::synth {

// The form of the GP record: CSV extracts, or a FHIR Bulk Data export in fhir/gp/ that replaces
// gp/patients.csv, gp/events.csv and gp/medications.csv (docs/fhir.md).
enum class OutputFormat { kCsv, kFhir };

struct SynthConfig {
  std::int64_t people = 510000;  // people alive and registered at end_date
  std::uint64_t seed = 20250331;
  Days end_date = days_from_civil(2025, 3, 31);  // last day of history (inclusive)
  int years = 10;                                // length of the activity history
  int threads = 0;                               // 0 = all hardware threads
  std::filesystem::path out;
  std::string data_dir;    // reference-data pack ("" = SEVERN_DATA or the default)
  bool overwrite = false;  // replace an existing output directory
  OutputFormat format = OutputFormat::kCsv;

  Days start_date() const { return add_years(end_date, -years) + 1; }  // first day of history
};

// The most people the 999 test range of NHS numbers can hold with room for partner errors.
inline constexpr std::int64_t kMaxPeople = 800000;

// Throws InputError with a message fit for the command line when an option is out of range.
void validate(const SynthConfig& config);

}  // namespace severn::synth
