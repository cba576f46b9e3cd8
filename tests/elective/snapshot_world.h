// The small synthetic ICS the snapshot tests share (shared_world.h: built once per build of the
// tests): synthesised and ingested with the real code, then `severn elective snapshot
// --no-disclosure-control` and `severn elective measures --no-disclosure-control` run over it.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>

#include "ingest/ingest_fixture.h"
#include "run_severn.h"
#include "shared_world.h"

namespace severn::testing {
inline constexpr int kPeople = 3000;
inline constexpr const char* kFrom = "2019-01-01";
inline constexpr const char* kTo = "2025-03-31";

struct World {
  std::filesystem::path src, store, out, measures;
  CommandResult snapshot, measures_run;
};

inline const World& world() {
  namespace fs = std::filesystem;
  static const World w = [] {
    const fs::path dir = shared_world("elective-snapshot", [](const fs::path& d) {
      synthesize_small(d / "src", kPeople, 20251207);
      ingest::run_ingest(options_for(d / "src", d / "store", write_key(d)));
      const CommandResult c = run_severn("elective snapshot --store " + (d / "store").string() + " --out " +
                                         (d / "out").string() + " --no-disclosure-control --from " + kFrom +
                                         " --to " + kTo);
      write_text(d / "snapshot.code", std::to_string(c.code));
      write_text(d / "snapshot.output", c.output);
      const CommandResult m = run_severn("elective measures --store " + (d / "store").string() + " --out " +
                                         (d / "measures").string() + " --no-disclosure-control --threads 2 --from " +
                                         kFrom + " --to " + kTo + " --data " + SEVERN_TEST_DATA_DIR);
      write_text(d / "measures.code", std::to_string(m.code));
      write_text(d / "measures.output", m.output);
    });
    World x{dir / "src", dir / "store", dir / "out", dir / "measures", {}, {}};
    x.snapshot = {std::stoi(read_text(dir / "snapshot.code")), read_text(dir / "snapshot.output")};
    x.measures_run = {std::stoi(read_text(dir / "measures.code")), read_text(dir / "measures.output")};
    return x;
  }();
  return w;
}

}  // namespace severn::testing
