#include "server/owner_only_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace severn::server {
namespace {

[[noreturn]] void fail_errno(const std::filesystem::path& file, const std::string& what) {
  throw InputError(file.string() + ": " + what + ": " + std::strerror(errno));
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

}  // namespace

bool write_fully(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string read_owner_only_file(const std::filesystem::path& file, std::string_view why, std::size_t max_bytes) {
  const FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) fail_errno(file, "cannot open");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail_errno(file, "cannot stat");
  if (!S_ISREG(st.st_mode)) throw InputError(file.string() + ": not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw InputError(file.string() + ": " + std::string(why) + ", but its group or others may access it (mode " + mode +
                     "): run chmod 600 " + file.string());
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
    throw InputError(file.string() + ": larger than " + std::to_string(max_bytes) + " bytes");
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno(file, "cannot read");
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  return text;
}

void sync_parent_directory(const std::filesystem::path& file) {
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  const FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) fail_errno(dir, "cannot open the directory");
  if (::fsync(fd.get()) != 0) fail_errno(dir, "cannot fsync the directory");
}

void replace_owner_only_file(const std::filesystem::path& file, std::string_view text) {
  const std::filesystem::path tmp = file.string() + ".tmp";
  // A stale FILE.tmp from a crash is removed first, so the new one is created 0600 by us (O_EXCL,
  // no symlink followed) rather than reusing whatever mode or owner it had.
  if (::unlink(tmp.c_str()) != 0 && errno != ENOENT) fail_errno(tmp, "cannot remove");
  FileDescriptor fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) fail_errno(tmp, "cannot create");
  if (::fchmod(fd.get(), 0600) != 0) fail_errno(tmp, "cannot set mode 0600");
  if (!write_fully(fd.get(), text)) fail_errno(tmp, "cannot write");
  if (::fsync(fd.get()) != 0) fail_errno(tmp, "cannot fsync");
  if (::close(fd.release()) != 0) fail_errno(tmp, "cannot close");
  if (::rename(tmp.c_str(), file.c_str()) != 0) fail_errno(file, "cannot replace");
  sync_parent_directory(file);
}

}  // namespace severn::server
