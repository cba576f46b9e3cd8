#include "ingest/ingest.h"

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_set>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "core/csv_writer.h"
#include "core/error.h"
#include "core/parallel.h"
#include "ingest/assembler.h"
#include "ingest/csv_source.h"
#include "ingest/data_end.h"
#include "ingest/fhir_ingest.h"
#include "ingest/part_builder.h"
#include "ingest/pathway_numbers.h"
#include "ingest/previous_store.h"
#include "identity/partner_clusters.h"
#include "identity/partner_link_outputs.h"
#include "identity/review_decisions.h"
#include "ingest/table_plan.h"
#include "ingest/validation_context.h"
#include "refdata/data_dir.h"
#include "store/store_writer.h"

namespace severn::ingest {
namespace {

// Rows per part of a FHIR-fed table (CSV parts are cut by bytes instead).
constexpr std::size_t kFhirRowsPerPart = 65536;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The linking stage between the partner index and partner activity: links every partner record,
// writes the identity files and gives partner activity its persons and link probabilities.
// The model to score with: the previous store's, else --partner-link-model's (none: train one).
struct LinkingInputs {
  std::optional<PreviousStore> previous;
  std::string model_text, model_source;
};

// A reused probabilistic link whose (partner, person) has now been linked by NHS number from a
// record of this run: a full run would hold it to the second-record rule (partner_linking.h), so
// it is linked anew too.
std::uint64_t drop_second_records(const std::vector<identity::PartnerRecord>& records,
                                  const identity::PartnerLinking& linking, const identity::PartnerLinkingOptions& options,
                                  std::vector<std::optional<identity::PartnerLink>>& reused) {
  std::unordered_set<std::string> nhs_linked;
  const auto key = [&](std::size_t i, std::int64_t person) {
    return records[i].partner_code + '\x1f' + std::to_string(person);
  };
  for (std::size_t i = 0; i < records.size(); ++i)
    if (!reused[i] && linking.links[i].method == identity::LinkMethod::kNhsNumber) nhs_linked.insert(key(i, linking.links[i].person));
  std::uint64_t dropped = 0;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (reused[i] && reused[i]->method == identity::LinkMethod::kProbabilistic &&
        reused[i]->weight < identity::weight_from_probability(options.second_record_probability) && nhs_linked.count(key(i, reused[i]->person)) != 0)
      reused[i].reset(), ++dropped;
  return dropped;
}

LinkageSummary link_partner_index(ValidationContext& ctx, const std::vector<identity::PartnerRecord>& records,
                                  const std::vector<identity::ReviewDecision>& decisions, unsigned threads,
                                  const LinkingInputs& inputs, store::StoreWriter& writer) {
  const auto started = std::chrono::steady_clock::now();
  identity::PartnerLinkingOptions options;
  options.threads = threads;
  options.decisions = decisions;
  options.model_text = inputs.model_text;
  options.model_source = inputs.model_source;
  if (inputs.previous) options.reused = inputs.previous->reusable(ctx.gp_persons, records, threads);
  const double matching_seconds = seconds_since(started);
  identity::PartnerLinking linking = identity::link_partner_records(ctx.gp_persons, records, options);
  // Rare: once more without the reused links the new NHS-number links call into question.
  if (inputs.previous && drop_second_records(records, linking, options, options.reused) > 0)
    linking = identity::link_partner_records(ctx.gp_persons, records, options);
  if (inputs.previous) linking.times.insert(linking.times.begin(), {"match previous records", matching_seconds});
  linking.seconds = seconds_since(started);
  if (inputs.previous)
    std::fprintf(stderr, "severn ingest: incremental partner linking: %llu of %llu records reused, %llu linked anew (%.2f s)\n",
                 static_cast<unsigned long long>(linking.counts.reused),
                 static_cast<unsigned long long>(linking.counts.records),
                 static_cast<unsigned long long>(linking.counts.linked_anew), linking.seconds);
  ctx.partner_outcomes.resize(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const identity::PartnerLink& l = linking.links[i];
    auto& o = ctx.partner_outcomes[i];
    o.person = l.person;
    o.probability = l.person >= 0 ? (l.method == identity::LinkMethod::kProbabilistic ? l.probability : 1.0) : 0.0;
    if (l.person < 0) o.unlinked_reason = l.reason;
  }
  writer.write_file("identity/partner_records.csv", identity::partner_records_csv(records, linking), true);
  writer.write_file("identity/partner_links.csv", identity::partner_links_csv(records, linking), true);
  writer.write_file("identity/clerical_review.csv", identity::clerical_review_csv(ctx.gp_persons, records, linking), true);
  writer.write_file("identity/partner_link_explanations.csv", identity::link_explanations_csv(records, linking), true);
  writer.write_file("identity/partner_link_model.toml", identity::model_toml(linking.model), true);
  writer.write_file("identity/partner_linking.json", identity::linking_summary_json(linking), true);
  const auto clusters = identity::partner_clusters(ctx.gp_persons, records, linking.links);
  writer.write_file("identity/partner_clusters.csv", identity::partner_clusters_csv(records, linking.links, clusters), true);
  LinkageSummary s;
  s.ran = true;
  s.counts = linking.counts;
  s.phases = linking.times;
  s.seconds = linking.seconds;
  s.lost_matches = linking.lost.expected_lost;
  s.lost_standard_error = linking.lost.standard_error;
  s.blocking_recall = linking.lost.blocking_recall;
  return s;
}

}  // namespace

IngestResult run_ingest(const IngestOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  if (!std::filesystem::is_directory(o.source_dir, ec))
    throw InputError(o.source_dir.string() + ": extract directory not found");
  const identity::Pseudonymiser pseudonymiser = identity::Pseudonymiser::from_file_or_environment(o.key_file);
  const std::vector<identity::ReviewDecision> decisions =
      o.review_decisions.empty() ? std::vector<identity::ReviewDecision>{}
                                 : identity::read_review_decisions(o.review_decisions);
  if (!o.previous_store.empty() && !o.partner_link_model.empty())
    throw InputError("--previous-store scores with the previous store's model; --partner-link-model cannot be given too");
  LinkingInputs linking_inputs;
  if (!o.previous_store.empty()) {
    linking_inputs.previous = PreviousStore::open(o.previous_store, pseudonymiser.key_id());
    linking_inputs.model_text = linking_inputs.previous->model_text();
    linking_inputs.model_source = linking_inputs.previous->model_source();
  } else if (!o.partner_link_model.empty()) {
    std::ifstream in(o.partner_link_model, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in || text.str().empty())
      throw InputError("--partner-link-model " + o.partner_link_model.string() + ": cannot read the model file (missing or empty)");
    linking_inputs.model_text = text.str();
    linking_inputs.model_source = o.partner_link_model.string();
  }
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
  PathwayNumbers pathways;
  // A FHIR export (docs/fhir.md) is read once, up front: its resources feed several tables.
  const auto fhir_started = std::chrono::steady_clock::now();
  std::optional<FhirIngest> fhir = FhirIngest::read(o.source_dir, ctx, result.threads, o.part_bytes);
  result.fhir_seconds = fhir ? seconds_since(fhir_started) : 0.0;
  if (fhir) {
    for (const auto& input : fhir->inputs()) result.fhir_bytes += input.bytes;
    for (const auto& input : fhir->inputs()) manifest.inputs.push_back({input.source, input.bytes, input.checksum});
    for (const auto& note : fhir->notes()) std::fprintf(stderr, "severn ingest: note: %s\n", note.c_str());
  }

  for (const TableSpec& spec : table_specs()) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto names = spec.field_names();
    std::vector<std::string_view> optional;
    for (const auto& f : spec.fields)
      if (f.optional_column) optional.push_back(f.name);
    const bool from_fhir = fhir && fhir->feeds(spec.table);
    if (from_fhir && std::filesystem::exists(o.source_dir / spec.source, ec))
      throw InputError((o.source_dir / spec.source).string() + " and the FHIR export " +
                       (o.source_dir / fhir->name()).string() + " both hold table " + std::string(spec.table) +
                       ": give it in one form only");
    const auto source = from_fhir ? fhir->source(spec.table, names, kFhirRowsPerPart)
                        : o.open_source
                            ? o.open_source(o.source_dir, std::string(spec.source), names, o.part_bytes)
                            : open_csv_source(o.source_dir, std::string(spec.source), names, o.part_bytes, optional);
    // An older extract lacking optional columns: they are neither checked nor stored.
    const auto absent = source->absent_fields();
    const TablePlan plan = TablePlan::make(spec, absent);
    LedgerEntry entry;
    entry.table = std::string(spec.table);
    entry.source = from_fhir ? fhir->name() : std::string(spec.source);
    entry.status = status_name(source->status());
    entry.note = source->status_detail();
    entry.bytes = source->bytes();
    if (source->status() == SourceStatus::kMissing || source->status() == SourceStatus::kEmpty) {
      if (spec.required)
        throw InputError(from_fhir ? (o.source_dir / fhir->name()).string() +
                                         ": the FHIR export holds no Patient that could be read (quarantine/fhir.csv "
                                         "is not written when ingest stops: see docs/fhir.md); the person list is "
                                         "required to build a store"
                                   : (o.source_dir / spec.source).string() + ": " + entry.note +
                                         "; the person list is required to build a store");
      std::fprintf(stderr, "severn ingest: warning: %s: %s; table %s will be empty\n",
                   entry.source.c_str(), entry.note.c_str(), entry.table.c_str());
    } else {
      if (!from_fhir) manifest.inputs.push_back({entry.source, entry.bytes, source->checksum()});
      if (source->status() == SourceStatus::kBadHeader)
        std::fprintf(stderr, "severn ingest: warning: %s: %s; every row is quarantined\n",
                     entry.source.c_str(), entry.note.c_str());
      else if (!absent.empty())
        std::fprintf(stderr, "severn ingest: warning: %s: %s\n", entry.source.c_str(), entry.note.c_str());
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
    if (from_fhir) assembler.for_each_quarantined([&](std::string_view file, std::int64_t line) { fhir->row_quarantined(file, line); });
    switch (spec.role) {
      case Role::kPersons:
        assembler.write_persons(writer, dictionaries, pseudonymiser, ctx.persons, ctx.gp_persons);
        break;
      case Role::kPartnerIndex: {
        const auto records = assembler.write_partner_index(writer, ctx.partners);
        result.linkage = link_partner_index(ctx, records, decisions, result.threads, linking_inputs, writer);
        assembler.count_partner_links(result.linkage.counts.nhs_number + result.linkage.counts.probabilistic +
                                          result.linkage.counts.clerical,
                                      result.linkage.counts.review + result.linkage.counts.unlinked);
        break;
      }
      default:
        assembler.write_table(writer, dictionaries, &pathways);
        break;
    }
    const TableCounts counts = assembler.counts();
    entry.read = counts.read;
    entry.linked = counts.linked;
    entry.unlinked = counts.unlinked;
    entry.quarantined = counts.quarantined;
    if (spec.role == Role::kPartnerIndex) {
      const auto& c = result.linkage.counts;
      entry.has_links = true;
      entry.by_nhs_number = c.nhs_number;
      entry.probabilistic = c.probabilistic;
      entry.clerical = c.clerical;
      entry.in_review = c.review;
      entry.no_match = c.unlinked;
    }
    if (entry.read != entry.accepted() + entry.quarantined)
      throw std::logic_error("ledger does not balance for " + entry.source);
    entry.seconds = seconds_since(t0);
    result.ledger.push_back(std::move(entry));
  }
  // Who each pathway number is (pathway_numbers.h); header only when no table had pathways.
  writer.write_file("identity/pathways.csv", pathways.identity_csv(), true);
  const DataEnd data_end = find_data_end(o.source_dir, o.as_of, manifest);
  if (!data_end.warning.empty()) std::fprintf(stderr, "severn ingest: warning: %s\n", data_end.warning.c_str());
  manifest.data_end = data_end.date;
  manifest.data_end_source = data_end.source;
  dictionaries.write(writer);
  if (fhir) {
    result.fhir_ledger = fhir->ledger();
    for (const auto& e : result.fhir_ledger)
      if (e.read != e.accepted + e.quarantined + e.not_used)
        throw std::logic_error("FHIR ledger does not balance for " + e.source + " " + e.resource_type);
    writer.write_file("quarantine/fhir.csv", fhir->quarantine_csv(), true);
  }
  writer.write_file("ledger.csv", ledger_csv(result.ledger, result.fhir_ledger));
  result.persons = manifest.persons;
  writer.commit();
  result.seconds = seconds_since(started);
  return result;
}

std::string ledger_csv(const std::vector<LedgerEntry>& ledger, const std::vector<FhirLedgerEntry>& fhir) {
  std::string out;
  CsvRow(out).text("table").text("source_file").text("status").text("read").text("accepted")
      .text("linked").text("unlinked").text("quarantined").text("note").text("linked_nhs_number")
      .text("linked_probabilistic").text("linked_clerical").text("in_review").text("unlinked_no_match")
      .text("kind").text("resource_type").text("not_used");
  for (const auto& e : ledger) {
    CsvRow row(out);
    row.text(e.table).text(e.source).text(e.status).integer(static_cast<std::int64_t>(e.read))
        .integer(static_cast<std::int64_t>(e.accepted())).integer(static_cast<std::int64_t>(e.linked))
        .integer(static_cast<std::int64_t>(e.unlinked)).integer(static_cast<std::int64_t>(e.quarantined))
        .text(e.note);
    if (e.has_links) {
      for (const std::uint64_t v : {e.by_nhs_number, e.probabilistic, e.clerical, e.in_review, e.no_match})
        row.integer(static_cast<std::int64_t>(v));
    } else {
      for (int k = 0; k < 5; ++k) row.empty();
    }
    row.text("table").empty().integer(0);
  }
  // FHIR: a row per file and resource type, counting resources (docs/fhir.md).
  for (const auto& e : fhir) {
    CsvRow row(out);
    row.text(e.tables).text(e.source).text("ok").integer(static_cast<std::int64_t>(e.read))
        .integer(static_cast<std::int64_t>(e.accepted)).empty().empty()
        .integer(static_cast<std::int64_t>(e.quarantined)).text(e.note);
    for (int k = 0; k < 5; ++k) row.empty();
    row.text("fhir").text(e.resource_type).integer(static_cast<std::int64_t>(e.not_used));
  }
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

std::string fhir_ledger_table(const std::vector<FhirLedgerEntry>& ledger) {
  std::string out = "\nFHIR resources (docs/fhir.md; quarantine/fhir.csv)\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-44s %-20s %10s %10s %11s %10s  %s\n", "file", "resource type", "read", "accepted",
                "quarantined", "not used", "check");
  out += line;
  for (const auto& e : ledger) {
    const bool ok = e.read == e.accepted + e.quarantined + e.not_used;
    std::snprintf(line, sizeof line, "%-44s %-20s %10llu %10llu %11llu %10llu  %s\n", e.source.c_str(),
                  e.resource_type.empty() ? "(not a resource)" : e.resource_type.c_str(),
                  static_cast<unsigned long long>(e.read), static_cast<unsigned long long>(e.accepted),
                  static_cast<unsigned long long>(e.quarantined), static_cast<unsigned long long>(e.not_used),
                  ok ? "read = accepted + quarantined + not used" : "DOES NOT BALANCE");
    out += line;
  }
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
  out += "\n]";
  if (r.fhir_bytes > 0)
    out += ", \"fhir\": {\"bytes\": " + std::to_string(r.fhir_bytes) + ", \"read_and_map_seconds\": " +
           std::to_string(r.fhir_seconds) + "}";
  if (r.linkage.ran) {
    out += ", \"partner_linking\": {\"seconds\": " + std::to_string(r.linkage.seconds) +
           ", \"reused\": " + std::to_string(r.linkage.counts.reused) +
           ", \"linked_anew\": " + std::to_string(r.linkage.counts.linked_anew) + ", \"phases\": [";
    for (std::size_t i = 0; i < r.linkage.phases.size(); ++i)
      out += std::string(i ? ", " : "") + "{\"phase\": \"" + r.linkage.phases[i].phase +
             "\", \"seconds\": " + std::to_string(r.linkage.phases[i].seconds) + "}";
    out += "]}";
  }
  out += "}\n";
  return out;
}

}  // namespace severn::ingest
