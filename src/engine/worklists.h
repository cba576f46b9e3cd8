// Worklists for direct care (`worklist NAME when COND show A, B, ...`): the people on each list,
// by Primary Care Network, with who they are and the evidence that put them there.
//
// These are identifiable. They are written only when a run asks for them (--worklists), from
// the store's identity area (read only through store::IdentityArea, which verifies it and tells
// its access observer whose fields each list read), into OUT/worklists/ with owner-only permissions (directories 0700,
// files 0600), and never pass disclosure control, which is for aggregates (docs/disclosure.md).
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "lang/ast.h"
#include "store/identity_area.h"

namespace severn::engine {

// One person on one worklist, as the evaluator saw them on the index date.
struct WorklistEntry {
  std::uint32_t person = 0;  // person_id in the store
  std::string practice, pcn;
  std::string shown;         // the shown lets' values as CSV cells, comma-separated, no line end
};

struct WorklistSummary {
  std::string name;
  std::uint64_t people = 0;
  std::uint64_t pcns = 0;  // files written
};

// One worklist's people of one PCN (`entries` hold only that PCN's) as CSV text with who each is,
// read through the identity area under `context` (its observer is told once, before any field is
// returned): the columns and order of write_worklists' files. An empty list reads nothing.
std::string worklist_csv(const store::IdentityArea& identity, const lang::Worklist& worklist,
                         const std::vector<WorklistEntry>& entries, Days index_date, const store::AccessContext& context);

// Writes OUT/worklists/NAME/PCN.csv for every worklist and PCN with anyone on it, and
// OUT/worklists/index.csv (worklist, pcn, people, file). Rows are in practice order, then family
// and given name, then NHS number. Columns: pcn, practice, nhs_number, family_name, given_name,
// date_of_birth (the full date), age (whole years on the index date), then the shown lets.
// entries[w] holds worklist w's people. Throws StoreError if the identity area lacks a person.
std::vector<WorklistSummary> write_worklists(const std::filesystem::path& out, const store::IdentityArea& identity,
                                             const std::vector<lang::Worklist>& worklists,
                                             const std::vector<std::vector<WorklistEntry>>& entries, Days index_date);

}  // namespace severn::engine
