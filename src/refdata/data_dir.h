// The reference-data pack (geography, deprivation, practices and PCNs, code lists, standard
// populations, published figures) is read in place at run time, never compiled in, so it can be
// refreshed without a new release. Its location is, in order: --data DIR, $SEVERN_DATA, or
// ../shared/data relative to the project root.
#pragma once
#include <filesystem>
#include <string>

namespace severn::refdata {

class DataDir {
 public:
  // `explicit_dir` is the --data option ("" when not given). Throws InputError when the chosen
  // directory does not exist, naming where the choice came from.
  static DataDir resolve(const std::string& explicit_dir);
  explicit DataDir(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  // Path of a file in the pack; throws InputError naming the missing file and how to fix it.
  std::filesystem::path require(const std::string& relative) const;

 private:
  std::filesystem::path root_;
};

}  // namespace severn::refdata
