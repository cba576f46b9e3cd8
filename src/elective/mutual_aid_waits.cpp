#include "elective/mutual_aid_waits.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

#include "core/csv_table.h"
#include "core/error.h"
#include "elective/rtt_weeks.h"

namespace severn::elective {
namespace {

std::string at(const CsvTable& t, std::size_t r, std::string_view field) {
  return t.source() + " line " + std::to_string(t.line(r)) + ", " + std::string(field);
}

std::optional<double> number(const CsvTable& t, std::size_t r, std::string_view field) {
  const std::string& s = t.cell(r, field);
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno != 0 || !std::isfinite(v) || v < 0)
    throw InputError(at(t, r, field) + ": '" + s + "' is not a non-negative number");
  return v;
}

std::optional<std::int64_t> whole(const CsvTable& t, std::size_t r, std::string_view field) {
  const std::string& s = t.cell(r, field);
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (end != s.c_str() + s.size() || errno != 0 || v < 0)
    throw InputError(at(t, r, field) + ": '" + s + "' is not a non-negative whole number");
  return v;
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

double quantile_type7(const std::vector<Days>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

ListWaits list_waits(const std::vector<WaitingPeriod>& periods, Days on) {
  std::map<std::pair<std::string, int>, std::vector<Days>> waits;
  for (const auto& p : periods)
    if (p.open_on(on)) waits[{p.provider_code, p.treatment_function}].push_back(days_waited(p.clock_start, on));
  ListWaits out;
  for (auto& [key, days] : waits) {
    std::sort(days.begin(), days.end());
    out[key] = ListWait{static_cast<std::int64_t>(days.size()), quantile_type7(days, 0.5) / kDaysPerWeek,
                        quantile_type7(days, 0.92) / kDaysPerWeek};
  }
  return out;
}

std::vector<Offer> parse_offers(std::string_view text, const std::string& source_name,
                                const std::vector<ProviderSite>& sites) {
  const CsvTable t = CsvTable::parse(text, source_name);
  for (const char* c : {"provider_code", "treatment_function_code", "expected_wait_weeks", "capacity", "note"})
    if (!t.has_column(c)) throw InputError(source_name + ": no column '" + c + "'");
  std::set<std::string> known;
  for (const auto& s : sites) known.insert(s.org_code);
  std::set<std::pair<std::string, int>> seen;
  std::vector<Offer> out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    Offer o;
    o.provider_code = t.cell(r, "provider_code");
    if (!known.contains(o.provider_code))
      throw InputError(at(t, r, "provider_code") + ": '" + o.provider_code +
                       "' has no site in resources/reference/provider-sites.csv, so no distance to it can be measured");
    const std::string& tf = t.cell(r, "treatment_function_code");
    if (tf.size() != 3 || !std::all_of(tf.begin(), tf.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      throw InputError(at(t, r, "treatment_function_code") + ": '" + tf + "' is not a 3-digit treatment function code");
    o.treatment_function = std::stoi(tf);
    o.expected_weeks = number(t, r, "expected_wait_weeks");
    o.capacity = whole(t, r, "capacity");
    o.note = t.cell(r, "note");
    if (o.expected_weeks && o.note.empty())
      throw InputError(at(t, r, "note") + ": say where the expected wait comes from (a publication and month, or "
                                          "'illustrative')");
    if (!seen.emplace(o.provider_code, o.treatment_function).second)
      throw InputError(at(t, r, "provider_code") + ": " + o.provider_code + " " + tf + " is listed twice");
    out.push_back(std::move(o));
  }
  return out;
}

WaitTable build_wait_table(const ListWaits& store_waits, const std::optional<std::vector<Offer>>& offers) {
  WaitTable table;
  for (const auto& [key, w] : store_waits)
    table.set(key.first, key.second,
              ProviderWait{w.median_weeks, std::nullopt, "store median of " + std::to_string(w.open) + " open pathways",
                           !offers.has_value()});
  if (!offers) return table;
  for (const auto& o : *offers) {
    ProviderWait w;
    w.capacity = o.capacity;
    w.receives = true;
    if (o.expected_weeks) {
      w.expected_weeks = *o.expected_weeks;
      w.basis = o.note;
    } else {
      const auto it = store_waits.find({o.provider_code, o.treatment_function});
      if (it == store_waits.end())
        throw InputError("offers: " + o.provider_code + " " + std::to_string(o.treatment_function) +
                         " has no expected_wait_weeks and the store has no open pathway of it to take a median from");
      w.expected_weeks = it->second.median_weeks;
      w.basis = "store median of " + std::to_string(it->second.open) + " open pathways";
    }
    table.set(o.provider_code, o.treatment_function, std::move(w));
  }
  return table;
}

OptInShares parse_opt_in(std::string_view text, const std::string& source_name) {
  const CsvTable t = CsvTable::parse(text, source_name);
  for (const char* c : {"imd_quintile", "share"})
    if (!t.has_column(c)) throw InputError(source_name + ": no column '" + c + "'");
  OptInShares shares{};
  std::array<bool, 6> given{};
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& q = t.cell(r, "imd_quintile");
    if (q.size() != 1 || q[0] < '1' || q[0] > '5')
      throw InputError(at(t, r, "imd_quintile") + ": '" + q + "' is not 1-5");
    const int k = q[0] - '0';
    if (given[k]) throw InputError(at(t, r, "imd_quintile") + ": quintile " + q + " is listed twice");
    const auto s = number(t, r, "share");
    if (!s || *s > 1) throw InputError(at(t, r, "share") + ": '" + t.cell(r, "share") + "' is not a share from 0 to 1");
    shares[k] = *s;
    given[k] = true;
  }
  for (int k = 1; k <= 5; ++k)
    if (!given[k]) throw InputError(source_name + ": no row for IMD quintile " + std::to_string(k));
  return shares;
}

bool opts_in(std::uint32_t pathway, double share, std::uint64_t seed) {
  if (share >= 1) return true;
  if (share <= 0) return false;
  const double u = static_cast<double>(splitmix64(seed ^ (std::uint64_t{pathway} * 0x2545F4914F6CDD1DULL)) >> 11) *
                   0x1.0p-53;
  return u < share;
}

}  // namespace severn::elective
