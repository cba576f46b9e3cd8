// A small synthetic ICS (1,500 people), ingested, and `severn report` run over it with the whole
// built-in library, once per build of the tests (shared_world.h): the end-to-end, attack and
// browser tests read its output and never write into it.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/ingest_fixture.h"
#include "run_severn.h"
#include "shared_world.h"

namespace severn::testing {

struct ReportWorld {
  std::filesystem::path store, report;
  CommandResult result;
};

inline const ReportWorld& report_world() {
  static const ReportWorld w = [] {
    const auto dir = shared_world("report-world", [](const std::filesystem::path& d) {
      const auto src = d / "src";
      synthesize_small(src, 1500, 20251123);
      ingest::run_ingest(options_for(src, d / "store", write_key(d)));
      const CommandResult c = run_severn("report --store " + (d / "store").string() + " --out " +
                                         (d / "report").string() +
                                         " --index-date 2025-03-31 --threads 2 --data " + SEVERN_TEST_DATA_DIR +
                                         " --note 'Synthetic test population.'");
      write_text(d / "report-exit-code", std::to_string(c.code));
      write_text(d / "report-output", c.output);
    });
    ReportWorld r;
    r.store = dir / "store";
    r.report = dir / "report";
    r.result = {std::stoi(read_text(dir / "report-exit-code")), read_text(dir / "report-output")};
    return r;
  }();
  return w;
}

}  // namespace severn::testing
