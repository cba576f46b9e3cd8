// Fuzzes the store's manifest reader (store::parse_manifest), which every command that opens a
// store runs first on manifest.json. The input is the file's bytes, written to a scratch
// directory because the reader takes a path.
//
// A manifest the reader accepts must survive a round trip: writing it out again (to_json) and
// reading that back gives the same manifest, or the store would change meaning when rewritten.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"
#include "scratch_dir.h"
#include "store/manifest.h"
#include "store/store_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace severn;
  static const fuzz::ScratchDir dir("manifest");
  const auto path = dir.path() / "manifest.json";
  fuzz::write_file(path, std::string_view(reinterpret_cast<const char*>(data), size));
  store::Manifest manifest;
  try {
    manifest = store::parse_manifest(path);
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
