// The manifest's cover: manifest.sha256 beside manifest.json, in the form `sha256sum -c` reads.
// The manifest lists every other file of the store with its checksum, so covering it covers the
// store. It protects against accidental and casual edits (an as-of date, a key id or an input
// checksum changed by hand); it is not a signature: whoever can rewrite both files can forge it.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace severn::store {

inline constexpr std::string_view kManifestName = "manifest.json";
inline constexpr std::string_view kManifestCoverName = "manifest.sha256";

// "<64 hex digits of SHA-256>  manifest.json\n".
std::string manifest_cover(std::string_view manifest_json);

// Throws StoreError when the cover is missing, malformed or does not match manifest_json.
void check_manifest_cover(const std::filesystem::path& store_dir, std::string_view manifest_json);

}  // namespace severn::store
