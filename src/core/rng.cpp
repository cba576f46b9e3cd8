#include "core/rng.h"

#include <stdexcept>

namespace severn {
namespace {
inline std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t purpose) {
  std::uint64_t sm = seed;
  sm ^= splitmix64(sm) ^ stream * 0xD1B54A32D192ED03ull;
  sm ^= purpose * 0x9E3779B97F4A7C15ull;
  for (auto& s : s_) s = splitmix64(sm);
}

std::uint64_t Rng::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::uint64_t Rng::below(std::uint64_t n) {
  // Lemire's nearly-divisionless method.
  __uint128_t m = static_cast<__uint128_t>(next()) * n;
  std::uint64_t low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = -n % n;
    while (low < threshold) {
      m = static_cast<__uint128_t>(next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t Rng::between(std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
}

bool Rng::bernoulli(double p) { return uniform() < p; }

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_normal_;
  }
  // Marsaglia polar method.
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * f;
  has_spare_ = true;
  return u * f;
}

double Rng::exponential(double mean) { return -mean * std::log1p(-uniform()); }

int Rng::poisson(double lambda) {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    // Knuth's multiplication method; fine for the small means used per person.
    const double l = std::exp(-lambda);
    int k = 0;
    double p = uniform();
    while (p > l) {
      ++k;
      p *= uniform();
    }
    return k;
  }
  const double x = std::round(normal(lambda, std::sqrt(lambda)));
  return x < 0 ? 0 : static_cast<int>(x);
}

std::size_t Rng::weighted(std::span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w;
  double r = uniform() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  return weights.size() - 1;
}

AliasTable::AliasTable(std::span<const double> weights) {
  const std::size_t n = weights.size();
  if (n == 0) throw std::invalid_argument("AliasTable: no weights");
  double total = 0;
  for (double w : weights) {
    if (!(w >= 0)) throw std::invalid_argument("AliasTable: negative or NaN weight");
    total += w;
  }
  if (total <= 0) throw std::invalid_argument("AliasTable: weights sum to zero");
  prob_.assign(n, 0.0);
  alias_.assign(n, 0);
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back(), l = large.back();
    small.pop_back();
    prob_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (auto i : large) prob_[i] = 1.0;
  for (auto i : small) prob_[i] = 1.0;
}

std::size_t AliasTable::draw(Rng& rng) const {
  const std::size_t i = rng.below(prob_.size());
  return rng.uniform() < prob_[i] ? i : alias_[i];
}

}  // namespace severn
