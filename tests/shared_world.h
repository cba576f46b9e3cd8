// A directory of test inputs (a synthetic ICS, its store, a report over it) built once per build of
// the tests and shared by every test process that asks for it.
//
// Why: ctest runs each discovered test in a process of its own, so a fixture built "once per
// process" was built once per test: the report's world (synthesis, ingest and a whole `severn
// report`) was rebuilt by each of its seven tests, and the library's by each of its forty, which
// was most of the CI run under AddressSanitizer. The world is keyed by the test binary and the
// `severn` binary it runs (size and modification time), so a rebuild of either builds it afresh;
// an exclusive lock makes concurrent test processes wait for the one that builds it.
//
// Worlds are read-only to the tests: a test that writes must write into a Scratch directory of
// its own.
#pragma once
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

namespace severn::testing {

namespace detail {

inline std::string file_stamp(const std::string& path) {
  struct stat s {};
  if (::stat(path.c_str(), &s) != 0) throw std::runtime_error("shared_world: cannot stat " + path);
  return std::to_string(s.st_size) + "." + std::to_string(s.st_mtim.tv_sec) + "." + std::to_string(s.st_mtim.tv_nsec);
}

// Holds an exclusive flock on a file for its lifetime.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0) throw std::runtime_error("shared_world: cannot open lock " + path.string());
    while (::flock(fd_, LOCK_EX) != 0) {
    }
  }
  ~FileLock() { ::close(fd_); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

}  // namespace detail

// The directory of world `name`, built by `build(dir)` (into an empty dir) if this build of the
// tests has not built it yet. A build that throws leaves no world behind, and the next caller
// tries again.
inline std::filesystem::path shared_world(const std::string& name,
                                          const std::function<void(const std::filesystem::path&)>& build) {
  const std::filesystem::path root = SEVERN_TEST_WORLDS_DIR;
  std::filesystem::create_directories(root);
  const std::string stamp = std::to_string(std::hash<std::string>{}(detail::file_stamp("/proc/self/exe") + "/" +
                                                                      detail::file_stamp(SEVERN_BINARY)));
  const std::filesystem::path dir = root / (name + "-" + stamp);
  const std::filesystem::path complete = dir / ".complete";
  detail::FileLock lock(root / (name + ".lock"));
  if (std::filesystem::exists(complete)) return dir;
  // Worlds of earlier builds are stale: remove them (under the lock, so nobody is reading them
  // from this build; a test still running from an older build is not a case ctest produces).
  for (const auto& e : std::filesystem::directory_iterator(root)) {
    const std::string n = e.path().filename().string();
    if (e.is_directory() && n.rfind(name + "-", 0) == 0) std::filesystem::remove_all(e.path());
  }
  std::filesystem::create_directories(dir);
  try {
    build(dir);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    throw;
  }
  std::FILE* f = std::fopen(complete.c_str(), "w");
  if (f == nullptr) throw std::runtime_error("shared_world: cannot write " + complete.string());
  std::fclose(f);
  return dir;
}

}  // namespace severn::testing
