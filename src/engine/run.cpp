#include "engine/run.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <atomic>
#include <bit>
#include <set>
#include <span>
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
#include "engine/counts.h"
#include "engine/groups.h"
#include "engine/measure_meaning.h"
#include "engine/plan.h"
#include "engine/program.h"
#include "query/lower.h"
#include "refdata/data_dir.h"

namespace severn::engine {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint32_t kPersonsPerTask = 2048;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

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

void write_file_parts(const std::filesystem::path& path, const std::vector<const std::string*>& parts) {
  std::ofstream out(path, std::ios::binary);
  for (const std::string* part : parts) out.write(part->data(), static_cast<std::streamsize>(part->size()));
  if (!out) throw InputError(path.string() + ": cannot write");
}

}  // namespace

std::vector<std::pair<Days, Days>> expand_intervals(const lang::Intervals& spec, Days index_date) {
  query::Intervals q;
  q.kind = spec.kind == lang::IntervalKind::kMonthly     ? query::Intervals::Kind::kMonthly
           : spec.kind == lang::IntervalKind::kQuarterly ? query::Intervals::Kind::kQuarterly
           : spec.kind == lang::IntervalKind::kYearly    ? query::Intervals::Kind::kYearly
                                                         : query::Intervals::Kind::kExplicit;
  q.from = spec.from;
  q.to = spec.to;
  q.last = spec.last;
  q.spans = spec.spans;
  return query::expand(q, index_date);
}

