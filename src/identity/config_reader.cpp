// The TOML side of LinkConfig. Every key is checked: an unknown key is an error (a typo must not
// silently fall back to a default), and every message carries the file and line of the value.
#include <toml++/toml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "identity/link_config.h"

namespace severn::identity {

namespace {

struct LevelName {
  LevelKind kind;
  const char* name;
};
constexpr LevelName kLevelNames[] = {
    {LevelKind::kExact, "exact"},
    {LevelKind::kJaroWinkler, "jaro_winkler"},
    {LevelKind::kEditDistance, "edit_distance"},
    {LevelKind::kPhonetic, "phonetic"},
    {LevelKind::kNickname, "nickname"},
    {LevelKind::kSwapped, "swapped"},
    {LevelKind::kPrevious, "previous"},
    {LevelKind::kAnyPart, "any_part"},
    {LevelKind::kTransposition, "transposition"},
    {LevelKind::kOneCharacter, "one_character"},
    {LevelKind::kDayMonthSwapped, "day_month_swapped"},
    {LevelKind::kDaysApart, "days_apart"},
    {LevelKind::kYearDiffers, "year_differs"},
    {LevelKind::kPostcodeSector, "postcode_sector"},
    {LevelKind::kPostcodeDistrict, "postcode_district"},
    {LevelKind::kPostcodeArea, "postcode_area"},
};

// A TOML table being read: typed getters that fail with file, line and key, and a final check
// that no key was left unread.
class Reader {
 public:
  Reader(const toml::table& table, const std::string& file, std::string path)
      : table_(table), file_(file), path_(std::move(path)) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& reason) const {
    const std::int64_t line = node != nullptr ? static_cast<std::int64_t>(node->source().begin.line)
                                              : static_cast<std::int64_t>(table_.source().begin.line);
    throw InputError(located(file_, line, qualified(key), reason));
  }
  std::string qualified(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  std::int64_t line() const { return static_cast<std::int64_t>(table_.source().begin.line); }
  const std::string& file() const { return file_; }

  const toml::node* get(const std::string& key) {
    seen_.insert(key);
    return table_.get(key);
  }
  bool has(const std::string& key) const { return table_.contains(key); }

  std::optional<std::string> string(const std::string& key) {
    const toml::node* n = get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_string()) fail(n, key, "expected a string");
    return n->value<std::string>();
  }
  std::string required_string(const std::string& key) {
    auto s = string(key);
    if (!s) fail(nullptr, key, "required key is missing");
    if (s->empty()) fail(get(key), key, "must not be empty");
    return *s;
  }
  std::optional<double> number(const std::string& key) {
    const toml::node* n = get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_number()) fail(n, key, "expected a number");
    const double v = *n->value<double>();
    if (!std::isfinite(v)) fail(n, key, "expected a finite number");
    return v;
  }
  std::optional<std::int64_t> integer(const std::string& key, std::int64_t lo, std::int64_t hi) {
    const toml::node* n = get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_integer()) fail(n, key, "expected a whole number");
    const std::int64_t v = *n->value<std::int64_t>();
    if (v < lo || v > hi) fail(n, key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return v;
  }
  std::optional<bool> boolean(const std::string& key) {
    const toml::node* n = get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_boolean()) fail(n, key, "expected true or false");
    return n->value<bool>();
  }
  double probability(const std::string& key, double fallback) {
    const auto v = number(key);
    if (!v) return fallback;
    if (*v <= 0.0 || *v >= 1.0) fail(get(key), key, "must be a probability strictly between 0 and 1");
    return *v;
  }
  const toml::table* table(const std::string& key) {
    const toml::node* n = get(key);
    if (n == nullptr) return nullptr;
    if (!n->is_table()) fail(n, key, "expected a table");
    return n->as_table();
  }
  const toml::array* array(const std::string& key) {
    const toml::node* n = get(key);
    if (n == nullptr) return nullptr;
    if (!n->is_array()) fail(n, key, "expected an array");
    return n->as_array();
  }
  std::vector<std::string> strings(const std::string& key) {
    std::vector<std::string> out;
    const toml::array* a = array(key);
    if (a == nullptr) return out;
    for (const toml::node& n : *a) {
      if (!n.is_string()) fail(&n, key, "expected an array of strings");
      out.push_back(*n.value<std::string>());
    }
    return out;
  }

  // Every key must have been read by now.
  void finish() const {
    for (const auto& [key, node] : table_) {
      const std::string k(key.str());
      if (!seen_.count(k)) fail(&node, k, "unknown key (docs/linkage.md lists the keys of this table)");
    }
  }

 private:
  const toml::table& table_;
  const std::string& file_;
  std::string path_;
  std::set<std::string> seen_;
};

