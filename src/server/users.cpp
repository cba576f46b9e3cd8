#include "server/users.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "core/error.h"
#include "server/owner_only_file.h"
#include "server/password_hash.h"

namespace severn::server {
namespace {

constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMinCodeLength = 2, kMaxCodeLength = 12;

bool valid_user_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

bool valid_code(std::string_view code) {
  if (code.size() < kMinCodeLength || code.size() > kMaxCodeLength) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

std::optional<std::string> codes_problem(const std::vector<std::string>& codes, const char* what) {
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (!valid_code(codes[i]))
      return "'" + codes[i] + "' is not a " + what + " code (2-12 characters of A-Z and 0-9)";
    if (std::find(codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>(i), codes[i]) !=
        codes.begin() + static_cast<std::ptrdiff_t>(i))
      return "'" + codes[i] + "' is listed twice";
  }
  return std::nullopt;
}

// The users file as TOML text: a basic string with every character TOML requires escaped.
std::string toml_quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(u));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + '"';
}

std::string toml_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + toml_quoted(items[i]);
  return out + "]";
}

std::int64_t line_of(const toml::node* node) { return static_cast<std::int64_t>(node->source().begin.line); }

// One [[user]] table read into a User: types and keys here, the rules in find_user_problem.
class UserTableReader {
 public:
  UserTableReader(const toml::table& table, const std::string& file) : table_(table), file_(file) {}

  User read() {
    for (const auto& [key, node] : table_) {
      static const char* const kKnown[] = {"name", "role", "pcns", "providers", "password", "disabled"};
      if (std::find(std::begin(kKnown), std::end(kKnown), key.str()) == std::end(kKnown))
        fail(&node, std::string(key.str()), "unknown key (a user has name, role, pcns, providers, password, disabled)");
    }
    User user;
    user.name = required_string("name");
    const std::string role = required_string("role");
    const auto parsed = parse_role(role);
    if (!parsed) fail(table_.get("role"), "role", "unknown role '" + role + "' (analyst, clinician, elective or admin)");
    user.role = *parsed;
    user.pcns = string_list("pcns");
    user.providers = string_list("providers");
    user.password_hash = required_string("password");
    if (const toml::node* d = table_.get("disabled")) {
      if (!d->is_boolean()) fail(d, "disabled", "must be true or false");
      user.disabled = d->as_boolean()->get();
    }
    if (const auto problem = find_user_problem(user)) fail(table_.get(problem->field), problem->field, problem->reason);
    return user;
  }

  std::int64_t line() const { return static_cast<std::int64_t>(table_.source().begin.line); }

  [[noreturn]] void fail(const toml::node* node, const std::string& field, const std::string& reason) const {
    throw InputError(located(file_, node != nullptr ? line_of(node) : line(), field, reason));
  }

 private:
  std::string required_string(const char* key) {
    const toml::node* n = table_.get(key);
    if (n == nullptr) fail(nullptr, key, "missing");
    if (!n->is_string()) fail(n, key, "must be a string");
    return n->as_string()->get();
  }

  std::vector<std::string> string_list(const char* key) {
    std::vector<std::string> out;
    const toml::node* n = table_.get(key);
    if (n == nullptr) return out;
    if (!n->is_array()) fail(n, key, "must be an array of strings");
    for (const toml::node& item : *n->as_array()) {
      if (!item.is_string()) fail(&item, key, "must be an array of strings");
      out.push_back(item.as_string()->get());
    }
    return out;
  }

  const toml::table& table_;
  const std::string& file_;
};

}  // namespace

