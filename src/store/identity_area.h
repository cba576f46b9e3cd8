// The store's identity area (STORE/identity/, owner-only): who each pseudonymised person is. It
// is the one way into identifiable fields: every reader (worklists today, the audited server
// later) goes through IdentityArea, which
//   * verifies every identity file's size and XXH3-128 checksum against the manifest before
//     reading anything (a StoreError names the file on a mismatch), and
//   * tells an access observer of every read: who asked, for what purpose, which fields and
//     whose (person ids), before any field is returned. The default observer does nothing; an
//     access audit installs its own.
// Files: identity/persons.csv (person_id, nhs_number, family_name, given_name, date_of_birth,
// postcode; written by ingest's assembler), and the partner linking stage's files
// (identity/partner_records.csv, partner_links.csv, clerical_review.csv,
// partner_link_explanations.csv, partner_clusters.csv: docs/store.md), read whole by read_file,
// and identity/pathways.csv (the waiting-list tables' pathway numbers), read by pathways().
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace severn::store {

// The identifiable fields of a person, as flags for what a read asks for.
enum class IdentityField : unsigned {
  kNhsNumber = 1,
  kFamilyName = 2,
  kGivenName = 4,
  kDateOfBirth = 8,
  kPostcode = 16,
  // A partner's local patient id and the patient pathway identifier (identity/pathways.csv).
  // Not in kAllIdentityFields, which are the fields of persons.csv.
  kLocalIds = 32,
};
constexpr IdentityField operator|(IdentityField a, IdentityField b) {
  return static_cast<IdentityField>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool has(IdentityField set, IdentityField field) {
  return (static_cast<unsigned>(set) & static_cast<unsigned>(field)) != 0;
}
constexpr IdentityField kAllIdentityFields = IdentityField::kNhsNumber | IdentityField::kFamilyName |
                                             IdentityField::kGivenName | IdentityField::kDateOfBirth |
                                             IdentityField::kPostcode;
// "nhs_number", "family_name", ... for the fields in `set`, in that order.
std::vector<std::string> field_names(IdentityField set);

// Who reads and why: supplied by the caller of every read.
struct AccessContext {
  std::string who;      // the user or process: "severn run", later the server's signed-in user
  std::string purpose;  // why: "worklist htn_uncontrolled", "direct care: ..."
};

// One read, as the observer sees it (before any field is returned).
struct IdentityAccess {
  const AccessContext* context = nullptr;
  IdentityField fields = kAllIdentityFields;
  const std::vector<std::uint32_t>* person_ids = nullptr;  // whose fields, in the order asked
  std::string_view file;  // read_file: the identity file read whole (person_ids is then empty)
};
using AccessObserver = std::function<void(const IdentityAccess&)>;

// One row of identity/pathways.csv: a pathway number of the wl_ tables and a provider record it
// appears under (a pathway transferred between trusts has one row at each).
struct PathwayIdentity {
  std::int32_t pathway = 0;
  std::string provider_code, patient_pathway_id, local_patient_id;
};

// A person's identifiable fields; those not asked for are empty.
struct PersonIdentity {
  std::uint32_t person_id = 0;
  std::string nhs_number, family_name, given_name, date_of_birth, postcode;  // date: YYYY-MM-DD
};

class IdentityArea {
 public:
  // Verifies every identity/ file the manifest lists (and that persons.csv is among them), then
  // loads persons.csv. Throws StoreError naming the file: missing, unlisted, wrong size or
  // checksum, or malformed. `observer` may be empty (no one is told).
  static IdentityArea open(const Store& store, AccessObserver observer = {});

  std::size_t persons() const { return persons_.size(); }

  // The text of another identity file ("identity/partner_links.csv"), checked again against the
  // manifest. The observer is told first (file = the name, `fields` = what it holds). Throws
  // StoreError when the manifest does not list it or it no longer matches.
  std::string read_file(const std::string& relative, IdentityField fields, const AccessContext& context) const;

  // identity/pathways.csv parsed (ingest's pathway numbers: docs/store.md). The observer is told
  // of every call (file = "identity/pathways.csv", fields = kLocalIds); the file is read, checked
  // against the manifest and parsed at the first call only, and kept (like persons.csv), so a
  // server's repeated PTL reads do not re-read a file of a million rows. Thread-safe. A store
  // built before the file existed: StoreError saying so.
  const std::vector<PathwayIdentity>& pathways(const AccessContext& context) const;

  // The fields asked for of each person, in the order asked. The observer is told first, once
  // per call; an id the area does not hold is a StoreError (and nothing is returned).
  std::vector<PersonIdentity> lookup(const std::vector<std::uint32_t>& person_ids, IdentityField fields,
                                     const AccessContext& context) const;

 private:
  void load_persons(std::string_view text);
  std::filesystem::path persons_path_;
  const Store* store_ = nullptr;  // for read_file
  std::vector<PersonIdentity> persons_;  // by person_id
  AccessObserver observer_;
  struct PathwaysCache;  // identity_area.cpp
  std::shared_ptr<PathwaysCache> pathways_cache_;
};

}  // namespace severn::store
