// Full scan of clinical_events from a store: the sum of numeric values per person, the shape of
// every per-patient aggregation the engine will run. Three kernels, each on one thread and on all
// threads, median of the runs, in bytes read per second, to set beside bench/memory_bandwidth.cpp:
//   column        one pass over the value column (no person boundaries): what the format allows
//   per_person    sum per person over the person offsets; nulls hold +0.0 (store guarantee), so
//                 no mask is needed
//   per_person_masked  the same, also reading the validity bitmap for every row
//
// Usage: store_scan STORE_DIR [RUNS]    prints one JSON object
#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Data {
  std::span<const std::uint64_t> offsets;
  const double* values;
  const std::uint8_t* valid;
  std::size_t rows;
  double* sums;
};

// Range [first, last) of persons (or, for the column kernel, of rows).
using Kernel = void (*)(const Data&, std::size_t, std::size_t, double*);

void column(const Data& d, std::size_t first, std::size_t last, double* out) {
  double a = 0, b = 0, c = 0, e = 0;
  std::size_t r = first;
  for (; r + 4 <= last; r += 4) {
    a += d.values[r];
    b += d.values[r + 1];
    c += d.values[r + 2];
    e += d.values[r + 3];
  }
  for (; r < last; ++r) a += d.values[r];
  *out = (a + b) + (c + e);
}

void per_person(const Data& d, std::size_t first, std::size_t last, double*) {
  for (std::size_t p = first; p < last; ++p) {
    double s = 0;
    for (std::uint64_t r = d.offsets[p]; r < d.offsets[p + 1]; ++r) s += d.values[r];
    d.sums[p] = s;
  }
}

void per_person_masked(const Data& d, std::size_t first, std::size_t last, double*) {
  const auto* bits = reinterpret_cast<const std::uint64_t*>(d.values);
  for (std::size_t p = first; p < last; ++p) {
    double s = 0;
    for (std::uint64_t r = d.offsets[p]; r < d.offsets[p + 1]; ++r) {
      const std::uint64_t keep = 0 - static_cast<std::uint64_t>((d.valid[r >> 3] >> (r & 7)) & 1U);
      s += std::bit_cast<double>(bits[r] & keep);
    }
    d.sums[p] = s;
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median seconds of `runs` runs of the kernel split over `cuts`.
double time_kernel(Kernel k, const Data& d, const std::vector<std::size_t>& cuts, int runs) {
  std::vector<double> times;
  std::vector<double> partial(cuts.size());
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t + 1 < cuts.size(); ++t)
      pool.emplace_back(k, std::cref(d), cuts[t], cuts[t + 1], &partial[t]);
    for (auto& th : pool) th.join();
    times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return median(times);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: store_scan STORE_DIR [RUNS]\n");
    return 1;
  }
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 9;
  try {
    const auto store = severn::store::Store::open(argv[1]);  // verifies checksums, warms the cache
    const auto& events = store->table("clinical_events");
    const auto& value = events.column("numeric_value");
    const auto offsets = events.person_offsets();
    const std::size_t persons = offsets.size() - 1, rows = events.rows();
    std::vector<double> sums(persons);
    const Data d{offsets, value.values<double>().data(), value.validity_bitmap(), rows, sums.data()};

    const unsigned threads = std::max(1U, std::thread::hardware_concurrency());
    // Person cuts that give each thread about the same number of rows; row cuts for `column`.
    std::vector<std::size_t> person_cuts{0}, row_cuts{0};
    for (unsigned t = 1; t < threads; ++t) {
      person_cuts.push_back(static_cast<std::size_t>(
          std::lower_bound(offsets.begin(), offsets.end(), rows * t / threads) - offsets.begin()));
      row_cuts.push_back(rows * t / threads);
    }
    person_cuts.push_back(persons);
    row_cuts.push_back(rows);
    const std::vector<std::size_t> one_person{0, persons}, one_row{0, rows};

    const double value_bytes = static_cast<double>(rows) * 8;
    const double offset_bytes = static_cast<double>(offsets.size()) * 8;
    const double bitmap_bytes = static_cast<double>(rows + 7) / 8;
    struct Case {
      const char* name;
      Kernel k;
      double bytes;
      const std::vector<std::size_t>*one, *all;
    };
    const Case cases[] = {
        {"column", column, value_bytes, &one_row, &row_cuts},
        {"per_person", per_person, value_bytes + offset_bytes, &one_person, &person_cuts},
        {"per_person_masked", per_person_masked, value_bytes + offset_bytes + bitmap_bytes,
         &one_person, &person_cuts},
    };
    std::string json = "{\"rows\": " + std::to_string(rows) + ", \"persons\": " +
                       std::to_string(persons) + ", \"runs\": " + std::to_string(runs) +
                       ", \"threads\": " + std::to_string(threads);
    for (const Case& c : cases) {
      const double t1 = time_kernel(c.k, d, *c.one, runs);
      const double tn = time_kernel(c.k, d, *c.all, runs);
      char buf[256];
      std::snprintf(buf, sizeof buf,
                    ", \"%s\": {\"bytes\": %.0f, \"seconds_1thread\": %.6f, \"gbps_1thread\": %.2f, "
                    "\"seconds_all\": %.6f, \"gbps_all\": %.2f}",
                    c.name, c.bytes, t1, c.bytes / t1 / 1e9, tn, c.bytes / tn / 1e9);
      json += buf;
    }
    std::printf("%s}\n", json.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "store_scan: %s\n", e.what());
    return 1;
  }
  return 0;
}
