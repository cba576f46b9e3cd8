#include "store/store_writer.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "core/fault_point.h"
#include "store/checksum.h"
#include "store/manifest_cover.h"
#include "store/store_error.h"

namespace severn::store {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void sys_fail(const fs::path& path, const char* what) {
  throw StoreError(path.string() + ": " + what + ": " + std::strerror(errno));
}

void fsync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) sys_fail(path, "cannot open to sync");
  if (::fsync(fd) != 0) {
    const int e = errno;
    ::close(fd);
    errno = e;
    sys_fail(path, "fsync failed");
  }
  ::close(fd);
}

const std::string kStagingTag = ".staging-";

// Staging directories of builds whose process no longer exists.
void remove_stale_staging(const fs::path& final_dir) {
  const std::string prefix = "." + final_dir.filename().string() + kStagingTag;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(final_dir.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    char* end = nullptr;
    const long pid = std::strtol(pid_text.c_str(), &end, 10);
    if (end == pid_text.c_str() || *end != '\0' || pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

StoreWriter::StoreWriter(fs::path final_dir) : final_(std::move(final_dir)) {
  if (final_.filename().empty()) final_ = final_.parent_path();
  fs::path parent = final_.parent_path();
  if (parent.empty()) parent = ".";
  std::error_code ec;
  if (!fs::is_directory(parent, ec))
    throw StoreError(final_.string() + ": parent directory " + parent.string() + " does not exist");
  if (fs::exists(final_, ec) && !fs::is_directory(final_, ec))
    throw StoreError(final_.string() + ": exists and is not a directory");
  if (fs::is_directory(final_, ec) && !fs::is_empty(final_, ec) &&
      !fs::exists(final_ / "manifest.json", ec))
    throw StoreError(final_.string() +
                     ": exists, is not empty and is not a Severn store; refusing to replace it");
  remove_stale_staging(final_);
  staging_ = parent / ("." + final_.filename().string() + kStagingTag + std::to_string(::getpid()));
  fs::remove_all(staging_, ec);
  if (::mkdir(staging_.c_str(), 0755) != 0) sys_fail(staging_, "cannot create staging directory");
}

StoreWriter::~StoreWriter() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

void StoreWriter::ensure_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw StoreError(dir.string() + ": cannot create directory: " + ec.message());
}

void StoreWriter::make_restricted_dir(const std::string& rel) {
  const fs::path dir = staging_ / rel;
  ensure_dir(dir);
  if (::chmod(dir.c_str(), 0700) != 0) sys_fail(dir, "cannot restrict permissions");
}

void StoreWriter::write_file(const std::string& rel, std::string_view bytes, bool restricted) {
  const fs::path path = staging_ / rel;
  ensure_dir(path.parent_path());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                        restricted ? 0600 : 0644);
  if (fd < 0) sys_fail(path, "cannot create");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      errno = e;
      sys_fail(path, "write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) sys_fail(path, "cannot flush");
  manifest_.files[rel] = {bytes.size(), xxh3_hex(bytes)};
}

void StoreWriter::commit() {
  fault_point("before_manifest");
  const std::string json = to_json(manifest_);
  // The manifest is not listed in itself; it and its cover are written directly, in the staging
  // directory, so they reach the final path together with the store in the one swap below.
  const auto write_direct = [&](std::string_view name, std::string_view bytes) {
    const fs::path path = staging_ / name;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) sys_fail(path, "cannot create");
    if (::write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()) ||
        ::fsync(fd) != 0 || ::close(fd) != 0)
      sys_fail(path, "cannot write");
  };
  write_direct(kManifestName, json);
  write_direct(kManifestCoverName, manifest_cover(json));
  // Directory entries must be durable too, deepest first.
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::recursive_directory_iterator(staging_))
    if (entry.is_directory()) dirs.push_back(entry.path());
  for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) fsync_path(*it);
  fsync_path(staging_);
  fault_point("before_swap");

  fs::path parent = final_.parent_path();
  if (parent.empty()) parent = ".";
  std::error_code ec;
  if (fs::exists(final_, ec)) {
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, final_.c_str(), RENAME_EXCHANGE) != 0) {
      // Filesystems without RENAME_EXCHANGE: move the old store aside first. A crash between the
      // two renames leaves it at <store>.previous, which the message below names.
      const fs::path aside = parent / ("." + final_.filename().string() + ".previous");
      fs::remove_all(aside, ec);
      if (::rename(final_.c_str(), aside.c_str()) != 0) sys_fail(final_, "cannot move old store aside");
      if (::rename(staging_.c_str(), final_.c_str()) != 0)
        sys_fail(final_, ("cannot move new store into place; the previous store is at " +
                          aside.string()).c_str());
      fs::remove_all(aside, ec);
    }
  } else if (::rename(staging_.c_str(), final_.c_str()) != 0) {
    sys_fail(final_, "cannot move the new store into place");
  }
  committed_ = true;
  fsync_path(parent);
  fault_point("after_swap");
  // After an exchange the staging path holds the previous store.
  fs::remove_all(staging_, ec);
}

}  // namespace severn::store
