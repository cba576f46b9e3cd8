// memory_bandwidth: sequential read bandwidth of this machine, as a yardstick for ingest speeds.
//
// Allocates a buffer (1 GiB by default), fills it with a known pattern (which also faults every
// page in), then times summing it as uint64_t: once with one thread and once with every hardware
// thread, each repeated 5 times. Prints the median of each as one JSON object on stdout:
//
//   {"read_gbps_1thread":..., "read_gbps_all":..., "threads":N, "bytes":B, "repeats":5}
//
// GB/s is decimal: 1 GB = 1e9 bytes. Every timed sum is checked against the sum recorded while
// the buffer was filled, so the compiler cannot drop the loop and a wrong result fails loudly.
//
// Build: g++ -std=c++20 -O3 -march=native -Wall -Wextra -Werror -pthread memory_bandwidth.cpp
// Usage: memory_bandwidth [MIB]     (buffer size in MiB, default 1024)

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kRepeats = 5;

// Written after every timed pass so the sums are observable side effects.
volatile std::uint64_t g_sink = 0;

struct Slice {
  std::size_t begin;
  std::size_t end;
};

std::vector<Slice> split(std::size_t n, unsigned parts) {
  std::vector<Slice> slices;
  slices.reserve(parts);
  for (unsigned p = 0; p < parts; ++p) {
    slices.push_back({n * p / parts, n * (p + 1) / parts});
  }
  return slices;
}

// Fills [begin, end) with a pattern that is not all zeros (zero pages could be shared by the
// kernel) and returns the sum of what was written.
std::uint64_t fill(std::uint64_t* data, Slice s) {
  std::uint64_t sum = 0;
  for (std::size_t i = s.begin; i < s.end; ++i) {
    const std::uint64_t v = (static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL) ^ (i >> 7);
    data[i] = v;
    sum += v;
  }
  return sum;
}

// The measured loop: a plain reduction, which GCC vectorises at -O3.
__attribute__((noinline)) std::uint64_t sum_range(const std::uint64_t* data, Slice s) {
  // Four independent sums keep several loads in flight, as the store scan kernels do.
  std::uint64_t a = 0, b = 0, c = 0, d = 0;
  std::size_t i = s.begin;
  for (; i + 4 <= s.end; i += 4) {
    a += data[i];
    b += data[i + 1];
    c += data[i + 2];
    d += data[i + 3];
  }
  for (; i < s.end; ++i) a += data[i];
  return (a + b) + (c + d);
}

// Runs fn(slice, index) on one thread per slice (the calling thread takes slice 0) and returns
// the per-slice results.
template <typename Fn>
std::vector<std::uint64_t> run_parallel(const std::vector<Slice>& slices, Fn fn) {
  std::vector<std::uint64_t> results(slices.size(), 0);
  std::vector<std::thread> workers;
  workers.reserve(slices.size());
  for (std::size_t t = 1; t < slices.size(); ++t) {
    workers.emplace_back([&, t] { results[t] = fn(slices[t]); });
  }
  results[0] = fn(slices[0]);
  for (auto& w : workers) {
    w.join();
  }
  return results;
}

std::uint64_t total(const std::vector<std::uint64_t>& parts) {
  std::uint64_t sum = 0;
  for (const std::uint64_t p : parts) {
    sum += p;
  }
  return sum;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

// Times kRepeats summing passes over the whole buffer with `threads` threads; returns the median
// bandwidth in GB/s. Exits with status 2 if any pass gets the wrong sum.
double measure(const std::uint64_t* data, std::size_t n, unsigned threads, std::uint64_t expected) {
  const std::vector<Slice> slices = split(n, threads);
  const double bytes = static_cast<double>(n) * sizeof(std::uint64_t);
  std::vector<double> gbps;
  for (int r = 0; r < kRepeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::uint64_t sum = total(run_parallel(slices, [data](Slice s) { return sum_range(data, s); }));
    const auto t1 = std::chrono::steady_clock::now();
    if (sum != expected) {
      std::fprintf(stderr, "memory_bandwidth: wrong sum with %u thread(s): %llu, expected %llu\n", threads,
                   static_cast<unsigned long long>(sum), static_cast<unsigned long long>(expected));
      std::exit(2);
    }
    g_sink = g_sink + sum;
    const double seconds = std::chrono::duration<double>(t1 - t0).count();
    gbps.push_back(bytes / seconds / 1e9);
  }
  return median(gbps);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mib = 1024;
  if (argc > 2) {
    std::fprintf(stderr, "usage: memory_bandwidth [MIB]\n");
    return 1;
  }
  if (argc == 2) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || v == 0 || v > (1ULL << 20)) {
      std::fprintf(stderr, "memory_bandwidth: MIB must be a whole number from 1 to 1048576\n");
      return 1;
    }
    mib = static_cast<std::size_t>(v);
  }

  const std::size_t n = mib * (std::size_t{1} << 20) / sizeof(std::uint64_t);
  // new[] without an initialiser leaves the pages untouched; the fill below touches each of them
  // from the thread that will later read that slice.
  const std::unique_ptr<std::uint64_t[]> buffer(new std::uint64_t[n]);
  std::uint64_t* data = buffer.get();

  const unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  const std::uint64_t expected = total(run_parallel(split(n, threads), [data](Slice s) { return fill(data, s); }));

  // One untimed pass so both measurements start from the same state (TLB, page tables).
  g_sink = sum_range(data, {0, n});

  const double one = measure(data, n, 1, expected);
  const double all = measure(data, n, threads, expected);

  std::printf(
      "{\"read_gbps_1thread\":%.2f,\"read_gbps_all\":%.2f,\"threads\":%u,\"bytes\":%zu,\"repeats\":%d}\n", one,
      all, threads, n * sizeof(std::uint64_t), kRepeats);
  return 0;
}
