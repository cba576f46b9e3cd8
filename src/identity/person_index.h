// The GP persons by NHS number: gp/patients.csv defines the persons (person_id = order of
// first appearance); everything else finds them through this index or through the partner
// linking stage (identity/partner_linking.h).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/date.h"

namespace severn::identity {

// NHS number (as an integer) -> person_id, open addressing: it is probed once per row of every
// table, so it must be cheap.
class PersonIndex {
 public:
  void reserve(std::size_t persons);
  // False if the NHS number is already present.
  bool insert(std::uint64_t nhs_number, std::uint32_t person);
  std::optional<std::uint32_t> find(std::uint64_t nhs_number) const;
  std::size_t size() const { return dob_.size(); }
  Days date_of_birth(std::uint32_t person) const { return dob_[person]; }
  void set_date_of_birth(std::uint32_t person, Days dob);

 private:
  std::vector<std::uint64_t> keys_;  // NHS number + 1; 0 = empty slot
  std::vector<std::uint32_t> values_;
  std::vector<Days> dob_;
  std::size_t mask_ = 0;
};

}  // namespace severn::identity
