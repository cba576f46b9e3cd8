// A read-only memory map of a whole file. Empty files map to an empty span (mmap cannot map
// zero bytes). Errors name the file and the system's reason.
#pragma once
#include <cstddef>
#include <filesystem>
#include <span>
#include <string_view>

namespace severn {

class MappedFile {
 public:
  MappedFile() = default;
  // Throws InputError when the file cannot be opened or mapped.
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const std::byte> bytes() const { return {static_cast<const std::byte*>(data_), size_}; }
  std::string_view text() const { return {static_cast<const char*>(data_), size_}; }
  std::size_t size() const { return size_; }

 private:
  void release();
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace severn
