// Small synthetic ICS runs shared by the synth tests (generated once per test binary).
#pragma once
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>
#include <string>

#include "synth/config.h"
#include "synth/synthesize.h"

namespace severn::synth::testing {

// Removes this process's scratch runs when the test binary exits.
struct ScratchCleanup {
  ~ScratchCleanup() {
    std::error_code ec;
    std::filesystem::remove_all(
        std::filesystem::temp_directory_path() / ("severn-test-" + std::to_string(::getpid())), ec);
  }
};
inline ScratchCleanup scratch_cleanup;

inline std::filesystem::path scratch_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("severn-test-" + std::to_string(::getpid())) / name;
  std::filesystem::create_directories(dir.parent_path());
  return dir;
}

inline SynthConfig small_config(const std::string& name, std::int64_t people, std::uint64_t seed = 11) {
  SynthConfig c;
  c.people = people;
  c.seed = seed;
  c.out = scratch_dir(name);
  c.data_dir = SEVERN_TEST_DATA_DIR;
  c.overwrite = true;
  return c;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Generates each named run once.
inline const SynthReport& run_once(const SynthConfig& c) {
  static std::map<std::string, SynthReport> runs;
  auto it = runs.find(c.out.string());
  if (it == runs.end()) it = runs.emplace(c.out.string(), synthesize(c)).first;
  return it->second;
}

}  // namespace severn::synth::testing
