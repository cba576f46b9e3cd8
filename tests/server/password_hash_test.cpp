// argon2id hashing: round trip, the OWASP parameters in the PHC string, hostile encodings, and the
// random password generator's alphabet and spread.
#include "server/password_hash.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

namespace severn::server {
namespace {

TEST(PasswordHash, RoundTripAndWrongPassword) {
  const std::string h = hash_password("correct horse battery staple");
  EXPECT_TRUE(verify_password("correct horse battery staple", h));
  EXPECT_FALSE(verify_password("correct horse battery stapler", h));
  EXPECT_FALSE(verify_password("", h));
  EXPECT_FALSE(verify_password("Correct horse battery staple", h));
}

TEST(PasswordHash, EmptyAndBinaryPasswords) {
  const std::string empty = hash_password("");
  EXPECT_TRUE(verify_password("", empty));
  EXPECT_FALSE(verify_password(" ", empty));
  const std::string binary("a\0b\xff", 4);
  const std::string h = hash_password(binary);
  EXPECT_TRUE(verify_password(binary, h));
  EXPECT_FALSE(verify_password(std::string("a\0c\xff", 4), h));
  EXPECT_FALSE(verify_password("a", h));  // a NUL does not end the password
}

TEST(PasswordHash, PhcStringHasTheOwaspParameters) {
  const std::string h = hash_password("x");
  // $argon2id$v=19$m=19456,t=2,p=1$<22 chars: 16-byte salt>$<43 chars: 32-byte tag>
  ASSERT_EQ(h.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << h;
  const std::size_t salt_start = std::string("$argon2id$v=19$m=19456,t=2,p=1$").size();
  const std::size_t dollar = h.find('$', salt_start);
  ASSERT_NE(dollar, std::string::npos);
  EXPECT_EQ(dollar - salt_start, 22u);  // ceil(16 * 4 / 3) unpadded base64
  EXPECT_EQ(h.size() - dollar - 1, 43u);
  EXPECT_TRUE(is_argon2id_hash(h));
  // A fresh salt each time.
  EXPECT_NE(hash_password("x"), h);
}

TEST(PasswordHash, MalformedHashesAreRefusedWithoutThrowing) {
  const std::string good = hash_password("pw");
  const std::vector<std::string> bad = {
      "",
      "pw",
      "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",   // argon2i, not argon2id
      "$argon2d$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",  // old version
      "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",  // 4 GiB: refused, not run
      "$argon2id$v=19$m=19456,t=1000000,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=19$m=19456,t=2,p=0$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=19$m=019456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",  // leading zero
      "$argon2id$v=19$m=19456,t=2,p=1$$aGFzaGhhc2hoYXNoaGFzaA",                     // no salt
      "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$",                          // no tag
      "$argon2id$v=19$m=19456,t=2,p=1$c2Fs!HNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
      good.substr(0, good.size() - 1) + "*",
      good + "$extra",
      good.substr(0, 40),
      std::string(good).insert(20, 1, '\0'),
  };
  for (const std::string& h : bad) {
    EXPECT_FALSE(is_argon2id_hash(h)) << h;
    EXPECT_FALSE(verify_password("pw", h)) << h;
  }
  // Well-formed but for another password, or with one tag character changed.
  std::string flipped = good;
  flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_TRUE(is_argon2id_hash(flipped));
  EXPECT_FALSE(verify_password("pw", flipped));
}

TEST(PasswordHash, RandomStringsNeverCrashTheChecker) {
  std::mt19937_64 rng(20261207);
  const std::string prefix = "$argon2id$v=19$m=19456,t=2,p=1$";
  int hashed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s = i % 2 ? prefix : "";
    const std::size_t n = rng() % 80;
    for (std::size_t k = 0; k < n; ++k) {
      const char pool[] = "$=,0123456789mtpvargon2id+/ABCxyz\0\xff";
      s += pool[rng() % (sizeof pool - 1)];
    }
    // Only strings that pass the shape check cost a hash; keep those few.
    if (is_argon2id_hash(s) && ++hashed > 5) continue;
    EXPECT_FALSE(verify_password("pw", s));
  }
}

TEST(PasswordHash, RandomPasswordsUseTheWholeAlphabetAndNothingElse) {
  std::map<char, int> counts;
  std::set<std::string> seen;
  constexpr int kDraws = 5000;
  for (int i = 0; i < kDraws; ++i) {
    const std::string p = random_password();
    ASSERT_EQ(p.size(), kRandomPasswordLength);
    for (const char c : p) {
      ASSERT_NE(kPasswordAlphabet.find(c), std::string_view::npos) << "character outside the alphabet: " << c;
      ++counts[c];
    }
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kDraws));
  EXPECT_EQ(counts.size(), kPasswordAlphabet.size());
  for (const char ambiguous : std::string("0O1lIo")) EXPECT_EQ(counts.count(ambiguous), 0u);
  // 100,000 characters over 56: about 1786 each, sd about 42. Modulo bias (taking bytes mod 56
  // without rejection) would give the first 32 characters 5/4 of the others' share, about 2100
  // against 1680; a uniform draw keeps every count within 8 sd, and the first 32 and last 24
  // characters' averages within 3%.
  const double expected = static_cast<double>(kDraws) * kRandomPasswordLength / kPasswordAlphabet.size();
  double first = 0, last = 0;
  for (std::size_t k = 0; k < kPasswordAlphabet.size(); ++k) {
    const int n = counts[kPasswordAlphabet[k]];
    EXPECT_NEAR(n, expected, 8 * std::sqrt(expected)) << kPasswordAlphabet[k];
    (k < 32 ? first : last) += n;
  }
  EXPECT_NEAR((first / 32) / (last / 24), 1.0, 0.03);
}

TEST(PasswordHash, DecoyHashIsFixedPerProcessAndMatchesNoGuess) {
  const std::string& a = decoy_password_hash();
  EXPECT_EQ(&a, &decoy_password_hash());
  EXPECT_TRUE(is_argon2id_hash(a));
  EXPECT_FALSE(verify_password("", a));
  EXPECT_FALSE(verify_password("password", a));
}

}  // namespace
}  // namespace severn::server
