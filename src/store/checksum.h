// XXH3-128 checksums (xxHash, libxxhash): fast enough to verify a whole store on every open.
#pragma once
#include <string>
#include <string_view>

namespace severn::store {

// 32 lowercase hex digits.
std::string xxh3_hex(std::string_view bytes);

}  // namespace severn::store
