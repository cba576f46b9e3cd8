#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "core/date.h"
#include "core/error.h"
#include "synth/synthesize.h"

namespace severn::cli {

void add_synth(CLI::App& app) {
  auto config = std::make_shared<synth::SynthConfig>();
  auto end = std::make_shared<std::string>("2025-03-31");
  auto people = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "synth",
      "Write the partner extracts of a synthetic ICS calibrated to Shropshire, Telford and Wrekin "
      "(GP, SUS APC and outpatients, ECDS, RTT pathways, community, social care, ONS deaths, cancer "
      "registrations), with ground truth and a calibration report. Schemas: docs/data-model.md.");
  cmd->add_option("--out", config->out, "Output directory (must not exist unless --overwrite)")->required();
  cmd->add_option("--people", *people, "People alive and registered at the end date (default 510000)");
  cmd->add_option("--seed", config->seed, "Random seed: the same seed gives byte-identical files");
  cmd->add_option("--end", *end, "Last day of the history, YYYY-MM-DD (default 2025-03-31)");
  cmd->add_option("--years", config->years, "Years of history ending at --end (default 10)");
  cmd->add_option("--threads", config->threads, "Worker threads (default: all cores)");
  cmd->add_option("--data", config->data_dir,
                  "Reference-data directory (default: $SEVERN_DATA, else ../shared/data)");
  cmd->add_flag("--overwrite", config->overwrite, "Replace an existing output directory");
  auto format = std::make_shared<std::string>("csv");
  cmd->add_option("--format", *format,
                  "csv (default), or fhir: the GP record (patients, events, medications) as a FHIR R4 "
                  "UK Core Bulk Data export in fhir/gp/ instead of its CSVs (docs/fhir.md)")
      ->check(CLI::IsMember({"csv", "fhir"}));
  cmd->callback([config, end, people, format] {
    config->format = *format == "fhir" ? synth::OutputFormat::kFhir : synth::OutputFormat::kCsv;
    const auto d = parse_iso_date(*end);
    if (!d) throw InputError("--end: '" + *end + "' is not a date in the form YYYY-MM-DD");
    config->end_date = *d;
    if (!people->empty()) {
      std::size_t used = 0;
      long long n = 0;
      try {
        n = std::stoll(*people, &used);
      } catch (...) {
        used = 0;
      }
      if (used != people->size()) throw InputError("--people: '" + *people + "' is not a whole number");
      config->people = n;
    }
    const synth::SynthReport r = synth::synthesize(*config);
    std::printf("severn synth: %lld people (+%lld deceased) written to %s in %.1f s\n",
                static_cast<long long>(r.people_alive), static_cast<long long>(r.people_deceased),
                config->out.c_str(), r.seconds);
    for (const auto& [file, rows] : r.rows_per_file)
      std::printf("  %-34s %12lld %s\n", file.c_str(), static_cast<long long>(rows),
                  file.ends_with(".ndjson") ? "lines" : "rows");
    if (r.fhir) {
      const auto& f = *r.fhir;
      std::printf("FHIR export %s/fhir/gp/ (manifest.json): %lld Patients, %lld Conditions, %lld Observations "
                  "(%lld of them blood-pressure panels), %lld Procedures, %lld MedicationRequests",
                  config->out.c_str(), static_cast<long long>(f.patients), static_cast<long long>(f.conditions),
                  static_cast<long long>(f.observations + f.panels), static_cast<long long>(f.panels),
                  static_cast<long long>(f.procedures), static_cast<long long>(f.medication_requests));
      if (f.broken_rows) std::printf(", and %lld CSV rows that could not be converted", static_cast<long long>(f.broken_rows));
      std::printf("; replaced");
      for (const auto& csv : f.removed) std::printf(" %s", csv.c_str());
      std::printf(" (%.1f MB of CSV, %.1f MB of NDJSON in %.2f s)\n", static_cast<double>(f.csv_bytes) / 1e6,
                  static_cast<double>(f.fhir_bytes) / 1e6, f.seconds);
    }
    std::printf("calibration: %s/calibration.md\n", config->out.c_str());
  });
}

}  // namespace severn::cli
