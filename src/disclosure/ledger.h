// The release ledger: what earlier releases published, so that the audit of a new release can
// include it (docs/disclosure.md, "The release ledger"). Publishing overlapping periods or
// populations month after month must not let a reader difference a small group out.
//
// A ledger is a CSV file that releases append to and never rewrite: one row per published count,
// with the policy that published it, so a count published as 10 under rounding to 5 is read back
// as "somewhere from 8 to 12".
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "disclosure/suppression.h"

namespace severn::disclosure {

struct LedgerEntry {
  std::string release;   // an identifier of the release that published it (UTC time and tag)
  Policy policy;         // mode, redaction range, rounding: how `shown` maps back to counts
  std::string meaning;   // Series::meaning
  std::string interval;  // Series::interval
  std::string breakdown; // "all" for the total
  std::string group;     // "all" for the total
  std::int64_t shown = 0;
};

// Reads a ledger; a missing file is an empty ledger. Throws InputError naming the file, line and
// field of anything malformed: a ledger is input like any other.
std::vector<LedgerEntry> read_ledger(const std::filesystem::path& path);

// Appends entries (creating the file with its header if it does not exist), flushed and synced
// before returning, so a release is recorded before its files are trusted.
void append_ledger(const std::filesystem::path& path, const std::vector<LedgerEntry>& entries);

}  // namespace severn::disclosure
