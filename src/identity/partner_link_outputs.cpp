#include "identity/partner_link_outputs.h"

#include <cmath>
#include <cstdio>

#include "core/csv_writer.h"
#include "core/json_text.h"

namespace severn::identity {
namespace {

std::string header(std::initializer_list<std::string_view> names) {
  std::string out;
  {
    CsvRow row(out);
    for (const auto n : names) row.text(n);
  }
  return out;
}

CsvRow& weight(CsvRow& row, double w) {
  if (std::isnan(w)) return row.empty();
  return row.decimal(w, 4);
}

CsvRow& person(CsvRow& row, std::int64_t p) {
  if (p < 0) return row.empty();
  return row.integer(p);
}

std::string nhs_text(std::uint64_t nhs) {
  char b[24];
  std::snprintf(b, sizeof b, "%010llu", static_cast<unsigned long long>(nhs));
  return b;
}

}  // namespace

std::string resolution(const PartnerLink& link) {
  if (link.method == LinkMethod::kReview || link.method == LinkMethod::kUnlinked) return link.reason;
  return link_method_name(link.method);
}

std::string partner_links_csv(const std::vector<PartnerRecord>& records, const PartnerLinking& linking) {
  std::string out = header({"partner_code", "local_patient_id", "person_id", "method", "match_probability", "match_weight"});
  out.reserve(records.size() * 48);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const PartnerLink& l = linking.links[i];
    CsvRow row(out);
    row.text(records[i].partner_code).text(records[i].local_id);
    person(row, l.person).text(link_method_name(l.method));
    if (std::isnan(l.weight) && l.method != LinkMethod::kClerical) row.empty();
    else row.decimal(l.probability, 10);
    weight(row, l.weight);
  }
  return out;
}

std::string clerical_review_csv(const std::vector<GpPerson>& persons, const std::vector<PartnerRecord>& records,
                                const PartnerLinking& linking) {
  std::string out;
  {
    CsvRow row(out);
    for (const char* c : {"partner_code", "local_patient_id", "person_id", "match_probability", "match_weight", "reason",
                          "partner_nhs_number", "person_nhs_number", "partner_family_name", "person_family_name",
                          "partner_previous_family_name", "partner_given_name", "person_given_name", "partner_sex",
                          "person_sex", "partner_date_of_birth", "person_date_of_birth", "partner_postcode",
                          "person_postcode", "partner_previous_postcode"})
      row.text(c);
    row.text("weight_prior");
    for (const std::string& c : linking.comparison_names) row.text("weight_" + c);
  }
  for (const ReviewItem& item : linking.review) {
    const PartnerRecord& r = records[item.record];
    const GpPerson& p = persons[item.person];
    const PartnerLink& l = linking.links[item.record];
    CsvRow row(out);
    row.text(r.partner_code).text(r.local_id).integer(item.person).decimal(item.explanation.match_probability, 10);
    weight(row, item.explanation.match_weight).text(l.reason);
    row.text(r.nhs_number).text(nhs_text(p.nhs_number)).text(r.family_name).text(p.family_name)
        .text(r.previous_family_name).text(r.given_name).text(p.given_name).text(r.sex).text(p.sex)
        .date(r.date_of_birth).date(p.date_of_birth).text(r.postcode).text(p.postcode).text(r.previous_postcode);
    weight(row, item.explanation.prior_weight);
    for (const Contribution& c : item.explanation.contributions) weight(row, c.weight());
  }
  return out;
}

std::string link_explanations_csv(const std::vector<PartnerRecord>& records, const PartnerLinking& linking) {
  std::string out = header({"partner_code", "local_patient_id", "person_id", "comparison", "partner_value",
                            "person_value", "level", "weight"});
  for (const auto& [record, e] : linking.explanations) {
    const PartnerRecord& r = records[record];
    const std::int64_t p = linking.links[record].candidate;
    {
      CsvRow row(out);
      row.text(r.partner_code).text(r.local_id);
      person(row, p).text("prior").empty().empty().empty();
      weight(row, e.prior_weight);
    }
    for (const Contribution& c : e.contributions) {
      CsvRow row(out);
      row.text(r.partner_code).text(r.local_id);
      person(row, p).text(c.comparison).text(c.right_value).text(c.left_value).text(c.label);
      weight(row, c.weight());
    }
  }
  return out;
}

