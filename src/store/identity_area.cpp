#include "store/identity_area.h"

#include <charconv>
#include <fstream>
#include <iterator>
#include <mutex>

#include "core/csv_table.h"
#include "store/checksum.h"
#include "store/store_error.h"

namespace severn::store {
namespace {

constexpr const char* kIdentityDir = "identity/";
constexpr const char* kPersons = "identity/persons.csv";

// The file's bytes, once they match the manifest's size and checksum; else a StoreError naming it.
// The bytes checked are the bytes parsed: nothing can change between the check and the read.
std::string verified_bytes(const Store& store, const std::string& rel, const FileEntry& entry) {
  const std::filesystem::path path = store.dir() / rel;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StoreError(store.dir().string() + ": " + rel + " cannot be read (the identity area is owner-only)");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() != entry.bytes)
    throw StoreError(store.dir().string() + ": " + rel + " has " + std::to_string(bytes.size()) + " bytes but the manifest says " +
                     std::to_string(entry.bytes) + "; the identity area is damaged, rebuild the store with severn ingest");
  const std::string actual = xxh3_hex(bytes);
  if (actual != entry.xxh3)
    throw StoreError(store.dir().string() + ": checksum mismatch in " + rel + " (manifest " + entry.xxh3 + ", file " +
                     actual + "); the identity area is damaged, rebuild the store with severn ingest");
  return bytes;
}

}  // namespace

std::vector<std::string> field_names(IdentityField set) {
  std::vector<std::string> out;
  if (has(set, IdentityField::kNhsNumber)) out.emplace_back("nhs_number");
  if (has(set, IdentityField::kFamilyName)) out.emplace_back("family_name");
  if (has(set, IdentityField::kGivenName)) out.emplace_back("given_name");
  if (has(set, IdentityField::kDateOfBirth)) out.emplace_back("date_of_birth");
  if (has(set, IdentityField::kPostcode)) out.emplace_back("postcode");
  if (has(set, IdentityField::kLocalIds)) out.emplace_back("local_ids");
  return out;
}

IdentityArea IdentityArea::open(const Store& store, AccessObserver observer) {
  const auto& files = store.manifest().files;
  if (files.find(kPersons) == files.end())
    throw StoreError(store.dir().string() + ": " + kPersons + " is not listed in manifest.json");
  // Every file of the area is checked before any is parsed.
  std::string persons;
  for (const auto& [rel, entry] : files) {
    if (!rel.starts_with(kIdentityDir)) continue;
    std::string bytes = verified_bytes(store, rel, entry);
    if (rel == kPersons) persons = std::move(bytes);
  }

  IdentityArea area;
  area.observer_ = std::move(observer);
  area.persons_path_ = store.dir() / kPersons;
  area.store_ = &store;
  area.pathways_cache_ = std::make_shared<PathwaysCache>();
  try {
    area.load_persons(persons);
  } catch (const StoreError&) {
    throw;
  } catch (const InputError& e) {  // malformed CSV or a missing column: the store's fault
    throw StoreError(e.what());
  }
  return area;
}

void IdentityArea::load_persons(std::string_view text) {
  const CsvTable t = CsvTable::parse(text, persons_path_.string());
  const std::size_t c_id = t.column("person_id"), c_nhs = t.column("nhs_number"), c_family = t.column("family_name"),
                    c_given = t.column("given_name"), c_dob = t.column("date_of_birth"), c_postcode = t.column("postcode");
  persons_.resize(t.rows());
  std::vector<bool> seen(t.rows(), false);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& id = t.cell(r, c_id);
    std::uint32_t p = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), p);
    const std::string where = persons_path_.string() + ": line " + std::to_string(r + 2) + ": person_id '" + id + "'";
    if (id.empty() || ec != std::errc() || end != id.data() + id.size()) throw StoreError(where + " is not a number");
    if (p >= persons_.size()) throw StoreError(where + " is out of range");
    if (seen[p]) throw StoreError(where + " appears twice");
    seen[p] = true;
    persons_[p] = {p, t.cell(r, c_nhs), t.cell(r, c_family), t.cell(r, c_given), t.cell(r, c_dob), t.cell(r, c_postcode)};
  }
}

