// Writing the elective commands' files: whole, beside their target, then renamed into place, so a
// failed run never leaves half a file.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace severn::elective {

// Creates `dir` if needed; throws InputError naming the file that could not be written.
void write_files(const std::filesystem::path& dir, const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace severn::elective
