#include "identity/pseudonymiser.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <utility>

#include "core/error.h"

namespace severn::identity {

std::string to_hex(const std::uint8_t* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

// SHA-256 contexts that have absorbed (key XOR ipad) and (key XOR opad).
struct Pseudonymiser::KeyedStates {
  EVP_MD_CTX* inner = EVP_MD_CTX_new();
  EVP_MD_CTX* outer = EVP_MD_CTX_new();
  ~KeyedStates() {
    EVP_MD_CTX_free(inner);
    EVP_MD_CTX_free(outer);
  }
};

namespace {

struct CtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

void check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

void nhs_digits(std::uint64_t v, char* digits) {
  for (int i = 9; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

}  // namespace

Pseudonymiser::Pseudonymiser(std::string key) : key_(std::move(key)) {
  if (key_.size() < kMinKeyBytes)
    throw InputError("pseudonymisation key has " + std::to_string(key_.size()) +
                     " bytes; at least " + std::to_string(kMinKeyBytes) +
                     " are needed (make one with: head -c 32 /dev/urandom > pseudonym.key)");
  // RFC 2104: keys longer than the hash's 64-byte block are hashed first, then zero-padded.
  constexpr std::size_t kBlock = 64;
  std::array<unsigned char, kBlock> block{};
  if (key_.size() > kBlock) {
    unsigned int n = 0;
    check(EVP_Digest(key_.data(), key_.size(), block.data(), &n, EVP_sha256(), nullptr), "digest");
  } else {
    std::copy(key_.begin(), key_.end(), block.begin());
  }
  std::array<unsigned char, kBlock> ipad{}, opad{};
  for (std::size_t i = 0; i < kBlock; ++i) {
    ipad[i] = static_cast<unsigned char>(block[i] ^ 0x36);
    opad[i] = static_cast<unsigned char>(block[i] ^ 0x5c);
  }
  states_ = new KeyedStates();
  check(EVP_DigestInit_ex(states_->inner, EVP_sha256(), nullptr), "init");
  check(EVP_DigestUpdate(states_->inner, ipad.data(), kBlock), "update");
  check(EVP_DigestInit_ex(states_->outer, EVP_sha256(), nullptr), "init");
  check(EVP_DigestUpdate(states_->outer, opad.data(), kBlock), "update");
  OPENSSL_cleanse(block.data(), kBlock);
  OPENSSL_cleanse(ipad.data(), kBlock);
  OPENSSL_cleanse(opad.data(), kBlock);
}

Pseudonymiser::Pseudonymiser(Pseudonymiser&& other) noexcept
    : key_(std::move(other.key_)), states_(std::exchange(other.states_, nullptr)) {}

Pseudonymiser::~Pseudonymiser() {
  OPENSSL_cleanse(key_.data(), key_.size());
  delete states_;
}

Pseudonymiser Pseudonymiser::from_file_or_environment(const std::string& key_file) {
  if (!key_file.empty()) {
    std::ifstream in(key_file, std::ios::binary);
    if (!in) throw InputError(key_file + ": cannot read the pseudonymisation key file");
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return Pseudonymiser(std::move(key));
  }
  const char* env = std::getenv("SEVERN_PSEUDONYM_KEY");
  if (env == nullptr || *env == '\0')
    throw InputError(
        "no pseudonymisation key: give --key-file FILE (at least 32 bytes, e.g. head -c 32 "
        "/dev/urandom > pseudonym.key) or set SEVERN_PSEUDONYM_KEY to at least 64 hex digits");
  const std::string hex(env);
  if (hex.size() % 2 != 0) throw InputError("SEVERN_PSEUDONYM_KEY must have an even number of hex digits");
  std::string key;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const auto nibble = [&](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      throw InputError("SEVERN_PSEUDONYM_KEY must be hex digits only");
    };
    key += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
  }
  return Pseudonymiser(std::move(key));
}

std::array<std::uint8_t, 32> Pseudonymiser::pseudonym(std::uint64_t nhs_number) const {
  thread_local std::unique_ptr<EVP_MD_CTX, CtxDeleter> work(EVP_MD_CTX_new());
  char digits[10];
  nhs_digits(nhs_number, digits);
  std::array<std::uint8_t, 32> inner{}, out{};
  unsigned int n = 0;
  check(EVP_MD_CTX_copy_ex(work.get(), states_->inner), "copy");
  check(EVP_DigestUpdate(work.get(), digits, sizeof digits), "update");
  check(EVP_DigestFinal_ex(work.get(), inner.data(), &n), "final");
  check(EVP_MD_CTX_copy_ex(work.get(), states_->outer), "copy");
  check(EVP_DigestUpdate(work.get(), inner.data(), inner.size()), "update");
  check(EVP_DigestFinal_ex(work.get(), out.data(), &n), "final");
  return out;
}

std::array<std::uint8_t, 32> Pseudonymiser::pseudonym_reference(std::uint64_t nhs_number) const {
  char digits[10];
  nhs_digits(nhs_number, digits);
  std::array<std::uint8_t, 32> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(digits), sizeof digits, out.data(), &len);
  return out;
}

std::string Pseudonymiser::key_id() const {
  std::string material = "severn pseudonym key id" + key_;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(material.data()), material.size(), digest);
  OPENSSL_cleanse(material.data(), material.size());
  return to_hex(digest, 8);
}

}  // namespace severn::identity
