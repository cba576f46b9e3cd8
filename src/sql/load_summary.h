// What a warehouse load did, table by table, for the command to print.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace severn::sql {

struct TableLoad {
  std::string table;
  std::uint64_t rows = 0;
  bool in_store = true;  // false: an event table this store does not have, loaded empty
};

struct LoadSummary {
  std::vector<TableLoad> tables;
  double seconds = 0;
};

}  // namespace severn::sql
