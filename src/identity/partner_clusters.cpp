#include "identity/partner_clusters.h"

#include <cctype>
#include <numeric>
#include <unordered_map>

#include "core/csv_writer.h"

namespace severn::identity {
namespace {

// Union-find whose roots carry their cluster's one valid NHS number (0: none yet).
class Clusters {
 public:
  explicit Clusters(std::size_t n) : parent_(n), nhs_(n, 0) { std::iota(parent_.begin(), parent_.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void set_nhs(std::uint32_t x, std::uint64_t nhs) { nhs_[find(x)] = nhs; }
  // False (and nothing joined) when the two hold different valid NHS numbers.
  bool join(std::uint32_t a, std::uint32_t b) {
    a = find(a), b = find(b);
    if (a == b) return true;
    if (nhs_[a] != 0 && nhs_[b] != 0 && nhs_[a] != nhs_[b]) return false;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
    if (nhs_[a] == 0) nhs_[a] = nhs_[b];
    return true;
  }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::uint64_t> nhs_;
};

std::string squeezed(const std::string& s) {
  std::string out;
  for (const char c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::vector<std::string> partner_clusters(const std::vector<GpPerson>& persons, const std::vector<PartnerRecord>& records,
                                          const std::vector<PartnerLink>& links) {
  const std::size_t n = records.size();
  Clusters c(n);
  for (std::uint32_t i = 0; i < n; ++i)
    if (records[i].nhs_valid) c.set_nhs(i, records[i].nhs_value);
  std::unordered_map<std::string, std::uint32_t> first;  // key -> a record holding it
  const auto join_on = [&](const std::string& key, std::uint32_t i) {
    const auto [it, fresh] = first.emplace(key, i);
    if (!fresh) c.join(it->second, i);
  };
  for (std::uint32_t i = 0; i < n; ++i) {
    const PartnerRecord& r = records[i];
    const PartnerLink& l = links[i];
    if (l.person >= 0) {
      const std::uint64_t own = persons[static_cast<std::size_t>(l.person)].nhs_number;
      if (r.nhs_valid && r.nhs_value != own) continue;  // a number of its own: a cluster of its own
      join_on(r.partner_code + "\x1f" "P" + std::to_string(l.person), i);
      continue;
    }
    if (r.nhs_valid) join_on(r.partner_code + "\x1f" "N" + std::to_string(r.nhs_value), i);
    join_on(r.partner_code + "\x1f" "D" + squeezed(r.family_name) + "\x1f" + squeezed(r.given_name) + "\x1f" +
                std::to_string(r.date_of_birth),
            i);
  }
  // The smallest local id of each cluster names it.
  std::vector<std::uint32_t> smallest(n);
  std::iota(smallest.begin(), smallest.end(), 0u);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t root = c.find(i);
    if (records[i].local_id < records[smallest[root]].local_id) smallest[root] = i;
  }
  std::vector<std::string> out(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const PartnerRecord& s = records[smallest[c.find(i)]];
    out[i] = s.partner_code + ":" + s.local_id;
  }
  return out;
}

std::string partner_clusters_csv(const std::vector<PartnerRecord>& records, const std::vector<PartnerLink>& links,
                                 const std::vector<std::string>& clusters) {
  std::string out = "partner_code,local_patient_id,cluster_id,person_id\n";
  out.reserve(records.size() * 48);
  for (std::size_t i = 0; i < records.size(); ++i) {
    CsvRow row(out);
    row.text(records[i].partner_code).text(records[i].local_id).text(clusters[i]);
    if (links[i].person >= 0) row.integer(links[i].person);
    else row.empty();
  }
  return out;
}

}  // namespace severn::identity
