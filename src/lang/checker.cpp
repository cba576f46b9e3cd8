#include "lang/checker.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/csv_table.h"
#include "core/embedded.h"
#include "lang/diagnostic.h"
#include "lang/library.h"
#include "lang/literals.h"
#include "lang/parser.h"
#include "lang/tables.h"

namespace severn::lang {
namespace {

namespace fs = std::filesystem;

struct Failure {
  Diagnostic diagnostic;
};
struct Poisoned {};  // an error already reported; stop checking this statement quietly

[[noreturn]] void fail(Pos pos, std::string message, std::string hint = "") {
  throw Failure{{pos, std::move(message), std::move(hint)}};
}

bool is_digits(const std::string& s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// A literal as written, shortened for a message (a hostile one may be a megabyte of digits).
std::string shortened(const std::string& text) {
  return text.size() <= 40 ? text : text.substr(0, 20) + "..." + text.substr(text.size() - 10);
}

// Whether `path` is a regular file. A path the system cannot even look at (a name too long for
// the file system, a NUL byte in it) is an error at `at`, never an exception out of the checker.
bool is_file(const fs::path& path, const std::string& as_written, Pos at, const char* what) {
  if (as_written.find('\0') != std::string::npos)
    fail(at, std::string(what) + " name contains a NUL byte", "file names are plain text");
  std::error_code ec;
  const bool regular = fs::is_regular_file(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
    fail(at, std::string(what) + " '" + shortened(as_written) + "' cannot be opened: " + ec.message(),
         "looked for " + shortened(path.string()));
  return regular;
}

// The whole of a file found by is_file(), or an error at `at`.
std::string read_whole(const std::string& found, const std::string& as_written, Pos at, const char* what) {
  std::ifstream in(found, std::ios::binary);
  std::stringstream read;
  if (in) read << in.rdbuf();
  if (!in || in.bad())
    fail(at, std::string(what) + " '" + shortened(as_written) + "' cannot be read", found);
  return read.str();
}

// A frame being filtered or aggregated: its columns are in scope as event-level values.
struct FrameScope {
  const TableDef* table = nullptr;
};

class Checker {
 public:
  Checker(const SourceFile& file, const CheckOptions& options) : file_(file), options_(options) {}

  CheckedDefinition run(Definition d) {
    CheckedDefinition out;
    for (const auto& [kind, index] : d.order) {
      try {
        switch (kind) {
          case 'c': load_codelist(d.codelists[index], out); break;
          case 'l': bind(d.lets[index], out.lets, "let"); break;
          case 'v': bind(d.variables[index], out.variables, "variable"); break;
          case 'p': population(*d.population, d.population_pos); break;
          case 'm': measure(d.measures[index]); break;
          case 'w': worklist(d.worklists[index]); break;
        }
      } catch (const Failure& f) {
        errors_.push_back(f.diagnostic);
        if (kind == 'l') poisoned_.insert(d.lets[index].name);
        if (kind == 'v') poisoned_.insert(d.variables[index].name);
      } catch (const Poisoned&) {
        if (kind == 'l') poisoned_.insert(d.lets[index].name);
      }
    }
    if (!d.population && errors_.empty())
      errors_.push_back({Pos{1, 1}, "the definition has no population",
                         "expected a line such as 'population registered_on(index_date)'"});
    if (!errors_.empty()) throw DefinitionError(file_, errors_);
    out.definition = std::move(d);
    out.types = std::move(types_);
    return out;
  }

 private:
  // ---- statements --------------------------------------------------------------------------
  void declare(const std::string& name, Pos pos) {
    if (names_.count(name)) fail(pos, "'" + name + "' is already defined", "choose another name");
    if (find_event_table(name) || name == "patients" || name == "index_date" ||
        name == "interval_start" || name == "registered_on")
      fail(pos, "'" + name + "' is a built-in name", "choose another name");
    names_.insert(name);
  }

  void load_codelist(const CodelistDecl& c, CheckedDefinition& out) {
    declare(c.name, c.pos);
    // A library definition's own lists are among the embedded resources; a file's are beside it.
    std::string where, found, text;
    bool embedded_list = false;
    if (is_library_path(file_.path())) {
      const std::string resource = library_resource_path(c.path);
      where = "Severn's resources/" + (resource.empty() ? c.path : resource);
      if (const auto bytes = resource.empty() ? std::nullopt : embedded::find(resource)) {
        found = "resources/" + resource;
        text = std::string(*bytes);
        embedded_list = true;
      }
    } else {
      const fs::path here = fs::path(file_.path()).parent_path() / c.path;
      where = here.string();
      if (is_file(here, c.path, c.path_pos, "code list file")) found = here.string();
    }
    if (found.empty() && !options_.pack_codelists_dir.empty()) {
      const fs::path pack = fs::path(options_.pack_codelists_dir) / c.path;
      where += " or " + pack.string();
      if (is_file(pack, c.path, c.path_pos, "code list file")) found = pack.string();
    }
    if (found.empty()) fail(c.path_pos, "code list file '" + shortened(c.path) + "' not found", "looked for " + where);
    if (!embedded_list) text = read_whole(found, c.path, c.path_pos, "code list file");
    LoadedCodelist list;
    list.name = c.name;
    list.file = found;
    try {
      list.codes = refdata::parse_codelist(text, c.name, found);
    } catch (const InputError& e) {
      fail(c.path_pos, "code list file '" + c.path + "' is malformed", e.what());
    }
    if (list.codes.codes.empty()) fail(c.path_pos, "code list file '" + c.path + "' holds no codes");
    std::size_t digits = 0;
    for (const auto& code : list.codes.codes) digits += is_digits(code);
    if (digits != 0 && digits != list.codes.codes.size())
      fail(c.path_pos, "code list '" + c.name + "' mixes SNOMED CT-style codes (digits) with "
                           "ICD-10/OPCS-4-style codes",
           "one code list holds codes of one system");
    list.family = digits ? CodeFamily::kSnomed : CodeFamily::kClassification;
    if (c.with_subcodes && list.family == CodeFamily::kSnomed)
      fail(c.subcodes_pos, "code list '" + c.name + "' holds SNOMED CT / dm+d codes, which have no subcodes by text",
           "'with subcodes' is for ICD-10 and OPCS-4 lists, whose three-character categories prefix their "
           "subdivisions; a SNOMED CT hierarchy is not a text prefix: list every code");
    list.with_subcodes = c.with_subcodes;
    Type t;
    t.base = Base::kCodelist;
    t.family = list.family;
    scope_[c.name] = t;
    out.codelists.emplace(c.name, std::move(list));
  }

  void bind(const Binding& b, std::map<std::string, Type>& into, const char* what) {
    declare(b.name, b.pos);
    const Type t = expr(*b.value, nullptr);
    const int depth = bounded_depth(*b.value);
    if (std::string(what) == "let") let_depth_[b.name] = depth;
    if (t.event)
      fail(b.value->pos, std::string(what) + " '" + b.name + "' has many values per person (" +
                             describe(t) + ")",
           "an aggregation is missing: pick a row with .first() or .latest(), or aggregate the "
           "frame with .exists(), .count(), .max(column), ...");
    const bool variable = std::string(what) == "variable";
    if (variable && (t.base == Base::kFrame || t.base == Base::kRow || t.base == Base::kPatients ||
                     t.base == Base::kCodelist))
      fail(b.value->pos, "variable '" + b.name + "' is a " + describe(t) + ", not a value",
           "a dataset variable is one value per person: pick a column, e.g. .latest().date");
    // A duration is only meaningful beside the date it moves, so it is written where it is used.
    if (t.base == Base::kDuration)
      fail(b.value->pos, std::string(what) + " '" + b.name + "' is a duration, which is not a value",
           "write the duration where it is used, e.g. index_date - 90 days or count_episodes(90 days)");
    if (!variable)
      for (const auto& g : group_columns())
        if (g == b.name)
          fail(b.pos, "'" + b.name + "' is a built-in group column",
               "give the let another name, so that 'by " + b.name + "' means one thing");
    into[b.name] = t;
    // Variables are outputs: only lets can be named by later statements.
    if (variable) variables_.insert(b.name);
    else scope_[b.name] = t;
  }

  void population(const Expr& e, Pos) {
    const Type t = value(e, nullptr);
    bounded_depth(e);
    expect_patient_bool(e, t, "the population");
  }

  // `measure NAME over TABLE`: the event table whose rows are counted, and what a row measure
  // cannot ask for (docs/language.md, "Measures of rows").
  const TableDef* measure_unit(const Measure& m) {
    if (m.over.empty()) return nullptr;
    const TableDef* unit = find_event_table(m.over);
    if (unit == nullptr) {
      std::vector<std::string> candidates;
      for (const auto& t : event_tables()) candidates.push_back(t.name);
      const std::string guess = did_you_mean(m.over, candidates);
      if (m.over == "patients")
        fail(m.over_pos, "measure '" + m.name + "' is over patients, which is what a measure counts without 'over'",
             "remove 'over patients'; 'over' names an event table whose rows are counted, e.g. 'over wl_pathways'");
      fail(m.over_pos, "measure '" + m.name + "' is over '" + shortened(m.over) + "', which is not an event table",
           guess.empty() ? "'over' names the event table whose rows are counted, e.g. 'over wl_pathways'"
                         : "did you mean '" + guess + "'?");
    }
    if (m.stats.kind != StatKind::kProportion)
      fail(m.stats.pos, "measure '" + m.name + "' counts rows of " + unit->name + ", so only a proportion applies",
           "rates, dsr and isr are per person (a population at risk, persons' ages and sexes); write "
           "'stats proportion' (or 'stats proportion per 100') or leave the stats clause out");
    if (!m.stats.sii_by.empty())
      fail(m.stats.sii_pos, "measure '" + m.name + "' counts rows of " + unit->name +
                                ", and the slope index of inequality is taken over persons",
           "the SII weights deprivation groups by their share of the population's persons; break the "
           "measure down with 'by imd_quintile' instead");
    return unit;
  }

  // A row measure's numerator or denominator: true or false once per row of `unit`, reading the
  // row's columns by name and the person's values (lets, patients, other tables aggregated).
  void expect_row_bool(const Expr& e, const TableDef& unit, const Measure& m, const char* what) {
    const FrameScope scope{&unit};
    const Type t = expr(e, &scope);
    if (t.base == Base::kFrame || t.base == Base::kRow)
      fail(e.pos, std::string(what) + " of measure '" + m.name + "' is tested on each row of " + unit.name +
                      ", but this is a " + describe(t),
           t.table == unit.name
               ? "write the condition on the row's own columns, e.g. 'clock_stop_date is null'"
               : "aggregate rows of " + t.table + " to one value per person, e.g. " + t.table + ".where(...).exists()");
    if (t.event && t.table != unit.name)
      fail(e.pos, std::string(what) + " of measure '" + m.name + "' is tested on each row of " + unit.name +
                      ", but this has a value per row of " + t.table,
           "aggregate rows of " + t.table + " to one value per person first, e.g. with .exists() or .max(...)");
    const Type v = value(e, &scope);  // refuses the patients table and code lists, as elsewhere
    if (v.base != Base::kBool && v.base != Base::kNull)
      fail(e.pos, std::string(what) + " must be true or false, but this is " + describe(v));
  }

  void measure(Measure& m) {
    declare(m.name, m.pos);
    const TableDef* unit = measure_unit(m);
    for (const auto& [group, pos] : m.by) {
      // A row measure's breakdown by a column of its table: the row's value, as text.
      if (const ColumnDef* c = unit != nullptr ? unit->find(group) : nullptr) {
        const Base b = c->type.base;
        if (c->type.list || !(b == Base::kBool || b == Base::kInt || b == Base::kString || b == Base::kCode))
          fail(pos, "'" + group + "' is a " + describe(c->type) + " column of " + unit->name + " and cannot group a measure",
               "group by a column of type bool, int, string or code (provider, treatment_function, priority ...), "
               "a built-in group column or a let");
        continue;
      }
      bool ok = false;
      for (const auto& g : group_columns()) ok = ok || g == group;
      if (!ok && scope_.count(group)) {
        const Type& t = scope_.at(group);
        if (t.base == Base::kBool || t.base == Base::kInt || t.base == Base::kString ||
            t.base == Base::kCode)
          ok = true;
        else
          fail(pos, "'" + group + "' is a " + describe(t) + " and cannot group a measure",
               "group by a built-in column or a let of type bool, int, string or code");
      }
      if (!ok && variables_.count(group))
        fail(pos, "'" + group + "' is a dataset variable and cannot group a measure",
             "define the value with let and group by the let; the variable can name that let");
      if (!ok) {
        std::vector<std::string> candidates = group_columns();
        for (const auto& [n, t] : scope_) candidates.push_back(n);
        const std::string guess = did_you_mean(group, candidates);
        fail(pos, "unknown group column '" + group + "'",
             guess.empty() ? "expected one of: place, pcn, practice, imd_decile, imd_quintile, "
                             "ethnicity_group, age_band, sex"
                           : "did you mean '" + guess + "'?");
      }
    }
    if (!m.stats.sii_by.empty() && m.stats.sii_by != "imd_decile" && m.stats.sii_by != "imd_quintile")
      fail(m.stats.sii_pos, "the slope index of inequality is taken across imd_decile or imd_quintile, not '" +
                                m.stats.sii_by + "'",
           did_you_mean(m.stats.sii_by, {"imd_decile", "imd_quintile"}).empty()
               ? "deprivation deciles and quintiles are the ordered groups Severn ranks by"
               : "did you mean '" + did_you_mean(m.stats.sii_by, {"imd_decile", "imd_quintile"}) + "'?");
    if (m.stats.kind == StatKind::kIsr) load_reference_rates(m.stats);
    if (unit != nullptr) {
      expect_row_bool(*m.numerator, *unit, m, "the numerator");
      expect_row_bool(*m.denominator, *unit, m, "the denominator");
    } else {
      expect_patient_bool(*m.numerator, value(*m.numerator, nullptr), "a numerator");
      expect_patient_bool(*m.denominator, value(*m.denominator, nullptr), "a denominator");
    }
    bounded_depth(*m.numerator);
    bounded_depth(*m.denominator);
    if (!m.intervals)
      fail(m.pos, "measure '" + m.name + "' has no intervals",
           "expected e.g. 'intervals monthly from 2024-04-01 to 2025-03-31'");
    const std::size_t n = interval_count(*m.intervals);
    if (n > static_cast<std::size_t>(kMaxIntervals))
      fail(m.intervals->pos, "measure '" + m.name + "' has more than " + std::to_string(kMaxIntervals) + " intervals",
           "every interval is evaluated for every person: shorten the span, or count quarterly or yearly");
  }

  // How many intervals a measure's clause makes, counting no further than one past the bound.
  static std::size_t interval_count(const Intervals& iv) {
    if (iv.kind == IntervalKind::kExplicit) return iv.spans.size();
    if (iv.last > 0) return static_cast<std::size_t>(iv.last);
    const int step = iv.kind == IntervalKind::kMonthly ? 1 : iv.kind == IntervalKind::kQuarterly ? 3 : 12;
    std::size_t n = 0;  // as engine::expand_intervals steps: starts on or before the last day
    while (n <= static_cast<std::size_t>(kMaxIntervals) &&
           add_months(iv.from, static_cast<int>(n) * step) <= iv.to)
      ++n;
    return n;
  }

  // The depth of `e` counted through the lets it names (kMaxDepthThroughLets). Columns of a frame
  // that share a let's name are counted as the let: an over-estimate, never an under-estimate.
  int depth_through_lets(const Expr& e) const {
    if (e.kind == ExprKind::kName) {
      const auto it = let_depth_.find(e.name);
      return it == let_depth_.end() ? 1 : it->second;
    }
    int below = 0;
    for (const auto& a : e.args) below = std::max(below, depth_through_lets(*a));
    return below + 1;
  }
  int bounded_depth(const Expr& e) {
    const int depth = depth_through_lets(e);
    if (depth > kMaxDepthThroughLets)
      fail(e.pos, "expression is nested more than " + std::to_string(kMaxDepthThroughLets) +
                      " levels deep, counting the lets it names",
           "each let adds its own depth where it is named; the chain of lets is too long");
    return depth;
  }

  // An isr's reference rates: a CSV with columns age_band (0-4, 5-9, ..., 85-89, 90+), sex (Male,
  // Female, M or F) and rate or prevalence (a proportion or rate per person, 0 to 1). Looked for
  // beside the definition (or among Severn's resources for a library definition), then in the
  // reference pack's standards/ directory.
  void load_reference_rates(MeasureStats& st) {
    std::string where, found, text;
    bool have = false;
    if (is_library_path(file_.path())) {
      const std::string resource = library_resource_path(st.reference);
      where = "Severn's resources/" + (resource.empty() ? st.reference : resource);
      if (const auto bytes = resource.empty() ? std::nullopt : embedded::find(resource)) {
        found = "resources/" + resource;
        text = std::string(*bytes);
        have = true;
      }
    } else {
      const fs::path here = fs::path(file_.path()).parent_path() / st.reference;
      where = here.string();
      if (is_file(here, st.reference, st.reference_pos, "reference rates file")) found = here.string();
    }
    if (found.empty() && !options_.pack_codelists_dir.empty()) {
      const fs::path pack = fs::path(options_.pack_codelists_dir).parent_path() / "standards" / st.reference;
      where += " or " + pack.string();
      if (is_file(pack, st.reference, st.reference_pos, "reference rates file")) found = pack.string();
    }
    if (found.empty())
      fail(st.reference_pos, "reference rates file '" + shortened(st.reference) + "' not found", "looked for " + where);
    if (!have) text = read_whole(found, st.reference, st.reference_pos, "reference rates file");
    const auto bad = [&](const std::string& why) {
      fail(st.reference_pos, "reference rates file '" + st.reference + "' is malformed", found + ": " + why);
    };
    std::optional<CsvTable> parsed;
    try {
      parsed.emplace(CsvTable::parse(text, found));
    } catch (const InputError& e) {
      bad(e.what());
    }
    const CsvTable& t = *parsed;
    const auto column = [&](std::initializer_list<const char*> names) -> std::size_t {
      for (const char* n : names)
        for (std::size_t c = 0; c < t.header().size(); ++c)
          if (t.header()[c] == n) return c;
      return t.header().size();
    };
    const std::size_t band_col = column({"age_band"}), sex_col = column({"sex"}), rate_col = column({"rate", "prevalence"});
    if (band_col == t.header().size() || sex_col == t.header().size() || rate_col == t.header().size())
      bad("expected columns age_band, sex and rate (or prevalence)");
    st.reference_file = found;
    st.reference_rates.assign(2 * kReferenceBands, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const std::string line = "row " + std::to_string(r + 2);
      const std::string& band = t.cell(r, band_col);
      std::size_t b = kReferenceBands;
      for (std::size_t k = 0; k < kReferenceBands; ++k)
        if (band == (k + 1 == kReferenceBands ? std::string("90+") : std::to_string(k * 5) + "-" + std::to_string(k * 5 + 4)))
          b = k;
      if (b == kReferenceBands) bad(line + ": age_band '" + band + "' is not one of 0-4, 5-9, ..., 85-89, 90+");
      const std::string& sex = t.cell(r, sex_col);
      const int sx = sex == "Male" || sex == "M" ? 0 : sex == "Female" || sex == "F" ? 1 : -1;
      if (sx < 0) bad(line + ": sex '" + sex + "' is not Male, Female, M or F");
      char* end = nullptr;
      const std::string& rate_text = t.cell(r, rate_col);
      const double rate = std::strtod(rate_text.c_str(), &end);
      if (rate_text.empty() || *end != '\0' || !(rate >= 0 && rate <= 1))
        bad(line + ": rate '" + rate_text + "' is not a number from 0 to 1");
      double& slot = st.reference_rates[static_cast<std::size_t>(sx) * kReferenceBands + b];
      if (!std::isnan(slot)) bad(line + ": a second rate for " + band + " " + sex);
      slot = rate;
    }
  }

  void worklist(const Worklist& w) {
    declare(w.name, w.pos);
    expect_patient_bool(*w.when, value(*w.when, nullptr), "a worklist's condition");
    bounded_depth(*w.when);
    std::set<std::string> shown;
    for (const auto& [column, e] : w.show) {
      if (!shown.insert(column).second) fail(e->pos, "worklist '" + w.name + "' shows '" + column + "' twice");
      for (const char* fixed : {"pcn", "practice", "nhs_number", "family_name", "given_name", "date_of_birth", "age"})
        if (column == fixed)
          fail(e->pos, "worklist '" + w.name + "' cannot show a let named '" + column + "'",
               "every worklist row already has pcn, practice, nhs_number, family_name, given_name, date_of_birth "
               "and age; give the let another name");
      if (variables_.count(column))
        fail(e->pos, "'" + column + "' is a dataset variable, which other statements cannot use",
             "define the value with let, and have the variable name that let");
      value(*e, nullptr);  // refuses frames, rows and code lists: a shown let is one value per person
    }
  }

  void expect_patient_bool(const Expr& e, const Type& t, const char* what) {
    if (t.event)
      fail(e.pos, std::string(what) + " must be one value per person, but this is " + describe(t),
           "an aggregation is missing: use .exists() or .count() on a frame");
    if (t.base != Base::kBool && t.base != Base::kNull)
      fail(e.pos, std::string(what) + " must be true or false, but this is " + describe(t));
  }

  // ---- expressions -------------------------------------------------------------------------
  // Combines the dimensions of two operands: event level wins; two tables never mix.
  Type join(const Expr& at, const Type& a, const Type& b, Base result) {
    Type t = Type::patient(result);
    if (a.event && b.event && a.table != b.table)
      fail(at.pos, "this mixes rows of " + a.table + " with rows of " + b.table,
           "event frames of two tables cannot be combined row by row: aggregate one of them "
           "to one value per person first");
    if (a.event || b.event) {
      t.event = true;
      t.table = a.event ? a.table : b.table;
    }
    return t;
  }

  Type name(const Expr& e, const FrameScope* frame) {
    if (poisoned_.count(e.name)) throw Poisoned{};
    if (frame != nullptr) {
      if (const ColumnDef* c = frame->table->find(e.name)) {
        Type t = c->type;
        t.event = true;
        t.table = frame->table->name;
        return t;
      }
    }
    if (const auto it = scope_.find(e.name); it != scope_.end()) return it->second;
    if (variables_.count(e.name))
      fail(e.pos, "'" + e.name + "' is a dataset variable, which other statements cannot use",
           "define the value with let, and have the variable name that let");
    if (e.name == "index_date" || e.name == "interval_start") return Type::patient(Base::kDate);
    if (e.name == "patients") return Type::patient(Base::kPatients);
    if (const TableDef* t = find_event_table(e.name)) {
      Type f = Type::patient(Base::kFrame);
      f.table = t->name;
      return f;
    }
    std::vector<std::string> candidates{"index_date", "interval_start", "patients"};
    for (const auto& t : event_tables()) candidates.push_back(t.name);
    for (const auto& [n, t] : scope_) candidates.push_back(n);
    if (frame != nullptr)
      for (const auto& c : frame->table->columns) candidates.push_back(c.name);
    const std::string guess = did_you_mean(e.name, candidates);
    std::string hint = guess.empty() ? "" : "did you mean '" + guess + "'?";
    if (frame == nullptr)
      for (const auto& t : event_tables())
        if (t.find(e.name))
          hint = "'" + e.name + "' is a column of " + t.name +
                 ": use it inside .where(...) or another method of that table";
    fail(e.pos, "unknown name '" + shortened(e.name) + "'", hint);
  }

  // Whole numbers are 64-bit: a literal beyond them would otherwise wrap or read as 0.
  Type literal_int(const Expr& e) {
    if (!int_literal(e.literal))
      fail(e.pos, "the number " + shortened(e.literal) + " is too large",
           "whole numbers run from -9223372036854775808 to 9223372036854775807");
    return Type::patient(Base::kInt);
  }
  Type literal_float(const Expr& e) {
    if (!float_literal(e.literal))
      fail(e.pos, "the number " + shortened(e.literal) + " is too large", "numbers with a decimal point stop near 1.8e308");
    return Type::patient(Base::kFloat);
  }
  // A duration that moves every date out of 0001-01-01..9999-12-31 can only be a mistake.
  Type literal_duration(const Expr& e) {
    const DurationUnit unit = duration_unit(e.name);
    const auto amount = int_literal(e.literal);
    if (!amount || *amount > max_duration(unit))
      fail(e.pos, "the duration " + shortened(e.literal) + " " + e.name + " is longer than any two dates are apart",
           "dates run from 0001-01-01 to 9999-12-31: at most " + std::to_string(max_duration(unit)) + " " + e.name);
    return Type::patient(Base::kDuration);
  }

  Type expr(const Expr& e, const FrameScope* frame) {
    Type t = expr_of(e, frame);
    types_[&e] = t;
    return t;
  }
  Type expr_of(const Expr& e, const FrameScope* frame) {
    switch (e.kind) {
      case ExprKind::kName: return name(e, frame);
      case ExprKind::kInt: return literal_int(e);
      case ExprKind::kFloat: return literal_float(e);
      case ExprKind::kDate: return Type::patient(Base::kDate);
      case ExprKind::kString: return Type::patient(Base::kString);
      case ExprKind::kBool: return Type::patient(Base::kBool);
      case ExprKind::kNull: return Type::patient(Base::kNull);
      case ExprKind::kDuration: return literal_duration(e);
      case ExprKind::kUnary: return unary(e, frame);
      case ExprKind::kBinary: return binary(e, frame);
      case ExprKind::kIn: return in(e, frame);
      case ExprKind::kIsNull: {
        const Type v = value(*e.args[0], frame);
        return join(e, v, v, Base::kBool);
      }
      case ExprKind::kCase: return case_expr(e, frame);
      case ExprKind::kMember: return member(e, frame);
      case ExprKind::kCall: return call(e, frame);
      case ExprKind::kSet:
      case ExprKind::kRange:
        fail(e.pos, "a set or range can only follow 'in'");
    }
    fail(e.pos, "unsupported expression");
  }

  // An expression used as a value: not a frame, table, code list or row.
  Type value(const Expr& e, const FrameScope* frame) {
    const Type t = expr(e, frame);
    switch (t.base) {
      case Base::kFrame:
        fail(e.pos, "'" + t.table + "' rows are not a value here",
             "an aggregation is missing: use .exists(), .count(), .first(), .latest() or .max(...)");
      case Base::kRow:
        fail(e.pos, "a row of " + t.table + " is not a value here",
             "pick a column of the row, e.g. .date or ." +
                 find_event_table(t.table)->columns.back().name);
      case Base::kPatients:
        fail(e.pos, "the patients table is not a value here", "pick a column, e.g. patients.sex");
      case Base::kCodelist:
        fail(e.pos, "a code list is not a value here", "use it after 'in': code in " + e.name);
      default:
        return t;
    }
  }

  Type unary(const Expr& e, const FrameScope* frame) {
    const Type v = value(*e.args[0], frame);
    if (e.name == "not") {
      if (v.base != Base::kBool && v.base != Base::kNull)
        fail(e.args[0]->pos, "'not' needs true or false, but this is " + describe(v));
      return join(e, v, v, Base::kBool);
    }
    if (!v.numeric() && v.base != Base::kNull)
      fail(e.args[0]->pos, "'-' needs a number, but this is " + describe(v));
    return join(e, v, v, v.base);
  }

  Type binary(const Expr& e, const FrameScope* frame) {
    const Type a = value(*e.args[0], frame);
    const Type b = value(*e.args[1], frame);
    const std::string& op = e.name;
    const bool null_a = a.base == Base::kNull, null_b = b.base == Base::kNull;
    if (op == "and" || op == "or") {
      for (const auto* side : {&a, &b})
        if (side->base != Base::kBool && side->base != Base::kNull)
          fail(e.pos, "'" + op + "' needs true or false on both sides, but one side is " +
                          describe(*side));
      return join(e, a, b, Base::kBool);
    }
    if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=") {
      const bool ordered = op != "==" && op != "!=";
      const bool ok = null_a || null_b || (a.numeric() && b.numeric()) ||
                      (a.base == b.base && a.base != Base::kDuration &&
                       (!ordered || a.base == Base::kDate || a.base == Base::kString)) ;
      if (!ok)
        fail(e.pos, "cannot compare " + describe(a) + " with " + describe(b) + " using '" + op + "'",
             a.base == Base::kCode ? "to test codes against a list, write 'code in my_codelist'" : "");
      if (a.base == Base::kCode && b.base == Base::kCode && a.family != b.family &&
          a.family != CodeFamily::kNone && b.family != CodeFamily::kNone)
        fail(e.pos, "cannot compare " + describe(a) + " with " + describe(b));
      return join(e, a, b, Base::kBool);
    }
    // Arithmetic.
    if (a.base == Base::kDate && b.base == Base::kDuration && (op == "+" || op == "-"))
      return join(e, a, b, Base::kDate);
    if (a.base == Base::kDuration && b.base == Base::kDate && op == "+")
      return join(e, a, b, Base::kDate);
    if (a.base == Base::kDate && b.base == Base::kDate && op == "-")
      return join(e, a, b, Base::kInt);  // days between
    if ((a.numeric() || null_a) && (b.numeric() || null_b)) {
      const Base r = op == "/" || a.base == Base::kFloat || b.base == Base::kFloat ? Base::kFloat
                                                                                  : Base::kInt;
      return join(e, a, b, r);
    }
    std::string hint;
    if (a.base == Base::kDate && b.numeric())
      hint = "add a duration with its unit: date + 30 days, date - 12 months";
    fail(e.pos, "cannot apply '" + op + "' to " + describe(a) + " and " + describe(b), hint);
  }

  Type in(const Expr& e, const FrameScope* frame) {
    const Type v = value(*e.args[0], frame);
    const Expr& target = *e.args[1];
    if (target.kind == ExprKind::kName) {
      const Type t = expr(target, frame);
      if (t.base != Base::kCodelist) {
        // Inside a table's rows its columns come first, so a code list named like a column is hidden.
        const auto declared = scope_.find(target.name);
        const bool hidden = t.event && declared != scope_.end() && declared->second.base == Base::kCodelist;
        fail(target.pos, "'" + target.name + "' is a " + describe(t) + ", not a code list",
             hidden ? "the column '" + target.name + "' of " + t.table + " hides the code list '" + target.name +
                          "' here: give the code list another name"
                    : "declare it with: codelist " + target.name + " = \"file.csv\"");
      }
      if (v.base != Base::kCode)
        fail(e.args[0]->pos, "only codes can be tested against a code list, but this is " + describe(v));
      if (v.family != t.family)
        fail(e.pos, "code list '" + target.name + "' holds " +
                        (t.family == CodeFamily::kSnomed ? "SNOMED CT / dm+d" : "ICD-10 / OPCS-4") +
                        " codes but this is " + describe(v));
      return join(e, v, v, Base::kBool);
    }
    if (target.kind == ExprKind::kSet) {
      Type result = join(e, v, v, Base::kBool);
      for (const auto& element : target.args) {
        const Type t = value(*element, frame);
        if (t.event) fail(element->pos, "set elements must be one value per person");
        const bool ok = t.base == Base::kNull || (v.numeric() && t.numeric()) || t.base == v.base ||
                        (v.base == Base::kCode && t.base == Base::kString);
        if (!ok) fail(element->pos, "set element is " + describe(t) + " but the value tested is " + describe(v));
      }
      return result;
    }
    if (target.kind == ExprKind::kRange) {
      Type result = join(e, v, v, Base::kBool);
      for (const auto& end : target.args) {
        const Type t = value(*end, frame);
        const bool ok = t.base == Base::kNull || (v.numeric() && t.numeric()) ||
                        (v.base == Base::kDate && t.base == Base::kDate);
        if (!ok) fail(end->pos, "range end is " + describe(t) + " but the value tested is " + describe(v));
        result = join(e, result, t, Base::kBool);
      }
      return result;
    }
    fail(target.pos, "expected a code list, a set { ... } or a range (a, b] after 'in'");
  }

  Type case_expr(const Expr& e, const FrameScope* frame) {
    Type result = Type::patient(Base::kNull);
    Type dims = Type::patient(Base::kNull);
    const std::size_t pairs = (e.args.size() - (e.has_else ? 1 : 0)) / 2;
    const auto unify = [&](const Expr& at, const Type& t) {
      if (result.base == Base::kNull) {
        result = t;
      } else if (t.base != Base::kNull) {
        if (result.numeric() && t.numeric()) {
          if (t.base == Base::kFloat) result.base = Base::kFloat;
        } else if (result.base != t.base) {
          fail(at.pos, "case branches disagree: " + describe(result) + " and " + describe(t));
        }
      }
      dims = join(at, dims, t, Base::kNull);
    };
    for (std::size_t i = 0; i < pairs; ++i) {
      const Type c = value(*e.args[2 * i], frame);
      if (c.base != Base::kBool && c.base != Base::kNull)
        fail(e.args[2 * i]->pos, "a 'when' condition must be true or false, but this is " + describe(c));
      dims = join(*e.args[2 * i], dims, c, Base::kNull);
      unify(*e.args[2 * i + 1], value(*e.args[2 * i + 1], frame));
    }
    if (e.has_else) unify(*e.args.back(), value(*e.args.back(), frame));
    Type t = result;
    t.event = dims.event;
    t.table = dims.table;
    return t;
  }

  // A column of `table` by name, or an error suggesting the nearest one.
  const ColumnDef& column_of(const TableDef& table, const Expr& e) {
    const ColumnDef* c = table.find(e.name);
    if (c == nullptr) {
      const std::string guess = did_you_mean(e.name, table.column_names());
      fail(e.pos, table.name + " has no column '" + e.name + "'",
           guess.empty() ? "" : "did you mean '" + guess + "'?");
    }
    return *c;
  }

  Type member(const Expr& e, const FrameScope* frame) {
    const Type obj = expr(*e.args[0], frame);
    if (obj.base == Base::kPatients) return column_of(patients_table(), e).type;
    // A row's column is one value per person (null when no row was picked).
    if (obj.base == Base::kRow) return column_of(*find_event_table(obj.table), e).type;
    if (obj.base == Base::kFrame) {
      // A column of a frame is an event-level series: usable row by row (inside methods of the
      // same table), never as one value per person until aggregated.
      Type series = column_of(*find_event_table(obj.table), e).type;
      series.event = true;
      series.table = obj.table;
      return series;
    }
    if (obj.base == Base::kDate && (e.name == "year" || e.name == "month" || e.name == "day")) {
      Type t = obj;
      t.base = Base::kInt;
      return t;
    }
    fail(e.pos, describe(obj) + " has no member '" + e.name + "'",
         obj.base == Base::kDate ? "dates have .year, .month and .day" : "");
  }

  void arity(const Expr& e, std::size_t n) {
    const std::size_t given = e.args.size() - (e.has_object ? 1 : 0);
    if (given != n)
      fail(e.pos, "'" + e.name + "' takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") +
                      ", given " + std::to_string(given));
  }

  Type call(const Expr& e, const FrameScope* frame) {
    if (!e.has_object) {
      if (e.name == "registered_on") {
        arity(e, 1);
        const Type d = value(*e.args[0], frame);
        if (d.base != Base::kDate) fail(e.args[0]->pos, "registered_on needs a date, but this is " + describe(d));
        return join(e, d, d, Base::kBool);
      }
      const std::string guess = did_you_mean(e.name, {"registered_on"});
      fail(e.pos, "unknown function '" + e.name + "'", guess.empty() ? "" : "did you mean '" + guess + "'?");
    }
    const Type obj = expr(*e.args[0], frame);
    if (obj.base == Base::kPatients) {
      if (e.name == "age_on") {
        arity(e, 1);
        const Type d = value(*e.args[1], frame);
        if (d.base != Base::kDate) fail(e.args[1]->pos, "age_on needs a date, but this is " + describe(d));
        return join(e, d, d, Base::kInt);
      }
      fail(e.pos, "patients has no method '" + e.name + "'", "patients has age_on(date)");
    }
    if (obj.base != Base::kFrame)
      fail(e.pos, describe(obj) + " has no method '" + e.name + "'",
           obj.base == Base::kRow ? "a row has columns, e.g. .date" : "");
    const TableDef* table = find_event_table(obj.table);
    const FrameScope inner{table};
    const auto per_row = [&](const Expr& arg) {
      const Type t = value(arg, &inner);
      if (t.event && t.table != table->name)
        fail(arg.pos, "this uses rows of " + t.table + " inside a method of " + table->name);
      return t;
    };
    Type frame_type = obj;
    const std::string& m = e.name;
    if (m == "where") {
      arity(e, 1);
      const Type c = per_row(*e.args[1]);
      if (c.base != Base::kBool && c.base != Base::kNull)
        fail(e.args[1]->pos, "where(...) needs a condition (true or false), but this is " + describe(c));
      return frame_type;
    }
    if (m == "sort_by") {
      arity(e, 1);
      const Type k = per_row(*e.args[1]);
      if (!k.numeric() && k.base != Base::kDate && k.base != Base::kString)
        fail(e.args[1]->pos, "sort_by needs a date, number or string, but this is " + describe(k));
      return frame_type;
    }
    if (m == "first" || m == "latest") {
      arity(e, 0);
      Type r = Type::patient(Base::kRow);
      r.table = table->name;
      return r;
    }
    if (m == "exists") {
      arity(e, 0);
      return Type::patient(Base::kBool);
    }
    if (m == "count") {
      arity(e, 0);
      return Type::patient(Base::kInt);
    }
    if (m == "count_distinct") {
      arity(e, 1);
      per_row(*e.args[1]);
      return Type::patient(Base::kInt);
    }
    if (m == "min" || m == "max" || m == "sum" || m == "mean") {
      arity(e, 1);
      const Type v = per_row(*e.args[1]);
      const bool numeric_only = m == "sum" || m == "mean";
      if (numeric_only ? !v.numeric() : !(v.numeric() || v.base == Base::kDate))
        fail(e.args[1]->pos, m + "(...) needs " + (numeric_only ? "a number" : "a number or a date") +
                                 ", but this is " + describe(v));
      Type r = Type::patient(m == "mean" ? Base::kFloat : v.base);
      return r;
    }
    if (m == "count_episodes") {
      arity(e, 1);
      const Type g = value(*e.args[1], frame);
      if (g.base != Base::kDuration)
        fail(e.args[1]->pos, "count_episodes needs the gap between episodes as a duration, e.g. 90 days");
      return Type::patient(Base::kInt);
    }
    const std::string guess = did_you_mean(
        m, {"where", "sort_by", "first", "latest", "exists", "count", "count_distinct", "min", "max",
            "sum", "mean", "count_episodes"});
    fail(e.pos, obj.table + " has no method '" + m + "'", guess.empty() ? "" : "did you mean '" + guess + "'?");
  }

  const SourceFile& file_;
  const CheckOptions& options_;
  std::vector<Diagnostic> errors_;
  std::map<std::string, Type> scope_;
  std::set<std::string> names_;
  std::set<std::string> poisoned_;
  std::set<std::string> variables_;  // dataset variables: declared, but not names for later use
  std::map<std::string, int> let_depth_;  // lets checked so far: depth through the lets they name
  std::unordered_map<const Expr*, Type> types_;
};

}  // namespace

CheckedDefinition check(const SourceFile& file, Definition definition, const CheckOptions& options) {
  return Checker(file, options).run(std::move(definition));
}

CheckedDefinition check_file(const std::string& path, const CheckOptions& options) {
  if (is_library_path(path)) {
    const std::string name = path.substr(kLibraryPrefix.size());
    const auto entry = find_library(name);
    if (!entry) {
      std::string names;
      for (const auto& e : library_entries()) names += (names.empty() ? "" : ", ") + e.name;
      throw InputError(path + ": no library definition '" + name + "' (the library has: " +
                       (names.empty() ? "none" : names) + "; `severn library list` describes them)");
    }
    const SourceFile file(path, std::string(entry->text));
    return check(file, parse(file), options);
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw InputError(path + ": is a directory, not a definition file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read the definition file");
  std::stringstream text;
  text << in.rdbuf();
  const SourceFile file(path, text.str());
  return check(file, parse(file), options);
}

bool codelist_matches(const LoadedCodelist& list, const std::unordered_set<std::string>& codes,
                      std::string_view code) {
  if (codes.count(std::string(code))) return true;
  // Stored classification codes put a dot after the category ("K02.1"); see check_icd10/check_opcs4.
  return list.with_subcodes && code.size() > 4 && code[3] == '.' && codes.count(std::string(code.substr(0, 3)));
}

}  // namespace severn::lang
