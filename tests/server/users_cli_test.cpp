// `severn users` through the real binary: the password is printed once on stdout and only its
// hash is stored; passwd, disable, enable and list; refusals exit 1 with a message.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>

#include "run_severn.h"
#include "security_scratch.h"
#include "server/password_hash.h"
#include "server/users.h"

namespace severn::server {
namespace {

using security_testing::file_mode;
using security_testing::ScratchTest;
using security_testing::slurp;
using severn::testing::run_severn;

struct Split {
  int code;
  std::string out, err;
};

// Runs severn with stdout and stderr kept apart (the password must be alone on stdout).
Split run_split(const std::string& args, const std::filesystem::path& err_file) {
  const std::string cmd = std::string(SEVERN_BINARY) + " " + args + " 2>" + err_file.string();
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, slurp(err_file)};
}

class UsersCli : public ScratchTest {
 protected:
  std::string file() const { return (dir_ / "users.toml").string(); }
  Split run(const std::string& args) { return run_split(args, dir_ / "stderr.txt"); }
};

TEST_F(UsersCli, AddPrintsThePasswordOnceAndStoresOnlyItsHash) {
  const Split r = run("users add --file " + file() + " --name a.clinician --role clinician --pcn U12345 --pcn U23456");
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(r.out.size(), kRandomPasswordLength + 1) << r.out;
  const std::string password = r.out.substr(0, kRandomPasswordLength);
  EXPECT_NE(r.err.find("printed above, once"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(password), std::string::npos);
  EXPECT_EQ(file_mode(file()), 0600u);
  const std::string text = slurp(file());
  EXPECT_EQ(text.find(password), std::string::npos);
  const UserDirectory d = UserDirectory::load(file());
  const User* u = d.find("a.clinician");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->pcns, (std::vector<std::string>{"U12345", "U23456"}));
  EXPECT_TRUE(verify_password(password, u->password_hash));
  EXPECT_FALSE(verify_password(password + "x", u->password_hash));

  // A second user is added to the same file; the first is kept.
  const Split r2 = run("users add --file " + file() + " --name ward.e --role elective --provider RXW");
  ASSERT_EQ(r2.code, 0) << r2.err;
  EXPECT_NE(r2.out, r.out);
  EXPECT_EQ(UserDirectory::load(file()).users().size(), 2u);
}

TEST_F(UsersCli, RefusalsExitOneAndChangeNothing) {
  ASSERT_EQ(run("users add --file " + file() + " --name a --role analyst").code, 0);
  const std::string before = slurp(file());
  const auto refused = [&](const std::string& args, const std::string& message) {
    const auto r = run_severn(args);
    EXPECT_EQ(r.code, 1) << args;
    EXPECT_NE(r.output.find(message), std::string::npos) << args << "\n" << r.output;
  };
  refused("users add --file " + file() + " --name a --role admin", "user 'a' already exists");
  refused("users add --file " + file() + " --name c --role clinician", "a clinician needs at least one PCN");
  refused("users add --file " + file() + " --name c --role analyst --pcn U1", "only a clinician has PCNs");
  refused("users add --file " + file() + " --name c --role root", "--role: unknown role 'root'");
  refused("users add --file " + file() + " --name 'a b' --role analyst", "is not a user name");
  refused("users passwd --file " + file() + " --name nobody", "no user 'nobody'");
  refused("users disable --file " + file() + " --name nobody", "no user 'nobody'");
  EXPECT_EQ(slurp(file()), before);
  std::filesystem::permissions(file(), std::filesystem::perms::group_read, std::filesystem::perm_options::add);
  refused("users list --file " + file(), "run chmod 600");
  refused("users list --file " + (dir_ / "absent.toml").string(), "cannot open");
}

TEST_F(UsersCli, PasswdDisableEnableAndList) {
  const Split added = run("users add --file " + file() + " --name an.analyst --role analyst");
  ASSERT_EQ(added.code, 0);
  const Split changed = run("users passwd --file " + file() + " --name an.analyst");
  ASSERT_EQ(changed.code, 0) << changed.err;
  ASSERT_EQ(changed.out.size(), kRandomPasswordLength + 1);
  EXPECT_NE(changed.out, added.out);
  const std::string hash = UserDirectory::load(file()).find("an.analyst")->password_hash;
  EXPECT_TRUE(verify_password(changed.out.substr(0, kRandomPasswordLength), hash));
  EXPECT_FALSE(verify_password(added.out.substr(0, kRandomPasswordLength), hash));

  EXPECT_EQ(run_severn("users disable --file " + file() + " --name an.analyst").code, 0);
  EXPECT_TRUE(UserDirectory::load(file()).find("an.analyst")->disabled);
  auto list = run_severn("users list --file " + file());
  EXPECT_EQ(list.code, 0);
  EXPECT_NE(list.output.find("an.analyst"), std::string::npos);
  EXPECT_NE(list.output.find("disabled"), std::string::npos);
  EXPECT_EQ(list.output.find("argon2"), std::string::npos);
  EXPECT_EQ(run_severn("users enable --file " + file() + " --name an.analyst").code, 0);
  EXPECT_FALSE(UserDirectory::load(file()).find("an.analyst")->disabled);
  list = run_severn("users list --file " + file());
  EXPECT_NE(list.output.find("enabled"), std::string::npos);
  EXPECT_EQ(list.output.find("disabled"), std::string::npos);
}

}  // namespace
}  // namespace severn::server
