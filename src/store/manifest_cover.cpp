#include "store/manifest_cover.h"

#include <openssl/sha.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include "store/store_error.h"

namespace severn::store {

std::string manifest_cover(std::string_view manifest_json) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(manifest_json.data()), manifest_json.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out + "  " + std::string(kManifestName) + "\n";
}

void check_manifest_cover(const std::filesystem::path& store_dir, std::string_view manifest_json) {
  const auto path = store_dir / kManifestCoverName;
  const std::string rebuild = "; rebuild the store with severn ingest";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw StoreError(store_dir.string() + ": " + std::string(kManifestCoverName) +
                     " is missing, so manifest.json cannot be checked (a store built before manifests were "
                     "covered, or the file was removed)" + rebuild);
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof())
    throw StoreError(path.string() + ": cannot be read" + rebuild);
  if (text.str() != manifest_cover(manifest_json))
    throw StoreError(store_dir.string() + ": manifest.json does not match " + std::string(kManifestCoverName) +
                     ": the manifest was changed after the store was built" + rebuild);
}

}  // namespace severn::store
