#include "identity/review_decisions.h"

#include <charconv>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "core/csv_table.h"
#include "core/error.h"

namespace severn::identity {

std::vector<ReviewDecision> read_review_decisions(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the review decisions file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_review_decisions(ss.str(), path.string());
}

std::vector<ReviewDecision> parse_review_decisions(std::string_view text, const std::string& source) {
  const CsvTable t = CsvTable::parse(text, source);
  for (const char* name : {"partner_code", "local_patient_id", "person_id", "decision"})
    if (!t.has_column(name))
      throw InputError(located(source, 1, name, "column is missing (expected partner_code,local_patient_id,person_id,decision)"));
  const std::size_t cp = t.column("partner_code"), cl = t.column("local_patient_id"), ci = t.column("person_id"),
                    cd = t.column("decision");
  std::vector<ReviewDecision> out;
  std::map<std::pair<std::string, std::string>, std::pair<std::string, std::int64_t>> seen;  // pair -> decision, line
  std::map<std::string, std::pair<std::uint32_t, std::int64_t>> matched;  // record -> person, line
  for (std::size_t r = 0; r < t.rows(); ++r) {
    ReviewDecision d;
    d.source = source;
    d.line = t.line(r);
    d.partner_code = t.cell(r, cp);
    d.local_id = t.cell(r, cl);
    if (d.partner_code.empty()) throw InputError(located(source, d.line, "partner_code", "empty"));
    if (d.local_id.empty()) throw InputError(located(source, d.line, "local_patient_id", "empty"));
    const std::string& id = t.cell(r, ci);
    std::uint64_t person = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), person);
    if (id.empty() || ec != std::errc() || end != id.data() + id.size() || person > 0xFFFFFFFFu)
      throw InputError(located(source, d.line, "person_id", "'" + id + "' is not a person_id (a whole number)"));
    d.person = static_cast<std::uint32_t>(person);
    const std::string& decision = t.cell(r, cd);
    if (decision == "match") d.match = true;
    else if (decision != "non_match")
      throw InputError(located(source, d.line, "decision", "'" + decision + "' is not match or non_match"));
    const auto key = std::make_pair(d.partner_code + '\x1f' + d.local_id, id);
    const auto [it, fresh] = seen.emplace(key, std::make_pair(decision, d.line));
    if (!fresh && it->second.first != decision)
      throw InputError(located(source, d.line, "decision",
                               "contradicts line " + std::to_string(it->second.second) + " for the same pair"));
    if (d.match) {
      const auto [m, first] = matched.emplace(key.first, std::make_pair(d.person, d.line));
      if (!first && m->second.first != d.person)
        throw InputError(located(source, d.line, "person_id",
                                 "the record is already matched to person " + std::to_string(m->second.first) +
                                     " on line " + std::to_string(m->second.second)));
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace severn::identity
