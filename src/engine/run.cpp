#include "engine/run.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <set>
#include <memory>
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
#include "engine/measure_meaning.h"
#include "engine/plan.h"
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

std::vector<std::pair<Days, Days>> expand_intervals(const lang::Intervals& spec, Days index_date) {
  if (spec.kind == lang::IntervalKind::kExplicit) return spec.spans;
  const int step = spec.kind == lang::IntervalKind::kMonthly ? 1 : spec.kind == lang::IntervalKind::kQuarterly ? 3 : 12;
  std::vector<std::pair<Days, Days>> out;
  if (spec.last > 0) {
    // The period holding the index date: its calendar month, calendar quarter or financial year.
    const CivilDate d = civil_from_days(index_date);
    const Days period = spec.kind == lang::IntervalKind::kMonthly     ? days_from_civil(d.year, d.month, 1)
                        : spec.kind == lang::IntervalKind::kQuarterly ? days_from_civil(d.year, (d.month - 1) / 3 * 3 + 1, 1)
                                                                      : days_from_civil(d.month >= 4 ? d.year : d.year - 1, 4, 1);
    const Days first = add_months(period, -(spec.last - 1) * step);
    // Up to 1200 years back from an index date early in the calendar would leave it.
    if (!add_months_checked(period, -(spec.last - 1) * step))
      throw InputError("intervals last " + std::to_string(spec.last) + " " +
                       (step == 1 ? "months" : step == 3 ? "quarters" : "years") + " from the index date " +
                       format_iso_date(index_date) + " would start before 0001-01-01");
    for (int k = 0; k < spec.last; ++k)
      out.emplace_back(add_months(first, k * step), std::min<Days>(add_months(first, (k + 1) * step) - 1, index_date));
    return out;
  }
  for (int k = 0;; ++k) {
    const Days start = add_months(spec.from, k * step);
    if (start > spec.to) break;
    const Days next = add_months(spec.from, (k + 1) * step);
    out.emplace_back(start, std::min<Days>(next - 1, spec.to));
  }
  return out;
}

namespace {

// The work of one thread: its evaluators and its counts, kept until the merge.
struct Worker {
  std::vector<Evaluator> batches;           // one per lane batch of the measures
  std::unique_ptr<Evaluator> dataset;       // one lane: the run's index date
  std::vector<LetGroups> lets;              // per group column (lets only)
  // Distinct combinations of group codes seen, and counts per (combination, lane, measure):
  // counts[((combo * lanes + lane) * measures + m) * 2 + {0: denominator, 1: numerator}].
  std::unordered_map<std::string, std::uint32_t> combo_index;
  std::vector<std::uint32_t> combo_codes;   // combo x group column
  std::vector<std::uint32_t> counts;
  std::uint64_t in_population = 0;
  std::vector<std::vector<WorklistEntry>> worklists;  // per worklist, when they are written
  std::vector<LetGroups> worklist_lets;               // scratch for the practice and PCN columns
};

}  // namespace

