#include "synth/config.h"

#include "core/error.h"

namespace severn::synth {

void validate(const SynthConfig& c) {
  if (c.people < 1)
    throw InputError("--people must be at least 1 (got " + std::to_string(c.people) + ")");
  if (c.people > kMaxPeople)
    throw InputError("--people must be at most " + std::to_string(kMaxPeople) +
                     ": synthetic NHS numbers use only the 999 test range");
  if (c.years < 1 || c.years > 30)
    throw InputError("--years must be between 1 and 30 (got " + std::to_string(c.years) + ")");
  if (c.end_date < days_from_civil(2000, 1, 1) || c.end_date > days_from_civil(2100, 12, 31))
    throw InputError("--end must be between 2000-01-01 and 2100-12-31");
  if (c.start_date() < days_from_civil(1990, 1, 1))
    throw InputError("the history would start before 1990-01-01: use a later --end or fewer --years");
  if (c.threads < 0) throw InputError("--threads must not be negative");
  if (c.out.empty()) throw InputError("--out is required");
}

}  // namespace severn::synth
