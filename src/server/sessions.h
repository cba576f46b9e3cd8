// Signed-in sessions, held in memory (a restart signs everyone out). Thread-safe.
// Session ids and CSRF tokens are 32 bytes from OpenSSL's RAND_bytes as 64 lowercase hex
// characters. The store is keyed by SHA-256 of the id, so the time a lookup takes says nothing
// about how much of a guessed id matched a real one.
#pragma once
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/roles.h"
#include "server/users.h"

namespace severn::server {

struct Session {
  std::string id, csrf_token, user;
  Role role = Role::kAnalyst;
  std::vector<std::string> pcns, providers;
  std::chrono::steady_clock::time_point created, last_seen;
};

struct SessionPolicy {
  std::chrono::seconds idle{1800};          // ends after this long without a request
  std::chrono::seconds absolute{8 * 3600};  // ends this long after sign-in, however active
  std::size_t max_sessions = 10000;
};

// 32 random bytes (RAND_bytes) as 64 lowercase hex characters.
std::string random_token_hex();

class SessionStore {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SessionStore(SessionPolicy policy = {});
  ~SessionStore();
  SessionStore(SessionStore&&) noexcept;
  SessionStore& operator=(SessionStore&&) noexcept;

  // A new session with a fresh id and CSRF token (never one the client chose: no fixation). When
  // the store is full, expired sessions go, then the least recently seen one.
  Session create(const User& user, Clock::time_point now);
  // The session, with last_seen set to now; nullopt when unknown or expired (and an expired one
  // is erased).
  std::optional<Session> find(std::string_view id, Clock::time_point now);
  bool remove(std::string_view id);
  // Ends every session of the user (on disabling them or changing their password).
  void remove_user(std::string_view user);
  std::size_t size() const;
  // Constant time (CRYPTO_memcmp); false when either is empty or their lengths differ.
  static bool csrf_matches(const Session& s, std::string_view token);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace severn::server
