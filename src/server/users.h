// The users file (docs/serve/users.md): TOML, readable by its owner only (mode 0600), one
// [[user]] table per user:
//   [[user]]
//   name = "a.clinician"          # 1-64 characters of A-Z a-z 0-9 . _ -
//   role = "clinician"            # analyst | clinician | elective | admin
//   pcns = ["U12345"]             # clinician: at least one PCN code; other roles: none
//   providers = ["RXW"]           # elective: at least one provider code; other roles: none
//   password = "$argon2id$v=19$m=19456,t=2,p=1$..."   # a PHC string (password_hash.h), never the password
//   disabled = false              # optional
// Codes are 2-12 characters of A-Z and 0-9 (ODS codes), each listed once.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/roles.h"

namespace severn::server {

struct User {
  std::string name;
  Role role = Role::kAnalyst;
  std::vector<std::string> pcns, providers;
  std::string password_hash;
  bool disabled = false;
};

// What is wrong with one field of a user, for the messages of load and add.
struct UserFieldProblem {
  std::string field;  // "name", "role", "pcns", "providers" or "password"
  std::string reason;
};
// The first problem with the user's fields (name syntax, codes, scope against role, hash shape).
std::optional<UserFieldProblem> find_user_problem(const User& user);

class UserDirectory {
 public:
  // Throws InputError "FILE:LINE: field 'F': reason" on anything not as above: duplicate names,
  // unknown roles or keys, scope that does not fit the role, a password that is not an argon2id
  // hash, and a file that its group or others may read or write (with chmod 600 advice).
  static UserDirectory load(const std::filesystem::path& file);

  const User* find(std::string_view name) const;
  const std::vector<User>& users() const;
  // Throws InputError on a duplicate name or an invalid field.
  void add(User user);
  // Throw InputError for an unknown user (and a hash that is not argon2id).
  void set_password_hash(std::string_view name, std::string hash);
  void set_disabled(std::string_view name, bool disabled);
  // Atomic replacement: writes FILE.tmp with mode 0600, fsyncs it, renames it over FILE and
  // fsyncs the directory, so a crash leaves the old file or the new one, never half of one.
  void save(const std::filesystem::path& file) const;

 private:
  User* find_mutable(std::string_view name);
  std::vector<User> users_;
};

}  // namespace severn::server
