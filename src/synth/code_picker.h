// Drawing realistic codes from a code list. Clinicians use a few codes of a list most of the
// time, so a picker puts most of its weight on preferred codes (named by their exact term) and
// spreads the rest over the list, leaving out terms that do not fit the setting (pregnancy codes
// for a long-term register, for example). Lists of Severn's own are ordered commonest first and
// weighted by rank.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.h"
#include "refdata/codelists.h"

namespace severn::synth {

class CodePicker {
 public:
  CodePicker() = default;
  // `preferred`: exact terms that take `preferred_share` of the weight between them.
  // `exclude`: case-insensitive substrings of terms never drawn.
  CodePicker(const refdata::Codelist& list, std::initializer_list<std::string_view> preferred,
             std::initializer_list<std::string_view> exclude = {}, double preferred_share = 0.85);
  // Weighted by rank in the list: weight 1/(rank+1)^1.3.
  static CodePicker by_rank(const refdata::Codelist& list);
  // Exactly the given codes (the first one found of each alternative group must exist).
  static CodePicker exactly(const refdata::Codelist& list,
                            std::initializer_list<std::initializer_list<std::string_view>> codes,
                            std::initializer_list<double> weights);

  const std::string& pick(Rng& rng) const { return *codes_[table_.draw(rng)]; }
  const std::string& first() const { return *codes_.front(); }
  const std::vector<const std::string*>& codes() const { return codes_; }

 private:
  std::vector<const std::string*> codes_;
  AliasTable table_;
};

// The first of `alternatives` that `list` holds (e.g. {"I50.9", "I50"}), or nullptr.
const std::string* find_code(const refdata::Codelist& list,
                             std::initializer_list<const char*> alternatives);

// Terms that mark pregnancy, childbirth or the newborn: never used for a long-term register code.
extern const std::initializer_list<std::string_view> kObstetricTerms;

}  // namespace severn::synth
