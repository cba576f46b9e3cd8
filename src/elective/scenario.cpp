#include "elective/scenario.h"

#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "core/error.h"

namespace severn::elective {

std::vector<Scenario> default_scenarios(Days start) {
  std::vector<Scenario> out(4);
  out[0].name = "status quo";
  out[1].name = "referrals +5% a year";
  out[1].referral_growth_per_year = 0.05;
  out[2].name = "capacity +10%";
  out[2].capacity_uplift = 0.10;
  out[3].name = "validation sprint";
  out[3].validation.push_back({start + 1, add_months(start, 6), 12, 0.01});
  return out;
}

namespace {

std::int64_t line_of(const toml::node& n) { return static_cast<std::int64_t>(n.source().begin.line); }

[[noreturn]] void fail(const std::string& src, std::int64_t line, const std::string& field, const std::string& why) {
  throw InputError(located(src, line, field, why));
}

double number(const toml::node& n, const std::string& src, const std::string& field) {
  if (auto v = n.value<double>(); v && (n.is_floating_point() || n.is_integer())) return *v;
  fail(src, line_of(n), field, "expected a number");
}

Days date_value(const toml::node& n, const std::string& src, const std::string& field) {
  if (const auto* d = n.as_date()) {
    const toml::date v = d->get();
    if (!is_valid_civil(v.year, v.month, v.day)) fail(src, line_of(n), field, "not a calendar date");
    return days_from_civil(v.year, v.month, v.day);
  }
  if (const auto* s = n.as_string()) {
    if (auto d = parse_iso_date(s->get())) return *d;
    fail(src, line_of(n), field, "expected a date YYYY-MM-DD, got \"" + s->get() + "\"");
  }
  fail(src, line_of(n), field, "expected a date YYYY-MM-DD");
}

ValidationSprint parse_sprint(const toml::table& t, const std::string& src) {
  ValidationSprint v;
  bool has_start = false, has_end = false, has_rate = false;
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    const std::string field = "validation." + k;
    if (k == "start") {
      v.start = date_value(node, src, field);
      has_start = true;
    } else if (k == "end") {
      v.end = date_value(node, src, field);
      has_end = true;
    } else if (k == "min_weeks") {
      const auto w = node.value<std::int64_t>();
      if (!node.is_integer() || !w || *w < 0 || *w > 1000) fail(src, line_of(node), field, "expected a whole number of weeks 0-1000");
      v.min_weeks = static_cast<int>(*w);
    } else if (k == "removal_rate_per_week") {
      v.removal_rate_per_week = number(node, src, field);
      if (!(v.removal_rate_per_week >= 0 && v.removal_rate_per_week <= 1)) {
        fail(src, line_of(node), field, "must be a share between 0 and 1");
      }
      has_rate = true;
    } else {
      fail(src, line_of(node), field, "unknown key (expected start, end, min_weeks, removal_rate_per_week)");
    }
  }
  const std::int64_t line = static_cast<std::int64_t>(t.source().begin.line);
  if (!has_start) fail(src, line, "validation.start", "missing");
  if (!has_end) fail(src, line, "validation.end", "missing");
  if (!has_rate) fail(src, line, "validation.removal_rate_per_week", "missing");
  if (v.end < v.start) fail(src, line, "validation.end", "is before validation.start");
  return v;
}

}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& src) {
  toml::table root;
  try {
    root = toml::parse(text, src);
  } catch (const toml::parse_error& e) {
    fail(src, static_cast<std::int64_t>(e.source().begin.line), "", std::string(e.description()));
  }
  Scenario s;
  s.name.clear();
  for (const auto& [key, node] : root) {
    const std::string k(key.str());
    if (k == "name") {
      const auto* str = node.as_string();
      if (str == nullptr || str->get().empty()) fail(src, line_of(node), k, "expected a non-empty string");
      s.name = str->get();
    } else if (k == "referral_growth_per_year") {
      s.referral_growth_per_year = number(node, src, k);
      if (!(s.referral_growth_per_year > -1 && s.referral_growth_per_year <= 10)) {
        fail(src, line_of(node), k, "must be a fraction a year between -1 (exclusive) and 10");
      }
    } else if (k == "capacity_uplift") {
      s.capacity_uplift = number(node, src, k);
      if (!(s.capacity_uplift > -1 && s.capacity_uplift <= 10)) {
        fail(src, line_of(node), k, "must be a fraction between -1 (exclusive) and 10");
      }
    } else if (k == "capacity_extra_per_week") {
      s.capacity_extra_per_week = number(node, src, k);
      if (!(s.capacity_extra_per_week >= 0 && s.capacity_extra_per_week < 1e7)) {
        fail(src, line_of(node), k, "must be a number of treatments a week >= 0");
      }
    } else if (k == "policy") {
      const auto* str = node.as_string();
      const std::string p = str ? str->get() : "";
      if (p == "fitted") {
        s.policy = SelectionPolicy::kFitted;
      } else if (p == "longest_wait_first") {
        s.policy = SelectionPolicy::kLongestWaitFirst;
      } else if (p == "wait_over_target") {
        s.policy = SelectionPolicy::kWaitOverTarget;
      } else {
        fail(src, line_of(node), k, "expected \"fitted\", \"longest_wait_first\" or \"wait_over_target\"");
      }
    } else if (k == "validation") {
      const auto* arr = node.as_array();
      if (arr == nullptr || !arr->is_array_of_tables()) {
        fail(src, line_of(node), k, "expected [[validation]] tables");
      }
      for (const auto& item : *arr) s.validation.push_back(parse_sprint(*item.as_table(), src));
    } else {
      fail(src, line_of(node), k,
           "unknown key (expected name, referral_growth_per_year, capacity_uplift, capacity_extra_per_week, "
           "policy, validation)");
    }
  }
  if (s.name.empty()) fail(src, 1, "name", "missing: every scenario needs a name");
  return s;
}

Scenario read_scenario_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string() + ": cannot read the scenario file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_scenario(ss.str(), file.string());
}

}  // namespace severn::elective
