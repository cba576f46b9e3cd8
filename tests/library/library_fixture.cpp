#include "library/library_fixture.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "refdata/codelists.h"
#include "refdata/data_dir.h"
#include "shared_world.h"

namespace severn::testing {
namespace {

Days date_cell(const std::string& s) {
  const auto d = parse_iso_date(s);
  if (!d) throw std::runtime_error("not a date: " + s);
  return *d;
}

std::optional<Days> optional_date(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return date_cell(s);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::size_t at = 0;
  while (true) {
    const std::size_t next = s.find(sep, at);
    out.push_back(s.substr(at, next == std::string::npos ? std::string::npos : next - at));
    if (next == std::string::npos) break;
    at = next + 1;
  }
  return out;
}

// Lines (1-based, header = 1) of a source file that ingest left unlinked.
std::set<std::size_t> unlinked_lines(const std::filesystem::path& store, const std::string& table) {
  std::set<std::size_t> out;
  const auto path = store / "unlinked" / (table + ".csv");
  if (!std::filesystem::exists(path)) return out;
  const CsvTable t = CsvTable::read_file(path);
  for (std::size_t r = 0; r < t.rows(); ++r) out.insert(std::stoul(t.cell(r, "line")));
  return out;
}

LibraryWorld build_world() {
  LibraryWorld w;
  // Synthesis and ingest once per build of the tests, shared by every test process.
  const auto dir = shared_world("library-world", [](const std::filesystem::path& d) {
    synthesize_small(d / "src", kLibraryPeople, kLibrarySeed);
    ingest::run_ingest(options_for(d / "src", d / "store", write_key(d)));
  });
  w.src = dir / "src";
  w.store_dir = dir / "store";
  const auto key = dir / "pseudonym.key";
  w.store = store::Store::open(w.store_dir);

  std::map<std::string, std::size_t> index;
  const CsvTable p = CsvTable::read_file(w.src / "gp/patients.csv");
  for (std::size_t r = 0; r < p.rows(); ++r) {
    ExtractPerson x;
    x.nhs_number = p.cell(r, "nhs_number");
    x.sex = p.cell(r, "sex");
    x.ethnic = p.cell(r, "ethnic_category");
    x.lsoa = p.cell(r, "lsoa21_code");
    x.practice = p.cell(r, "practice_code");
    x.date_of_birth = date_cell(p.cell(r, "date_of_birth"));
    const CivilDate b = civil_from_days(x.date_of_birth);
    x.birth_month = days_from_civil(b.year, b.month, 1);
    x.date_of_death = optional_date(p.cell(r, "date_of_death"));
    index[x.nhs_number] = w.people.size();
    w.people.push_back(std::move(x));
  }
  const auto person = [&](const std::string& nhs) -> ExtractPerson* {
    const auto it = index.find(nhs);
    return it == index.end() ? nullptr : &w.people[it->second];
  };
  // Partner activity belongs to the person its partner record is linked to (the partner linking
  // stage's identity/partner_links.csv), not to the activity row's own NHS number.
  std::map<std::string, std::string> nhs_of_person_id, nhs_of_record;
  const CsvTable stored = CsvTable::read_file(w.store_dir / "identity/persons.csv");
  for (std::size_t r = 0; r < stored.rows(); ++r) nhs_of_person_id[stored.cell(r, "person_id")] = stored.cell(r, "nhs_number");
  const CsvTable links = CsvTable::read_file(w.store_dir / "identity/partner_links.csv");
  for (std::size_t r = 0; r < links.rows(); ++r)
    if (!links.cell(r, "person_id").empty())
      nhs_of_record[links.cell(r, "partner_code") + '\x1f' + links.cell(r, "local_patient_id")] =
          nhs_of_person_id.at(links.cell(r, "person_id"));
  const auto partner_person = [&](const CsvTable& t, std::size_t r, const char* partner_column) -> ExtractPerson* {
    const auto it = nhs_of_record.find(t.cell(r, partner_column) + '\x1f' + t.cell(r, "local_patient_id"));
    return it == nhs_of_record.end() ? nullptr : person(it->second);
  };
  const CsvTable g = CsvTable::read_file(w.src / "gp/registrations.csv");
  for (std::size_t r = 0; r < g.rows(); ++r)
    if (auto* x = person(g.cell(r, "nhs_number")))
      x->registrations.push_back({date_cell(g.cell(r, "start_date")), optional_date(g.cell(r, "end_date")), g.cell(r, "practice_code")});
  const CsvTable e = CsvTable::read_file(w.src / "gp/events.csv");
  for (std::size_t r = 0; r < e.rows(); ++r)
    if (auto* x = person(e.cell(r, "nhs_number"))) {
      const std::string& v = e.cell(r, "numeric_value");
      x->events.push_back({date_cell(e.cell(r, "event_date")), e.cell(r, "snomedct_code"),
                           v.empty() ? std::nullopt : std::optional<double>(std::stod(v))});
    }
  const CsvTable m = CsvTable::read_file(w.src / "gp/medications.csv");
  for (std::size_t r = 0; r < m.rows(); ++r)
    if (auto* x = person(m.cell(r, "nhs_number"))) x->medications.push_back({date_cell(m.cell(r, "issue_date")), m.cell(r, "dmd_code")});
  const auto spells_unlinked = unlinked_lines(w.store_dir, "apcs");
  const CsvTable s = CsvTable::read_file(w.src / "sus/apc_spells.csv");
  for (std::size_t r = 0; r < s.rows(); ++r) {
    if (spells_unlinked.count(r + 2)) continue;  // line 1 is the header
    if (auto* x = partner_person(s, r, "provider_code"))
      x->spells.push_back({date_cell(s.cell(r, "admission_date")), date_cell(s.cell(r, "discharge_date")),
                           s.cell(r, "admission_method"), s.cell(r, "primary_diagnosis"), s.cell(r, "primary_procedure"),
                           s.cell(r, "provider_code"), split(s.cell(r, "secondary_diagnoses"), ';')});
  }
  const auto ae_unlinked = unlinked_lines(w.store_dir, "ec");
  const CsvTable a = CsvTable::read_file(w.src / "ecds/attendances.csv");
  for (std::size_t r = 0; r < a.rows(); ++r) {
    if (ae_unlinked.count(r + 2)) continue;
    if (auto* x = partner_person(a, r, "provider_code")) x->ae_arrivals.push_back(date_cell(a.cell(r, "arrival_date")));
  }
  const auto contacts_unlinked = unlinked_lines(w.store_dir, "community_contacts");
  const CsvTable cc = CsvTable::read_file(w.src / "community/contacts.csv");
  for (std::size_t r = 0; r < cc.rows(); ++r) {
    if (contacts_unlinked.count(r + 2)) continue;
    if (auto* x = partner_person(cc, r, "provider_code"))
      x->community.push_back({date_cell(cc.cell(r, "contact_date")), cc.cell(r, "service")});
  }
  const CsvTable c = CsvTable::read_file(w.src / "ncras/cancer_registrations.csv");
  for (std::size_t r = 0; r < c.rows(); ++r)
    if (auto* x = person(c.cell(r, "nhs_number"))) {
      const std::string& st = c.cell(r, "stage");
      x->cancers.push_back({date_cell(c.cell(r, "diagnosis_date")), c.cell(r, "site_icd10"),
                            st.empty() ? std::nullopt : std::optional<int>(std::stoi(st))});
    }
  const CsvTable t = CsvTable::read_file(w.src / "truth/persons.csv");
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (auto* x = person(t.cell(r, "nhs_number")))
      for (std::size_t col = 0; col < t.header().size(); ++col) x->truth[t.header()[col]] = t.cell(r, col);

  const auto pseudonymiser = identity::Pseudonymiser::from_file_or_environment(key.string());
  for (const auto& x : w.people) {
    const auto bytes = pseudonymiser.pseudonym(std::stoull(x.nhs_number));
    w.pseudonym_of[x.nhs_number] = identity::to_hex(bytes.data(), bytes.size());
  }
  return w;
}

}  // namespace

const LibraryWorld& library_world() {
  static const LibraryWorld world = build_world();
  return world;
}

LibraryRun run_definition(const std::string& definition, Days index_date) {
  const LibraryWorld& w = library_world();
  LibraryRun out;
  lang::CheckOptions check;
  check.pack_codelists_dir = std::string(SEVERN_TEST_DATA_DIR) + "/codelists";
  out.checked = lang::check_file(definition, check);
  static int runs = 0;
  Scratch scratch("library-run-" + std::to_string(runs++));
  measures::RunOptions o;
  o.out = scratch.dir() / "out";
  o.index_date = index_date;
  o.threads = 2;
  o.data_dir = SEVERN_TEST_DATA_DIR;
  o.disclosure_control = false;  // exact counts, to compare with the hand computation
  o.sii_repetitions = 1000;
  o.worklists = true;
  measures::run_definition(*w.store, out.checked, o);
  const auto lists = o.out / "worklists";
  if (std::filesystem::exists(lists / "index.csv")) {
    const CsvTable index = CsvTable::read_file(lists / "index.csv");
    for (std::size_t r = 0; r < index.rows(); ++r) {
      auto& list = out.worklists[index.cell(r, "worklist")];
      const CsvTable t = CsvTable::read_file(lists / index.cell(r, "file"));
      for (std::size_t i = 0; i < t.rows(); ++i)
        for (std::size_t c = 0; c < t.header().size(); ++c) list[t.cell(i, "nhs_number")][t.header()[c]] = t.cell(i, c);
    }
  }
  out.dataset = CsvTable::read_file(o.out / "dataset.csv");
  out.measures = CsvTable::read_file(o.out / "measures.csv");
  out.funnels = CsvTable::read_file(o.out / "funnels.csv");
  out.inequality = CsvTable::read_file(o.out / "inequality.csv");
  return out;
}

std::optional<std::pair<std::int64_t, std::int64_t>> counts_of(const CsvTable& measures, const std::string& measure,
                                                               const std::string& interval_start,
                                                               const std::string& breakdown, const std::string& group) {
  for (std::size_t r = 0; r < measures.rows(); ++r)
    if (measures.cell(r, "measure") == measure && measures.cell(r, "interval_start") == interval_start &&
        measures.cell(r, "breakdown") == breakdown && measures.cell(r, "group") == group)
      return std::make_pair(std::stoll(measures.cell(r, "numerator")), std::stoll(measures.cell(r, "denominator")));
  return std::nullopt;
}

std::map<std::string, std::map<std::string, std::string>> dataset_by_pseudonym(const CsvTable& dataset) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (std::size_t r = 0; r < dataset.rows(); ++r) {
    auto& row = out[dataset.cell(r, 0)];
    for (std::size_t c = 1; c < dataset.header().size(); ++c) row[dataset.header()[c]] = dataset.cell(r, c);
  }
  return out;
}

