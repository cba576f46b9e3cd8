// Login throttling: a lockout per user name and a rate limit per client address. Thread-safe.
// Failures are counted per user name whether or not the user exists, so the answers never reveal
// which names are real. Memory is bounded: at most max_tracked_users names and
// max_tracked_addresses addresses are remembered; past that, entries that no longer matter
// (expired locks, stale windows) go first, then the least recently active unlocked names, so an
// attacker spraying names cannot grow the tables or easily push a real lock out.
#pragma once
#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

namespace severn::server {

struct ThrottlePolicy {
  int max_failures = 5;                        // consecutive failures that lock a user name
  std::chrono::seconds lockout{900};           // how long the lock lasts
  int max_attempts_per_address_per_minute = 20;
  std::size_t max_tracked_users = 10000;
  std::size_t max_tracked_addresses = 10000;
};

enum class ThrottleDecision { kAllowed, kUserLocked, kAddressThrottled };

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LoginThrottle(ThrottlePolicy policy = {});
  ~LoginThrottle();
  LoginThrottle(LoginThrottle&&) noexcept;
  LoginThrottle& operator=(LoginThrottle&&) noexcept;

  // Counts the attempt against the address (in fixed one-minute windows), then answers:
  // kAddressThrottled when the address is over its limit this minute, else kUserLocked while the
  // user name is locked, else kAllowed.
  ThrottleDecision check(std::string_view user, std::string_view address, Clock::time_point now);
  // A failed login: the max_failures-th consecutive failure locks the user name for `lockout`.
  void failed(std::string_view user, Clock::time_point now);
  // A successful login: resets the user name's failures.
  void succeeded(std::string_view user);
  // Whole seconds (rounded up) until check could allow this user from this address; 0 if now.
  std::chrono::seconds retry_after(std::string_view user, std::string_view address, Clock::time_point now) const;

  // How many user names and addresses are remembered (for the memory bound's tests).
  std::size_t tracked_users() const;
  std::size_t tracked_addresses() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace severn::server
