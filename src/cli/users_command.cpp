// `severn users`: the users file of `severn serve` (docs/serve/users.md). Passwords are generated
// here, printed once on stdout (alone on their line, so a script can capture them) and never
// stored: the file keeps only their argon2id hashes.
//   severn users add --file USERS --name N --role R [--pcn CODE]... [--provider CODE]...
//   severn users passwd --file USERS --name N
//   severn users disable|enable --file USERS --name N
//   severn users list --file USERS
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/error.h"
#include "server/password_hash.h"
#include "server/roles.h"
#include "server/users.h"

namespace severn::cli {
namespace {

using server::UserDirectory;

struct UsersArgs {
  std::string file, name, role;
  std::vector<std::string> pcns, providers;
};

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? "-" : out;
}

void print_password_once(const std::string& name, const std::string& password, const std::string& file) {
  std::printf("%s\n", password.c_str());
  std::fflush(stdout);
  std::fprintf(stderr,
               "severn users: the password of %s is printed above, once: hand it over securely. "
               "Only its hash is kept in %s.\n",
               name.c_str(), file.c_str());
}

void run_add(const UsersArgs& a) {
  const auto role = server::parse_role(a.role);
  if (!role) throw InputError("--role: unknown role '" + a.role + "' (analyst, clinician, elective or admin)");
  UserDirectory users = std::filesystem::exists(a.file) ? UserDirectory::load(a.file) : UserDirectory{};
  const std::string password = server::random_password();
  server::User user;
  user.name = a.name;
  user.role = *role;
  user.pcns = a.pcns;
  user.providers = a.providers;
  user.password_hash = server::hash_password(password);
  users.add(std::move(user));
  users.save(a.file);
  print_password_once(a.name, password, a.file);
}

void run_passwd(const UsersArgs& a) {
  UserDirectory users = UserDirectory::load(a.file);
  if (users.find(a.name) == nullptr) throw InputError(a.file + ": no user '" + a.name + "'");
  const std::string password = server::random_password();
  users.set_password_hash(a.name, server::hash_password(password));
  users.save(a.file);
  print_password_once(a.name, password, a.file);
}

void run_set_disabled(const UsersArgs& a, bool disabled) {
  UserDirectory users = UserDirectory::load(a.file);
  if (users.find(a.name) == nullptr) throw InputError(a.file + ": no user '" + a.name + "'");
  users.set_disabled(a.name, disabled);
  users.save(a.file);
  std::printf("severn users: %s %s\n", a.name.c_str(), disabled ? "disabled" : "enabled");
}

void run_list(const UsersArgs& a) {
  const UserDirectory users = UserDirectory::load(a.file);
  std::printf("%-24s %-10s %-20s %-20s %s\n", "name", "role", "pcns", "providers", "status");
  for (const server::User& u : users.users())
    std::printf("%-24s %-10s %-20s %-20s %s\n", u.name.c_str(), std::string(server::role_name(u.role)).c_str(),
                joined(u.pcns).c_str(), joined(u.providers).c_str(), u.disabled ? "disabled" : "enabled");
}

CLI::App* with_file_and_name(CLI::App* cmd, UsersArgs& a) {
  cmd->add_option("--file", a.file, "The users file (TOML, mode 0600)")->required();
  cmd->add_option("--name", a.name, "User name: 1-64 characters of A-Z a-z 0-9 . _ -")->required();
  return cmd;
}

}  // namespace

void add_users(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("users", "Manage the users file of severn serve (docs/serve/users.md)");
  cmd->require_subcommand(1);
  auto a = std::make_shared<UsersArgs>();

  CLI::App* add = with_file_and_name(
      cmd->add_subcommand("add", "Add a user with a generated password, printed once (the file is created if absent)"), *a);
  add->add_option("--role", a->role, "analyst, clinician, elective or admin")->required();
  add->add_option("--pcn", a->pcns, "A PCN whose worklists a clinician may read (repeat for several)");
  add->add_option("--provider", a->providers, "A provider whose PTL an elective user may read (repeat for several)");
  add->callback([a] { run_add(*a); });

  with_file_and_name(cmd->add_subcommand("passwd", "Give a user a new generated password, printed once"), *a)
      ->callback([a] { run_passwd(*a); });
  with_file_and_name(cmd->add_subcommand("disable", "Stop a user signing in (the entry is kept)"), *a)
      ->callback([a] { run_set_disabled(*a, true); });
  with_file_and_name(cmd->add_subcommand("enable", "Let a disabled user sign in again"), *a)
      ->callback([a] { run_set_disabled(*a, false); });

  CLI::App* list = cmd->add_subcommand("list", "List the users, their roles and scope (never their hashes)");
  list->add_option("--file", a->file, "The users file")->required();
  list->callback([a] { run_list(*a); });
}

}  // namespace severn::cli
