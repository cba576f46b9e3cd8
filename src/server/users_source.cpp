#include "server/users_source.h"

#include <sys/stat.h>

#include "core/error.h"

namespace severn::server {

UsersSource::UsersSource(std::filesystem::path file, std::function<void(const std::string&)> log)
    : file_(std::move(file)),
      log_(std::move(log)),
      users_(std::make_shared<const UserDirectory>(UserDirectory::load(file_))),
      stamp_(stamp()),
      checked_(std::chrono::steady_clock::now()) {}

std::string UsersSource::stamp() const {
  struct stat s {};
  if (::stat(file_.c_str(), &s) != 0) return "";
  return std::to_string(s.st_size) + "." + std::to_string(s.st_mtim.tv_sec) + "." + std::to_string(s.st_mtim.tv_nsec) +
         "." + std::to_string(s.st_ino);
}

std::shared_ptr<const UserDirectory> UsersSource::current() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - checked_ < std::chrono::seconds(1)) return users_;
  checked_ = now;
  const std::string s = stamp();
  if (s == stamp_) return users_;
  stamp_ = s;
  try {
    users_ = std::make_shared<const UserDirectory>(UserDirectory::load(file_));
    log_("severn serve: users file changed: " + std::to_string(users_->users().size()) + " users now");
  } catch (const InputError& e) {
    log_(std::string("severn serve: users file changed but does not load; the previous users stay in force: ") + e.what());
  }
  return users_;
}

}  // namespace severn::server
