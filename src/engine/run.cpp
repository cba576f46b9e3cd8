#include "engine/run.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "core/csv_writer.h"
#include "core/error.h"
#include "core/parallel.h"
#include "engine/evaluator.h"
#include "engine/groups.h"
#include "engine/program.h"
#include "refdata/data_dir.h"

namespace severn::engine {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint32_t kPersonsPerTask = 2048;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void append_value(CsvRow& row, const Value& v) {
  switch (v.kind) {
    case VKind::kNull: row.empty(); break;
    case VKind::kBool: row.text(v.i ? "true" : "false"); break;
    case VKind::kInt: row.integer(v.i); break;
    case VKind::kFloat: {
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.f);
      row.text(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
      break;
    }
    case VKind::kDate: row.date(static_cast<Days>(v.i)); break;
    case VKind::kCode:
    case VKind::kString: row.text(v.s); break;
  }
}

struct Counts {
  std::uint64_t numerator = 0, denominator = 0;
};

// Group names interned per task.
class LocalNames {
 public:
  std::uint32_t id(const std::string& name) {
    const auto [it, added] = ids_.emplace(name, static_cast<std::uint32_t>(values_.size()));
    if (added) values_.push_back(name);
    return it->second;
  }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<std::string> values_;
};
// (measure, interval, breakdown (0 = all), group)
using Key = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::string>;
constexpr std::uint32_t kNotYet = 0xFFFFFFFF;

// Counts of one task: slots[slot][group id], slot = first slot of the measure + interval ×
// (breakdowns + 1) + breakdown.
struct TaskCounts {
  std::vector<std::vector<Counts>> slots;
  LocalNames groups;
};

// On a terminal, runs longer than two seconds show persons done, rate and time left on stderr,
// rewritten in place twice a second. Nothing is printed when stderr is not a terminal.
class Progress {
 public:
  Progress(const std::atomic<std::uint64_t>& done, std::uint64_t total)
      : done_(done), total_(total), start_(Clock::now()) {
    if (::isatty(STDERR_FILENO)) thread_ = std::thread([this] { loop(); });
  }
  ~Progress() { stop(); }
  void stop() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (printed_) std::fputs("\n", stderr);
    printed_ = false;
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; })) {
      const double elapsed = since(start_);
      if (elapsed < 2.0) continue;
      const double n = static_cast<double>(done_.load());
      const double rate = n / elapsed;
      const double left = rate > 0 ? (static_cast<double>(total_) - n) / rate : 0;
      std::fprintf(stderr, "\rsevern run: evaluating %.0f / %llu persons (%.0f%%), %.0f persons/s, %.0f s left   ",
                   n, static_cast<unsigned long long>(total_), 100.0 * n / static_cast<double>(total_),
                   rate, left);
      printed_ = true;
    }
  }
  const std::atomic<std::uint64_t>& done_;
  std::uint64_t total_;
  Clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool printed_ = false;
  std::thread thread_;
};

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw InputError(path.string() + ": cannot write");
}

}  // namespace

std::vector<std::pair<Days, Days>> expand_intervals(const lang::Intervals& spec) {
  if (spec.kind == lang::IntervalKind::kExplicit) return spec.spans;
  const int step = spec.kind == lang::IntervalKind::kMonthly ? 1 : spec.kind == lang::IntervalKind::kQuarterly ? 3 : 12;
  std::vector<std::pair<Days, Days>> out;
  for (int k = 0;; ++k) {
    const Days start = add_months(spec.from, k * step);
    if (start > spec.to) break;
    const Days next = add_months(spec.from, (k + 1) * step);
    out.emplace_back(start, std::min<Days>(next - 1, spec.to));
  }
  return out;
}

