// Files compiled into the binary from resources/ (Severn's own code lists and reference tables).
#pragma once
#include <optional>
#include <string_view>
#include <vector>

namespace severn::embedded {

struct Resource {
  std::string_view path;   // relative to resources/, e.g. "codelists/dmd-saba.csv"
  std::string_view bytes;  // the file's exact contents
};

const std::vector<Resource>& all();
std::optional<std::string_view> find(std::string_view path);

}  // namespace severn::embedded
