// Fuzzes `severn stats` past its command line: the CSV table it reads (CsvTable::parse) and each
// method's reading of its arguments and rows (stats::run_table), with the checks the command
// makes before calling it.
//
// Input: the first line is the command's arguments after `severn stats`, separated by spaces,
// as a person types them:
//
//   dsr --by area --conf 0.95,0.998 --multiplier 100000
//
// and the rest of the input is the CSV given to --in. --in, --out and --data are not given, and
// --curve takes no file name (the curve is made in memory). Unknown options and numbers the
// command line would refuse end the run early. To keep each run fast, sii's --repetitions is capped at
// 1000 (default here 200) and --curve-points at 200; neither cap hides a different code path.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_table.h"
#include "core/error.h"
#include "refdata/data_dir.h"
#include "refdata/standards.h"
#include "stats/table.h"

namespace severn::fuzz {
namespace {

constexpr int kMaxRepetitions = 1000;
constexpr int kMaxCurvePoints = 200;

std::vector<stats::StandardBand> bands_of(const std::vector<refdata::AgeBandWeight>& in) {
  std::vector<stats::StandardBand> out;
  for (const auto& b : in) out.push_back({b.band, b.weight});
  return out;
}

// The two standard populations `--standard` chooses between, from the reference pack.
struct Standards {
  std::vector<stats::StandardBand> esp2013, esp2013_21;
  Standards() {
    try {
      const auto dir = refdata::DataDir::resolve("");
      esp2013 = bands_of(refdata::load_esp2013(dir));
      esp2013_21 = bands_of(refdata::load_esp2013_21band(dir));
    } catch (const InputError& e) {
      std::fprintf(stderr, "stats_table fuzzer: %s\n  dsr runs only with --stdpop\n", e.what());
    }
  }
};

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (;;) {
    const auto next = text.find(separator, at);
    out.emplace_back(text.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) return out;
    at = next + 1;
  }
}

std::optional<double> number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

template <typename Int>
std::optional<Int> integer(const std::string& s) {
  Int v{};
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

struct Command {
  stats::TableOptions options;
  bool conf_given = false;
  bool curve = false;
  bool curve_points_given = false;
  int curve_points = 100;
  std::string standard = "esp2013";
};

// The command line as `severn stats` reads it (src/cli/stats_command.cpp); nothing if it would
// refuse it before reading the table.
std::optional<Command> parse_command(std::string_view line, const Standards& standards) {
  std::vector<std::string> args;
  for (auto& a : split(line, ' '))
    if (!a.empty()) args.push_back(std::move(a));
  if (args.empty()) return std::nullopt;
  Command c;
  auto& o = c.options;
  o.repetitions = 200;
  try {
    o.method = stats::parse_table_method(args[0]);
  } catch (const InputError&) {
    return std::nullopt;
  }
  const std::map<std::string_view, std::string*> columns{
      {"--numerator", &o.numerator}, {"--denominator", &o.denominator}, {"--value", &o.value},
      {"--count", &o.count}, {"--population", &o.population}, {"--band", &o.band}, {"--stdpop", &o.stdpop},
      {"--event-frequency", &o.event_frequency}, {"--ref-count", &o.ref_count},
      {"--ref-population", &o.ref_population}, {"--observed", &o.observed}, {"--expected", &o.expected},
      {"--rate", &o.rate}, {"--quantile", &o.quantile}, {"--se", &o.se}, {"--lower", &o.lower},
      {"--upper", &o.upper}, {"--value-type", &o.value_type}, {"--standard", &c.standard}};
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--transform") { o.transform = true; continue; }
    if (flag == "--no-disclosure-control") { o.disclosure_control = false; continue; }
    if (flag == "--midpoint-rounding") { o.policy.midpoint = true; continue; }
    if (flag == "--curve") { c.curve = true; continue; }
    if (i + 1 == args.size()) return std::nullopt;
    const std::string& value = args[++i];
    if (const auto it = columns.find(flag); it != columns.end()) {
      *it->second = value;
    } else if (flag == "--by") {
      o.by = split(value, ',');
    } else if (flag == "--conf") {
      o.confidence.clear();
      for (const auto& v : split(value, ',')) {
        const auto x = number(v);
        if (!x) return std::nullopt;
        o.confidence.push_back(*x);
      }
      c.conf_given = true;
    } else if (flag == "--multiplier" || flag == "--target") {
      const auto x = number(value);
      if (!x) return std::nullopt;
      (flag == "--multiplier" ? o.multiplier : o.target) = *x;
    } else if (flag == "--repetitions") {
      const auto x = integer<int>(value);
      if (!x) return std::nullopt;
      o.repetitions = std::min(*x, kMaxRepetitions);
    } else if (flag == "--curve-points") {
      const auto x = integer<int>(value);
      if (!x) return std::nullopt;
      c.curve_points = std::min(*x, kMaxCurvePoints);
      c.curve_points_given = true;
    } else if (flag == "--seed") {
      const auto x = integer<std::uint64_t>(value);
      if (!x) return std::nullopt;
      o.seed = *x;
    } else if (flag == "--redact-min" || flag == "--redact-max" || flag == "--round-to") {
      const auto x = integer<std::int64_t>(value);
      if (!x) return std::nullopt;
      (flag == "--redact-min" ? o.policy.redact_min : flag == "--redact-max" ? o.policy.redact_max : o.policy.round_to) = *x;
    } else {
      return std::nullopt;
    }
  }
  // The command's own checks before it reads the table.
  const bool funnel = o.method == stats::TableMethod::kFunnelProportion ||
                      o.method == stats::TableMethod::kFunnelRate || o.method == stats::TableMethod::kFunnelRatio;
  if (funnel && c.conf_given) return std::nullopt;
  if (!c.curve && c.curve_points_given) return std::nullopt;
  if (c.curve) {
    if (!funnel) return std::nullopt;
    o.curve_points = c.curve_points;
  }
  if (o.method == stats::TableMethod::kDsr && o.stdpop.empty()) {
    if (c.standard == "esp2013") {
      o.standard = standards.esp2013;
      o.standard_name = "ESP 2013 (19 bands)";
    } else if (c.standard == "esp2013-21") {
      o.standard = standards.esp2013_21;
      o.standard_name = "ESP 2013 (21 bands)";
    } else {
      return std::nullopt;
    }
    if (o.standard.empty()) return std::nullopt;
  }
  return c;
}

}  // namespace
}  // namespace severn::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace severn;
  using namespace severn::fuzz;
  static const Standards standards;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  try {
    auto command = parse_command(input.substr(0, newline), standards);
    if (!command) return 0;
    command->options.policy.validate();
    const CsvTable table = CsvTable::parse(input.substr(newline + 1), "fuzz.csv");
    const auto result = stats::run_table(table, command->options, "out.csv", command->curve ? "curve.csv" : "");
    (void)result;
  } catch (const InputError&) {
    // Bad arguments or a bad table: refused with a message, as the command should.
  }
  return 0;
}
