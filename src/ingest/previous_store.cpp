#include "ingest/previous_store.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/csv_table.h"
#include "core/date.h"
#include "core/error.h"
#include "core/parallel.h"
#include "store/identity_area.h"
#include "store/store.h"

namespace severn::ingest {
namespace {

constexpr const char* kLinks = "identity/partner_links.csv";
constexpr const char* kRecords = "identity/partner_records.csv";
constexpr const char* kModel = "identity/partner_link_model.toml";

std::string record_key(std::string_view partner, std::string_view local_id) {
  std::string k(partner);
  k += '\x1f';
  k.append(local_id);
  return k;
}

// The compared identity fields, joined by a separator no field holds (CSV fields are one line).
std::string joined(std::initializer_list<std::string_view> fields) {
  std::string out;
  for (const auto f : fields) {
    out.append(f);
    out += '\x1f';
  }
  return out;
}

std::string fields_of(const identity::PartnerRecord& r) {
  const std::string dob = format_iso_date(r.date_of_birth);
  return joined({r.nhs_number, r.family_name, r.given_name, r.sex, dob, r.postcode, r.previous_family_name,
                 r.previous_postcode});
}

std::string nhs_text(std::uint64_t nhs) {
  char b[24];
  std::snprintf(b, sizeof b, "%010llu", static_cast<unsigned long long>(nhs));
  return b;
}

}  // namespace

PreviousStore PreviousStore::open(const std::filesystem::path& dir, const std::string& key_id) {
  const std::string where = "--previous-store " + dir.string() + ": ";
  PreviousStore p;
  try {
    // Sizes only here: the identity files read below are checked against their checksums by
    // IdentityArea, and the pseudonymised tables are not read.
    const auto old = store::Store::open(dir, store::Store::Verify::kSizesOnly);
    if (old->manifest().pseudonym_key_id != key_id)
      throw InputError("the store was built with another pseudonym key (pseudonym_key_id " +
                       old->manifest().pseudonym_key_id + ", this run's key is " + key_id +
                       "): its pseudonyms would not match; use the same --key-file or a full rebuild");
    const auto area = store::IdentityArea::open(*old);
    const store::AccessContext context{"severn ingest", "incremental partner linking against a previous store"};
    const auto source = [&](const char* file) { return (dir / file).string(); };

    std::vector<std::uint32_t> ids(area.persons());
    std::iota(ids.begin(), ids.end(), 0u);
    for (auto& person : area.lookup(ids, store::kAllIdentityFields, context))
      p.persons_.push_back({std::move(person.nhs_number), std::move(person.family_name), std::move(person.given_name),
                            std::move(person.date_of_birth), std::move(person.postcode)});

    const CsvTable records = CsvTable::parse(area.read_file(kRecords, store::kAllIdentityFields, context), source(kRecords));
    const std::size_t rp = records.column("partner_code"), rl = records.column("local_patient_id");
    std::vector<std::size_t> rf;
    for (const char* name : {"nhs_number", "family_name", "given_name", "sex", "date_of_birth", "postcode",
                             "previous_family_name", "previous_postcode"})
      rf.push_back(records.column(name));
    for (std::size_t r = 0; r < records.rows(); ++r) {
      const auto c = [&](std::size_t k) -> std::string_view { return records.cell(r, rf[k]); };
      p.records_[record_key(records.cell(r, rp), records.cell(r, rl))].fields =
          joined({c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7)});
    }

    const CsvTable links = CsvTable::parse(area.read_file(kLinks, store::IdentityField::kNhsNumber, context), source(kLinks));
    const std::size_t lp = links.column("partner_code"), ll = links.column("local_patient_id"),
                      lperson = links.column("person_id"), lm = links.column("method"),
                      lprob = links.column("match_probability"), lw = links.column("match_weight");
    for (std::size_t r = 0; r < links.rows(); ++r) {
      const auto it = p.records_.find(record_key(links.cell(r, lp), links.cell(r, ll)));
      if (it == p.records_.end())
        links.fail(r, ll, "the record is not in " + std::string(kRecords) + " of the same store");
      OldRecord& o = it->second;
      const std::string& method = links.cell(r, lm);
      // Only NHS-number and probabilistic links are reused; the rest is linked anew.
      if (method == "nhs_number") o.method = identity::LinkMethod::kNhsNumber;
      else if (method == "probabilistic") o.method = identity::LinkMethod::kProbabilistic;
      else if (method == "clerical" || method == "unlinked") continue;
      else links.fail(r, lm, "'" + method + "' is not a link method (nhs_number, probabilistic, clerical, unlinked)");
      o.person = links.get_int(r, lperson);
      if (o.person < 0 || static_cast<std::size_t>(o.person) >= p.persons_.size())
        links.fail(r, lperson, "no person " + std::to_string(o.person) + " in identity/persons.csv");
      o.probability = links.get_double(r, lprob);
      o.weight = links.get_double(r, lw);
      if (!(o.probability >= 0.0 && o.probability <= 1.0)) links.fail(r, lprob, "must be a probability");
      if (!std::isfinite(o.weight)) links.fail(r, lw, "must be a number");
    }

    p.model_source_ = source(kModel);
    p.model_text_ = area.read_file(kModel, store::IdentityField{}, context);
  } catch (const InputError& e) {
    throw InputError(where + e.what());
  }
  return p;
}

std::vector<std::optional<identity::PartnerLink>> PreviousStore::reusable(
    const std::vector<identity::GpPerson>& persons, const std::vector<identity::PartnerRecord>& records,
    unsigned threads) const {
  std::unordered_map<std::string, std::int64_t> person_of_nhs;
  person_of_nhs.reserve(persons.size());
  for (std::size_t i = 0; i < persons.size(); ++i) person_of_nhs.emplace(nhs_text(persons[i].nhs_number), static_cast<std::int64_t>(i));
  std::vector<std::optional<identity::PartnerLink>> out(records.size());
  // Read-only lookups, one record per slot of `out`: in parallel (a million records take
  // seconds on one thread).
  constexpr std::size_t kChunk = 1 << 14;
  parallel_for((records.size() + kChunk - 1) / kChunk, threads, [&](std::size_t k) {
    for (std::size_t i = k * kChunk; i < std::min(records.size(), (k + 1) * kChunk); ++i) {
      const identity::PartnerRecord& r = records[i];
      const auto it = records_.find(record_key(r.partner_code, r.local_id));
      if (it == records_.end() || it->second.person < 0 || it->second.fields != fields_of(r)) continue;
      const OldRecord& o = it->second;
      const OldPerson& old_person = persons_[static_cast<std::size_t>(o.person)];
      const auto now = person_of_nhs.find(old_person.nhs_number);
      if (now == person_of_nhs.end()) continue;  // OLD's person has left the GP list
      const identity::GpPerson& g = persons[static_cast<std::size_t>(now->second)];
      // The person's compared fields must be as OLD compared them (persons.csv holds no sex).
      if (g.family_name != old_person.family_name || g.given_name != old_person.given_name ||
          format_iso_date(g.date_of_birth) != old_person.date_of_birth || g.postcode != old_person.postcode)
        continue;
      identity::PartnerLink link;
      link.person = link.candidate = now->second;
      link.method = o.method;
      link.probability = o.probability;
      link.weight = o.weight;
      out[i] = link;
    }
  });
  return out;
}

}  // namespace severn::ingest
