#include "elective/ptl_output.h"

#include <fstream>
#include <system_error>

#include "core/error.h"

namespace severn::elective {

void write_files(const std::filesystem::path& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir.string() + ": cannot create the output directory: " + ec.message());
  for (const auto& [name, text] : files) {
    const auto tmp = dir / (name + ".tmp");
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(tmp.string() + ": cannot open for writing");
    f << text;
    f.close();
    if (!f) throw InputError(tmp.string() + ": write failed");
  }
  for (const auto& [name, text] : files) {
    std::filesystem::rename(dir / (name + ".tmp"), dir / name, ec);
    if (ec) throw InputError((dir / name).string() + ": cannot replace: " + ec.message());
  }
}

}  // namespace severn::elective
