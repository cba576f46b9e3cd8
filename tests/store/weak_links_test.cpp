// Store::without_weak_links (docs/linkage-uncertainty.md): a view of a store without the rows
// linked below a probability. A hand-built store of four persons covers every column kind the
// view copies (dates, float64, a nullable category, a code list, 32-byte pseudonyms) and the
// tables it must leave alone (the patients table, a GP table without the column).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <vector>

#include "store/link_probability_fixture.h"
#include "store/store.h"
#include "store/store_error.h"
#include "store/store_writer.h"

namespace severn::store {
namespace {

namespace fs = std::filesystem;

// apcs rows, sorted by person: person 0 has a certain and a strong link, person 1 only weak
// ones, person 2 none at all (known to the GP only), person 3 a weak, a certain and a strong one.
const std::vector<std::uint64_t> kApcsOffsets = {0, 2, 4, 4, 7};
const std::vector<double> kProbability = {1.0, 0.95, 0.5, 0.7, 0.2, 1.0, 0.85};
const std::vector<std::int32_t> kAdmission = {20000, 20010, 20001, 20002, 20003, 20004, 20005};
// Provider ids into a two-entry dictionary; rows 1 and 5 have none.
const std::vector<std::uint32_t> kProvider = {0, 0, 1, 0, 1, 0, 1};
const std::vector<bool> kProviderValid = {true, false, true, true, true, false, true};
// Diagnoses: row r has r % 3 codes, ids r, r+1, ...
std::vector<std::vector<std::uint32_t>> diagnoses() {
  std::vector<std::vector<std::uint32_t>> out;
  for (std::uint32_t r = 0; r < 7; ++r) {
    out.emplace_back();
    for (std::uint32_t k = 0; k < r % 3; ++k) out.back().push_back(r + k);
  }
  return out;
}

template <class T>
void write_vector(StoreWriter& w, const std::string& rel, const std::vector<T>& v) {
  w.write_array<T>(rel, std::span<const T>(v));
}

void write_store(const fs::path& dir, bool with_probability) {
  StoreWriter w(dir);
  Manifest& m = w.manifest();
  m.persons = 4;
  m.as_of = "2025-03-31";
  w.write_file(dictionary_path("icd10"), "I10\nI21\nJ44\nE11\nC50\nN18\nF32\nI48\nZ99\n");
  w.write_file(dictionary_path("apcs.provider"), "RXW\nRJE\n");
  m.dictionaries = {{"icd10", 9}, {"apcs.provider", 2}};

  TableEntry patients;
  patients.name = "patients";
  patients.rows = 4;
  patients.persons_with_rows = 4;
  patients.person_keyed = false;
  patients.columns = {{"pseudonym", ColumnType::kBytes32, false, "", ""}};
  w.write_file(column_path("patients", "pseudonym"), std::string(4 * 32, 'p'));
  m.tables.push_back(patients);

  TableEntry events;
  events.name = "clinical_events";
  events.rows = 3;
  events.persons_with_rows = 2;
  events.sort_date = "date";
  events.min_date = 19000;
  events.max_date = 19002;
  events.columns = {{"date", ColumnType::kDate, false, "", ""}};
  write_vector<std::uint64_t>(w, person_offsets_path("clinical_events"), {0, 1, 1, 3, 3});
  write_vector<std::int32_t>(w, column_path("clinical_events", "date"), {19000, 19001, 19002});
  m.tables.push_back(events);

  TableEntry apcs;
  apcs.name = "apcs";
  apcs.rows = 7;
  apcs.persons_with_rows = 3;
  apcs.sort_date = "admission_date";
  apcs.min_date = 20000;
  apcs.max_date = 20010;
  apcs.columns = {{"admission_date", ColumnType::kDate, false, "", ""},
                  {"provider", ColumnType::kCategory, true, "apcs.provider", ""},
                  {"diagnoses", ColumnType::kCodeList, false, "icd10", ""},
                  {"spell_pseudonym", ColumnType::kBytes32, false, "", ""}};
  write_vector(w, person_offsets_path("apcs"), kApcsOffsets);
  write_vector(w, column_path("apcs", "admission_date"), kAdmission);
  std::vector<std::uint32_t> provider = kProvider;
  std::string valid(1, '\0');
  for (std::size_t r = 0; r < 7; ++r) {
    if (kProviderValid[r]) valid[0] = static_cast<char>(valid[0] | (1 << r));
    else provider[r] = 0;
  }
  write_vector(w, column_path("apcs", "provider"), provider);
  w.write_file(validity_path("apcs", "provider"), valid);
  std::vector<std::uint64_t> list_offsets{0};
  std::vector<std::uint32_t> codes;
  for (const auto& row : diagnoses()) {
    codes.insert(codes.end(), row.begin(), row.end());
    list_offsets.push_back(codes.size());
  }
  write_vector(w, list_offsets_path("apcs", "diagnoses"), list_offsets);
  write_vector(w, column_path("apcs", "diagnoses"), codes);
  std::string spells;
  for (int r = 0; r < 7; ++r) spells += std::string(32, static_cast<char>('a' + r));
  w.write_file(column_path("apcs", "spell_pseudonym"), spells);
  if (with_probability) {
    apcs.columns.push_back({std::string(kLinkProbabilityColumn), ColumnType::kFloat64, false, "", ""});
    write_vector(w, column_path("apcs", kLinkProbabilityColumn), kProbability);
  }
  m.tables.push_back(apcs);
  w.commit();
}

class WeakLinks : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("severn_weak_links_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write_store(dir_ / "store", true);
    base_ = Store::open(dir_ / "store");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The base rows of apcs that a view at `p` keeps, by the definition.
  static std::vector<std::size_t> kept_at(double p) {
    std::vector<std::size_t> kept;
    for (std::size_t r = 0; r < kProbability.size(); ++r)
      if (kProbability[r] >= p) kept.push_back(r);
    return kept;
  }

  fs::path dir_;
  std::unique_ptr<Store> base_;
};

TEST_F(WeakLinks, RowsBelowTheThresholdAreAbsentAndOffsetsRecomputed) {
  const auto view = Store::without_weak_links(*base_, 0.8);
  const TableView& apcs = view->table("apcs");
  EXPECT_EQ(apcs.rows(), 4u);
  EXPECT_EQ(apcs.entry().rows, 4u);
  const std::vector<std::uint64_t> offsets(apcs.person_offsets().begin(), apcs.person_offsets().end());
  EXPECT_EQ(offsets, (std::vector<std::uint64_t>{0, 2, 2, 2, 4}));
  // Person 1's every row was weak: the person is still there, with no rows.
  EXPECT_EQ(view->persons(), 4u);
  EXPECT_EQ(apcs.entry().persons_with_rows, 2u);
  const auto p = apcs.column("link_probability").values<double>();
  EXPECT_EQ(std::vector<double>(p.begin(), p.end()), (std::vector<double>{1.0, 0.95, 1.0, 0.85}));
  EXPECT_EQ(apcs.entry().min_date, 20000);
  EXPECT_EQ(apcs.entry().max_date, 20010);
  // The view says what it removed.
  ASSERT_NE(view->link_filter(), nullptr);
  EXPECT_FALSE(view->link_filter()->no_probabilities());
  ASSERT_EQ(view->link_filter()->tables.size(), 1u);
  EXPECT_EQ(view->link_filter()->tables[0].name, "apcs");
  EXPECT_EQ(view->link_filter()->tables[0].rows_before, 7u);
  EXPECT_EQ(view->link_filter()->tables[0].rows_after, 4u);
  EXPECT_EQ(view->link_filter()->tables[0].persons_with_rows_before, 3u);
  EXPECT_EQ(view->link_filter()->tables[0].persons_with_rows_after, 2u);
  EXPECT_EQ(view->link_filter()->rows_removed(), 3u);
  EXPECT_EQ(base_->link_filter(), nullptr);
}

TEST_F(WeakLinks, EveryColumnKeepsExactlyTheKeptRowsValues) {
  for (const double threshold : {0.0, 0.2, 0.21, 0.5, 0.8, 0.9, 0.95, 1.0}) {
    SCOPED_TRACE(threshold);
    const auto view = Store::without_weak_links(*base_, threshold);
    const auto kept = kept_at(threshold);
    const TableView& apcs = view->table("apcs");
    ASSERT_EQ(apcs.rows(), kept.size());
    const auto dates = apcs.column("admission_date").values<std::int32_t>();
    const ColumnView& provider = apcs.column("provider");
    const auto providers = provider.values<std::uint32_t>();
    const ColumnView& diag = apcs.column("diagnoses");
    const auto codes = diag.values<std::uint32_t>();
    const auto lists = diag.list_offsets();
    ASSERT_EQ(lists.size(), kept.size() + 1);
    const auto spells = apcs.column("spell_pseudonym").values<std::byte>();
    ASSERT_EQ(spells.size(), kept.size() * 32);
    const auto all_diagnoses = diagnoses();
    for (std::size_t i = 0; i < kept.size(); ++i) {
      const std::size_t r = kept[i];
      EXPECT_EQ(dates[i], kAdmission[r]);
      EXPECT_EQ(provider.valid(i), kProviderValid[r]) << "row " << r;
      if (kProviderValid[r]) {
        EXPECT_EQ(providers[i], kProvider[r]);
      }
      EXPECT_EQ(std::vector<std::uint32_t>(codes.begin() + lists[i], codes.begin() + lists[i + 1]), all_diagnoses[r]);
      EXPECT_EQ(static_cast<char>(spells[i * 32]), static_cast<char>('a' + r));
      EXPECT_EQ(static_cast<char>(spells[i * 32 + 31]), static_cast<char>('a' + r));
    }
    // Offsets: each person's kept rows in order.
    const auto offsets = apcs.person_offsets();
    ASSERT_EQ(offsets.size(), 5u);
    for (std::size_t person = 0; person < 4; ++person) {
      std::size_t expected = 0;
      for (const std::size_t r : kept) expected += r >= kApcsOffsets[person] && r < kApcsOffsets[person + 1];
      EXPECT_EQ(offsets[person + 1] - offsets[person], expected) << "person " << person;
    }
  }
}

TEST_F(WeakLinks, ZeroIsTheStoreItselfAndOtherTablesAreShared) {
  const auto view = Store::without_weak_links(*base_, 0.0);
  for (const char* name : {"patients", "clinical_events", "apcs"}) {
    const TableView& a = base_->table(name);
    const TableView& b = view->table(name);
    EXPECT_EQ(a.rows(), b.rows()) << name;
    EXPECT_EQ(a.person_offsets().data(), b.person_offsets().data()) << name << ": offsets not shared";
    for (const auto& c : a.entry().columns)
      EXPECT_EQ(a.column(c.name).values<std::byte>().data(), b.column(c.name).values<std::byte>().data())
          << name << "." << c.name << " was copied";
  }
  EXPECT_EQ(view->link_filter()->rows_removed(), 0u);
  // A filtered view shares the tables without the column, and the dictionaries.
  const auto strict = Store::without_weak_links(*base_, 0.99);
  EXPECT_EQ(base_->table("clinical_events").column("date").values<std::byte>().data(),
            strict->table("clinical_events").column("date").values<std::byte>().data());
  EXPECT_NE(base_->table("apcs").column("admission_date").values<std::byte>().data(),
            strict->table("apcs").column("admission_date").values<std::byte>().data());
  EXPECT_EQ(&base_->dictionary("icd10"), &strict->dictionary("icd10"));
  EXPECT_EQ(strict->dictionary("apcs.provider")[1], "RJE");
}

TEST_F(WeakLinks, OneKeepsOnlyCertainLinks) {
  const auto view = Store::without_weak_links(*base_, 1.0);
  const TableView& apcs = view->table("apcs");
  EXPECT_EQ(apcs.rows(), 2u);
  const std::vector<std::uint64_t> offsets(apcs.person_offsets().begin(), apcs.person_offsets().end());
  EXPECT_EQ(offsets, (std::vector<std::uint64_t>{0, 1, 1, 1, 2}));
}

TEST_F(WeakLinks, AStoreWithoutTheColumnIsUnchanged) {
  write_store(dir_ / "plain", false);
  const auto plain = Store::open(dir_ / "plain");
  const auto view = Store::without_weak_links(*plain, 0.9);
  ASSERT_NE(view->link_filter(), nullptr);
  EXPECT_TRUE(view->link_filter()->no_probabilities());
  EXPECT_EQ(view->table("apcs").rows(), 7u);
  EXPECT_EQ(view->table("apcs").person_offsets().data(), plain->table("apcs").person_offsets().data());
}

TEST_F(WeakLinks, AThresholdOutsideZeroToOneIsRefused) {
  for (const double bad : {-0.1, 1.5, std::nan("")}) {
    try {
      Store::without_weak_links(*base_, bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("from 0 to 1"), std::string::npos) << e.what();
    }
  }
}

TEST_F(WeakLinks, AProbabilityOutsideZeroToOneIsADamagedStore) {
  write_store(dir_ / "bad", false);
  std::vector<double> p = kProbability;
  p[3] = 1.25;
  testing::add_link_probabilities(dir_ / "bad", "apcs", p);
  const auto bad = Store::open(dir_ / "bad");
  try {
    Store::without_weak_links(*bad, 0.5);
    ADD_FAILURE() << "1.25 was accepted";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("apcs.link_probability row 3 holds 1.25"), std::string::npos) << e.what();
  }
}

TEST_F(WeakLinks, TheFixtureWritesAColumnTheStoreVerifies) {
  write_store(dir_ / "added", false);
  testing::add_link_probabilities(dir_ / "added", "apcs", kProbability);
  const auto added = Store::open(dir_ / "added");
  const auto view = Store::without_weak_links(*added, 0.8);
  EXPECT_EQ(view->table("apcs").rows(), 4u);
  // And a byte changed afterwards is caught by the checksum like any column's.
  {
    std::fstream f(dir_ / "added" / column_path("apcs", kLinkProbabilityColumn), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(3);
    f.put('\x7f');
  }
  EXPECT_THROW(Store::open(dir_ / "added"), StoreError);
}

}  // namespace
}  // namespace severn::store