std::string IdentityArea::read_file(const std::string& relative, IdentityField fields,
                                    const AccessContext& context) const {
  const auto& files = store_->manifest().files;
  const auto it = files.find(relative);
  if (!relative.starts_with(kIdentityDir) || it == files.end())
    throw StoreError(store_->dir().string() + ": " + relative + " is not an identity file listed in manifest.json");
  static const std::vector<std::uint32_t> kNobody;
  if (observer_) observer_({&context, fields, &kNobody, relative});
  return verified_bytes(*store_, relative, it->second);
}

struct IdentityArea::PathwaysCache {
  std::mutex mutex;
  bool loaded = false;
  std::vector<PathwayIdentity> rows;
};

const std::vector<PathwayIdentity>& IdentityArea::pathways(const AccessContext& context) const {
  const std::string rel = "identity/pathways.csv";
  if (store_->manifest().files.count(rel) == 0)
    throw StoreError(store_->dir().string() + ": the store has no " + rel +
                     " (built before ingest numbered pathways); rebuild it with severn ingest");
  std::lock_guard lock(pathways_cache_->mutex);
  if (pathways_cache_->loaded) {
    static const std::vector<std::uint32_t> kNobody;
    if (observer_) observer_({&context, IdentityField::kLocalIds, &kNobody, rel});
    return pathways_cache_->rows;
  }
  const std::string text = read_file(rel, IdentityField::kLocalIds, context);
  const std::string where = (store_->dir() / rel).string();
  std::vector<PathwayIdentity> out;
  try {
    const CsvTable t = CsvTable::parse(text, where);
    const std::size_t c_pathway = t.column("pathway"), c_provider = t.column("provider_code"),
                      c_ppi = t.column("patient_pathway_id"), c_local = t.column("local_patient_id");
    out.reserve(t.rows());
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const std::string& n = t.cell(r, c_pathway);
      std::int32_t p = 0;
      const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), p);
      if (n.empty() || ec != std::errc() || end != n.data() + n.size() || p < 0)
        throw StoreError(where + ": line " + std::to_string(r + 2) + ": pathway '" + n + "' is not a number");
      out.push_back({p, t.cell(r, c_provider), t.cell(r, c_ppi), t.cell(r, c_local)});
    }
  } catch (const InputError& e) {
    throw StoreError(e.what());
  }
  pathways_cache_->rows = std::move(out);
  pathways_cache_->loaded = true;
  return pathways_cache_->rows;
}

std::vector<PersonIdentity> IdentityArea::lookup(const std::vector<std::uint32_t>& person_ids, IdentityField fields,
                                                 const AccessContext& context) const {
  for (const std::uint32_t id : person_ids)
    if (id >= persons_.size())
      throw StoreError(persons_path_.string() + ": no person_id " + std::to_string(id) + " (the area holds " +
                       std::to_string(persons_.size()) + " persons); asked for " + context.purpose);
  if (observer_) observer_({&context, fields, &person_ids, {}});
  std::vector<PersonIdentity> out;
  out.reserve(person_ids.size());
  for (const std::uint32_t id : person_ids) {
    const PersonIdentity& p = persons_[id];
    PersonIdentity& o = out.emplace_back();
    o.person_id = id;
    if (has(fields, IdentityField::kNhsNumber)) o.nhs_number = p.nhs_number;
    if (has(fields, IdentityField::kFamilyName)) o.family_name = p.family_name;
    if (has(fields, IdentityField::kGivenName)) o.given_name = p.given_name;
    if (has(fields, IdentityField::kDateOfBirth)) o.date_of_birth = p.date_of_birth;
    if (has(fields, IdentityField::kPostcode)) o.postcode = p.postcode;
  }
  return out;
}

}  // namespace severn::store