ConfigPlace place_of(const Reader& r) { return {r.file(), r.line()}; }

void read_input(Reader r, LinkConfig& c) {
  if (auto id = r.string("id")) {
    if (id->empty()) r.fail(r.get("id"), "id", "must name the column holding each record's unique id");
    c.id_column = *id;
  }
  if (auto t = r.boolean("trim_spaces")) c.csv.trim_spaces = *t;
  if (auto m = r.integer("max_field_bytes", 16, 1 << 24)) c.csv.max_field_bytes = static_cast<std::size_t>(*m);
  r.finish();
}

void read_fields(const toml::table& fields, const std::string& file, LinkConfig& c) {
  for (const auto& [key, node] : fields) {
    const std::string name(key.str());
    Reader outer(fields, file, "fields");
    if (!node.is_table()) outer.fail(&node, name, "expected a table such as { kind = \"name\" }");
    Reader r(*node.as_table(), file, "fields." + name);
    FieldSpec f;
    f.name = name;
    f.place = place_of(r);
    f.column = r.string("column").value_or(name);
    const std::string kind = r.required_string("kind");
    const auto k = parse_field_kind(kind);
    if (!k) r.fail(r.get("kind"), "kind", "unknown kind '" + kind + "'; expected one of " + field_kind_names());
    f.kind = *k;
    if (auto format = r.string("format")) {
      if (f.kind != FieldKind::kDate) r.fail(r.get("format"), "format", "only a date field has a format");
      f.date_format = DateFormat::parse(*format);
      if (!f.date_format)
        r.fail(r.get("format"), "format", "'" + *format + "' must contain YYYY, MM and DD once each (e.g. YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY)");
    }
    r.finish();
    c.fields.push_back(std::move(f));
  }
}

LevelSpec read_level(Reader r, const LinkConfig& c, const FieldSpec& field) {
  LevelSpec l;
  l.place = place_of(r);
  const std::string type = r.required_string("level");
  bool known = false;
  for (const auto& [kind, name] : kLevelNames)
    if (type == name) l.kind = kind, known = true;
  if (!known) {
    std::string names;
    for (const auto& [kind, name] : kLevelNames) names += (names.empty() ? "" : ", ") + std::string(name);
    r.fail(r.get("level"), "level", "unknown level '" + type + "'; expected one of " + names);
  }
  const auto needs_kind = [&](std::initializer_list<FieldKind> kinds) {
    for (FieldKind k : kinds)
      if (field.kind == k) return;
    r.fail(r.get("level"), "level", "'" + type + "' does not apply to field '" + field.name + "' of kind " +
                                        field_kind_name(field.kind));
  };
  switch (l.kind) {
    case LevelKind::kJaroWinkler: {
      const auto t = r.number("at_least");
      if (!t) r.fail(nullptr, "at_least", "jaro_winkler needs at_least (a similarity between 0 and 1)");
      if (*t <= 0.0 || *t > 1.0) r.fail(r.get("at_least"), "at_least", "must be above 0 and at most 1");
      l.threshold = *t;
      break;
    }
    case LevelKind::kEditDistance:
    case LevelKind::kDaysApart: {
      const auto n = r.integer("at_most", 1, l.kind == LevelKind::kDaysApart ? 36600 : 8);
      if (!n) r.fail(nullptr, "at_most", type + " needs at_most");
      l.at_most = static_cast<int>(*n);
      if (l.kind == LevelKind::kDaysApart) needs_kind({FieldKind::kDate});
      break;
    }
    case LevelKind::kPhonetic: {
      const std::string code = r.string("code").value_or("nysiis");
      if (code == "nysiis") l.phonetic = PhoneticCode::kNysiis;
      else if (code == "soundex") l.phonetic = PhoneticCode::kSoundex;
      else r.fail(r.get("code"), "code", "expected nysiis or soundex");
      needs_kind({FieldKind::kName, FieldKind::kText});
      break;
    }
    case LevelKind::kNickname:
    case LevelKind::kAnyPart: needs_kind({FieldKind::kName}); break;
    case LevelKind::kSwapped:
    case LevelKind::kPrevious: {
      l.other_field = r.required_string("field");
      const FieldSpec* other = c.find_field(l.other_field);
      if (other == nullptr) r.fail(r.get("field"), "field", "no field '" + l.other_field + "' in [fields]");
      if (other->kind != field.kind)
        r.fail(r.get("field"), "field", "'" + l.other_field + "' is of kind " + field_kind_name(other->kind) +
                                            ", not " + field_kind_name(field.kind) + " like '" + field.name + "'");
      break;
    }
    case LevelKind::kDayMonthSwapped:
    case LevelKind::kYearDiffers: needs_kind({FieldKind::kDate}); break;
    case LevelKind::kPostcodeSector:
    case LevelKind::kPostcodeDistrict:
    case LevelKind::kPostcodeArea: needs_kind({FieldKind::kPostcode}); break;
    case LevelKind::kExact:
    case LevelKind::kTransposition:
    case LevelKind::kOneCharacter: break;
  }
  if (auto tf = r.boolean("term_frequency")) l.term_frequency = *tf;
  l.label = r.string("label").value_or(default_level_label(l));
  r.finish();
  return l;
}

