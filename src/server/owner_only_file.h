// Files only their owner may read (the users file, the audit key, the audit log's head): read
// with a permission check, and replaced atomically.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace severn::server {

// The whole file, refusing (InputError) a file that is missing, not a regular file, larger than
// max_bytes, or that its group or others may access at all; `why` says what the file holds, for
// the message, which also gives the chmod 600 to run.
std::string read_owner_only_file(const std::filesystem::path& file, std::string_view why,
                                 std::size_t max_bytes = 16u << 20);

// Replaces the file with text: FILE.tmp is written with mode 0600, fsynced and renamed over FILE,
// then the directory is fsynced. Throws InputError naming the file on any failure.
void replace_owner_only_file(const std::filesystem::path& file, std::string_view text);

// Writes all of the bytes to the descriptor (retrying short writes); false on an error.
bool write_fully(int fd, std::string_view bytes);

// fsync of the directory holding the file, so a rename or creation in it survives a crash.
void sync_parent_directory(const std::filesystem::path& file);

}  // namespace severn::server
