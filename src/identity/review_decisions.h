// A clerical reviewer's decisions on the review band (STORE/identity/clerical_review.csv), given
// to the next build with `severn ingest --review-decisions FILE`:
//
//   partner_code,local_patient_id,person_id,decision
//   RXW,RXW0001234,1742,match
//   E06000051,SC000017,90210,non_match
//
// match: the record links to that person (method clerical, probability 1). non_match: that pair
// never links again; the record takes its next-best candidate or stays unlinked.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace severn::identity {

struct ReviewDecision {
  std::string partner_code, local_id;
  std::uint32_t person = 0;
  bool match = false;
  std::string source;  // file, for messages
  std::int64_t line = 0;
};

// Throws InputError "FILE:LINE: field 'F': reason" for a missing column, an empty or non-numeric
// person_id, an unknown decision, or two different decisions on the same pair.
std::vector<ReviewDecision> read_review_decisions(const std::filesystem::path& path);
std::vector<ReviewDecision> parse_review_decisions(std::string_view text, const std::string& source);

}  // namespace severn::identity
