// Fuzzes the FHIR stage of ingest (docs/fhir.md) on one file of an export: discovery, gunzip,
// NDJSON splitting, Bundles, every resource mapping, subject resolution and ordering, then the
// rows through row validation (PartBuilder) as `severn ingest` would. The first byte picks the
// file's name (so its kind and declared resource type); the rest is the file.
//
// Invariants: nothing crashes or leaks; every resource is accounted for (read = accepted +
// quarantined + not_used per file and type); in a plain NDJSON file, the resources read are its
// lines; each table row comes with one value and one pointer per field.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/error.h"
#include "ingest/fhir_ingest.h"
#include "ingest/part_builder.h"
#include "ingest/schema.h"
#include "ingest/table_plan.h"
#include "ingest/validation_context.h"
#include "refdata/data_dir.h"
#include "scratch_dir.h"

namespace severn::fuzz {
namespace {

using namespace severn::ingest;

constexpr const char* kNames[] = {"Patient.ndjson", "Observation.ndjson", "Condition.000.ndjson", "MedicationRequest.ndjson",
                                  "Immunization.ndjson", "bundle.json", "Observation.ndjson.gz", "log.ndjson"};

ValidationContext make_context() {
  ValidationContext c;
  try {
    c = ValidationContext::load(refdata::DataDir::resolve(""), days_from_civil(2025, 6, 30));
  } catch (const InputError& e) {
    std::fprintf(stderr, "fhir_export fuzzer: %s\n  fuzzing without the reference pack (no unit checks)\n", e.what());
    c.as_of = days_from_civil(2025, 6, 30);
    c.earliest = days_from_civil(1890, 1, 1);
  }
  return c;
}

class CountingSink final : public RecordSink {
 public:
  explicit CountingSink(std::size_t fields) : fields_(fields) {}
  void record(const SourceRecord& r) override {
    if (r.fields.size() != fields_ || r.pointers.size() != fields_) std::abort();
    ++records;
  }
  void problem(const SourceProblem&) override { ++problems; }
  std::uint64_t records = 0, problems = 0;

 private:
  std::size_t fields_;
};

struct Fixture {
  ScratchDir dir{"fhir"};
  ValidationContext context = make_context();
};

}  // namespace
}  // namespace severn::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace severn::fuzz;
  static Fixture fx;
  if (size == 0) return 0;
  const std::string name = kNames[data[0] % std::size(kNames)];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  std::filesystem::remove_all(fx.dir.path());
  std::filesystem::create_directories(fx.dir.path());
  {
    std::ofstream out(fx.dir.path() / name, std::ios::binary);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
  }
  std::optional<FhirIngest> fhir;
  try {
    fhir = FhirIngest::read(fx.dir.path(), fx.context, 1, 64);
  } catch (const severn::InputError&) {
    return 0;  // a refusal with a message is an answer
  }
  if (!fhir) {
    if (name.find(".ndjson") != std::string::npos && name != "log.ndjson") std::abort();  // a resource file was not found
    return 0;
  }
  std::uint64_t read = 0;
  for (const auto& e : fhir->ledger()) {
    if (e.read != e.accepted + e.quarantined + e.not_used) std::abort();
    read += e.read;
  }
  if (name.find(".ndjson") != std::string::npos && name.find(".gz") == std::string::npos) {
    std::uint64_t lines = 0;
    for (const char c : body) lines += c == '\n';
    if (!body.empty() && body.back() != '\n') ++lines;
    if (read != lines) std::abort();
  }
  for (const auto& spec : table_specs()) {
    if (!fhir->feeds(spec.table)) continue;
    const auto names = spec.field_names();
    const auto source = fhir->source(spec.table, names, 3);
    const TablePlan plan = TablePlan::make(spec);
    for (std::size_t p = 0; p < source->parts(); ++p) {
      CountingSink counting(names.size());
      source->read_part(p, counting);
      PartBuilder builder(plan, fx.context, source->name());
      source->read_part(p, builder);
      (void)builder.take();
    }
  }
  (void)fhir->quarantine_csv();
  return 0;
}
