#include "identity/blocking_rule.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace severn::identity {

namespace {

// A tiny recursive-descent reader over the rule text.
class RuleParser {
 public:
  RuleParser(const BlockingRuleSpec& spec, const PreparedInputs& inputs) : spec_(spec), text_(spec.text), inputs_(inputs) {}

  BlockingRule parse() {
    BlockingRule rule;
    rule.text = spec_.text;
    rule.place = spec_.place;
    for (;;) {
      auto [a_side, a_key] = expression();
      expect('=');
      auto [b_side, b_key] = expression();
      if (a_side == b_side)
        fail(std::string("each equality compares an l. expression with an r. expression; both sides here are ") +
             (a_side == 'l' ? "l." : "r."));
      RuleTerm term = a_side == 'l' ? RuleTerm{a_key, b_key} : RuleTerm{b_key, a_key};
      if (!(term.left == term.right)) rule.symmetric = false;
      rule.fields.push_back(term.left.field);
      rule.fields.push_back(term.right.field);
      rule.terms.push_back(term);
      skip_space();
      if (at_end()) break;
      const std::string word = identifier();
      if (word != "and") fail("expected 'and' between equalities, found '" + word + "'");
    }
    std::sort(rule.fields.begin(), rule.fields.end());
    rule.fields.erase(std::unique(rule.fields.begin(), rule.fields.end()), rule.fields.end());
    return rule;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    throw InputError(located(spec_.place.file, spec_.place.line, "blocking.rules",
                             "rule \"" + spec_.text + "\": " + reason + " (at character " + std::to_string(pos_ + 1) + ")"));
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool at_end() {
    skip_space();
    return pos_ >= text_.size();
  }
  void expect(char c) {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string identifier() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
    if (start == pos_) fail("expected a name");
    std::string s = text_.substr(start, pos_ - start);
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  }
  int integer() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    if (start == pos_ || pos_ - start > 3) fail("expected a small whole number");
    return std::stoi(text_.substr(start, pos_ - start));
  }

  // side.field or function(expression[, n[, n]])
  std::pair<char, DerivedKey> expression() {
    const std::string word = identifier();
    if ((word == "l" || word == "r") && accept('.')) {
      skip_space();
      const std::size_t start = pos_;
      while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
      const std::string field = text_.substr(start, pos_ - start);
      const int index = inputs_.field_index(field);
      if (index < 0) fail("no field '" + field + "' in [fields]");
      return {word[0], DerivedKey{index, Derivation::kValue, 0}};
    }
    expect('(');
    auto [side, inner] = expression();
    if (inner.fn != Derivation::kValue) fail("functions cannot be nested");
    DerivedKey key = inner;
    const FieldKind kind = inputs_.field(inner.field).spec->kind;
    const auto need = [&](bool ok, const char* what) {
      if (!ok) fail(word + "() needs " + what + " field");
    };
    if (word == "nysiis") key.fn = Derivation::kNysiis;
    else if (word == "soundex") key.fn = Derivation::kSoundex;
    else if (word == "initial") key.fn = Derivation::kFirst, key.n = 1;
    else if (word == "first") {
      expect(',');
      key.fn = Derivation::kFirst;
      key.n = integer();
    } else if (word == "substr") {
      expect(',');
      if (integer() != 1) fail("substr(x, start, length) is supported from start 1 only (use first(x, n))");
      expect(',');
      key.fn = Derivation::kFirst;
      key.n = integer();
    } else if (word == "year") key.fn = Derivation::kYear, need(kind == FieldKind::kDate, "a date");
    else if (word == "year_month") key.fn = Derivation::kYearMonth, need(kind == FieldKind::kDate, "a date");
    else if (word == "postcode_sector") key.fn = Derivation::kPostcodeSector, need(kind == FieldKind::kPostcode, "a postcode");
    else if (word == "postcode_district") key.fn = Derivation::kPostcodeDistrict, need(kind == FieldKind::kPostcode, "a postcode");
    else if (word == "postcode_area") key.fn = Derivation::kPostcodeArea, need(kind == FieldKind::kPostcode, "a postcode");
    else fail("unknown function '" + word + "' (nysiis, soundex, first, substr, initial, year, year_month, postcode_sector, postcode_district, postcode_area)");
    if (key.fn == Derivation::kFirst && key.n < 1) fail("the length must be at least 1");
    expect(')');
    return {side, key};
  }

  const BlockingRuleSpec& spec_;
  const std::string& text_;
  const PreparedInputs& inputs_;
  std::size_t pos_ = 0;
};

std::uint64_t mix(std::uint64_t h, std::uint64_t k) {
  // boost::hash_combine's constant spread over 64 bits; any fixed bijective mix would do.
  h ^= k + 0x9E3779B97F4A7C15ull + (h << 12) + (h >> 4);
  return h == 0 ? 1 : h;
}

std::vector<std::uint64_t> side_keys(const std::vector<DerivedKey>& keys, PreparedInputs& inputs, int side) {
  std::vector<const std::vector<std::uint64_t>*> tables;
  for (const DerivedKey& k : keys) tables.push_back(&inputs.key(k));
  std::vector<std::uint64_t> out(inputs.size(side), 0);
  for (std::uint32_t r = 0; r < out.size(); ++r) {
    std::uint64_t h = 0;
    bool null = false;
    for (std::size_t t = 0; t < keys.size() && !null; ++t) {
      const std::uint64_t k = (*tables[t])[inputs.value_id(keys[t].field, side, r)];
      if (k == 0) null = true;
      else h = mix(h, k);
    }
    out[r] = null ? 0 : h;
  }
  return out;
}

}  // namespace

BlockingRule parse_blocking_rule(const BlockingRuleSpec& spec, const PreparedInputs& inputs) {
  return RuleParser(spec, inputs).parse();
}

RuleKeys compute_rule_keys(const BlockingRule& rule, PreparedInputs& inputs) {
  std::vector<DerivedKey> left, right;
  for (const RuleTerm& t : rule.terms) {
    left.push_back(t.left);
    right.push_back(t.right);
  }
  RuleKeys k;
  k.left = side_keys(left, inputs, 0);
  k.right = rule.symmetric && !inputs.linking() ? k.left : side_keys(right, inputs, inputs.right_side());
  return k;
}

}  // namespace severn::identity