RunSummary run(const store::Store& store, const lang::CheckedDefinition& def, const RunOptions& o) {
  const auto t0 = Clock::now();
  RunSummary summary;
  summary.threads = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
  const Program program = bind(store, def);
  const GroupColumns groups(refdata::DataDir::resolve(o.data_dir));
  const auto& d = def.definition;
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec) throw InputError(o.out.string() + ": cannot create output directory: " + ec.message());

  // Distinct intervals across measures, each with the measures that use it.
  std::vector<std::pair<Days, Days>> intervals;
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> users;  // (measure, interval index)
  std::vector<std::vector<std::pair<Days, Days>>> per_measure;
  for (std::uint32_t m = 0; m < d.measures.size(); ++m) {
    per_measure.push_back(expand_intervals(*d.measures[m].intervals));
    for (std::uint32_t k = 0; k < per_measure[m].size(); ++k) {
      std::size_t at = 0;
      while (at < intervals.size() && intervals[at] != per_measure[m][k]) ++at;
      if (at == intervals.size()) {
        intervals.push_back(per_measure[m][k]);
        users.emplace_back();
      }
      users[at].emplace_back(m, k);
    }
  }

  const auto persons = static_cast<std::uint32_t>(store.persons());
  const std::size_t tasks = (persons + kPersonsPerTask - 1) / kPersonsPerTask;
  std::vector<std::string> dataset_parts(tasks);
  // Group columns named by any measure, each with a slot for its per-person value.
  std::map<std::string, std::uint32_t> column_slot;
  for (const auto& m : d.measures)
    for (const auto& [column, pos] : m.by) column_slot.emplace(column, static_cast<std::uint32_t>(column_slot.size()));
  std::vector<TaskCounts> partial(tasks);
  std::vector<std::size_t> first_slot;
  std::size_t total_slots = 0;
  for (std::uint32_t m = 0; m < d.measures.size(); ++m) {
    first_slot.push_back(total_slots);
    total_slots += per_measure[m].size() * (d.measures[m].by.size() + 1);
  }
  std::atomic<std::uint64_t> in_population{0};
  std::atomic<std::uint64_t> done{0};
  const auto& pseudonyms = store.table("patients").column("pseudonym").values<std::uint8_t>();
  Progress progress(done, persons);

  parallel_for(tasks, summary.threads, [&](std::size_t task) {
    Evaluator ev(program);
    std::string& out = dataset_parts[task];
    auto& counts = partial[task].slots;
    counts.resize(total_slots);
    auto& names = partial[task].groups;
    const std::uint32_t all_id = names.id("all");
    std::vector<std::uint32_t> group_of(column_slot.size(), kNotYet);
    const std::uint32_t first = static_cast<std::uint32_t>(task) * kPersonsPerTask;
    const std::uint32_t last = std::min(persons, first + kPersonsPerTask);
    std::uint64_t population = 0;
    for (std::uint32_t p = first; p < last; ++p) {
      ev.start(p, o.index_date, o.index_date);
      if (ev.holds(*d.population)) {
        ++population;
        CsvRow row(out);
        static constexpr char kHex[] = "0123456789abcdef";
        std::string hex;
        for (std::size_t b = 0; b < 32; ++b) {
          const std::uint8_t x = pseudonyms[p * 32 + b];
          hex += kHex[x >> 4];
          hex += kHex[x & 15];
        }
        row.text(hex);
        for (const auto& v : d.variables) append_value(row, ev.value(*v.value));
      }
      for (std::size_t i = 0; i < intervals.size(); ++i) {
        ev.start(p, intervals[i].second, intervals[i].first);
        if (!ev.holds(*d.population)) continue;
        // Each group column is worked out once per person and interval, whatever number of
        // measures break down by it, and kept as a small id.
        std::fill(group_of.begin(), group_of.end(), kNotYet);
        for (const auto& [m, k] : users[i]) {
          const lang::Measure& measure = d.measures[m];
          if (!ev.holds(*measure.denominator)) continue;
          const bool num = ev.holds(*measure.numerator);
          const std::size_t slot0 = first_slot[m] + static_cast<std::size_t>(k) * (measure.by.size() + 1);
          const auto add = [&](std::uint32_t breakdown, std::uint32_t group) {
            auto& groups_of_slot = counts[slot0 + breakdown];
            if (groups_of_slot.size() <= group) groups_of_slot.resize(group + 1);
            Counts& c = groups_of_slot[group];
            ++c.denominator;
            c.numerator += num ? 1 : 0;
          };
          add(0, all_id);
          for (std::uint32_t b = 0; b < measure.by.size(); ++b) {
            const std::uint32_t slot = column_slot.at(measure.by[b].first);
            if (group_of[slot] == kNotYet) {
              const std::string& column = measure.by[b].first;
              std::string group;
              if (program.lets.count(column)) {
                const Value v = ev.value(*program.lets.at(column)->value);
                group = v.null() ? "unknown" : v.kind == VKind::kBool ? (v.i ? "true" : "false")
                                             : v.kind == VKind::kInt  ? std::to_string(v.i)
                                                                      : std::string(v.s);
              } else {
                group = groups.value(column, ev);
              }
              group_of[slot] = names.id(group);
            }
            add(b + 1, group_of[slot]);
          }
        }
      }
    }
    in_population += population;
    done += last - first;
  });
  progress.stop();

  std::string dataset;
  {
    CsvRow header(dataset);
    header.text("pseudonym");
    for (const auto& v : d.variables) header.text(v.name);
  }
  for (const auto& part : dataset_parts) dataset += part;
  write_file(o.out / "dataset.csv", dataset);

  std::map<Key, Counts> total;
  for (auto& part : partial)
    for (std::uint32_t m = 0; m < d.measures.size(); ++m)
      for (std::uint32_t k = 0; k < per_measure[m].size(); ++k)
        for (std::uint32_t b = 0; b <= d.measures[m].by.size(); ++b) {
          const auto& groups_of_slot = part.slots[first_slot[m] + k * (d.measures[m].by.size() + 1) + b];
          for (std::uint32_t g = 0; g < groups_of_slot.size(); ++g) {
            const Counts& c = groups_of_slot[g];
            if (c.denominator == 0) continue;
            Counts& t = total[Key{m, k, b, part.groups.values()[g]}];
            t.numerator += c.numerator;
            t.denominator += c.denominator;
          }
        }
  std::string measures;
  CsvRow(measures).text("measure").text("interval_start").text("interval_end").text("breakdown")
      .text("group").text("numerator").text("denominator").text("value");
  for (const auto& [key, c] : total) {
    const auto& [m, k, b, group] = key;
    CsvRow row(measures);
    row.text(d.measures[m].name).date(per_measure[m][k].first).date(per_measure[m][k].second)
        .text(b == 0 ? "all" : d.measures[m].by[b - 1].first).text(group)
        .integer(static_cast<std::int64_t>(c.numerator)).integer(static_cast<std::int64_t>(c.denominator));
    if (c.denominator == 0) row.empty();
    else row.decimal(static_cast<double>(c.numerator) / static_cast<double>(c.denominator), 6);
  }
  write_file(o.out / "measures.csv", measures);

  summary.persons_scanned = persons;
  summary.in_population = in_population.load();
  summary.measure_rows = total.size();
  summary.seconds_total = since(t0);
  std::string json = "{\"persons_scanned\": " + std::to_string(summary.persons_scanned) +
                     ", \"in_population\": " + std::to_string(summary.in_population) +
                     ", \"index_date\": \"" + format_iso_date(o.index_date) + "\"" +
                     ", \"measure_rows\": " + std::to_string(summary.measure_rows) +
                     ", \"threads\": " + std::to_string(summary.threads) +
                     ", \"seconds_total\": " + std::to_string(summary.seconds_total) + "}\n";
  write_file(o.out / "run.json", json);
  return summary;
}

}  // namespace severn::engine