Evaluated evaluate(const store::Store& store, const lang::CheckedDefinition& def, const EvaluateOptions& o) {
  const auto t0 = Clock::now();
  Evaluated result;
  result.out = o.out;
  EvaluationSummary& summary = result.summary;
  summary.threads = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
  const Program program = bind(store, def);
  const Plan plan = compile(program);
  const auto& d = def.definition;
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec) throw InputError(o.out.string() + ": cannot create output directory: " + ec.message());

  // Lanes: the distinct intervals of all measures, answered 64 at a time.
  std::vector<Lane> lanes;
  std::vector<std::vector<std::pair<Days, Days>>> per_measure;
  std::vector<std::vector<std::uint32_t>> lane_of;  // measure, interval -> lane
  for (const auto& m : d.measures) {
    per_measure.push_back(expand_intervals(*m.intervals, o.index_date));
    lane_of.emplace_back();
    for (const auto& [start, end] : per_measure.back()) {
      std::uint32_t at = 0;
      while (at < lanes.size() && !(lanes[at].index_date == end && lanes[at].interval_start == start)) ++at;
      if (at == lanes.size()) lanes.push_back({end, start});
      lane_of.back().push_back(at);
    }
  }
  const std::size_t total_lanes = lanes.size();
  const std::size_t batches = (total_lanes + kMaxLanes - 1) / kMaxLanes;
  const std::size_t nmeasures = d.measures.size();
  // uses[batch][m]: the lanes of that batch measure m is counted in.
  std::vector<std::vector<LaneMask>> uses(batches, std::vector<LaneMask>(nmeasures, 0));
  for (std::size_t m = 0; m < nmeasures; ++m)
    for (const auto lane : lane_of[m]) uses[lane / kMaxLanes][m] |= LaneMask{1} << (lane % kMaxLanes);

  // Each measure's breakdowns: its `by` list, and the group its SII is taken across.
  std::vector<std::vector<std::string>> breakdowns(nmeasures);
  bool any_dsr = false, any_isr = false;
  for (std::size_t m = 0; m < nmeasures; ++m) {
    for (const auto& [column, pos] : d.measures[m].by) breakdowns[m].push_back(column);
    const auto& st = d.measures[m].stats;
    if (!st.sii_by.empty() && std::find(breakdowns[m].begin(), breakdowns[m].end(), st.sii_by) == breakdowns[m].end())
      breakdowns[m].push_back(st.sii_by);
    any_dsr = any_dsr || st.kind == lang::StatKind::kDsr;
    any_isr = any_isr || st.kind == lang::StatKind::kIsr;
  }
  std::vector<std::string> group_names;
  const auto want_group = [&](const std::string& column) {
    if (std::find(group_names.begin(), group_names.end(), column) == group_names.end()) group_names.push_back(column);
  };
  for (const auto& list : breakdowns)
    for (const auto& column : list) want_group(column);
  if (any_dsr || any_isr) want_group("age_band");  // the standardising bands
  if (any_isr) want_group("sex");                  // an isr's reference rates are by age and sex
  const auto data = refdata::DataDir::resolve(o.data_dir);
  const GroupColumns groups(data, plan, group_names);
  const std::size_t ncols = groups.size();
  const std::size_t age_column = any_dsr || any_isr ? groups.index("age_band") : 0;
  const std::size_t sex_column = any_isr ? groups.index("sex") : 0;
  std::vector<std::vector<std::size_t>> by_index(nmeasures);  // measure's breakdowns as group columns
  for (std::size_t m = 0; m < nmeasures; ++m)
    for (const auto& column : breakdowns[m]) by_index[m].push_back(groups.index(column));
  summary.seconds_prepare = since(t0);

  // Worklists need each person's practice and PCN on the index date.
  const bool want_worklists = o.worklists && !plan.worklists.empty();
  std::unique_ptr<GroupColumns> worklist_groups;
  if (want_worklists) worklist_groups = std::make_unique<GroupColumns>(data, plan, std::vector<std::string>{"practice", "pcn"});

  const auto t1 = Clock::now();
  const auto persons = static_cast<std::uint32_t>(store.persons());
  const std::size_t tasks = (persons + kPersonsPerTask - 1) / kPersonsPerTask;
  std::vector<std::string> dataset_parts(tasks);
  std::atomic<std::uint64_t> done{0};
  std::atomic<std::size_t> next_task{0};
  const auto& pseudonyms = store.table("patients").column("pseudonym").values<std::uint8_t>();
  const unsigned workers_wanted = static_cast<unsigned>(std::min<std::size_t>(summary.threads, std::max<std::size_t>(tasks, 1)));
  std::vector<Worker> workers(workers_wanted);
  Progress progress(done, persons);

  parallel_for(workers.size(), summary.threads, [&](std::size_t w) {
    Worker& me = workers[w];
    for (std::size_t b = 0; b < batches; ++b)
      me.batches.emplace_back(plan, std::vector<Lane>(lanes.begin() + static_cast<std::ptrdiff_t>(b * kMaxLanes),
                                                      lanes.begin() + static_cast<std::ptrdiff_t>(std::min(total_lanes, (b + 1) * kMaxLanes))));
    me.dataset = std::make_unique<Evaluator>(plan, std::vector<Lane>{{o.index_date, o.index_date}});
    me.lets.resize(ncols);
    me.worklists.resize(want_worklists ? plan.worklists.size() : 0);
    me.worklist_lets.resize(2);
    std::uint32_t place_codes[2] = {0, 0};
    std::vector<std::uint32_t> codes(ncols);
    std::string key;
    std::vector<LaneMask> den_of(nmeasures), num_of(nmeasures);
    for (;;) {
      const std::size_t task = next_task.fetch_add(1);
      if (task >= tasks) break;
      std::string& out = dataset_parts[task];
      const std::uint32_t first = static_cast<std::uint32_t>(task) * kPersonsPerTask;
      const std::uint32_t last = std::min(persons, first + kPersonsPerTask);
      for (std::uint32_t p = first; p < last; ++p) {
        Evaluator& dev = *me.dataset;
        dev.start(p);
        if (dev.truth(plan.population) != 0) {
          ++me.in_population;
          CsvRow row(out);
          static constexpr char kHex[] = "0123456789abcdef";
          char hex[64];
          for (std::size_t i = 0; i < 32; ++i) {
            const std::uint8_t x = pseudonyms[p * 32 + i];
            hex[2 * i] = kHex[x >> 4];
            hex[2 * i + 1] = kHex[x & 15];
          }
          row.text(std::string_view(hex, 64));
          for (const int v : plan.variables) append_value(row, dev.value(v, 0));
          for (std::size_t w = 0; w < me.worklists.size(); ++w) {
            if ((dev.truth(plan.worklists[w].first) & 1) == 0) continue;
            WorklistEntry e;
            e.person = p;
            worklist_groups->codes(dev, 0, me.worklist_lets, place_codes);
            e.practice = worklist_groups->label(0, place_codes[0], me.worklist_lets);
            e.pcn = worklist_groups->label(1, place_codes[1], me.worklist_lets);
            {
              CsvRow cells(e.shown);
              for (const int v : plan.worklists[w].second) append_value(cells, dev.value(v, 0));
            }
            e.shown.pop_back();  // CsvRow ends its line
            me.worklists[w].push_back(std::move(e));
          }
        }
        for (std::size_t b = 0; b < batches; ++b) {
          Evaluator& ev = me.batches[b];
          ev.start(p);
          const LaneMask population = ev.truth(plan.population);
          if (population == 0) continue;
          LaneMask counted = 0;
          for (std::size_t m = 0; m < nmeasures; ++m) {
            const LaneMask wanted = uses[b][m] & population;
            den_of[m] = wanted != 0 ? ev.truth(plan.measures[m].second) & wanted : 0;
            num_of[m] = den_of[m] != 0 ? ev.truth(plan.measures[m].first) & den_of[m] : 0;
            counted |= den_of[m];
          }
          const std::size_t lane0 = b * kMaxLanes;
          for (LaneMask left = counted; left != 0; left &= left - 1) {
            const int l = std::countr_zero(left);
            groups.codes(ev, l, me.lets, codes.data());
            key.assign(reinterpret_cast<const char*>(codes.data()), ncols * sizeof(std::uint32_t));
            const auto [it, added] = me.combo_index.emplace(key, static_cast<std::uint32_t>(me.combo_index.size()));
            if (added) {
              me.combo_codes.insert(me.combo_codes.end(), codes.begin(), codes.end());
              me.counts.resize(me.counts.size() + total_lanes * nmeasures * 2, 0);
            }
            std::uint32_t* c = &me.counts[((it->second * total_lanes + lane0 + static_cast<std::size_t>(l)) * nmeasures) * 2];
            for (std::size_t m = 0; m < nmeasures; ++m) {
              c[2 * m] += static_cast<std::uint32_t>((den_of[m] >> l) & 1);
              c[2 * m + 1] += static_cast<std::uint32_t>((num_of[m] >> l) & 1);
            }
          }
        }
      }
      done += last - first;
    }
  });
  progress.stop();
  summary.seconds_evaluate = since(t1);

  const auto t2 = Clock::now();
  std::string dataset;
  {
    CsvRow header(dataset);
    header.text("pseudonym");
    for (const auto& v : d.variables) header.text(v.name);
  }
  for (const auto& part : dataset_parts) dataset += part;
  write_file(o.out / "dataset.csv", dataset);

  // Each worker's combinations are first summed into each measure's breakdowns by group code,
  // then merged across workers by group label. Every interval of every measure has its `all`
  // row, 0 of 0 when nobody is in the denominator, so a series never has silent gaps.
  std::vector<std::vector<MeasureTable>> tables(nmeasures);
  for (std::size_t m = 0; m < nmeasures; ++m) {
    tables[m].resize(per_measure[m].size());
    for (auto& t : tables[m]) {
      t.by.resize(breakdowns[m].size());
      const std::size_t nb = standardising_bands(d.measures[m].stats.kind);
      t.all.band_numerator.assign(nb, 0);
      t.all.band_denominator.assign(nb, 0);
    }
  }
  std::uint64_t in_population = 0;
  for (const Worker& me : workers) {
    in_population += me.in_population;
    const std::size_t combos = me.combo_index.size();
    for (std::size_t m = 0; m < nmeasures; ++m) {
      const auto& by = by_index[m];
      const lang::StatKind kind = d.measures[m].stats.kind;
      const std::size_t nb = standardising_bands(kind);
      Cell empty;
      empty.band_numerator.assign(nb, 0);
      empty.band_denominator.assign(nb, 0);
      // [lane][breakdown][code]
      std::vector<std::vector<std::vector<Cell>>> sums(total_lanes, std::vector<std::vector<Cell>>(by.size() + 1));
      for (std::size_t lane = 0; lane < total_lanes; ++lane) {
        sums[lane][0].assign(1, empty);
        for (std::size_t b = 0; b < by.size(); ++b) sums[lane][b + 1].assign(groups.cardinality(by[b], me.lets), empty);
      }
      for (std::size_t c = 0; c < combos; ++c) {
        // The combination's standardising band: its age band for a dsr, age band and sex for an
        // isr (nb, so counted in no band, when either is unknown).
        std::size_t band = nb;
        if (nb != 0 && me.combo_codes[c * ncols + age_column] < kDsrBands) {
          band = me.combo_codes[c * ncols + age_column];
          if (kind == lang::StatKind::kIsr) {
            const std::string& sex = groups.label(sex_column, me.combo_codes[c * ncols + sex_column], me.lets);
            band = sex == "M" ? band : sex == "F" ? kDsrBands + band : nb;
          }
        }
        for (std::size_t lane = 0; lane < total_lanes; ++lane) {
          const std::uint32_t* n = &me.counts[((c * total_lanes + lane) * nmeasures + m) * 2];
          if (n[0] == 0) continue;
          const auto add = [&](Cell& t) {
            t.denominator += n[0];
            t.numerator += n[1];
            if (band < nb) {
              t.band_denominator[band] += n[0];
              t.band_numerator[band] += n[1];
            }
          };
          add(sums[lane][0][0]);
          for (std::size_t b = 0; b < by.size(); ++b) add(sums[lane][b + 1][me.combo_codes[c * ncols + by[b]]]);
        }
      }
      for (std::uint32_t k = 0; k < lane_of[m].size(); ++k) {
        const auto& lane_sums = sums[lane_of[m][k]];
        MeasureTable& t = tables[m][k];
        t.all.add(lane_sums[0][0]);
        for (std::uint32_t b = 0; b < by.size(); ++b)
          for (std::uint32_t code = 0; code < lane_sums[b + 1].size(); ++code) {
            const Cell& c = lane_sums[b + 1][code];
            if (c.denominator == 0) continue;  // groups with nobody in the denominator are not written
            t.by[b][groups.label(by[b], code, me.lets)].add(c);
          }
      }
    }
  }
  // Group columns that nest in another among these people: a reader who knows the Place of
  // every PCN can add PCNs up to their Place, so the audit must too.
  for (std::size_t child = 0; child < ncols; ++child)
    for (std::size_t parent = 0; parent < ncols; ++parent) {
      if (child == parent) continue;
      disclosure::Nesting n;
      n.child = groups.name(child);
      n.parent = groups.name(parent);
      bool functional = true;
      for (const Worker& me : workers) {
        for (std::size_t c = 0; c < me.combo_index.size() && functional; ++c) {
          const std::string& cl = groups.label(child, me.combo_codes[c * ncols + child], me.lets);
          const std::string& pl = groups.label(parent, me.combo_codes[c * ncols + parent], me.lets);
          const auto it = n.parent_of.find(cl);  // find first: most combinations repeat a known pair
          if (it == n.parent_of.end()) n.parent_of.emplace(cl, pl);
          else functional = it->second == pl;
        }
      }
      // A column nests in another only if it splits it: one that merely relabels it adds nothing.
      std::set<std::string> parents;
      for (const auto& [cl, pl] : n.parent_of) parents.insert(pl);
      if (functional && parents.size() < n.parent_of.size()) result.measures.nestings.push_back(std::move(n));
    }

  result.measures.definition = &d;
  result.measures.intervals = std::move(per_measure);
  result.measures.breakdowns = std::move(breakdowns);
  result.measures.tables = std::move(tables);
  for (const auto& meaning : measure_meanings(def)) {
    result.measures.numerator_meaning.push_back(meaning.numerator);
    result.measures.denominator_meaning.push_back(meaning.denominator);
  }

  summary.persons_scanned = persons;
  summary.index_date = o.index_date;
  summary.index_date_source = o.index_date_source;
  summary.lanes = total_lanes;
  summary.worklists_written = want_worklists;
  summary.in_population = in_population;
  if (want_worklists) {
    std::vector<std::vector<WorklistEntry>> entries(plan.worklists.size());
    for (Worker& me : workers)
      for (std::size_t w = 0; w < me.worklists.size(); ++w)
        for (auto& e : me.worklists[w]) entries[w].push_back(std::move(e));
    summary.worklists = write_worklists(o.out, store::IdentityArea::open(store, o.identity_observer), d.worklists, entries, o.index_date);
  }
  summary.seconds_write = since(t2);
  summary.seconds_total = since(t0);
  return result;
}

}  // namespace severn::engine
