// The users file: every refusal with its file:line message, the permission check, and save/load.
#include "server/users.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <random>

#include "core/error.h"
#include "security_scratch.h"
#include "server/password_hash.h"

namespace severn::server {
namespace {

using security_testing::file_mode;
using security_testing::ScratchTest;
using security_testing::slurp;
using security_testing::spit;

// Well-formed argon2id PHC text (16-byte salt, 32-byte tag) that no password matches: loading
// only checks the shape, so these tests need no slow hashing.
const std::string kHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGg";

std::string user_toml(const std::string& name, const std::string& role, const std::string& extra = "") {
  return "[[user]]\nname = \"" + name + "\"\nrole = \"" + role + "\"\n" + extra + "password = \"" + kHash + "\"\n";
}

class UsersFile : public ScratchTest {
 protected:
  std::filesystem::path file() const { return dir_ / "users.toml"; }
  // The message load gives for the text, with the directory cut off ("users.toml:LINE: ...").
  std::string refusal(const std::string& text, mode_t mode = 0600) {
    spit(file(), text, mode);
    try {
      UserDirectory::load(file());
    } catch (const InputError& e) {
      std::string m = e.what();
      const std::string prefix = dir_.string() + "/";
      if (m.rfind(prefix, 0) == 0) m = m.substr(prefix.size());
      return m;
    }
    return "(loaded)";
  }
};

TEST_F(UsersFile, LoadsEveryRole) {
  spit(file(), "# comment\n" + user_toml("a.clinician", "clinician", "pcns = [\"U12345\", \"U23456\"]\n") + "\n" +
                   user_toml("e_1", "elective", "providers = [\"RXW\"]\ndisabled = true\n") + user_toml("An-Alyst", "analyst") +
                   user_toml("root", "admin", "pcns = []\n"));
  const UserDirectory d = UserDirectory::load(file());
  ASSERT_EQ(d.users().size(), 4u);
  const User* c = d.find("a.clinician");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->role, Role::kClinician);
  EXPECT_EQ(c->pcns, (std::vector<std::string>{"U12345", "U23456"}));
  EXPECT_EQ(c->password_hash, kHash);
  EXPECT_FALSE(c->disabled);
  EXPECT_TRUE(d.find("e_1")->disabled);
  EXPECT_EQ(d.find("e_1")->providers, std::vector<std::string>{"RXW"});
  EXPECT_EQ(d.find("root")->role, Role::kAdmin);
  EXPECT_EQ(d.find("nobody"), nullptr);
  EXPECT_EQ(d.find("an-alyst"), nullptr);  // names are case-sensitive
}

TEST_F(UsersFile, EmptyFileHasNoUsers) {
  spit(file(), "# no users yet\n");
  EXPECT_TRUE(UserDirectory::load(file()).users().empty());
}

TEST_F(UsersFile, RefusesEachProblemWithItsLine) {
  const std::string a = user_toml("a", "analyst");  // lines 1-4
  EXPECT_EQ(refusal(a + user_toml("a", "admin")),
            "users.toml:6: field 'name': duplicate user 'a' (also at line 2)");
  EXPECT_EQ(refusal(a + user_toml("b", "superuser")),
            "users.toml:7: field 'role': unknown role 'superuser' (analyst, clinician, elective or admin)");
  EXPECT_EQ(refusal(a + user_toml("b", "analyst", "email = \"x@y\"\n")),
            "users.toml:8: field 'email': unknown key (a user has name, role, pcns, providers, password, disabled)");
  EXPECT_EQ(refusal("users = 1\n" + a), "users.toml:1: field 'users': unknown key (the file holds [[user]] tables)");
  EXPECT_EQ(refusal("[user]\nname = \"a\"\n"), "users.toml:1: field 'user': must be [[user]] tables");
  EXPECT_EQ(refusal(a + user_toml("c", "clinician")),
            "users.toml:5: field 'pcns': a clinician needs at least one PCN (the worklists they may read)");
  EXPECT_EQ(refusal(a + user_toml("c", "analyst", "pcns = [\"U12345\"]\n")),
            "users.toml:8: field 'pcns': only a clinician has PCNs; a user with role analyst has none");
  EXPECT_EQ(refusal(user_toml("e", "elective")),
            "users.toml:1: field 'providers': an elective user needs at least one provider (the PTLs they may read)");
  EXPECT_EQ(refusal(user_toml("c", "clinician", "pcns = [\"U1\"]\nproviders = [\"RXW\"]\n")),
            "users.toml:5: field 'providers': only an elective user has providers; a user with role clinician has none");
  EXPECT_EQ(refusal(user_toml("c", "clinician", "pcns = [\"u12345\"]\n")),
            "users.toml:4: field 'pcns': 'u12345' is not a PCN code (2-12 characters of A-Z and 0-9)");
  EXPECT_EQ(refusal(user_toml("c", "clinician", "pcns = [\"U1\", \"U1\"]\n")),
            "users.toml:4: field 'pcns': 'U1' is listed twice");
  EXPECT_EQ(refusal(user_toml("c", "clinician", "pcns = \"U1\"\n")), "users.toml:4: field 'pcns': must be an array of strings");
  EXPECT_EQ(refusal(user_toml("c", "clinician", "pcns = [1]\n")), "users.toml:4: field 'pcns': must be an array of strings");
  EXPECT_EQ(refusal(user_toml("a b", "analyst")),
            "users.toml:2: field 'name': 'a b' is not a user name (1-64 characters of A-Z a-z 0-9 . _ -)");
  EXPECT_EQ(refusal(user_toml(std::string(65, 'x'), "analyst")).substr(0, 32), "users.toml:2: field 'name': 'xxx");
  EXPECT_EQ(refusal(user_toml(std::string(64, 'x'), "analyst")), "(loaded)");
  EXPECT_EQ(refusal("[[user]]\nname = \"a\"\nrole = \"analyst\"\n"), "users.toml:1: field 'password': missing");
  EXPECT_EQ(refusal("[[user]]\nname = 7\n"), "users.toml:2: field 'name': must be a string");
  EXPECT_EQ(refusal(user_toml("a", "analyst", "disabled = \"yes\"\n")), "users.toml:4: field 'disabled': must be true or false");
  EXPECT_EQ(refusal("[[user]]\nname = \"a\"\nrole = \"analyst\"\npassword = \"hunter2\"\n"),
            "users.toml:4: field 'password': not an argon2id hash ($argon2id$v=19$m=...,t=...,p=...$salt$tag); set "
            "passwords with severn users passwd, never in the file");
  EXPECT_EQ(refusal("[[user]]\nname = \"a\"\nrole = \"analyst\"\npassword = \"$2b$12$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01\"\n")
                .substr(0, 52),
            "users.toml:4: field 'password': not an argon2id hash");
  EXPECT_EQ(refusal("[[user]\nname = \"a\"\n").substr(0, 25), "users.toml:1: TOML syntax");
}

TEST_F(UsersFile, RefusesAFileOthersMayRead) {
  const std::string m = refusal(user_toml("a", "analyst"), 0644);
  EXPECT_NE(m.find("the users file holds password hashes, but its group or others may access it (mode 0644)"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("run chmod 600 " + file().string()), std::string::npos) << m;
  EXPECT_NE(refusal(user_toml("a", "analyst"), 0640).find("(mode 0640)"), std::string::npos);
  EXPECT_NE(refusal(user_toml("a", "analyst"), 0602).find("(mode 0602)"), std::string::npos);
  EXPECT_EQ(refusal(user_toml("a", "analyst"), 0400), "(loaded)");
  std::filesystem::remove(file());
  EXPECT_THROW(UserDirectory::load(file()), InputError);
}

TEST_F(UsersFile, AddRefusesDuplicatesAndInvalidFields) {
  UserDirectory d;
  d.add(User{"a", Role::kAnalyst, {}, {}, kHash, false});
  EXPECT_THROW(d.add(User{"a", Role::kAdmin, {}, {}, kHash, false}), InputError);
  EXPECT_THROW(d.add(User{"c", Role::kClinician, {}, {}, kHash, false}), InputError);
  EXPECT_THROW(d.add(User{"c", Role::kClinician, {"U1"}, {}, "plain", false}), InputError);
  EXPECT_THROW(d.add(User{"", Role::kAnalyst, {}, {}, kHash, false}), InputError);
  EXPECT_THROW(d.add(User{"x\n", Role::kAnalyst, {}, {}, kHash, false}), InputError);
  EXPECT_EQ(d.users().size(), 1u);
  EXPECT_THROW(d.set_password_hash("nobody", kHash), InputError);
  EXPECT_THROW(d.set_password_hash("a", "plain"), InputError);
  EXPECT_THROW(d.set_disabled("nobody", true), InputError);
}

TEST_F(UsersFile, SaveThenLoadRoundTrips) {
  UserDirectory d;
  const std::string real = hash_password("s3cret");
  d.add(User{"a.clinician", Role::kClinician, {"U12345", "U99999"}, {}, real, false});
  d.add(User{"el", Role::kElective, {}, {"RXW", "RJE"}, kHash, false});
  d.add(User{"an", Role::kAnalyst, {}, {}, kHash, false});
  d.add(User{"ad", Role::kAdmin, {}, {}, kHash, false});
  d.set_disabled("an", true);
  d.save(file());
  EXPECT_EQ(file_mode(file()), 0600u);
  const std::string text = slurp(file());
  EXPECT_EQ(text.find("s3cret"), std::string::npos);
  const UserDirectory back = UserDirectory::load(file());
  ASSERT_EQ(back.users().size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    const User& x = d.users()[i];
    const User& y = back.users()[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.role, y.role);
    EXPECT_EQ(x.pcns, y.pcns);
    EXPECT_EQ(x.providers, y.providers);
    EXPECT_EQ(x.password_hash, y.password_hash);
    EXPECT_EQ(x.disabled, y.disabled);
  }
  EXPECT_TRUE(verify_password("s3cret", back.find("a.clinician")->password_hash));
  EXPECT_TRUE(back.find("an")->disabled);
}

TEST_F(UsersFile, SaveReplacesTheFileAtomically) {
  UserDirectory d;
  d.add(User{"a", Role::kAnalyst, {}, {}, kHash, false});
  d.save(file());
  struct stat before {};
  ASSERT_EQ(::stat(file().c_str(), &before), 0);
  // A stale FILE.tmp left by a crash, readable by all and a symlink elsewhere: neither is reused.
  const std::filesystem::path elsewhere = dir_ / "elsewhere";
  spit(elsewhere, "keep me", 0644);
  std::filesystem::create_symlink(elsewhere, file().string() + ".tmp");
  d.add(User{"b", Role::kAdmin, {}, {}, kHash, false});
  d.save(file());
  struct stat after {};
  ASSERT_EQ(::stat(file().c_str(), &after), 0);
  // A new inode renamed into place, never the old file truncated and rewritten in place (which a
  // crash could leave half written).
  EXPECT_NE(before.st_ino, after.st_ino);
  EXPECT_EQ(file_mode(file()), 0600u);
  EXPECT_FALSE(std::filesystem::exists(file().string() + ".tmp"));
  EXPECT_EQ(slurp(elsewhere), "keep me");
  EXPECT_EQ(UserDirectory::load(file()).users().size(), 2u);
}

TEST_F(UsersFile, HostileFilesGiveInputErrorsNeverCrashes) {
  const std::string good = user_toml("a.clinician", "clinician", "pcns = [\"U12345\"]\n") +
                           user_toml("e", "elective", "providers = [\"RXW\"]\ndisabled = false\n");
  std::mt19937_64 rng(18);
  int loaded = 0, refused = 0;
  for (int round = 0; round < 1000; ++round) {
    std::string text = good;
    for (int k = 0, edits = 1 + static_cast<int>(rng() % 3); k < edits; ++k) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0: text[at] = static_cast<char>(rng()); break;
        case 1: text.erase(at, rng() % 20); break;
        case 2: text.insert(at, std::string(1, "[]\"=,.{}\n\\#'\0"[rng() % 13])); break;
        default: text.insert(at, text.substr(rng() % text.size(), rng() % 60)); break;
      }
      if (text.empty()) text = "x";
    }
    spit(file(), text);
    try {
      UserDirectory::load(file());
      ++loaded;
    } catch (const InputError& e) {
      ++refused;
      EXPECT_EQ(std::string(e.what()).rfind(file().string() + ":", 0), 0u) << e.what();
    }
  }
  EXPECT_GT(refused, 500);
  EXPECT_EQ(loaded + refused, 1000);
}

}  // namespace
}  // namespace severn::server
