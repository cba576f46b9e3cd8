// The users file as the running server sees it: read at start, and read again when it changes
// (checked at most once a second), so that `severn users disable` or a new password takes effect
// without a restart. A file that no longer loads leaves the last good directory in force and says
// so in the server's log once per change: a typo in the file must not lock everyone out, nor let
// anyone in.
#pragma once
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "server/users.h"

namespace severn::server {

class UsersSource {
 public:
  // Loads the file now; throws InputError as UserDirectory::load does.
  UsersSource(std::filesystem::path file, std::function<void(const std::string&)> log);
  // The current directory (reloaded first when the file changed since the last check).
  std::shared_ptr<const UserDirectory> current();

 private:
  std::string stamp() const;  // size and modification time, "" when unreadable
  std::filesystem::path file_;
  std::function<void(const std::string&)> log_;
  std::mutex mutex_;
  std::shared_ptr<const UserDirectory> users_;
  std::string stamp_;
  std::chrono::steady_clock::time_point checked_;
};

}  // namespace severn::server
