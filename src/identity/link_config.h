// What a linkage run is told: the input columns, the fields and how each is cleaned, the
// comparisons (each an ordered list of levels), the blocking rules, training, decision
// thresholds and cluster constraints. Read from TOML by read_link_config (config_reader.cpp);
// docs/linkage.md is the reference for every key. Nothing here depends on TOML, so the ingest
// can build a LinkConfig in code.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "identity/normalise.h"
#include "identity/record_table.h"

namespace severn::identity {

// Where a setting came from, for messages that point back into the configuration.
struct ConfigPlace {
  std::string file;
  std::int64_t line = 0;
};

struct FieldSpec {
  std::string name;    // how comparisons and rules refer to it
  std::string column;  // the CSV column (default: the name)
  FieldKind kind = FieldKind::kText;
  std::optional<DateFormat> date_format;  // kDate only; default YYYY-MM-DD
  ConfigPlace place;
};

// The comparison levels of the level library. A level says when a pair of (non-null) values
// is "at" that level; a comparison tries its levels in order and the first that holds wins.
enum class LevelKind {
  kExact,              // equal normalised values
  kJaroWinkler,        // jaro_winkler >= threshold
  kEditDistance,       // optimal string alignment distance <= at_most
  kPhonetic,           // same phonetic code (phonetic)
  kNickname,           // nickname-equivalent given names
  kSwapped,            // this field equals the other's `other_field` and vice versa
  kPrevious,           // one side's value equals the other side's `other_field` (e.g. previous surname)
  kAnyPart,            // hyphenated or double-barrelled: some part of one equals some part of the other
  kTransposition,      // one pair of adjacent characters swapped (NHS number typed 1324 for 1234)
  kOneCharacter,       // same length, one position differs (one digit off)
  kDayMonthSwapped,    // dates: 2001-03-04 against 2001-04-03
  kDaysApart,          // dates: at most at_most days apart
  kYearDiffers,        // dates: same day and month, another year
  kPostcodeSector,     // same postcode sector (SY1 2)
  kPostcodeDistrict,   // same postcode district (SY1)
  kPostcodeArea,       // same postcode area (SY)
};

enum class PhoneticCode { kNysiis, kSoundex };

struct LevelSpec {
  LevelKind kind = LevelKind::kExact;
  double threshold = 0.0;        // kJaroWinkler
  int at_most = 0;               // kEditDistance, kDaysApart
  PhoneticCode phonetic = PhoneticCode::kNysiis;
  std::string other_field;       // kSwapped, kPrevious
  bool term_frequency = false;   // adjust this level's u by how common the value is
  std::string label;             // shown in the model, summaries and explanations
  ConfigPlace place;
};

struct ComparisonSpec {
  std::string name;
  std::string field;
  std::vector<LevelSpec> levels;  // an implicit "else" level follows them
  // A population frequency table (CSV: value and frequency or count columns) for the term-
  // frequency levels; empty: frequencies come from the input data.
  std::string term_frequency_table;
  ConfigPlace place;
};

struct BlockingRuleSpec {
  std::string text;  // "l.surname = r.surname and year(l.dob) = year(r.dob)"
  ConfigPlace place;
};

struct TrainingSpec {
  std::uint64_t seed = 1;
  std::uint64_t u_sample_pairs = 2'000'000;
  int em_max_iterations = 200;
  double em_tolerance = 1e-6;
  // When set (one of the blocking rules' text, e.g. "l.nhs_number = r.nhs_number"): the m of
  // every comparison not using that rule's fields is counted from the pairs agreeing on it,
  // which are near-certain matches, instead of being estimated by EM.
  std::string m_from_rule;
  std::uint64_t lost_match_sample_pairs = 2'000'000;
};

struct DecisionSpec {
  double auto_link_probability = 0.99;  // at or above: accepted
  double review_probability = 0.5;      // at or above (and below auto-link): clerical review
  bool one_to_one = false;              // linking two files: a cluster holds at most one record of each
  std::vector<std::string> never_together;  // fields: a cluster never holds two different values
};

struct LinkConfig {
  std::string source;  // the configuration file, for messages
  std::string id_column = "id";
  CsvReadOptions csv;
  std::vector<FieldSpec> fields;
  std::vector<ComparisonSpec> comparisons;
  std::vector<BlockingRuleSpec> blocking;
  TrainingSpec training;
  DecisionSpec decision;
  std::string nickname_file;  // empty: the built-in table
  unsigned threads = 0;       // 0: all cores
  std::uint64_t max_pairs = 500'000'000;  // the candidate pairs a run may generate

  const FieldSpec* find_field(const std::string& name) const;
};

// Reads and checks a TOML configuration. Throws InputError "FILE:LINE: field 'KEY': reason" for
// a syntax error, an unknown key, a wrong type or an impossible value.
LinkConfig read_link_config(const std::string& path);
LinkConfig parse_link_config(const std::string& text, const std::string& source);

const char* level_kind_name(LevelKind kind);
std::string default_level_label(const LevelSpec& level);

}  // namespace severn::identity
