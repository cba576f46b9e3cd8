// Spec tests of the content library: a small synthetic ICS, built once per test binary, its
// partner extracts read back as plain rows (independently of the store and the language), and a
// way to run a library definition over its store with exact counts. A spec test computes an
// indicator by hand from the extracts (or the generator's truth/) and compares it with what the
// library definition gives, person by person and count by count.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/csv_table.h"
#include "core/date.h"
#include "measures/run_definition.h"
#include "identity/pseudonymiser.h"
#include "ingest/ingest_fixture.h"
#include "lang/checker.h"
#include "store/store.h"

namespace severn::testing {

// Rows of the extracts (docs/data-model.md), as written, for one person.
struct EventRow {
  Days date;
  std::string code;
  std::optional<double> value;
};
struct MedicationRow {
  Days date;
  std::string code;
};
struct SpellRow {
  Days admission, discharge;
  std::string method, primary_diagnosis, procedure, provider;
  std::vector<std::string> secondary_diagnoses;
};
struct CancerRow {
  Days diagnosis;
  std::string site;
  std::optional<int> stage;
};
struct ContactRow {
  Days date;
  std::string service;
};
struct RegistrationRow {
  Days start;
  std::optional<Days> end;
  std::string practice;
};

struct ExtractPerson {
  std::string nhs_number, sex, ethnic, lsoa, practice;
  Days date_of_birth;  // the full date, as in gp/patients.csv
  Days birth_month;    // its first day: the store keeps only this, so the language's ages use it
  std::optional<Days> date_of_death;
  std::vector<RegistrationRow> registrations;
  std::vector<EventRow> events;            // gp/events.csv, file order
  std::vector<MedicationRow> medications;  // gp/medications.csv, file order
  std::vector<SpellRow> spells;            // sus/apc_spells.csv rows with this NHS number
  std::vector<CancerRow> cancers;          // ncras/cancer_registrations.csv
  std::vector<Days> ae_arrivals;           // ecds/attendances.csv rows with this NHS number
  std::vector<ContactRow> community;       // community/contacts.csv rows with this NHS number
  std::map<std::string, std::string> truth;  // truth/persons.csv, by column
};

// The world every library spec test shares.
struct LibraryWorld {
  std::filesystem::path src, store_dir;
  std::unique_ptr<store::Store> store;
  std::vector<ExtractPerson> people;  // gp/patients.csv order
  std::map<std::string, std::string> pseudonym_of;  // NHS number -> dataset.csv pseudonym
};

// People and seed of the shared world: enough for every register to hold people in several
// groups, small enough to build in a few seconds.
inline constexpr std::int64_t kLibraryPeople = 6000;
inline constexpr std::uint64_t kLibrarySeed = 20251123;

const LibraryWorld& library_world();

// The outputs of one run of a definition (a file path or library:NAME) over the world's store,
// with disclosure control off (exact counts), at the index date given.
struct LibraryRun {
  lang::CheckedDefinition checked;
  CsvTable dataset, measures, funnels, inequality;
  // worklists/*: list name -> NHS number -> column -> cell, over every PCN's file.
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> worklists;
};
LibraryRun run_definition(const std::string& definition, Days index_date);

// The (numerator, denominator) of one measures.csv row, or nothing if there is no such row.
std::optional<std::pair<std::int64_t, std::int64_t>> counts_of(const CsvTable& measures, const std::string& measure,
                                                               const std::string& interval_start,
                                                               const std::string& breakdown = "all",
                                                               const std::string& group = "all");

// dataset.csv as a map: pseudonym -> column -> cell.
std::map<std::string, std::map<std::string, std::string>> dataset_by_pseudonym(const CsvTable& dataset);

// Age in whole years on `on` of someone born on `dob`. Pass birth_month to get the language's
// patients.age_on(on).
int age_on(Days dob, Days on);

// Whether a person is registered with a practice on `on` (a registration spans start..end, both
// days included; no end means still registered).
bool registered_on(const ExtractPerson& p, Days on);

// Code lists as sets: a reference-pack list by file name, a QOF refset by its short name
// ("hyp" for nhsd-primary-care-domain-refsets-hyp_cod.csv), or one of Severn's own lists.
std::set<std::string> pack_codes(const std::string& file);
std::set<std::string> refset_codes(const std::string& name);
std::set<std::string> severn_codes(const std::string& file);

// Expected (numerator, denominator) per measure, filled by a spec test's hand computation.
using Tally = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;

// Adds one person to a measure of the tally: in the denominator when `den`, and in the
// numerator when also `num`.
void tally(Tally& t, const std::string& measure, bool den, bool num);

// For each month of April 2024 to March 2025, calls fill(person, month's last day, tally) for
// every person registered on that day, then expects each measure of the tally to equal the
// `all` row of that month in run.measures. Returns each measure's numerators summed over the
// months, so a test can check that the comparison had substance.
std::map<std::string, std::int64_t> expect_monthly_counts(const LibraryRun& run,
                                                          const std::function<void(const ExtractPerson&, Days, Tally&)>& fill);

}  // namespace severn::testing
