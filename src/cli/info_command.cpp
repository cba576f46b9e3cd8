#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "core/csv_table.h"
#include "core/date.h"
#include "store/store.h"

namespace severn::cli {
namespace {

std::string megabytes(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

std::uint64_t bytes_under(const store::Manifest& m, const std::string& prefix) {
  std::uint64_t total = 0;
  for (const auto& [path, f] : m.files)
    if (path.rfind(prefix, 0) == 0) total += f.bytes;
  return total;
}

void print_info(const store::Store& s, bool restricted_checked) {
  const auto& m = s.manifest();
  std::printf("store %s\n", s.dir().c_str());
  std::printf("  schema version %d, %s; as-of %s; pseudonym key id %s\n", m.schema_version,
              m.producer.c_str(), m.as_of.c_str(), m.pseudonym_key_id.c_str());
  std::printf("  checksums: analytic files verified%s\n",
              restricted_checked ? "; restricted files verified" : "");
  std::printf("  data end: %s (%s)\n", m.data_end.empty() ? "none" : m.data_end.c_str(), m.data_end_source.c_str());
  std::printf("  persons: %llu\n\n", static_cast<unsigned long long>(m.persons));
  std::printf("  %-24s %12s %10s %-12s %-12s %12s\n", "table", "rows", "persons", "from", "to", "size");
  for (const auto& t : m.tables) {
    std::printf("  %-24s %12llu %10llu %-12s %-12s %12s\n", t.name.c_str(),
                static_cast<unsigned long long>(t.rows),
                static_cast<unsigned long long>(t.persons_with_rows),
                t.min_date ? format_iso_date(*t.min_date).c_str() : "-",
                t.max_date ? format_iso_date(*t.max_date).c_str() : "-",
                megabytes(bytes_under(m, "tables/" + t.name + "/")).c_str());
  }
  std::printf("\n  dictionaries:");
  for (const auto& d : m.dictionaries)
    std::printf(" %s (%llu)", d.name.c_str(), static_cast<unsigned long long>(d.entries));
  std::uint64_t total = 0;
  for (const auto& [path, f] : m.files) total += f.bytes;
  std::printf("\n  size: %s in total; tables %s, dictionaries %s, identity %s, quarantine %s, "
              "unlinked %s\n",
              megabytes(total).c_str(), megabytes(bytes_under(m, "tables/")).c_str(),
              megabytes(bytes_under(m, "dictionaries/")).c_str(),
              megabytes(bytes_under(m, "identity/")).c_str(),
              megabytes(bytes_under(m, "quarantine/")).c_str(),
              megabytes(bytes_under(m, "unlinked/")).c_str());
  std::printf("  inputs:");
  std::uint64_t in = 0;
  for (const auto& i : m.inputs) in += i.bytes;
  std::printf(" %zu files, %s\n\n", m.inputs.size(), megabytes(in).c_str());

  const auto ledger = CsvTable::read_file(s.dir() / "ledger.csv");
  std::printf("  ledger (read = accepted + quarantined; accepted = linked + unlinked)\n");
  std::printf("  %-34s %-10s %11s %11s %11s %11s %11s\n", "source", "status", "read", "accepted",
              "linked", "unlinked", "quarantined");
  long long sums[5] = {0, 0, 0, 0, 0};
  const char* cols[5] = {"read", "accepted", "linked", "unlinked", "quarantined"};
  // FHIR rows (kind fhir) count resources per file, not table rows: listed after the tables.
  const bool has_kind = ledger.has_column("kind");
  const auto is_fhir = [&](std::size_t r) { return has_kind && ledger.cell(r, "kind") == "fhir"; };
  for (std::size_t r = 0; r < ledger.rows(); ++r) {
    if (is_fhir(r)) continue;
    long long v[5];
    for (int k = 0; k < 5; ++k) {
      v[k] = ledger.get_int(r, ledger.column(cols[k]));
      sums[k] += v[k];
    }
    std::printf("  %-34s %-10s %11lld %11lld %11lld %11lld %11lld\n",
                ledger.cell(r, "source_file").c_str(), ledger.cell(r, "status").c_str(), v[0], v[1],
                v[2], v[3], v[4]);
  }
  std::printf("  %-34s %-10s %11lld %11lld %11lld %11lld %11lld  %s\n", "total", "", sums[0],
              sums[1], sums[2], sums[3], sums[4],
              sums[0] == sums[1] + sums[4] ? "balanced" : "DOES NOT BALANCE");
  bool fhir_header = false;
  for (std::size_t r = 0; r < ledger.rows(); ++r) {
    if (!is_fhir(r)) continue;
    if (!fhir_header) {
      std::printf("\n  FHIR resources (read = accepted + quarantined + not used; docs/fhir.md)\n");
      std::printf("  %-40s %-20s %11s %11s %11s %11s\n", "file", "resource type", "read", "accepted", "quarantined",
                  "not used");
      fhir_header = true;
    }
    std::printf("  %-40s %-20s %11lld %11lld %11lld %11lld\n", ledger.cell(r, "source_file").c_str(),
                ledger.cell(r, "resource_type").c_str(), static_cast<long long>(ledger.get_int(r, ledger.column("read"))),
                static_cast<long long>(ledger.get_int(r, ledger.column("accepted"))),
                static_cast<long long>(ledger.get_int(r, ledger.column("quarantined"))),
                static_cast<long long>(ledger.get_int(r, ledger.column("not_used"))));
  }
  // The partner index's accepted rows by how they were linked (stores built before the partner
  // linking stage have no such columns).
  if (ledger.has_column("linked_nhs_number")) {
    const char* link_cols[5] = {"linked_nhs_number", "linked_probabilistic", "linked_clerical", "in_review",
                                "unlinked_no_match"};
    for (std::size_t r = 0; r < ledger.rows(); ++r) {
      if (is_fhir(r) || ledger.is_empty(r, ledger.column(link_cols[0]))) continue;
      long long v[5];
      for (int k = 0; k < 5; ++k) v[k] = ledger.get_int(r, ledger.column(link_cols[k]));
      std::printf("\n  partner linking of %s: %lld by NHS number, %lld probabilistic, %lld clerical, %lld in review, "
                  "%lld unlinked\n",
                  ledger.cell(r, "source_file").c_str(), v[0], v[1], v[2], v[3], v[4]);
    }
  }
}

}  // namespace

void add_info(CLI::App& app) {
  auto store = std::make_shared<std::string>();
  auto restricted = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "info", "Verify a store's checksums and print its tables, row counts, persons, date ranges, "
              "sizes and ledger.");
  cmd->add_option("--store", *store, "Store directory")->required();
  cmd->add_flag("--verify-restricted", *restricted,
                "Also verify identity, quarantine and unlinked files (owner only)");
  cmd->callback([store, restricted] {
    const auto s = store::Store::open(*store);
    if (*restricted) s->verify_restricted();
    print_info(*s, *restricted);
  });
}

}  // namespace severn::cli