std::string linking_summary_json(const PartnerLinking& l) {
  const auto num = [](double v) {
    char b[40];
    std::snprintf(b, sizeof b, "%.6g", v);
    return std::string(b);
  };
  const auto& c = l.counts;
  std::string out = "{\n  \"records\": " + std::to_string(c.records) + ",\n  \"methods\": {\"nhs_number\": " +
                    std::to_string(c.nhs_number) + ", \"probabilistic\": " + std::to_string(c.probabilistic) +
                    ", \"clerical\": " + std::to_string(c.clerical) + ", \"in_review\": " + std::to_string(c.review) +
                    ", \"unlinked\": " + std::to_string(c.unlinked) + "},\n  \"nhs_numbers_found\": " +
                    std::to_string(c.nhs_found) + ",\n  \"nhs_numbers_refuted\": " + std::to_string(c.nhs_refuted) +
                    ",\n  \"review_ambiguous\": " + std::to_string(c.ambiguous) + ",\n  \"review_second_record\": " +
                    std::to_string(c.second_record) + ",\n  \"decisions\": " + std::to_string(c.decisions_applied) +
                    ",\n  \"incremental\": {\"reused\": " + std::to_string(c.reused) +
                    ", \"linked_anew\": " + std::to_string(c.linked_anew) + "}" +  // no time: the store is deterministic
                    ",\n  \"auto_link_probability\": " + num(l.auto_link_probability) +
                    ",\n  \"review_probability\": " + num(l.review_probability) +
                    ",\n  \"candidate_pairs_scored\": " + std::to_string(c.candidate_pairs) + ",\n  \"blocking\": [";
  for (std::size_t i = 0; i < l.rules.size(); ++i) {
    const RuleReport& r = l.rules[i];
    out += std::string(i ? "," : "") + "\n    {\"rule\": " + json_quoted(r.text) +
           ", \"pairs_holding\": " + std::to_string(r.count.holding) + ", \"pairs_added\": " +
           std::to_string(r.count.added) + ", \"largest_block\": " + std::to_string(r.count.largest_block) +
           ", \"cumulative\": " + std::to_string(r.cumulative) + "}";
  }
  out += "\n  ],\n  \"lost_matches\": {\"expected_lost\": " + num(l.lost.expected_lost) +
         ", \"standard_error\": " + num(l.lost.standard_error) + ", \"expected_found\": " +
         num(l.lost.expected_found) + ", \"blocking_recall\": " + num(l.lost.blocking_recall) +
         ", \"pairs_scored\": " + std::to_string(l.lost.scored) + "},\n  \"training\": {\"u_sample_pairs\": " +
         std::to_string(l.training.u_sample_pairs) + ", \"m_rule\": " + json_quoted(l.training.m_rule) +
         ", \"m_rule_pairs\": " + std::to_string(l.training.m_rule_pairs) + "}\n}\n";
  // No seconds here: a store is byte-identical however it was built (they go to --timings).
  return out;
}

std::string partner_records_csv(const std::vector<PartnerRecord>& records, const PartnerLinking& linking) {
  std::string out = header({"partner_code", "local_patient_id", "nhs_number", "family_name", "given_name", "sex",
                            "date_of_birth", "postcode", "previous_family_name", "previous_postcode", "person_id",
                            "resolution"});
  out.reserve(records.size() * 120);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const PartnerRecord& r = records[i];
    const PartnerLink& l = linking.links[i];
    CsvRow row(out);
    row.text(r.partner_code).text(r.local_id).text(r.nhs_number).text(r.family_name).text(r.given_name).text(r.sex)
        .date(r.date_of_birth).text(r.postcode).text(r.previous_family_name).text(r.previous_postcode);
    person(row, l.person).text(resolution(l));
  }
  return out;
}

}  // namespace severn::identity
