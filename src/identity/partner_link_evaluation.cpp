#include "identity/partner_link_evaluation.h"

#include <cstdio>

#include "core/error.h"

namespace severn::identity {

PartnerLinkAccuracy evaluate_partner_links(const CsvTable& links,
                                           const std::unordered_map<std::string, std::string>& store_nhs,
                                           const CsvTable& truth_records, const CsvTable& truth_persons) {
  std::unordered_map<std::string, std::string> true_nhs;  // truth person_id -> NHS number
  const std::size_t tp_id = truth_persons.column("person_id"), tp_nhs = truth_persons.column("nhs_number");
  for (std::size_t r = 0; r < truth_persons.rows(); ++r) true_nhs[truth_persons.cell(r, tp_id)] = truth_persons.cell(r, tp_nhs);
  std::unordered_map<std::string, std::string> registered_nhs;  // NHS numbers of the store's persons
  for (const auto& [id, nhs] : store_nhs) registered_nhs.emplace(nhs, id);

  struct Truth {
    std::string nhs, discrepancies;
  };
  std::unordered_map<std::string, Truth> truth;  // partner \x1f local id -> the true person
  const std::size_t tr_p = truth_records.column("partner_code"), tr_l = truth_records.column("local_patient_id"),
                    tr_id = truth_records.column("person_id"), tr_d = truth_records.column("discrepancies");
  for (std::size_t r = 0; r < truth_records.rows(); ++r) {
    const auto it = true_nhs.find(truth_records.cell(r, tr_id));
    if (it == true_nhs.end()) truth_records.fail(r, tr_id, "no such person in truth/persons.csv");
    truth[truth_records.cell(r, tr_p) + '\x1f' + truth_records.cell(r, tr_l)] = {it->second, truth_records.cell(r, tr_d)};
  }

  PartnerLinkAccuracy a;
  const std::size_t lp = links.column("partner_code"), ll = links.column("local_patient_id"),
                    lid = links.column("person_id"), lm = links.column("method");
  for (std::size_t r = 0; r < links.rows(); ++r) {
    const auto t = truth.find(links.cell(r, lp) + '\x1f' + links.cell(r, ll));
    if (t == truth.end()) links.fail(r, ll, "no such record in truth/partner_records.csv");
    ++a.records;
    const std::string& method = links.cell(r, lm);
    const bool registered = registered_nhs.count(t->second.nhs) != 0;
    a.registered += registered;
    bool right = false;
    if (!links.cell(r, lid).empty()) {
      ++a.links;
      ++a.links_by_method[method];
      const auto nhs = store_nhs.find(links.cell(r, lid));
      right = nhs != store_nhs.end() && nhs->second == t->second.nhs;
      if (right) ++a.correct;
      else ++a.wrong, ++a.wrong_by_method[method];
    } else {
      ++a.links_by_method["unlinked"];
    }
    if (registered && !right) {
      std::string_view d = t->second.discrepancies;
      if (d.empty()) ++a.missed_by_discrepancy["(none)"];
      while (!d.empty()) {
        const auto semi = d.find(';');
        ++a.missed_by_discrepancy[std::string(d.substr(0, semi))];
        d = semi == std::string_view::npos ? std::string_view() : d.substr(semi + 1);
      }
    }
  }
  a.precision = a.links == 0 ? 1.0 : static_cast<double>(a.correct) / static_cast<double>(a.links);
  a.recall = a.registered == 0 ? 1.0 : static_cast<double>(a.correct) / static_cast<double>(a.registered);
  return a;
}

std::string accuracy_report(const PartnerLinkAccuracy& a) {
  char line[256];
  std::string out;
  std::snprintf(line, sizeof line,
                "partner records %llu (true person a GP person: %llu); links %llu: %llu right, %llu wrong\n"
                "precision %.6f\nrecall    %.6f\n",
                static_cast<unsigned long long>(a.records), static_cast<unsigned long long>(a.registered),
                static_cast<unsigned long long>(a.links), static_cast<unsigned long long>(a.correct),
                static_cast<unsigned long long>(a.wrong), a.precision, a.recall);
  out += line;
  for (const auto& [m, n] : a.links_by_method) {
    const auto w = a.wrong_by_method.find(m);
    std::snprintf(line, sizeof line, "  %-14s %10llu  (wrong %llu)\n", m.c_str(), static_cast<unsigned long long>(n),
                  static_cast<unsigned long long>(w == a.wrong_by_method.end() ? 0 : w->second));
    out += line;
  }
  out += "not linked to the true person, by discrepancy:\n";
  for (const auto& [d, n] : a.missed_by_discrepancy) {
    std::snprintf(line, sizeof line, "  %-34s %8llu\n", d.c_str(), static_cast<unsigned long long>(n));
    out += line;
  }
  return out;
}

}  // namespace severn::identity
