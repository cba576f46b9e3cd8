#include "identity/comparison.h"

#include <algorithm>
#include <cstdlib>

#include "core/error.h"
#include "identity/string_similarity.h"

namespace severn::identity {

namespace {

DerivedKey key_for(const LevelSpec& s, int field) {
  switch (s.kind) {
    case LevelKind::kPhonetic:
      return {field, s.phonetic == PhoneticCode::kNysiis ? Derivation::kNysiis : Derivation::kSoundex, 0};
    case LevelKind::kPostcodeSector: return {field, Derivation::kPostcodeSector, 0};
    case LevelKind::kPostcodeDistrict: return {field, Derivation::kPostcodeDistrict, 0};
    case LevelKind::kPostcodeArea: return {field, Derivation::kPostcodeArea, 0};
    default: return {field, Derivation::kValue, 0};
  }
}

bool uses_key(LevelKind k) {
  return k == LevelKind::kPhonetic || k == LevelKind::kPostcodeSector || k == LevelKind::kPostcodeDistrict ||
         k == LevelKind::kPostcodeArea;
}

bool shares_a_group(const std::vector<std::uint32_t>* a, const std::vector<std::uint32_t>* b) {
  if (a == nullptr || b == nullptr) return false;
  auto i = a->begin(), j = b->begin();
  while (i != a->end() && j != b->end()) {
    if (*i == *j) return true;
    if (*i < *j) ++i;
    else ++j;
  }
  return false;
}

bool any_part_equal(std::string_view a, std::string_view b) {
  // Plain names (one part each) are exact or nothing; most pairs stop here without allocating.
  if (a.find(' ') == std::string_view::npos && b.find(' ') == std::string_view::npos) return false;
  const auto pa = name_parts(a), pb = name_parts(b);
  for (auto x : pa)
    for (auto y : pb)
      if (x == y) return true;
  return false;
}

// Similarities several levels of one comparison share, computed at most once a pair.
struct PairMemo {
  double jaro_winkler = -1.0;
  int edit_distance = -1;
};

bool level_holds(const Level& level, const Comparison& c, PairMemo& memo, const PreparedInputs& in,
                 const FieldValues& f, std::uint32_t va, std::uint32_t vb, int side_a, std::uint32_t a, int side_b,
                 std::uint32_t b) {
  const LevelSpec& s = level.spec;
  switch (s.kind) {
    case LevelKind::kExact: return va == vb;
    case LevelKind::kJaroWinkler:
      if (va == vb) return true;
      if (memo.jaro_winkler < 0) memo.jaro_winkler = jaro_winkler(f.dictionary.value(va), f.dictionary.value(vb));
      return memo.jaro_winkler >= s.threshold;
    case LevelKind::kEditDistance:
      if (memo.edit_distance < 0)
        memo.edit_distance = bounded_osa_distance(f.dictionary.value(va), f.dictionary.value(vb), c.max_edit_distance);
      return memo.edit_distance <= s.at_most;
    case LevelKind::kPhonetic:
    case LevelKind::kPostcodeSector:
    case LevelKind::kPostcodeDistrict:
    case LevelKind::kPostcodeArea: {
      const auto& keys = *in.key_if_ready(level.key);
      return keys[va] != 0 && keys[va] == keys[vb];
    }
    case LevelKind::kNickname: return va != vb && shares_a_group(f.nickname_groups[va], f.nickname_groups[vb]);
    case LevelKind::kSwapped: {
      const std::string_view a_other = in.value(level.other_field, side_a, a);
      const std::string_view b_other = in.value(level.other_field, side_b, b);
      return !a_other.empty() && !b_other.empty() && f.dictionary.value(va) == b_other &&
             a_other == f.dictionary.value(vb);
    }
    case LevelKind::kPrevious: {
      const std::string_view a_prev = in.value(level.other_field, side_a, a);
      const std::string_view b_prev = in.value(level.other_field, side_b, b);
      return (!b_prev.empty() && f.dictionary.value(va) == b_prev) ||
             (!a_prev.empty() && a_prev == f.dictionary.value(vb));
    }
    case LevelKind::kAnyPart: return any_part_equal(f.dictionary.value(va), f.dictionary.value(vb));
    case LevelKind::kTransposition:
      return is_adjacent_transposition(f.dictionary.value(va), f.dictionary.value(vb));
    case LevelKind::kOneCharacter: return differs_in_one_position(f.dictionary.value(va), f.dictionary.value(vb));
    case LevelKind::kDayMonthSwapped: {
      const CivilDate x = civil_from_days(f.days[va]), y = civil_from_days(f.days[vb]);
      return x.year == y.year && x.day == y.month && x.month == y.day && x.day != x.month;
    }
    case LevelKind::kDaysApart: return std::abs(f.days[va] - f.days[vb]) <= s.at_most;
    case LevelKind::kYearDiffers: {
      const CivilDate x = civil_from_days(f.days[va]), y = civil_from_days(f.days[vb]);
      return x.month == y.month && x.day == y.day && x.year != y.year;
    }
  }
  return false;
}

}  // namespace

std::vector<Comparison> build_comparisons(const LinkConfig& config, PreparedInputs& inputs) {
  std::vector<Comparison> out;
  for (const ComparisonSpec& spec : config.comparisons) {
    Comparison c;
    c.name = spec.name;
    c.field = inputs.field_index(spec.field);
    if (c.field < 0) throw InputError(located(spec.place.file, spec.place.line, "field", "unknown field '" + spec.field + "'"));
    for (const LevelSpec& ls : spec.levels) {
      Level l;
      l.spec = ls;
      if (!ls.other_field.empty()) {
        l.other_field = inputs.field_index(ls.other_field);
        if (l.other_field < 0)
          throw InputError(located(ls.place.file, ls.place.line, "field", "unknown field '" + ls.other_field + "'"));
      }
      l.key = key_for(ls, c.field);
      if (uses_key(ls.kind)) inputs.key(l.key);
      c.labels.push_back(ls.label);
      if (ls.kind == LevelKind::kEditDistance) c.max_edit_distance = std::max(c.max_edit_distance, ls.at_most);
      c.levels.push_back(std::move(l));
    }
    c.labels.push_back("else");
    out.push_back(std::move(c));
  }
  return out;
}

int compare(const Comparison& c, const PreparedInputs& in, int side_a, std::uint32_t a, int side_b, std::uint32_t b) {
  const FieldValues& f = in.field(c.field);
  const std::uint32_t va = in.value_id(c.field, side_a, a), vb = in.value_id(c.field, side_b, b);
  if (va == 0 || vb == 0) return kNullLevel;
  PairMemo memo;
  for (std::size_t k = 0; k < c.levels.size(); ++k)
    if (level_holds(c.levels[k], c, memo, in, f, va, vb, side_a, a, side_b, b)) return static_cast<int>(k);
  return static_cast<int>(c.levels.size());
}

Pattern compare_all(const std::vector<Comparison>& comparisons, const PreparedInputs& in, int side_a, std::uint32_t a,
                    int side_b, std::uint32_t b) {
  Pattern p = 0;
  for (std::size_t i = 0; i < comparisons.size(); ++i) {
    const int level = compare(comparisons[i], in, side_a, a, side_b, b);
    p |= static_cast<Pattern>(level + 1) << (4 * i);
  }
  return p;
}

}  // namespace severn::identity
