// Extract -> store -> read back: every accepted row of every table comes back with the same
// values (dates, codes, categories, numbers, lists and nulls), every other row is in quarantine
// or unlinked, and the store does not depend on how the work was split.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "core/csv_table.h"
#include "core/csv_writer.h"
#include "identity/pseudonymiser.h"
#include "ingest/schema.h"
#include "ingest_fixture.h"
#include "store/export.h"
#include "store/store.h"

namespace severn::testing {
namespace {

using ingest::Kind;

std::string csv_line(const std::vector<std::string>& cells) {
  std::string out;
  {
    CsvRow row(out);
    for (const auto& c : cells) row.text(c);
  }
  return out;
}

// The input rows of one table as the store should give them back: person_id, then each stored
// field (patients: with the pseudonym and the month of birth). Partner activity finds its person
// through its partner record's link (`partner_person`: partner \x1f local id -> person_id or "").
std::vector<std::string> expected_rows(const ingest::TableSpec& spec, const CsvTable& input,
                                       const std::map<std::string, std::string>& person_of,
                                       const std::map<std::string, std::string>& partner_person,
                                       const identity::Pseudonymiser& p, std::size_t& not_linked,
                                       const std::map<std::string, std::string>& pathway_of) {
  std::vector<std::string> rows;
  const int nhs = spec.field_index("nhs_number");
  int partner = -1, local = -1;
  for (std::size_t f = 0; f < spec.fields.size(); ++f) {
    if (spec.fields[f].kind == Kind::kPartner) partner = static_cast<int>(f);
    if (spec.fields[f].kind == Kind::kLocalId) local = static_cast<int>(f);
  }
  for (std::size_t r = 0; r < input.rows(); ++r) {
    const std::string& number = input.cell(r, static_cast<std::size_t>(nhs));
    std::string person;
    if (spec.role == ingest::Role::kPartnerActivity) {
      const auto it = partner_person.find(input.cell(r, input.column(spec.fields[static_cast<std::size_t>(partner)].name)) +
                                          '\x1f' +
                                          input.cell(r, input.column(spec.fields[static_cast<std::size_t>(local)].name)));
      if (it != partner_person.end()) person = it->second;
    } else if (const auto it = person_of.find(number); it != person_of.end()) {
      person = it->second;
    }
    if (person.empty()) {
      ++not_linked;
      continue;
    }
    std::vector<std::string> cells{person};
    if (spec.role == ingest::Role::kPersons) {
      const auto h = p.pseudonym(std::stoull(number));
      cells.push_back(identity::to_hex(h.data(), h.size()));
    }
    for (const auto& f : spec.fields) {
      if (f.store_as.empty()) continue;
      // An older extract without an optional column: the store lacks it too.
      if (f.optional_column && !input.has_column(f.name)) continue;
      std::string v = input.cell(r, input.column(f.name));
      if (f.kind == Kind::kPathwayRef) v = pathway_of.at(v);
      if (spec.role == ingest::Role::kPersons && f.name == "date_of_birth") v = v.substr(0, 8) + "01";
      if (f.kind == Kind::kDecimal && !v.empty()) {
        // The store holds the number, not its spelling: "37.0" comes back as "37".
        double x = 0;
        std::from_chars(v.data(), v.data() + v.size(), x);
        char buf[32];
        v.assign(buf, std::to_chars(buf, buf + sizeof buf, x).ptr);
      }
      cells.push_back(v);
    }
    rows.push_back(csv_line(cells));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// The stored rows, without link_probability (computed by ingest, not read: tested in
// partner_linking_ingest_test.cpp).
std::vector<std::string> exported_rows(const store::Store& s, std::string_view table) {
  std::ostringstream out;
  store::export_table_csv(s, table, out);
  const CsvTable t = CsvTable::parse(out.str(), std::string(table));
  std::vector<std::string> rows;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    std::vector<std::string> cells;
    for (std::size_t c = 0; c < t.header().size(); ++c)
      if (t.header()[c] != "link_probability") cells.push_back(t.cell(r, c));
    rows.push_back(csv_line(cells));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

void expect_round_trip(const std::filesystem::path& src, const std::filesystem::path& store_dir,
                       const std::filesystem::path& key) {
  const auto store = store::Store::open(store_dir);
  store->verify_restricted();
  const CsvTable persons = CsvTable::read_file(store_dir / "identity/persons.csv");
  std::map<std::string, std::string> person_of;
  for (std::size_t r = 0; r < persons.rows(); ++r)
    person_of[persons.cell(r, "nhs_number")] = persons.cell(r, "person_id");
  ASSERT_EQ(persons.rows(), store->persons());
  const auto pseudonymiser = identity::Pseudonymiser::from_file_or_environment(key.string());
  std::map<std::string, std::string> partner_person;
  const CsvTable links = CsvTable::read_file(store_dir / "identity/partner_links.csv");
  for (std::size_t r = 0; r < links.rows(); ++r)
    partner_person[links.cell(r, "partner_code") + '\x1f' + links.cell(r, "local_patient_id")] = links.cell(r, "person_id");

  // patient_pathway_id -> the store's pathway number, from the identity area.
  std::map<std::string, std::string> pathway_of;
  const CsvTable pathways = CsvTable::read_file(store_dir / "identity/pathways.csv");
  for (std::size_t r = 0; r < pathways.rows(); ++r) {
    const auto [it, inserted] = pathway_of.emplace(pathways.cell(r, "patient_pathway_id"), pathways.cell(r, "pathway"));
    EXPECT_TRUE(inserted || it->second == pathways.cell(r, "pathway")) << "two numbers for " << it->first;
  }

  for (const auto& spec : ingest::table_specs()) {
    if (spec.role == ingest::Role::kPartnerIndex) continue;
    SCOPED_TRACE(std::string(spec.table));
    const auto& view = store->table(spec.table);
    if (!std::filesystem::exists(src / spec.source)) {  // an older extract without the file
      EXPECT_EQ(view.rows(), 0U);
      continue;
    }
    if (view.entry().person_keyed) {
      // A person's rows are one contiguous range, in date order.
      const auto offsets = view.person_offsets();
      const auto dates = view.column(view.entry().sort_date).values<std::int32_t>();
      std::size_t out_of_order = 0;
      for (std::size_t p = 0; p + 1 < offsets.size(); ++p)
        for (auto r = offsets[p] + 1; r < offsets[p + 1]; ++r) out_of_order += dates[r - 1] > dates[r];
      EXPECT_EQ(out_of_order, 0U);
    }
    const CsvTable input = CsvTable::read_file(src / spec.source);
    std::size_t not_linked = 0;
    const auto want = expected_rows(spec, input, person_of, partner_person, pseudonymiser, not_linked, pathway_of);
    const auto got = exported_rows(*store, spec.table);
    EXPECT_EQ(got.size(), want.size());
    EXPECT_TRUE(got == want) << "first difference: "
                             << [&] {
                                  const auto m = std::mismatch(got.begin(), got.end(), want.begin(), want.end());
                                  return (m.first != got.end() ? *m.first : "(end)") + " vs " +
                                         (m.second != want.end() ? *m.second : "(end)");
                                }();
    // Rows that could not be linked are all waiting in unlinked/, none lost.
    if (spec.role == ingest::Role::kPartnerActivity || spec.role == ingest::Role::kNational) {
      const CsvTable unlinked =
          CsvTable::read_file(store_dir / "unlinked" / (std::string(spec.table) + ".csv"));
      EXPECT_EQ(unlinked.rows(), not_linked);
    } else {
      EXPECT_EQ(not_linked, 0U);
    }
  }
}

TEST(RoundTrip, HandWrittenExtractWithNullsAndEdgeDates) {
  SEVERN_REQUIRE_PACK();
  Scratch s("roundtrip-edges");
  auto files = valid_extract();
  // Edge dates: before 1970 (negative day numbers), 29 February, the as-of date itself, the
  // earliest plausible date; values with decimals, zero and a negative number.
  files["gp/patients.csv"] +=
      "9994932322,Old,Edith,F,1890-01-01,1969-12-31,SY1 1AA,E01014204,S,M82007\n"
      "9992596597,Leap,Leo,M,2024-02-29,,SY1 1AB,E01028882,A,M82010\n";
  files["gp/events.csv"] +=
      "9994932322,1900-02-28,271649006,120\n"
      "9992596597,2025-06-30,822851000000102,-1.25\n"
      "9992596597,2024-02-29,822851000000102,0\n"
      "9992596597,2024-03-01,822851000000102,7.3\n";
  write_extract(s.dir() / "src", files);
  const auto key = write_key(s.dir());
  const auto r = ingest::run_ingest(options_for(s.dir() / "src", s.dir() / "store", key));
  for (const auto& e : r.ledger) EXPECT_EQ(e.quarantined, 0U) << e.source;
  expect_round_trip(s.dir() / "src", s.dir() / "store", key);
}

TEST(RoundTrip, SyntheticIcsEveryTable) {
  SEVERN_REQUIRE_PACK();
  Scratch s("roundtrip-synth");
  synthesize_small(s.dir() / "src", 3000, 5);
  const auto key = write_key(s.dir());
  auto o = options_for(s.dir() / "src", s.dir() / "store", key);
  o.part_bytes = 64 << 10;  // many parts: merging must not change anything
  const auto r = ingest::run_ingest(o);
  // Clean synthetic data: nothing is quarantined; partner rows without a usable NHS number wait.
  for (const auto& e : r.ledger) {
    EXPECT_EQ(e.quarantined, 0U) << e.source << "\n"
                                 << read_text(s.dir() / "store/quarantine" / (e.table + ".csv"));
    EXPECT_EQ(e.read, e.accepted() + e.quarantined);
  }
  expect_round_trip(s.dir() / "src", s.dir() / "store", key);

  // Partner linking against the ground truth: no partner record is linked to the wrong person,
  // and nearly all are linked (those left are in review or have no candidate).
  const CsvTable truth = CsvTable::read_file(s.dir() / "src/truth/partner_records.csv");
  std::map<std::string, std::pair<std::string, std::string>> truth_of;
  for (std::size_t r = 0; r < truth.rows(); ++r)
    truth_of[truth.cell(r, "partner_code") + "/" + truth.cell(r, "local_patient_id")] = {
        truth.cell(r, "person_id"), truth.cell(r, "discrepancies")};
  const CsvTable linked = CsvTable::read_file(s.dir() / "store/identity/partner_records.csv");
  ASSERT_EQ(linked.rows(), truth.rows());
  std::size_t right = 0, wrong = 0, unlinked_without_reason = 0;
  for (std::size_t r = 0; r < linked.rows(); ++r) {
    const auto& [person, discrepancies] =
        truth_of.at(linked.cell(r, "partner_code") + "/" + linked.cell(r, "local_patient_id"));
    if (linked.cell(r, "person_id").empty()) {
      unlinked_without_reason += linked.cell(r, "resolution").empty();
    } else {
      (linked.cell(r, "person_id") == person ? right : wrong) += 1;
    }
  }
  EXPECT_EQ(wrong, 0U);
  EXPECT_EQ(unlinked_without_reason, 0U);
  EXPECT_GT(right, linked.rows() * 99 / 100);
}

TEST(RoundTrip, StoreIsTheSameHoweverTheWorkIsSplit) {
  SEVERN_REQUIRE_PACK();
  Scratch s("roundtrip-split");
  synthesize_small(s.dir() / "src", 1500, 9);
  const auto key = write_key(s.dir());
  auto one = options_for(s.dir() / "src", s.dir() / "a", key);
  one.threads = 1;
  one.part_bytes = std::size_t{64} << 20;
  auto many = options_for(s.dir() / "src", s.dir() / "b", key);
  many.threads = 2;
  many.part_bytes = 16 << 10;
  ingest::run_ingest(one);
  ingest::run_ingest(many);
  // The manifest lists every file with its checksum, so equal manifests mean equal stores.
  EXPECT_EQ(read_text(s.dir() / "a/manifest.json"), read_text(s.dir() / "b/manifest.json"));
}

}  // namespace
}  // namespace severn::testing
