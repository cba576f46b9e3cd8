#include "engine/worklists.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <tuple>

#include "core/csv_writer.h"
#include "core/error.h"

namespace severn::engine {
namespace {

namespace fs = std::filesystem;

// What a worklist shows of who each person is (not their postcode).
constexpr store::IdentityField kWorklistFields = store::IdentityField::kNhsNumber | store::IdentityField::kFamilyName |
                                                 store::IdentityField::kGivenName | store::IdentityField::kDateOfBirth;

void write_private(const fs::path& path, const std::string& text) {
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(path.string() + ": cannot write");
  }
  ::chmod(path.c_str(), 0600);  // before the identifiable rows go in
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw InputError(path.string() + ": cannot write");
}

void make_private_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(dir.string() + ": cannot create: " + ec.message());
  ::chmod(dir.c_str(), 0700);
}

int age_on(const std::string& dob, Days day) {
  const auto d = parse_iso_date(dob);
  if (!d) return -1;
  const CivilDate b = civil_from_days(*d), t = civil_from_days(day);
  int age = t.year - b.year;
  if (t.month < b.month || (t.month == b.month && t.day < b.day)) --age;
  return age;
}

// A PCN code as a file name: its own characters when they are safe, else replaced.
std::string file_name(const std::string& pcn) {
  std::string out;
  for (const char c : pcn) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return out.empty() ? "none" : out;
}

}  // namespace

namespace {

using Row = std::pair<const WorklistEntry*, const store::PersonIdentity*>;

// Rows in practice order, then family and given name, then NHS number.
void sort_rows(std::vector<Row>& rows) {
  const auto key = [](const Row& r) {
    return std::tie(r.first->pcn, r.first->practice, r.second->family_name, r.second->given_name, r.second->nhs_number);
  };
  std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return key(a) < key(b); });
}

// The CSV text of rows [at, end) of one PCN, with its header.
std::string rows_csv(const lang::Worklist& list, const std::vector<Row>& rows, std::size_t at, std::size_t end, Days index_date) {
  std::string text;
  {
    CsvRow h(text);
    h.text("pcn").text("practice").text("nhs_number").text("family_name").text("given_name").text("date_of_birth").text("age");
    for (const auto& [column, e] : list.show) h.text(column);
  }
  for (std::size_t r = at; r < end; ++r) {
    const WorklistEntry& e = *rows[r].first;
    const store::PersonIdentity& i = *rows[r].second;
    std::string line;
    {
      CsvRow row(line);
      row.text(e.pcn).text(e.practice).text(i.nhs_number).text(i.family_name).text(i.given_name).text(i.date_of_birth);
      const int age = age_on(i.date_of_birth, index_date);
      if (age >= 0) row.integer(age); else row.empty();
    }
    line.pop_back();  // the shown cells follow on the same line
    text += line;
    if (!list.show.empty()) text += "," + e.shown;
    text += "\n";
  }
  return text;
}

}  // namespace

std::string worklist_csv(const store::IdentityArea& identity, const lang::Worklist& worklist,
                         const std::vector<WorklistEntry>& entries, Days index_date, const store::AccessContext& context) {
  std::vector<std::uint32_t> ids;
  for (const auto& e : entries) ids.push_back(e.person);
  std::vector<store::PersonIdentity> people;
  if (!ids.empty()) people = identity.lookup(ids, kWorklistFields, context);
  std::vector<Row> rows;
  for (std::size_t i = 0; i < ids.size(); ++i) rows.emplace_back(&entries[i], &people[i]);
  sort_rows(rows);
  return rows_csv(worklist, rows, 0, rows.size(), index_date);
}

std::vector<WorklistSummary> write_worklists(const fs::path& out, const store::IdentityArea& identity,
                                             const std::vector<lang::Worklist>& worklists,
                                             const std::vector<std::vector<WorklistEntry>>& entries, Days index_date) {
  const fs::path root = out / "worklists";
  std::error_code ec;
  fs::remove_all(root, ec);  // a rerun replaces the lists; a list left from before would mislead
  make_private_dir(root);
  std::string index;
  CsvRow(index).text("worklist").text("pcn").text("people").text("file");
  std::vector<WorklistSummary> summary;
  for (std::size_t w = 0; w < worklists.size(); ++w) {
    const lang::Worklist& list = worklists[w];
    // The list's people, read once through the identity area (which tells its access observer).
    std::vector<std::uint32_t> ids;
    for (const auto& e : entries[w]) ids.push_back(e.person);
    const std::vector<store::PersonIdentity> people =
        identity.lookup(ids, kWorklistFields, {"severn run", "worklist " + list.name});
    std::vector<Row> rows;
    for (std::size_t i = 0; i < ids.size(); ++i) rows.emplace_back(&entries[w][i], &people[i]);
    sort_rows(rows);
    WorklistSummary s{list.name, rows.size(), 0};
    const fs::path dir = root / list.name;
    make_private_dir(dir);
    for (std::size_t at = 0; at < rows.size();) {
      std::size_t end = at;
      while (end < rows.size() && rows[end].first->pcn == rows[at].first->pcn) ++end;
      const std::string file = list.name + "/" + file_name(rows[at].first->pcn) + ".csv";
      write_private(root / file, rows_csv(list, rows, at, end, index_date));
      CsvRow(index).text(list.name).text(rows[at].first->pcn).integer(static_cast<long long>(end - at)).text(file);
      ++s.pcns;
      at = end;
    }
    summary.push_back(s);
  }
  write_private(root / "index.csv", index);
  return summary;
}

}  // namespace severn::engine