int age_on(Days dob, Days on) {
  const CivilDate b = civil_from_days(dob), d = civil_from_days(on);
  int age = d.year - b.year;
  if (d.month < b.month || (d.month == b.month && d.day < b.day)) --age;
  return age;
}

bool registered_on(const ExtractPerson& p, Days on) {
  for (const auto& r : p.registrations)
    if (r.start <= on && (!r.end || *r.end >= on)) return true;
  return false;
}

namespace {
std::set<std::string> codes_in(const std::string& path) {
  const auto list = refdata::parse_codelist(read_text(path), path, path);
  return {list.codes.begin(), list.codes.end()};
}
}  // namespace

std::set<std::string> pack_codes(const std::string& file) { return codes_in(std::string(SEVERN_TEST_DATA_DIR) + "/codelists/" + file); }
std::set<std::string> refset_codes(const std::string& name) { return pack_codes("nhsd-primary-care-domain-refsets-" + name + "_cod.csv"); }
std::set<std::string> severn_codes(const std::string& file) {
  return codes_in(std::string(SEVERN_SOURCE_DIR) + "/resources/codelists/" + file);
}

void tally(Tally& t, const std::string& measure, bool den, bool num) {
  auto& c = t[measure];
  c.second += den ? 1 : 0;
  c.first += den && num ? 1 : 0;
}

std::map<std::string, std::int64_t> expect_monthly_counts(const LibraryRun& run,
                                                          const std::function<void(const ExtractPerson&, Days, Tally&)>& fill) {
  std::map<std::string, std::int64_t> numerators;
  for (int m = 0; m < 12; ++m) {
    const Days start = add_months(days_from_civil(2024, 4, 1), m);
    const Days end = add_months(start, 1) - 1;
    Tally want;
    for (const auto& p : library_world().people)
      if (registered_on(p, end)) fill(p, end, want);
    for (const auto& [measure, c] : want) {
      EXPECT_EQ(counts_of(run.measures, measure, format_iso_date(start)), std::make_optional(c))
          << measure << " " << format_iso_date(start);
      numerators[measure] += c.first;
    }
  }
  return numerators;
}

}  // namespace severn::testing
