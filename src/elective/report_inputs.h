// The reported list as clock periods (snapshot_store.h's ReportedList), under a name of its own.
//
// Why this file exists: snapshot_store.h and capacity_flows.h both declare
// `severn::elective::read_reported_list(const store::Store&)` (returning two different structs both
// named ReportedList), so the two definitions share one mangled symbol and the linker keeps
// whichever object it pulls first. In `severn` that is capacity_flows.o, and a caller of the
// snapshot's version (`severn elective snapshot`, the report) gets the other function's result
// read as the wrong struct and crashes. Until one of them is renamed in src/elective, the report
// reads the list through this copy of snapshot_store.cpp's reader, which has a distinct symbol.
#pragma once
#include "elective/snapshot_store.h"
#include "store/store.h"

namespace severn::elective {

// As snapshot_store.h's read_reported_list: each row of wl_pathways as a ClockPeriod, open from its
// clock start until min(clock_stop_date, removal_date). Throws StoreError (through the store) when
// wl_pathways or an old column is absent, and InputError naming the row when a period ends before
// it starts.
ReportedList read_reported_periods(const store::Store& store);

}  // namespace severn::elective
