#include "refdata/data_dir.h"

#include <cstdlib>

#include "core/error.h"

#ifndef SEVERN_DEFAULT_DATA_DIR
#define SEVERN_DEFAULT_DATA_DIR "../shared/data"
#endif

namespace severn::refdata {

DataDir DataDir::resolve(const std::string& explicit_dir) {
  std::string dir, origin;
  if (!explicit_dir.empty()) {
    dir = explicit_dir;
    origin = "--data";
  } else if (const char* env = std::getenv("SEVERN_DATA"); env && *env) {
    dir = env;
    origin = "SEVERN_DATA";
  } else {
    dir = SEVERN_DEFAULT_DATA_DIR;
    origin = "the default (../shared/data beside the project)";
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw InputError("reference data directory '" + dir + "' (from " + origin +
                     ") does not exist; point --data or SEVERN_DATA at the reference-data pack "
                     "(see README, 'Reference data')");
  return DataDir(std::filesystem::path(dir).lexically_normal());
}

std::filesystem::path DataDir::require(const std::string& relative) const {
  auto p = root_ / relative;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec))
    throw InputError("reference data file '" + relative + "' is missing from '" + root_.string() +
                     "' (see README, 'Reference data', for where each file comes from)");
  return p;
}

}  // namespace severn::refdata
