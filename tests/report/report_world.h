// A small synthetic ICS (1,500 people), ingested, and `severn report` run over it once per test
// process with the whole built-in library: the end-to-end and browser tests read its output.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/ingest_fixture.h"
#include "run_severn.h"

namespace severn::testing {

struct ReportWorld {
  std::filesystem::path store, report;
  CommandResult result;
};

inline const ReportWorld& report_world() {
  static const ReportWorld w = [] {
    static Scratch scratch("report-world");
    ReportWorld r;
    const auto src = scratch.dir() / "src";
    r.store = scratch.dir() / "store";
    r.report = scratch.dir() / "report";
    synthesize_small(src, 1500, 20251123);
    ingest::run_ingest(options_for(src, r.store, write_key(scratch.dir())));
    r.result = run_severn("report --store " + r.store.string() + " --out " + r.report.string() +
                          " --index-date 2025-03-31 --threads 2 --data " + SEVERN_TEST_DATA_DIR +
                          " --note 'Synthetic test population.'");
    return r;
  }();
  return w;
}

}  // namespace severn::testing