void read_comparison(Reader r, LinkConfig& c) {
  ComparisonSpec s;
  s.place = place_of(r);
  s.field = r.required_string("field");
  s.name = r.string("name").value_or(s.field);
  const FieldSpec* field = c.find_field(s.field);
  if (field == nullptr) r.fail(r.get("field"), "field", "no field '" + s.field + "' in [fields]");
  for (const auto& other : c.comparisons)
    if (other.name == s.name) r.fail(r.get("name"), "name", "two comparisons are called '" + s.name + "'");
  const toml::array* levels = r.array("levels");
  if (levels == nullptr || levels->empty())
    r.fail(r.get("levels"), "levels", "a comparison needs at least one level, e.g. levels = [{ level = \"exact\" }]");
  // Four bits a comparison in a pair's pattern: 14 levels, else and null.
  if (levels->size() > 14) r.fail(r.get("levels"), "levels", "at most 14 levels a comparison");
  for (const toml::node& n : *levels) {
    if (!n.is_table()) r.fail(&n, "levels", "each level is a table such as { level = \"exact\" }");
    s.levels.push_back(read_level(Reader(*n.as_table(), r.file(), "comparison." + s.name + ".levels"), c, *field));
  }
  if (auto t = r.string("term_frequency_table")) s.term_frequency_table = *t;
  r.finish();
  c.comparisons.push_back(std::move(s));
}

