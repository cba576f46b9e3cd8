// The day each row of the reported list (wl_pathways) joins its provider's list. A pathway
// transferred between providers has a row at each with the same pathway number, period and clock
// start (docs/data-model.md, "Transfers"): the sending row leaves on the transfer day
// (removal_reason `transferred`), and the receiving row is on its list only from that day, so no
// pathway is ever counted at both. Every reader of the reported list (snapshots, the PTL, mutual
// aid, capacity flows) uses this, so they agree on who is waiting where. Dates are days since
// 1970-01-01.
#pragma once
#include <vector>

#include "core/date.h"
#include "store/store.h"

namespace severn::elective {

// One value per wl_pathways row: its clock start, or for a transferred-in row the later of its
// clock start and the transfer day. A store without the pathway, rtt_period, removal_date or
// removal_reason columns (built before issue 17's extracts) has no transfers: every row's clock
// start.
std::vector<Days> reported_on_list_from(const store::Store& store);

}  // namespace severn::elective
