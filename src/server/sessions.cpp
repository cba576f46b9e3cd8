#include "server/sessions.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace severn::server {
namespace {

using Clock = SessionStore::Clock;
constexpr std::size_t kTokenBytes = 32;

std::string id_digest(std::string_view id) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
  SHA256(reinterpret_cast<const unsigned char*>(id.data()), id.size(), d.data());
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace

std::string random_token_hex() {
  std::array<unsigned char, kTokenBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("the system random generator failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (const unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

struct SessionStore::State {
  SessionPolicy policy;
  mutable std::mutex mutex;
  std::unordered_map<std::string, Session> by_digest;

  bool expired(const Session& s, Clock::time_point now) const {
    return now - s.last_seen >= policy.idle || now - s.created >= policy.absolute;
  }
};

SessionStore::SessionStore(SessionPolicy policy) : state_(std::make_unique<State>()) {
  state_->policy = policy;
  state_->policy.max_sessions = std::max<std::size_t>(policy.max_sessions, 1);
}
SessionStore::~SessionStore() = default;
SessionStore::SessionStore(SessionStore&&) noexcept = default;
SessionStore& SessionStore::operator=(SessionStore&&) noexcept = default;

Session SessionStore::create(const User& user, Clock::time_point now) {
  Session s;
  s.id = random_token_hex();
  s.csrf_token = random_token_hex();
  s.user = user.name;
  s.role = user.role;
  s.pcns = user.pcns;
  s.providers = user.providers;
  s.created = s.last_seen = now;

  State& st = *state_;
  const std::lock_guard lock(st.mutex);
  if (st.by_digest.size() >= st.policy.max_sessions) {
    std::erase_if(st.by_digest, [&](const auto& kv) { return st.expired(kv.second, now); });
    if (st.by_digest.size() >= st.policy.max_sessions) {
      const auto oldest = std::min_element(st.by_digest.begin(), st.by_digest.end(), [](const auto& a, const auto& b) {
        return a.second.last_seen < b.second.last_seen;
      });
      st.by_digest.erase(oldest);
    }
  }
  st.by_digest.emplace(id_digest(s.id), s);
  return s;
}

std::optional<Session> SessionStore::find(std::string_view id, Clock::time_point now) {
  if (id.size() != 2 * kTokenBytes) return std::nullopt;
  const std::string digest = id_digest(id);
  State& st = *state_;
  const std::lock_guard lock(st.mutex);
  const auto it = st.by_digest.find(digest);
  if (it == st.by_digest.end()) return std::nullopt;
  if (st.expired(it->second, now)) {
    st.by_digest.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = std::max(it->second.last_seen, now);
  return it->second;
}

bool SessionStore::remove(std::string_view id) {
  const std::string digest = id_digest(id);
  const std::lock_guard lock(state_->mutex);
  return state_->by_digest.erase(digest) > 0;
}

void SessionStore::remove_user(std::string_view user) {
  const std::lock_guard lock(state_->mutex);
  std::erase_if(state_->by_digest, [&](const auto& kv) { return kv.second.user == user; });
}

std::size_t SessionStore::size() const {
  const std::lock_guard lock(state_->mutex);
  return state_->by_digest.size();
}

bool SessionStore::csrf_matches(const Session& s, std::string_view token) {
  if (s.csrf_token.empty() || token.empty() || token.size() != s.csrf_token.size()) return false;
  return CRYPTO_memcmp(s.csrf_token.data(), token.data(), token.size()) == 0;
}

}  // namespace severn::server