void read_training(Reader r, TrainingSpec& t) {
  if (auto v = r.integer("seed", 0, INT64_MAX)) t.seed = static_cast<std::uint64_t>(*v);
  if (auto v = r.integer("u_sample_pairs", 1000, 1'000'000'000)) t.u_sample_pairs = static_cast<std::uint64_t>(*v);
  if (auto v = r.integer("em_max_iterations", 1, 100000)) t.em_max_iterations = static_cast<int>(*v);
  if (auto v = r.number("em_tolerance")) {
    if (*v <= 0.0 || *v >= 0.1) r.fail(r.get("em_tolerance"), "em_tolerance", "must be above 0 and below 0.1");
    t.em_tolerance = *v;
  }
  if (auto v = r.string("m_from_rule")) t.m_from_rule = *v;
  if (auto v = r.integer("lost_match_sample_pairs", 0, 1'000'000'000)) t.lost_match_sample_pairs = static_cast<std::uint64_t>(*v);
  r.finish();
}

void read_decision(Reader r, DecisionSpec& d, const LinkConfig& c) {
  d.auto_link_probability = r.probability("auto_link", d.auto_link_probability);
  d.review_probability = r.probability("review", d.review_probability);
  if (d.review_probability > d.auto_link_probability)
    r.fail(r.get("review"), "review", "the review threshold must not be above auto_link");
  if (auto v = r.boolean("one_to_one")) d.one_to_one = *v;
  d.never_together = r.strings("never_together");
  for (const auto& f : d.never_together)
    if (c.find_field(f) == nullptr) r.fail(r.get("never_together"), "never_together", "no field '" + f + "' in [fields]");
  r.finish();
}

void read_run(Reader r, LinkConfig& c) {
  if (auto v = r.integer("threads", 0, 1024)) c.threads = static_cast<unsigned>(*v);
  if (auto v = r.integer("max_pairs", 1, INT64_MAX)) c.max_pairs = static_cast<std::uint64_t>(*v);
  if (auto v = r.string("nicknames")) c.nickname_file = *v;
  r.finish();
}

LinkConfig from_table(const toml::table& root, const std::string& source) {
  LinkConfig c;
  c.source = source;
  Reader r(root, source, "");
  if (const toml::table* t = r.table("input")) read_input(Reader(*t, source, "input"), c);
  const toml::table* fields = r.table("fields");
  if (fields == nullptr || fields->empty())
    r.fail(nullptr, "fields", "the configuration needs a [fields] table naming the columns to compare");
  read_fields(*fields, source, c);
  const toml::node* comparisons = r.get("comparison");
  if (comparisons == nullptr || !comparisons->is_array_of_tables())
    r.fail(comparisons, "comparison", "the configuration needs [[comparison]] tables");
  for (const toml::node& n : *comparisons->as_array()) read_comparison(Reader(*n.as_table(), source, "comparison"), c);
  if (c.comparisons.size() > 16) r.fail(comparisons, "comparison", "at most 16 comparisons");
  if (const toml::table* t = r.table("blocking")) {
    Reader b(*t, source, "blocking");
    const toml::array* rules = b.array("rules");
    if (rules == nullptr || rules->empty()) b.fail(nullptr, "rules", "at least one blocking rule is needed");
    if (rules->size() > 16) b.fail(rules, "rules", "at most 16 blocking rules");
    for (const toml::node& n : *rules) {
      if (!n.is_string()) b.fail(&n, "rules", "each rule is a string such as \"l.surname = r.surname\"");
      c.blocking.push_back({*n.value<std::string>(), {source, static_cast<std::int64_t>(n.source().begin.line)}});
    }
    b.finish();
  } else {
    r.fail(nullptr, "blocking", "the configuration needs a [blocking] table with rules = [...]");
  }
  if (const toml::table* t = r.table("training")) read_training(Reader(*t, source, "training"), c.training);
  if (const toml::table* t = r.table("decision")) read_decision(Reader(*t, source, "decision"), c.decision, c);
  if (const toml::table* t = r.table("run")) read_run(Reader(*t, source, "run"), c);
  r.finish();
  // Files named in the configuration are relative to it, so a configuration and its tables move
  // together.
  const std::filesystem::path base = std::filesystem::path(source).parent_path();
  const auto resolve = [&](std::string& file) {
    if (!file.empty() && std::filesystem::path(file).is_relative()) file = (base / file).string();
  };
  for (auto& comparison : c.comparisons) resolve(comparison.term_frequency_table);
  resolve(c.nickname_file);
  return c;
}

}  // namespace

const FieldSpec* LinkConfig::find_field(const std::string& name) const {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

const char* level_kind_name(LevelKind kind) {
  for (const auto& [k, name] : kLevelNames)
    if (k == kind) return name;
  return "?";
}

std::string default_level_label(const LevelSpec& l) {
  std::ostringstream s;
  s << level_kind_name(l.kind);
  switch (l.kind) {
    case LevelKind::kJaroWinkler: s << " >= " << l.threshold; break;
    case LevelKind::kEditDistance:
    case LevelKind::kDaysApart: s << " <= " << l.at_most; break;
    case LevelKind::kPhonetic: s << " " << (l.phonetic == PhoneticCode::kNysiis ? "nysiis" : "soundex"); break;
    case LevelKind::kSwapped:
    case LevelKind::kPrevious: s << " " << l.other_field; break;
    default: break;
  }
  return s.str();
}

LinkConfig parse_link_config(const std::string& text, const std::string& source) {
  try {
    const toml::table root = toml::parse(text, source);
    return from_table(root, source);
  } catch (const toml::parse_error& e) {
    throw InputError(located(source, static_cast<std::int64_t>(e.source().begin.line), "",
                             "TOML syntax: " + std::string(e.description())));
  }
}

LinkConfig read_link_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the configuration file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_link_config(ss.str(), path);
}

}  // namespace severn::identity
