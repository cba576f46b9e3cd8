#include "identity/term_frequencies.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "core/csv_table.h"
#include "core/error.h"

namespace severn::identity {

namespace {

std::vector<double> from_data(const FieldValues& f) {
  std::vector<double> freq(f.dictionary.size(), 0.0);
  if (f.non_null == 0) return freq;
  for (std::uint32_t v = 1; v < freq.size(); ++v)
    freq[v] = static_cast<double>(f.counts[v]) / static_cast<double>(f.non_null);
  return freq;
}

// The same among the left input's values only.
std::vector<double> from_left(const FieldValues& f) {
  std::vector<double> freq(f.dictionary.size(), 0.0);
  std::vector<std::uint64_t> counts(f.dictionary.size(), 0);
  std::uint64_t non_null = 0;
  for (const std::uint32_t id : f.ids[0])
    if (id != 0) ++counts[id], ++non_null;
  if (non_null == 0) return freq;
  for (std::uint32_t v = 1; v < freq.size(); ++v) freq[v] = static_cast<double>(counts[v]) / static_cast<double>(non_null);
  return freq;
}

std::vector<double> from_table(const FieldValues& f, const std::string& path) {
  const CsvTable t = CsvTable::read_file(path);
  const std::size_t value_col = t.column("value");
  const bool has_frequency = t.has_column("frequency");
  if (!has_frequency && !t.has_column("count"))
    throw InputError(located(path, 1, "frequency", "the table needs a 'frequency' or a 'count' column"));
  const std::size_t num_col = has_frequency ? t.column("frequency") : t.column("count");
  const DateFormat* format = f.spec->date_format ? &*f.spec->date_format : nullptr;
  std::unordered_map<std::string, double> table;
  double total = 0.0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const double v = t.get_double(r, num_col);
    if (!(v > 0.0)) t.fail(r, num_col, "must be above 0");
    const std::string key = normalise_value(f.spec->kind, t.cell(r, value_col), format);
    if (key.empty()) continue;
    table[key] += v;
    total += v;
  }
  if (table.empty()) throw InputError(path + ": the frequency table has no usable rows");
  double smallest = std::numeric_limits<double>::infinity();
  for (auto& [k, v] : table) {
    if (!has_frequency) v /= total;
    smallest = std::min(smallest, v);
  }
  std::vector<double> freq(f.dictionary.size(), 0.0);
  for (std::uint32_t v = 1; v < freq.size(); ++v) {
    const auto it = table.find(std::string(f.dictionary.value(v)));
    freq[v] = it != table.end() ? it->second : smallest;
  }
  return freq;
}

}  // namespace

TermFrequencies::TermFrequencies(const LinkConfig& config, const std::vector<Comparison>& comparisons,
                                 const PreparedInputs& inputs, bool left_only) {
  by_value_.resize(comparisons.size());
  sources_.resize(comparisons.size());
  for (std::size_t c = 0; c < comparisons.size(); ++c) {
    const bool wanted = std::any_of(comparisons[c].levels.begin(), comparisons[c].levels.end(),
                                    [](const Level& l) { return l.spec.term_frequency; });
    if (!wanted) continue;
    const std::string& table = config.comparisons[c].term_frequency_table;
    const FieldValues& f = inputs.field(comparisons[c].field);
    by_value_[c] = !table.empty() ? from_table(f, table) : left_only ? from_left(f) : from_data(f);
    sources_[c] = table.empty() ? "data" : table;
  }
}

}  // namespace severn::identity
