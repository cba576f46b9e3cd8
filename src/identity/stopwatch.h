// Phase timings of a linkage run: each lap records the seconds since the previous one under the
// phase's name (LinkResult::times, the ingest's partner-linking phases).
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace severn::identity {

struct PhaseTime {
  std::string phase;
  double seconds = 0.0;
};

class Stopwatch {
 public:
  explicit Stopwatch(std::vector<PhaseTime>& times) : times_(times), start_(std::chrono::steady_clock::now()) {}
  void lap(const std::string& phase) {
    const auto now = std::chrono::steady_clock::now();
    times_.push_back({phase, std::chrono::duration<double>(now - start_).count()});
    start_ = now;
  }

 private:
  std::vector<PhaseTime>& times_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace severn::identity