namespace {

// Phase 1's result: one model of every definition, bound to the store and compiled, with the
// lanes, the group columns and what each lane batch counts. Not movable: the program points into
// the model and the plan into the program.
struct Prepared {
  query::Model model;
  std::unique_ptr<Program> program;
  std::unique_ptr<Plan> plan;
  std::vector<DefinitionLayout> layouts;
  std::vector<Lane> lanes;
  std::size_t batches = 0, nmeasures = 0;
  std::vector<std::vector<LaneMask>> uses;  // [batch][measure]: the lanes of the batch it is counted in
  std::unique_ptr<GroupColumns> groups;
  std::unique_ptr<GroupColumns> worklist_groups;  // practice and PCN on the index date, when wanted
  std::vector<const BoundTable*> row_tables;      // the tables row measures count rows of
  Prepared() = default;
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
};

// The work of one thread: its evaluators and, per definition, its counts, kept until the merge.
struct Worker : Tally {
  std::vector<Evaluator> batches;      // one per lane batch of the measures
  std::unique_ptr<Evaluator> dataset;  // one lane: the run's index date
  std::vector<LetGroups> worklist_lets;  // the practice and PCN columns of worklists
  std::vector<std::uint32_t> codes;    // scratch: every group column's code
  std::vector<std::uint32_t> last_codes;  // the codes of the lane counted last
  std::unordered_map<std::string, std::uint32_t> pass_combos;  // every group column's codes -> index
  std::uint32_t pass_combo = 0;           // the index of last_codes
  std::string key;                        // scratch
  std::vector<LaneMask> den_of, num_of, population, counted;  // scratch per person
};

// Phase 2's result: the workers' counts and each definition's dataset rows, per task.
struct Scanned {
  std::vector<Worker> workers;
  std::vector<std::vector<std::string>> dataset_parts;  // [definition][task]
  std::uint32_t persons = 0;
};

// Phase 1, prepare: lower every definition into one model, bind, compile, lay out lanes and groups.
void prepare(Prepared& p, const store::Store& store, const std::vector<const lang::CheckedDefinition*>& defs,
             const std::vector<EvaluateOptions>& opts) {
  const EvaluateOptions& o = opts[0];
  const std::size_t ndefs = defs.size();
  query::LowerOptions lower_options;
  lower_options.data_dir = o.data_dir;
  lower_options.worklists = o.worklists;
  for (const auto* def : defs) query::lower_into(p.model, *def, lower_options);
  p.program = std::make_unique<Program>(bind(store, p.model));
  p.plan = std::make_unique<Plan>(compile(*p.program));
  for (std::size_t d = 0; d < ndefs; ++d) {
    std::error_code ec;
    std::filesystem::create_directories(opts[d].out, ec);
    if (ec) throw InputError(opts[d].out.string() + ": cannot create output directory: " + ec.message());
  }
  p.layouts.resize(ndefs);
  p.lanes = lay_out_lanes(p.model, o.index_date, p.layouts);
  p.batches = (p.lanes.size() + kMaxLanes - 1) / kMaxLanes;
  p.nmeasures = p.layouts.back().first_measure + p.layouts.back().measures;
  p.uses.assign(p.batches, std::vector<LaneMask>(p.nmeasures, 0));
  for (std::size_t d = 0; d < ndefs; ++d)
    for (std::size_t m = 0; m < p.layouts[d].measures; ++m)
      for (const auto lane : p.layouts[d].lane_of[m])
        p.uses[lane / kMaxLanes][p.layouts[d].first_measure + m] |= LaneMask{1} << (lane % kMaxLanes);
  p.groups = std::make_unique<GroupColumns>(*p.plan, lay_out_groups(p.model, defs, p.layouts));
  for (const auto& pd : p.plan->definitions)
    for (const BoundTable* t : pd.measure_rows)
      if (t != nullptr && std::find(p.row_tables.begin(), p.row_tables.end(), t) == p.row_tables.end())
        p.row_tables.push_back(t);
  bool want_worklists = false;
  for (const auto& pd : p.plan->definitions) want_worklists = want_worklists || (o.worklists && !pd.worklists.empty());
  if (want_worklists)
    p.worklist_groups = std::make_unique<GroupColumns>(
        *p.plan, std::vector<std::pair<std::string, query::NodeId>>{{"practice", p.model.worklist_practice},
                                                                   {"pcn", p.model.worklist_pcn}});
}

// A thread's evaluators, counters and scratch, made before its first person.
void set_up(Worker& me, const Prepared& p, const EvaluateOptions& o) {
  const std::size_t ndefs = p.layouts.size();
  const std::size_t total_lanes = p.lanes.size();
  for (std::size_t b = 0; b < p.batches; ++b)
    me.batches.emplace_back(*p.plan, std::vector<Lane>(p.lanes.begin() + static_cast<std::ptrdiff_t>(b * kMaxLanes),
                                                       p.lanes.begin() + static_cast<std::ptrdiff_t>(std::min(total_lanes, (b + 1) * kMaxLanes))));
  me.dataset = std::make_unique<Evaluator>(*p.plan, std::vector<Lane>{{o.index_date, o.index_date}});
  me.lets = p.groups->interners();
  if (p.worklist_groups) me.worklist_lets = p.worklist_groups->interners();
  me.counters.resize(ndefs);
  for (std::size_t d = 0; d < ndefs; ++d) {
    me.counters[d].worklists.resize(o.worklists ? p.plan->definitions[d].worklists.size() : 0);
    me.counters[d].codes.resize(p.layouts[d].columns.size());
  }
  me.codes.resize(p.groups->size());
  me.den_of.resize(p.nmeasures);
  me.num_of.resize(p.nmeasures);
  me.population.resize(ndefs);
  me.counted.resize(ndefs);
}

// One person at the run's index date: each definition's population, its dataset row (into `rows`,
// one string per definition) and its worklists.
void visit_index_date(Worker& me, const Prepared& p, const std::vector<EvaluateOptions>& opts, std::uint32_t person,
                      std::span<const std::uint8_t> pseudonyms, std::vector<std::string*>& rows) {
  Evaluator& dev = *me.dataset;
  dev.start(person);
  for (std::size_t d = 0; d < p.layouts.size(); ++d) {
    const Plan::Definition& pd = p.plan->definitions[d];
    if (dev.truth(pd.population) == 0) continue;
    Counter& k = me.counters[d];
    ++k.in_population;
    if (opts[d].dataset) {
      CsvRow row(*rows[d]);
      static constexpr char kHex[] = "0123456789abcdef";
      char hex[64];
      for (std::size_t i = 0; i < 32; ++i) {
        const std::uint8_t x = pseudonyms[person * 32 + i];
        hex[2 * i] = kHex[x >> 4];
        hex[2 * i + 1] = kHex[x & 15];
      }
      row.text(std::string_view(hex, 64));
      for (const int v : pd.variables) append_value(row, dev.value(v, 0));
    }
    for (std::size_t w = 0; w < k.worklists.size(); ++w) {
      if ((dev.truth(pd.worklists[w].first) & 1) == 0) continue;
      WorklistEntry e;
      e.person = person;
      std::uint32_t place_codes[2] = {0, 0};
      p.worklist_groups->codes(dev, 0, me.worklist_lets, place_codes);
      e.practice = p.worklist_groups->label(0, place_codes[0], me.worklist_lets);
      e.pcn = p.worklist_groups->label(1, place_codes[1], me.worklist_lets);
      {
        CsvRow cells(e.shown);
        for (const int v : pd.worklists[w].second) append_value(cells, dev.value(v, 0));
      }
      e.shown.pop_back();  // CsvRow ends its line
      k.worklists[w].push_back(std::move(e));
    }
  }
}

// Adds one to each measure's denominator (and numerator) in the lanes of `any` where me.den_of
// (me.num_of) says so, under the groups of the evaluator's person, or of the row it visits when
// `at_row` (row measures).
void add_counts(Worker& me, const Prepared& p, Evaluator& ev, std::size_t b, LaneMask any, bool at_row);

// One person's rows of each table a row measure counts, in every lane: a row counts where its
// person is in the population and the measure's denominator is true for it, under the row's
// groups (its own columns, and the person's).
void visit_rows(Worker& me, const Prepared& p, Evaluator& ev, std::size_t b, std::uint32_t person) {
  const std::size_t ndefs = p.layouts.size();
  for (const BoundTable* table : p.row_tables) {
    const auto offsets = table->view->person_offsets();
    for (auto r = offsets[person]; r < offsets[person + 1]; ++r) {
      ev.visit_row(r);
      LaneMask any = 0;
      for (std::size_t d = 0; d < ndefs; ++d) {
        const DefinitionLayout& L = p.layouts[d];
        const Plan::Definition& pd = p.plan->definitions[d];
        me.counted[d] = 0;
        for (std::size_t m = 0; m < L.measures; ++m) {
          const std::size_t gm = L.first_measure + m;
          const LaneMask wanted = pd.measure_rows[m] == table ? p.uses[b][gm] & me.population[d] : 0;
          me.den_of[gm] = wanted != 0 ? ev.truth(pd.measures[m].second) & wanted : 0;
          me.num_of[gm] = me.den_of[gm] != 0 ? ev.truth(pd.measures[m].first) & me.den_of[gm] : 0;
          me.counted[d] |= me.den_of[gm];
        }
        any |= me.counted[d];
      }
      if (any != 0) add_counts(me, p, ev, b, any, true);
    }
  }
}

// One person in every lane: each definition's measures counted under the person's groups.
void visit_lanes(Worker& me, const Prepared& p, std::uint32_t person) {
  const std::size_t ndefs = p.layouts.size();
  for (std::size_t b = 0; b < p.batches; ++b) {
    Evaluator& ev = me.batches[b];
    ev.start(person);
    LaneMask any = 0;
    bool rows = false;
    for (std::size_t d = 0; d < ndefs; ++d) {
      const DefinitionLayout& L = p.layouts[d];
      const Plan::Definition& pd = p.plan->definitions[d];
      me.counted[d] = 0;
      me.population[d] = 0;
      for (std::size_t m = 0; m < L.measures; ++m)
        if (p.uses[b][L.first_measure + m] != 0) {
          me.population[d] = ev.truth(pd.population);
          break;
        }
      if (me.population[d] == 0) continue;
      for (std::size_t m = 0; m < L.measures; ++m) {
        const std::size_t gm = L.first_measure + m;
        // Row measures count the person's rows below, not the person.
        const LaneMask wanted = pd.measure_rows[m] == nullptr ? p.uses[b][gm] & me.population[d] : 0;
        rows = rows || (pd.measure_rows[m] != nullptr && (p.uses[b][gm] & me.population[d]) != 0);
        me.den_of[gm] = wanted != 0 ? ev.truth(pd.measures[m].second) & wanted : 0;
        me.num_of[gm] = me.den_of[gm] != 0 ? ev.truth(pd.measures[m].first) & me.den_of[gm] : 0;
        me.counted[d] |= me.den_of[gm];
      }
      any |= me.counted[d];
    }
    if (any != 0) add_counts(me, p, ev, b, any, false);
    if (rows) visit_rows(me, p, ev, b, person);
  }
}

void add_counts(Worker& me, const Prepared& p, Evaluator& ev, std::size_t b, LaneMask any, bool at_row) {
  const std::size_t ndefs = p.layouts.size();
  const std::size_t total_lanes = p.lanes.size();
  {
    const std::size_t lane0 = b * kMaxLanes;
    for (LaneMask left = any; left != 0; left &= left - 1) {
      const int l = std::countr_zero(left);
      p.groups->codes(ev, l, me.lets, me.codes.data(), at_row);
      // The combination of every group column of the pass is looked up once when it changes (a
      // person's groups rarely change between lanes); each definition then finds its own
      // combination by that one's index, not by hashing its codes again.
      if (me.codes != me.last_codes) {
        me.last_codes = me.codes;
        me.key.assign(reinterpret_cast<const char*>(me.codes.data()), me.codes.size() * sizeof(std::uint32_t));
        me.pass_combo = me.pass_combos.try_emplace(me.key, static_cast<std::uint32_t>(me.pass_combos.size())).first->second;
      }
      for (std::size_t d = 0; d < ndefs; ++d) {
        if (((me.counted[d] >> l) & 1) == 0) continue;
        const DefinitionLayout& L = p.layouts[d];
        Counter& k = me.counters[d];
        if (k.combo_of_pass.size() <= me.pass_combo) k.combo_of_pass.resize(me.pass_combo + 1, Counter::kNoCombo);
        std::uint32_t& combo = k.combo_of_pass[me.pass_combo];
        if (combo == Counter::kNoCombo) {
          const std::size_t ncols = L.columns.size();
          for (std::size_t c = 0; c < ncols; ++c) k.codes[c] = me.codes[L.columns[c]];
          combo = k.combo(total_lanes, L.measures);
        }
        std::uint32_t* c = k.counts_at(combo, lane0 + static_cast<std::size_t>(l), total_lanes, L.measures);
        for (std::size_t m = 0; m < L.measures; ++m) {
          const std::size_t gm = L.first_measure + m;
          c[2 * m] += static_cast<std::uint32_t>((me.den_of[gm] >> l) & 1);
          c[2 * m + 1] += static_cast<std::uint32_t>((me.num_of[gm] >> l) & 1);
        }
      }
    }
  }
}

// Phase 2, scan: every person once, on `threads` threads taking chunks of persons in turn.
void scan(Scanned& out, const store::Store& store, const Prepared& p, const std::vector<EvaluateOptions>& opts,
          unsigned threads) {
  const std::size_t ndefs = p.layouts.size();
  out.persons = static_cast<std::uint32_t>(store.persons());
  const std::size_t tasks = (out.persons + kPersonsPerTask - 1) / kPersonsPerTask;
  out.dataset_parts.assign(ndefs, std::vector<std::string>(tasks));
  std::atomic<std::uint64_t> done{0};
  std::atomic<std::size_t> next_task{0};
  const auto pseudonyms = store.table("patients").column("pseudonym").values<std::uint8_t>();
  out.workers.resize(std::min<std::size_t>(threads, std::max<std::size_t>(tasks, 1)));
  Progress progress(done, out.persons);
  parallel_for(out.workers.size(), threads, [&](std::size_t w) {
    Worker& me = out.workers[w];
    set_up(me, p, opts[0]);
    std::vector<std::string*> rows(ndefs);
    for (;;) {
      const std::size_t task = next_task.fetch_add(1);
      if (task >= tasks) break;
      for (std::size_t d = 0; d < ndefs; ++d) rows[d] = &out.dataset_parts[d][task];
      const std::uint32_t first = static_cast<std::uint32_t>(task) * kPersonsPerTask;
      const std::uint32_t last = std::min(out.persons, first + kPersonsPerTask);
      for (std::uint32_t person = first; person < last; ++person) {
        visit_index_date(me, p, opts, person, pseudonyms, rows);
        visit_lanes(me, p, person);
      }
      done += last - first;
    }
  });
  progress.stop();
}

// Phase 3, merge and write, for definition d: its dataset, worklists and exact counts.
void merge(Evaluated& result, std::size_t d, const store::Store& store, const Prepared& p, Scanned& scanned,
           const lang::CheckedDefinition& def, const EvaluateOptions& od, bool worklists, bool keep) {
  const lang::Definition& ld = def.definition;
  const DefinitionLayout& L = p.layouts[d];
  result.out = od.out;
  if (od.dataset) {
    std::string header_line;
    {
      CsvRow header(header_line);
      header.text("pseudonym");
      for (const auto& v : ld.variables) header.text(v.name);
    }
    // The threads' parts are written as they are, not joined into one string first.
    std::vector<const std::string*> parts{&header_line};
    for (const auto& part : scanned.dataset_parts[d]) parts.push_back(&part);
    write_file_parts(od.out / "dataset.csv", parts);
  }
  result.measures.definition = &ld;
  std::vector<const Tally*> tallies;
  for (const Worker& me : scanned.workers) tallies.push_back(&me);
  std::vector<std::string> column_names;
  for (std::size_t c = 0; c < p.groups->size(); ++c) column_names.push_back(p.groups->name(c));
  const std::size_t total_lanes = p.lanes.size();
  result.measures.tables = merge_counts(ld, L, tallies, d, total_lanes);
  result.measures.nestings = find_nestings(column_names, L, tallies, d);
  result.measures.intervals = L.intervals;
  result.measures.breakdowns = L.breakdowns;
  for (const auto& meaning : measure_meanings(def)) {
    result.measures.numerator_meaning.push_back(meaning.numerator);
    result.measures.denominator_meaning.push_back(meaning.denominator);
  }
  std::uint64_t in_population = 0;
  for (const Worker& me : scanned.workers) in_population += me.counters[d].in_population;
  EvaluationSummary& summary = result.summary;
  summary.persons_scanned = scanned.persons;
  summary.in_population = in_population;
  const bool wrote_worklists = worklists && !p.plan->definitions[d].worklists.empty();
  if (wrote_worklists) {
    std::vector<std::vector<WorklistEntry>> entries(p.plan->definitions[d].worklists.size());
    for (Worker& me : scanned.workers)
      for (std::size_t w = 0; w < me.counters[d].worklists.size(); ++w)
        for (auto& e : me.counters[d].worklists[w]) entries[w].push_back(std::move(e));
    if (keep) {
      for (std::size_t w = 0; w < entries.size(); ++w) summary.worklists.push_back({ld.worklists[w].name, entries[w].size(), 0});
      result.worklist_entries = std::move(entries);
    } else {
      summary.worklists = write_worklists(od.out, store::IdentityArea::open(store, od.identity_observer), ld.worklists,
                                          entries, od.index_date);
    }
  }
  summary.worklists_written = wrote_worklists && !keep;
}

}  // namespace

