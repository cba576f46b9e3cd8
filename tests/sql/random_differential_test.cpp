// Random definitions on every engine: the definitions that tests/engine/random_definitions_test.cpp
// generates (the same generator, seed and synthetic ICS) evaluated by the native engine, by
// PostgreSQL and by DuckDB give byte-identical dataset.csv and measures.csv, with disclosure
// control on and off.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "differential.h"
#include "engine/random_definition_generator.h"
#include "ingest_fixture.h"

namespace severn::testing {
namespace {

TEST(Differential, EnginesAgreeOnRandomDefinitions) {
  SEVERN_REQUIRE_PACK();
  Scratch s("sql-random");
  synthesize_small(s.dir() / "src", 400, 17);
  ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "store", write_key(s.dir())));
  const auto store = store::Store::open(s.dir() / "store");
  Warehouses warehouses(*store, "random", s.dir());
  random_definitions::write_codelists(s.dir());

#if defined(__SANITIZE_ADDRESS__)
  // The sanitizer build checks memory on a subset (the databases themselves are not sanitised, and
  // the CI run must stay under 30 minutes on 2 cores).
  int kRounds = 25, kWithMeasures = 10;
#else
  int kRounds = 400, kWithMeasures = 160;
#endif
  // SEVERN_RANDOM_ROUNDS=N: the first N definitions only, while chasing a disagreement.
  if (const char* n = std::getenv("SEVERN_RANDOM_ROUNDS")) {
    kRounds = std::max(10, std::atoi(n));
    kWithMeasures = kRounds * 2 / 5;
  }
  random_definitions::Generator gen(20251122);
  const Days index_date = days_from_civil(2024, 9, 30);
  std::vector<std::string> texts;
  std::vector<lang::CheckedDefinition> checked;
  int measure_rounds = 0;
  for (int round = 0; round < kRounds; ++round) {
    const bool with_measures = round % (kRounds / kWithMeasures) == 0 && measure_rounds < kWithMeasures;
    measure_rounds += with_measures;
    texts.push_back(gen.definition(with_measures));
    const auto file = s.dir() / ("def" + std::to_string(round) + ".sev");
    write_text(file, texts.back());
    checked.push_back(lang::check_file(file.string(), lang::CheckOptions{}));
  }
  // In batches, each through every engine and compared before the next: a disagreement shows as
  // soon as it is found.
  constexpr std::size_t kBatch = 25;
  double seconds[3] = {0, 0, 0};
  const auto timed = [](double& total, auto f) {
    const auto t = std::chrono::steady_clock::now();
    auto r = f();
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    return r;
  };
  int agreed = 0, failures = 0, non_empty = 0;
  for (std::size_t from = 0; from < checked.size(); from += kBatch) {
    std::vector<const lang::CheckedDefinition*> defs;
    for (std::size_t k = from; k < std::min(checked.size(), from + kBatch); ++k) defs.push_back(&checked[k]);
    const auto out = s.dir() / ("batch" + std::to_string(from));
    const auto native = timed(seconds[0], [&] { return run_native(*store, defs, index_date, out, true); });
    const auto postgres = timed(seconds[1], [&] { return run_sql(warehouses.postgres(), warehouses.schema(), defs, index_date, out, true); });
    const auto duckdb = timed(seconds[2], [&] { return run_sql(warehouses.duckdb(), "", defs, index_date, out, true); });
    for (std::size_t i = 0; i < defs.size(); ++i) {
      const std::size_t k = from + i;
      EXPECT_EQ(native[i].error, "") << "round " << k;
      const std::string pg = compare(native[i], postgres[i], "postgres"), duck = compare(native[i], duckdb[i], "duckdb");
      if (pg.empty() && duck.empty()) {
        ++agreed;
        non_empty += std::count(native[i].dataset.begin(), native[i].dataset.end(), '\n') > 1;
        continue;
      }
      // The first few disagreements in full; the rest counted.
      if (++failures <= 8) ADD_FAILURE() << "round " << k << "\n" << pg << "\n" << duck << "\n" << texts[k];
    }
    std::filesystem::remove_all(out);
  }
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(agreed, kRounds);
  EXPECT_GT(non_empty, kRounds / 2);
  std::printf("%d random definitions (%d with measures) on 3 engines: %d agree; native %.1f s, PostgreSQL %.1f s, "
              "DuckDB %.1f s (%zu queries); warehouses loaded in %.1f s\n",
              kRounds, measure_rounds, agreed, seconds[0], seconds[1], seconds[2], warehouses.duckdb().queries(),
              warehouses.load_seconds());
}

}  // namespace
}  // namespace severn::testing
