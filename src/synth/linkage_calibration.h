// The calibration of what linkage is judged on: twins and households (against the ONS twin rate
// and the settings of households.cpp), and every perturbation of partner records, by partner,
// against the chance its rates gave it.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "synth/extract_files.h"
#include "synth/households.h"
#include "synth/synthesize.h"

namespace severn::synth {

void add_linkage_calibration(const HouseholdSummary& households, const Tally& tally, std::vector<CalibrationRow>& rows);

// A Markdown table: each perturbation's share of records at each partner, generated and target.
std::string perturbations_by_partner_markdown(const std::array<PartnerTally, kPartnerCount>& partners);

}  // namespace severn::synth
