// The reported list as the simulation reads it (capacity_flows.h's ReportedList), under a name of
// its own: the same stopgap as report_inputs.h, for the other of the two colliding
// `read_reported_list(const store::Store&)` definitions (report_inputs.h says why). Whichever
// object the linker keeps, a caller of this function gets this struct.
#pragma once
#include "elective/capacity_flows.h"
#include "store/store.h"

namespace severn::elective {

// As capacity_flows.h's read_reported_list. Throws InputError when the store has no wl_pathways.
ReportedList read_reported_flow_list(const store::Store& store);

}  // namespace severn::elective
