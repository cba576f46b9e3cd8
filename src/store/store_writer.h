// Builds a store in a staging directory beside its final place, then swaps it in atomically.
// A build killed at any moment leaves the previous store (if any) intact at the final path:
// every file is fsynced before the swap, and the swap is one rename(2) or, when a store already
// exists, one renameat2(RENAME_EXCHANGE). Staging directories left by killed builds are removed
// by the next build.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "store/manifest.h"

namespace severn::store {

class StoreWriter {
 public:
  // Throws StoreError if the parent directory is missing or not writable.
  explicit StoreWriter(std::filesystem::path final_dir);
  ~StoreWriter();  // removes the staging directory unless committed
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  const std::filesystem::path& staging() const { return staging_; }
  Manifest& manifest() { return manifest_; }

  // Writes a file (relative path; parent directories are created), fsyncs it and records its
  // size and checksum in the manifest. Restricted files are created 0600.
  void write_file(const std::string& rel, std::string_view bytes, bool restricted = false);
  template <class T>
  void write_array(const std::string& rel, std::span<const T> values) {
    write_file(rel, {reinterpret_cast<const char*>(values.data()), values.size_bytes()});
  }
  // A directory only its owner may enter (0700), for identifiable data.
  void make_restricted_dir(const std::string& rel);

  // Writes manifest.json and its cover (manifest.sha256), fsyncs every directory and swaps the
  // store into place.
  void commit();

 private:
  void ensure_dir(const std::filesystem::path& dir);
  std::filesystem::path final_;
  std::filesystem::path staging_;
  Manifest manifest_;
  bool committed_ = false;
};

}  // namespace severn::store
