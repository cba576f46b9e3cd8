// The data's end: the last day the extracts cover, recorded in the manifest at ingest and used as
// the default index date of `severn run` and `severn report` (docs/store.md, "The data's end").
//
// The rule, in order:
//  1. the end date the extract directory declares: `end_date` in SRC/manifest.json (severn synth
//     writes it; a partner's extract can carry its period's end the same way), used only when it
//     is a date, not after --as-of and not before the latest date in the tables;
//  2. otherwise the latest date in the tables: the greatest sort date (event, admission, issue,
//     start date ...) of any accepted row;
//  3. otherwise (no dated row at all) none: readers fall back to the as-of date and say so.
// Never a date after the data: rule 1 is refused when the extract declares a day past --as-of,
// and dates past --as-of never reach the tables.
#pragma once
#include <filesystem>
#include <string>

#include "core/date.h"
#include "store/manifest.h"

namespace severn::ingest {

struct DataEnd {
  std::string date;    // ISO date, empty for none
  std::string source;  // how it was found, for people to read
  std::string warning; // why a declared end date was not used; empty if none
};

// `manifest` holds the built tables (with their min and max sort dates).
DataEnd find_data_end(const std::filesystem::path& source_dir, Days as_of, const store::Manifest& manifest);

}  // namespace severn::ingest
