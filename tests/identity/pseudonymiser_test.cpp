#include <gtest/gtest.h>

#include "core/error.h"
#include "identity/pseudonymiser.h"

namespace severn::identity {
namespace {

TEST(Pseudonym, FastPathEqualsOpenSslHmacForShortAndLongKeys) {
  for (const auto& key : {std::string(32, 'a'), std::string(64, 'b'), std::string(100, 'c'),
                                std::string("0123456789abcdef0123456789abcdef\x01\xff", 34)}) {
    const Pseudonymiser p(key);
    for (const std::uint64_t nhs : {9996125483ULL, 9990434174ULL, 4010232137ULL, 123ULL})
      EXPECT_EQ(p.pseudonym(nhs), p.pseudonym_reference(nhs)) << key.size() << " " << nhs;
  }
}

// An independent computation of the same HMAC with the OpenSSL command-line tool:
//   printf 9996125483 | openssl dgst -sha256 -hmac kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk
TEST(Pseudonym, MatchesOpensslCommandLine) {
  const Pseudonymiser p(std::string(32, 'k'));
  const auto h = p.pseudonym(9996125483ULL);
  EXPECT_EQ(to_hex(h.data(), h.size()),
            "8d4d7fe2abf3253b0104d21bdd75a5ce0859811b9575e9e1c158668b3d544136");
}

TEST(Pseudonym, RefusesShortKeys) { EXPECT_THROW(Pseudonymiser(std::string(31, 'x')), InputError); }

}  // namespace
}  // namespace severn::identity