std::vector<Evaluated> evaluate(const store::Store& store, const std::vector<const lang::CheckedDefinition*>& defs,
                                const std::vector<EvaluateOptions>& opts) {
  if (defs.empty() || defs.size() != opts.size()) throw std::invalid_argument("evaluate: one set of options per definition");
  const EvaluateOptions& o = opts[0];  // index date, threads, reference pack and worklists: the pass's
  const unsigned threads = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
  const auto t0 = Clock::now();
  Prepared prepared;
  prepare(prepared, store, defs, opts);
  const double seconds_prepare = since(t0);
  const auto t1 = Clock::now();
  Scanned scanned;
  scan(scanned, store, prepared, opts, threads);
  const double seconds_evaluate = since(t1);
  std::vector<Evaluated> results(defs.size());
  for (std::size_t d = 0; d < defs.size(); ++d) {
    const auto t2 = Clock::now();
    Evaluated& result = results[d];
    merge(result, d, store, prepared, scanned, *defs[d], opts[d], o.worklists, o.keep_worklists);
    EvaluationSummary& summary = result.summary;
    summary.threads = threads;
    summary.index_date = opts[d].index_date;
    summary.index_date_source = opts[d].index_date_source;
    summary.lanes = prepared.lanes.size();
    if (store.link_filter() != nullptr) summary.link_filter = *store.link_filter();
    summary.seconds_prepare = seconds_prepare;
    summary.seconds_evaluate = seconds_evaluate;
    summary.seconds_write = since(t2);
    summary.seconds_total = since(t0);
  }
  return results;
}

Evaluated evaluate(const store::Store& store, const lang::CheckedDefinition& def, const EvaluateOptions& o) {
  auto all = evaluate(store, std::vector<const lang::CheckedDefinition*>{&def}, std::vector<EvaluateOptions>{o});
  return std::move(all[0]);
}

}  // namespace severn::engine
