// Reproducible random numbers. Every random stream is keyed by (seed, stream, purpose), e.g.
// (run seed, person index, "hospital"), so a person's draws do not depend on thread scheduling, on
// how many people came before, or on what other modules drew: output is byte-identical per seed.
#pragma once
#include <cmath>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace severn {

constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A stable 64-bit key for a purpose name (FNV-1a), so streams are named, not numbered.
constexpr std::uint64_t purpose_key(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

// xoshiro256** (Blackman and Vigna), seeded through splitmix64.
class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t purpose);
  Rng(std::uint64_t seed, std::uint64_t stream, std::string_view purpose)
      : Rng(seed, stream, purpose_key(purpose)) {}

  std::uint64_t next();
  double uniform();                                  // [0, 1)
  std::uint64_t below(std::uint64_t n);              // [0, n), unbiased; n > 0
  std::int64_t between(std::int64_t lo, std::int64_t hi);  // [lo, hi] inclusive
  bool bernoulli(double p);
  double normal();                                   // standard normal
  double normal(double mean, double sd) { return mean + sd * normal(); }
  double exponential(double mean);
  int poisson(double lambda);
  // Index drawn with probability proportional to weights (linear scan: for short lists).
  std::size_t weighted(std::span<const double> weights);

 private:
  std::uint64_t s_[4];
  double spare_normal_ = 0.0;
  bool has_spare_ = false;
};

// Walker/Vose alias table: O(1) weighted draws from a fixed distribution of any size.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(std::span<const double> weights);
  std::size_t draw(Rng& rng) const;
  std::size_t size() const { return prob_.size(); }
  bool empty() const { return prob_.empty(); }

 private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

inline double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
inline double logit(double p) { return std::log(p / (1.0 - p)); }

}  // namespace severn
