// Fuzzes the store's manifest reader the way Store::open (src/store/store.cpp) runs it on
// manifest.json before anything else: the cover check (manifest.sha256, src/store/manifest_cover.h)
// and then store::parse_manifest_text. The input is the manifest's bytes.
//
// Properties besides not crashing:
// * a cover written for the input (manifest_cover) is accepted by check_manifest_cover, and the
//   same cover is refused for a manifest one byte longer;
// * a manifest the reader accepts survives a round trip: written out again (to_json) into a
//   scratch manifest.json and read back from the file (parse_manifest), it gives the same JSON, or
//   the store would change meaning when rewritten.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"
#include "scratch_dir.h"
#include "store/manifest.h"
#include "store/manifest_cover.h"
#include "store/store_error.h"

namespace {

void check_cover(const severn::fuzz::ScratchDir& dir, std::string_view json) {
  using namespace severn;
  fuzz::write_file(dir.path() / store::kManifestCoverName, store::manifest_cover(json));
  try {
    store::check_manifest_cover(dir.path(), json);
  } catch (const store::StoreError& e) {
    std::fprintf(stderr, "manifest fuzzer: the manifest's own cover is refused: %s\n", e.what());
    std::abort();
  }
  const std::string changed = std::string(json) + "\n";
  try {
    store::check_manifest_cover(dir.path(), changed);
  } catch (const store::StoreError&) {
    return;
  }
  std::fprintf(stderr, "manifest fuzzer: a cover accepts a manifest other than the one it was written for\n");
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace severn;
  static const fuzz::ScratchDir dir("manifest");
  const auto path = dir.path() / store::kManifestName;
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  check_cover(dir, json);
  store::Manifest manifest;
  try {
    manifest = store::parse_manifest_text(json, path);
  } catch (const store::StoreError&) {
    return 0;  // refused, naming the file and what is wrong
  }
  const std::string written = store::to_json(manifest);
  fuzz::write_file(path, written);
  std::string rewritten;
  try {
    rewritten = store::to_json(store::parse_manifest(path));
  } catch (const store::StoreError& e) {
    std::fprintf(stderr, "manifest fuzzer: the manifest as written by to_json is refused: %s\n", e.what());
    std::abort();
  }
  if (rewritten != written) {
    std::fprintf(stderr, "manifest fuzzer: round trip changes the manifest\n--- written\n%s\n--- read back and written\n%s\n",
                 written.c_str(), rewritten.c_str());
    std::abort();
  }
  return 0;
}
