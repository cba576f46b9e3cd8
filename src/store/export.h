// A store table written back out as CSV: one row per stored row in store order, person_id first,
// dates as YYYY-MM-DD, codes and categories as text, code lists joined with ';', numbers in
// their shortest exact form, nulls empty. For inspection and round-trip tests.
#pragma once
#include <ostream>
#include <string_view>

#include "store/store.h"

namespace severn::store {

void export_table_csv(const Store& store, std::string_view table, std::ostream& out);

}  // namespace severn::store
