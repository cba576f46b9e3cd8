#include "elective/measures_definition.h"

namespace severn::elective {

std::string waiting_list_definition(Days from, Days to) {
  const CivilDate f = civil_from_days(from);
  const Days first = days_from_civil(f.year, f.month, 1);
  std::string s;
  s += "# Waiting for elective care: people on the provider's reported RTT list (wl_pathways) at each\n";
  s += "# month end, and the share of them who have waited more than 18 weeks (126 days) on any open\n";
  s += "# pathway. Written by `severn elective measures` (docs/elective/snapshots.md).\n";
  s += "codelist ld = \"nhsd-primary-care-domain-refsets-ld_cod.csv\"\n\n";
  s += "let open_pathways = wl_pathways.where(clock_start_date <= index_date and\n";
  s += "                                      (clock_stop_date is null or clock_stop_date > index_date) and\n";
  s += "                                      (removal_date is null or removal_date > index_date))\n";
  s += "let waiting = open_pathways.exists()\n";
  s += "let waiting_over_18_weeks = open_pathways.where(clock_start_date < index_date - 126 days).exists()\n";
  s += "# The person's longest-waiting open pathway (rows are in clock start order).\n";
  s += "let longest_wait = open_pathways.first()\n";
  s += "let provider_of_longest_wait = longest_wait.provider\n";
  s += "let function_of_longest_wait = longest_wait.treatment_function\n";
  s += "let priority_of_longest_wait = longest_wait.priority\n";
  s += "let learning_disability = clinical_events.where(code in ld and date <= index_date).exists()\n\n";
  s += "population true\n\n";
  s += std::string("measure ") + kWaitingListMeasure + "\n";
  s += "  numerator   waiting_over_18_weeks\n";
  s += "  denominator waiting\n";
  s += "  by provider_of_longest_wait, function_of_longest_wait, priority_of_longest_wait, imd_quintile, imd_decile,\n";
  s += "     ethnicity_group, age_band, sex, learning_disability, place, pcn\n";
  s += "  stats proportion per 100, sii by imd_decile\n";
  s += "  intervals monthly from " + format_iso_date(first) + " to " + format_iso_date(to) + "\n";
  return s;
}

}  // namespace severn::elective
