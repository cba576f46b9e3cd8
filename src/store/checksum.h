// XXH3-128 checksums (xxHash, libxxhash): fast enough to verify a whole store on every open.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace severn::store {

// 32 lowercase hex digits.
std::string xxh3_hex(std::string_view bytes);
// The same for a whole file, read in blocks (not mapped): for inputs many gigabytes long. Throws
// InputError naming the file when it cannot be read.
std::string xxh3_hex_of_file(const std::filesystem::path& path);

}  // namespace severn::store