std::optional<UserFieldProblem> find_user_problem(const User& user) {
  if (!valid_user_name(user.name))
    return UserFieldProblem{"name", "'" + user.name + "' is not a user name (1-64 characters of A-Z a-z 0-9 . _ -)"};
  if (auto p = codes_problem(user.pcns, "PCN")) return UserFieldProblem{"pcns", *p};
  if (auto p = codes_problem(user.providers, "provider")) return UserFieldProblem{"providers", *p};
  const std::string role(role_name(user.role));
  if (user.role == Role::kClinician && user.pcns.empty())
    return UserFieldProblem{"pcns", "a clinician needs at least one PCN (the worklists they may read)"};
  if (user.role != Role::kClinician && !user.pcns.empty())
    return UserFieldProblem{"pcns", "only a clinician has PCNs; a user with role " + role + " has none"};
  if (user.role == Role::kElective && user.providers.empty())
    return UserFieldProblem{"providers", "an elective user needs at least one provider (the PTLs they may read)"};
  if (user.role != Role::kElective && !user.providers.empty())
    return UserFieldProblem{"providers", "only an elective user has providers; a user with role " + role + " has none"};
  if (!is_argon2id_hash(user.password_hash))
    return UserFieldProblem{"password", "not an argon2id hash ($argon2id$v=19$m=...,t=...,p=...$salt$tag); "
                                        "set passwords with severn users passwd, never in the file"};
  return std::nullopt;
}

UserDirectory UserDirectory::load(const std::filesystem::path& file) {
  const std::string name = file.string();
  const std::string text = read_owner_only_file(file, "the users file holds password hashes");
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw InputError(located(name, static_cast<std::int64_t>(e.source().begin.line), "",
                             "TOML syntax: " + std::string(e.description())));
  }
  UserDirectory directory;
  std::map<std::string, std::int64_t, std::less<>> lines;
  for (const auto& [key, node] : root) {
    if (key.str() != "user")
      throw InputError(located(name, line_of(&node), std::string(key.str()), "unknown key (the file holds [[user]] tables)"));
    if (!node.is_array_of_tables())
      throw InputError(located(name, line_of(&node), "user", "must be [[user]] tables"));
    for (const toml::node& item : *node.as_array()) {
      UserTableReader reader(*item.as_table(), name);
      User user = reader.read();
      if (const auto it = lines.find(user.name); it != lines.end())
        reader.fail(item.as_table()->get("name"), "name",
                    "duplicate user '" + user.name + "' (also at line " + std::to_string(it->second) + ")");
      lines.emplace(user.name, line_of(item.as_table()->get("name")));
      directory.users_.push_back(std::move(user));
    }
  }
  return directory;
}

const User* UserDirectory::find(std::string_view name) const {
  for (const User& u : users_)
    if (u.name == name) return &u;
  return nullptr;
}

User* UserDirectory::find_mutable(std::string_view name) {
  for (User& u : users_)
    if (u.name == name) return &u;
  throw InputError("no user '" + std::string(name) + "'");
}

const std::vector<User>& UserDirectory::users() const { return users_; }

void UserDirectory::add(User user) {
  if (const auto problem = find_user_problem(user)) throw InputError("field '" + problem->field + "': " + problem->reason);
  if (find(user.name) != nullptr) throw InputError("user '" + user.name + "' already exists");
  users_.push_back(std::move(user));
}

void UserDirectory::set_password_hash(std::string_view name, std::string hash) {
  User* u = find_mutable(name);
  if (!is_argon2id_hash(hash)) throw InputError("field 'password': not an argon2id hash");
  u->password_hash = std::move(hash);
}

void UserDirectory::set_disabled(std::string_view name, bool disabled) { find_mutable(name)->disabled = disabled; }

void UserDirectory::save(const std::filesystem::path& file) const {
  std::string text =
      "# Severn users (docs/serve/users.md). Keep this file mode 0600: it holds password hashes.\n"
      "# Change it with `severn users`; a password is never stored, only its argon2id hash.\n";
  for (const User& u : users_) {
    text += "\n[[user]]\nname = " + toml_quoted(u.name) + "\nrole = " + toml_quoted(role_name(u.role)) + "\n";
    if (!u.pcns.empty()) text += "pcns = " + toml_array(u.pcns) + "\n";
    if (!u.providers.empty()) text += "providers = " + toml_array(u.providers) + "\n";
    text += "password = " + toml_quoted(u.password_hash) + "\n";
    if (u.disabled) text += "disabled = true\n";
  }
  replace_owner_only_file(file, text);
}

}  // namespace severn::server
