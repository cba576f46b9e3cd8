#include "ingest/ingest.h"

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "core/csv_writer.h"
#include "core/error.h"
#include "core/parallel.h"
#include "ingest/assembler.h"
#include "ingest/csv_source.h"
#include "ingest/data_end.h"
#include "ingest/part_builder.h"
#include "ingest/table_plan.h"
#include "ingest/validation_context.h"
#include "refdata/data_dir.h"
#include "store/store_writer.h"

namespace severn::ingest {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

IngestResult run_ingest(const IngestOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  if (!std::filesystem::is_directory(o.source_dir, ec))
    throw InputError(o.source_dir.string() + ": extract directory not found");
  const Pseudonymiser pseudonymiser = Pseudonymiser::from_file_or_environment(o.key_file);
  const auto data = refdata::DataDir::resolve(o.data_dir);
  ValidationContext ctx = ValidationContext::load(data, o.as_of);

  IngestResult result;
  result.threads = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
  store::StoreWriter writer(o.store_dir);
  writer.make_restricted_dir("identity");
  writer.make_restricted_dir("quarantine");
  writer.make_restricted_dir("unlinked");
  auto& manifest = writer.manifest();
  manifest.producer = "severn ingest (schema " + std::to_string(store::kSchemaVersion) + ")";
  manifest.as_of = format_iso_date(o.as_of);
  manifest.pseudonym_key_id = pseudonymiser.key_id();
  Dictionaries dictionaries;

  for (const TableSpec& spec : table_specs()) {
    const auto t0 = std::chrono::steady_clock::now();
    const TablePlan plan = TablePlan::make(spec);
    const auto names = spec.field_names();
    const auto source = o.open_source
                            ? o.open_source(o.source_dir, std::string(spec.source), names, o.part_bytes)
                            : open_csv_source(o.source_dir, std::string(spec.source), names, o.part_bytes);
    LedgerEntry entry;
    entry.table = std::string(spec.table);
    entry.source = std::string(spec.source);
    entry.status = status_name(source->status());
    entry.note = source->status_detail();
    entry.bytes = source->bytes();
    if (source->status() == SourceStatus::kMissing || source->status() == SourceStatus::kEmpty) {
      if (spec.required)
        throw InputError((o.source_dir / spec.source).string() + ": " + entry.note +
                         "; the person list is required to build a store");
      std::fprintf(stderr, "severn ingest: warning: %s: %s; table %s will be empty\n",
                   entry.source.c_str(), entry.note.c_str(), entry.table.c_str());
    } else {
      manifest.inputs.push_back({entry.source, entry.bytes, source->checksum()});
      if (source->status() == SourceStatus::kBadHeader)
        std::fprintf(stderr, "severn ingest: warning: %s: %s; every row is quarantined\n",
                     entry.source.c_str(), entry.note.c_str());
    }

    std::vector<PartOutput> parts(source->parts());
    parallel_for(parts.size(), result.threads, [&](std::size_t i) {
      PartBuilder builder(plan, ctx, entry.source);
      source->read_part(i, builder);
      parts[i] = builder.take();
    });
    for (const auto& part : parts)
      for (const auto& [key, line] : part.quarantined_partner_keys)
        ctx.quarantined_partner_records.emplace(key, line);
    Assembler assembler(plan, std::move(parts), entry.source, ctx.persons.size());
    assembler.drop_duplicates();
    switch (spec.role) {
      case Role::kPersons:
        assembler.write_persons(writer, dictionaries, pseudonymiser, ctx.persons);
        break;
      case Role::kPartnerIndex:
        assembler.write_partner_index(writer, ctx.partners, ctx.partner_person);
        break;
      default:
        assembler.write_table(writer, dictionaries);
        break;
    }
    const TableCounts counts = assembler.counts();
    entry.read = counts.read;
    entry.linked = counts.linked;
    entry.unlinked = counts.unlinked;
    entry.quarantined = counts.quarantined;
    if (entry.read != entry.accepted() + entry.quarantined)
      throw std::logic_error("ledger does not balance for " + entry.source);
    entry.seconds = seconds_since(t0);
    result.ledger.push_back(std::move(entry));
  }
  const DataEnd data_end = find_data_end(o.source_dir, o.as_of, manifest);
  if (!data_end.warning.empty()) std::fprintf(stderr, "severn ingest: warning: %s\n", data_end.warning.c_str());
  manifest.data_end = data_end.date;
  manifest.data_end_source = data_end.source;
  dictionaries.write(writer);
  writer.write_file("ledger.csv", ledger_csv(result.ledger));
  result.persons = manifest.persons;
  writer.commit();
  result.seconds = seconds_since(started);
  return result;
}

std::string ledger_csv(const std::vector<LedgerEntry>& ledger) {
  std::string out;
  CsvRow(out).text("table").text("source_file").text("status").text("read").text("accepted")
      .text("linked").text("unlinked").text("quarantined").text("note");
  for (const auto& e : ledger)
    CsvRow(out).text(e.table).text(e.source).text(e.status).integer(static_cast<std::int64_t>(e.read))
        .integer(static_cast<std::int64_t>(e.accepted())).integer(static_cast<std::int64_t>(e.linked))
        .integer(static_cast<std::int64_t>(e.unlinked)).integer(static_cast<std::int64_t>(e.quarantined))
        .text(e.note);
  return out;
}

std::string ledger_table(const std::vector<LedgerEntry>& ledger) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-24s %-32s %11s %11s %11s %11s %11s  %s\n", "table", "source",
                "read", "accepted", "(linked", "unlinked)", "quarantined", "check");
  out += line;
  std::uint64_t read = 0, accepted = 0, linked = 0, unlinked = 0, quarantined = 0;
  for (const auto& e : ledger) {
    const bool ok = e.read == e.accepted() + e.quarantined;
    std::snprintf(line, sizeof line, "%-24s %-32s %11llu %11llu %11llu %11llu %11llu  %s%s%s\n",
                  e.table.c_str(), e.source.c_str(), static_cast<unsigned long long>(e.read),
                  static_cast<unsigned long long>(e.accepted()),
                  static_cast<unsigned long long>(e.linked),
                  static_cast<unsigned long long>(e.unlinked),
                  static_cast<unsigned long long>(e.quarantined),
                  ok ? "read = accepted + quarantined" : "DOES NOT BALANCE",
                  e.status == "ok" ? "" : "; file ", e.status == "ok" ? "" : e.status.c_str());
    out += line;
    read += e.read;
    accepted += e.accepted();
    linked += e.linked;
    unlinked += e.unlinked;
    quarantined += e.quarantined;
  }
  std::snprintf(line, sizeof line, "%-24s %-32s %11llu %11llu %11llu %11llu %11llu  %s\n", "total",
                "", static_cast<unsigned long long>(read), static_cast<unsigned long long>(accepted),
                static_cast<unsigned long long>(linked), static_cast<unsigned long long>(unlinked),
                static_cast<unsigned long long>(quarantined),
                read == accepted + quarantined ? "read = accepted + quarantined" : "DOES NOT BALANCE");
  out += line;
  return out;
}

std::string timings_json(const IngestResult& r) {
  std::string out = "{\"total_seconds\": " + std::to_string(r.seconds) +
                    ", \"threads\": " + std::to_string(r.threads) + ", \"tables\": [";
  for (std::size_t i = 0; i < r.ledger.size(); ++i) {
    const auto& e = r.ledger[i];
    out += (i ? ",\n  " : "\n  ");
    out += "{\"table\": \"" + e.table + "\", \"source\": \"" + e.source +
           "\", \"bytes\": " + std::to_string(e.bytes) + ", \"rows\": " + std::to_string(e.read) +
           ", \"seconds\": " + std::to_string(e.seconds) + "}";
  }
  out += "\n]}\n";
  return out;
}

}  // namespace severn::ingest
