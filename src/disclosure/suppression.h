// Statistical disclosure control for aggregate outputs (issue 5): small counts are redacted, all
// counts rounded, and further cells hidden where a redacted one could be worked out exactly by
// adding and subtracting published numbers of the same measure and interval.
//
// Counts are persons. A "table" is one measure on one interval: a total and its breakdowns, each
// of which splits the same total into groups (every person counted once in each breakdown).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace severn::disclosure {

// How published counts are controlled (docs/disclosure.md):
//   kRounded          counts redact_min..redact_max withheld, every other count rounded to
//                     round_to; every figure derived from counts (values, limits, funnels, SII,
//                     DSR, ISR) is computed from the published counts, never the exact ones;
//   kSuppressedExact  exact counts with small-count and complementary suppression; values and
//                     limits from the exact counts (the Fingertips convention).
enum class Mode : std::uint8_t { kRounded, kSuppressedExact };

// The one neutral marker of a withheld cell in every public output: it says that a figure is
// withheld, never why (a reason would tell an attacker which cells are small). "[c]" is the GSS
// symbol for a confidential cell (Government Analysis Function, "Symbols in tables", 2021).
inline constexpr const char* kWithheldMarker = "[c]";

struct Policy {
  Mode mode = Mode::kRounded;
  // Counts from redact_min to redact_max (inclusive) are redacted. 0 is published: a true zero
  // reveals nothing about an individual.
  std::int64_t redact_min = 1;
  std::int64_t redact_max = 7;
  // Published counts are rounded to a multiple of round_to (1: no rounding). Ties round up.
  std::int64_t round_to = 5;
  // Midpoint rounding instead: a count is published as the midpoint of its band of width round_to
  // (e.g. 10-14 -> 12), which biases sums less than nearest-multiple rounding.
  bool midpoint = false;
  // The audit's protection rule: every withheld count's feasible interval, given everything the
  // release (and the ledger's earlier releases) publishes, must be at least this wide and must not
  // lie inside redact_min..redact_max.
  std::int64_t protection_width = 8;

  // The rounding base actually applied: 1 under kSuppressedExact.
  std::int64_t rounding_base() const { return mode == Mode::kSuppressedExact ? 1 : round_to; }
  // "rounded" or "suppressed-exact".
  const char* mode_name() const;
  // Whether figures derived from counts are computed from the published counts (kRounded).
  bool derive_from_published() const { return mode == Mode::kRounded; }

  std::string describe() const;  // one line for output metadata
  // The policy as a JSON object, for output metadata: {"redact_min": 1, ...}.
  std::string json() const;
  // The same for an output that was not given secondary suppression (`severn stats`, whose
  // tables' structure is unknown): describe() and json() say that it was.
  std::string describe(bool secondary_suppression) const;
  std::string json(bool secondary_suppression) const;
  // Throws InputError naming the option at fault (--redact-min, --redact-max, --round-to).
  void validate() const;
};

// What an aggregate output says about its disclosure control: the policy, or that it was
// switched off by an explicit flag. Written into every aggregate output's metadata.
std::string metadata_json(const Policy& policy, bool applied);
// The same, saying whether secondary suppression was part of the policy applied.
std::string metadata_json(const Policy& policy, bool applied, bool secondary_suppression);

enum class Reason : std::uint8_t {
  kPublished,
  kSmall,       // primary: a count in [redact_min, redact_max]
  kDerivable,   // secondary: would be recoverable from published cells of its table
};

// One breakdown of a table: its cells' counts (one counted quantity, e.g. the numerator).
struct Breakdown {
  std::vector<std::int64_t> cells;
};

struct Decision {
  Reason total = Reason::kPublished;
  std::vector<std::vector<Reason>> cells;  // [breakdown][cell]
  std::int64_t primary = 0, secondary = 0;
};

// Decides which counts of one table to withhold: primary redaction of small counts, then
// secondary suppression until no withheld count (the total included) is determined exactly by
// the published ones through the table's equations (total = sum of each breakdown's cells).
// Secondary cells are chosen smallest first, ties to the later cell, so the result is stable.
Decision suppress(const Policy& policy, std::int64_t total, const std::vector<Breakdown>& breakdowns);

// Continues secondary suppression from a decision whose withheld cells are already marked
// (primary, or withheld because the same count is withheld elsewhere in the release), adding
// kDerivable cells until no withheld count is determined exactly by the table's equations.
void complete_suppression(Decision& decision, const std::vector<Breakdown>& breakdowns);

// The published form of a count that is not withheld.
std::int64_t rounded(const Policy& policy, std::int64_t count);

// Whether a count is withheld by primary redaction.
bool is_small(const Policy& policy, std::int64_t count);

// The exact counts a published value `shown` can stand for under the policy: the smallest and
// the largest count that is not redacted and is published as `shown` (an empty range, lo > hi,
// if none is). Counts are never negative.
struct CountRange {
  std::int64_t lo = 0, hi = 0;
};
CountRange published_range(const Policy& policy, std::int64_t shown);

// Parses "rounded" or "suppressed-exact"; throws InputError naming --disclosure-policy.
Mode parse_mode(const std::string& text);

// Whether the withheld counts of `decision` could be determined exactly from the published ones:
// true if some withheld unknown lies in the span of the table's equations. Used by suppress()
// and by the tests.
bool any_withheld_derivable(const Decision& decision, const std::vector<Breakdown>& breakdowns);

}  // namespace severn::disclosure
