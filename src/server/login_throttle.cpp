#include "server/login_throttle.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace severn::server {
namespace {

using Clock = LoginThrottle::Clock;
constexpr std::chrono::seconds kAddressWindow{60};
// Keys are cut to these lengths: real user names have at most 64 characters and addresses at
// most 45 (IPv6), so longer keys only ever come from an attacker and may share an entry.
constexpr std::size_t kMaxUserKey = 65, kMaxAddressKey = 64;

struct UserFailures {
  int consecutive = 0;
  Clock::time_point locked_until{};
  Clock::time_point last_failure{};
};

struct AddressWindow {
  Clock::time_point start{};
  int attempts = 0;
};

std::chrono::seconds ceil_seconds(Clock::duration d) {
  if (d <= Clock::duration::zero()) return std::chrono::seconds{0};
  return std::chrono::ceil<std::chrono::seconds>(d);
}

// Shrinks a table to 90% of its limit, erasing first what `stale` says no longer matters and
// then the entries `older` orders first. Runs once per tenth of the limit's insertions, so the
// cost is amortised.
template <typename Map, typename Stale, typename Older>
void prune(Map& map, std::size_t limit, Stale stale, Older older) {
  if (map.size() < limit) return;
  std::erase_if(map, [&](const auto& kv) { return stale(kv.second); });
  const std::size_t target = limit - limit / 10;
  if (map.size() <= target) return;
  std::vector<typename Map::iterator> order;
  order.reserve(map.size());
  for (auto it = map.begin(); it != map.end(); ++it) order.push_back(it);
  const std::size_t drop = map.size() - target;
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(drop), order.end(),
                   [&](const auto& a, const auto& b) { return older(a->second, b->second); });
  for (std::size_t i = 0; i < drop; ++i) map.erase(order[i]);
}

}  // namespace

struct LoginThrottle::State {
  ThrottlePolicy policy;
  mutable std::mutex mutex;
  std::unordered_map<std::string, UserFailures> users;
  std::unordered_map<std::string, AddressWindow> addresses;
  Clock::time_point latest{};  // the latest `now` seen, for deciding what is stale when pruning

  bool locked(const UserFailures& u, Clock::time_point now) const { return u.locked_until > now; }
};

LoginThrottle::LoginThrottle(ThrottlePolicy policy) : state_(std::make_unique<State>()) {
  state_->policy = policy;
  state_->policy.max_tracked_users = std::max<std::size_t>(policy.max_tracked_users, 10);
  state_->policy.max_tracked_addresses = std::max<std::size_t>(policy.max_tracked_addresses, 10);
}
LoginThrottle::~LoginThrottle() = default;
LoginThrottle::LoginThrottle(LoginThrottle&&) noexcept = default;
LoginThrottle& LoginThrottle::operator=(LoginThrottle&&) noexcept = default;

ThrottleDecision LoginThrottle::check(std::string_view user, std::string_view address, Clock::time_point now) {
  State& s = *state_;
  const std::lock_guard lock(s.mutex);
  s.latest = std::max(s.latest, now);
  const std::string address_key(address.substr(0, kMaxAddressKey));
  auto it = s.addresses.find(address_key);
  if (it == s.addresses.end()) {
    prune(
        s.addresses, s.policy.max_tracked_addresses,
        [&](const AddressWindow& w) { return s.latest - w.start >= kAddressWindow; },
        [](const AddressWindow& a, const AddressWindow& b) { return a.start < b.start; });
    it = s.addresses.emplace(address_key, AddressWindow{now, 0}).first;
  }
  AddressWindow& window = it->second;
  if (now - window.start >= kAddressWindow) window = AddressWindow{now, 0};
  if (window.attempts < s.policy.max_attempts_per_address_per_minute + 1) ++window.attempts;
  if (window.attempts > s.policy.max_attempts_per_address_per_minute) return ThrottleDecision::kAddressThrottled;

  const auto u = s.users.find(std::string(user.substr(0, kMaxUserKey)));
  if (u != s.users.end() && s.locked(u->second, now)) return ThrottleDecision::kUserLocked;
  return ThrottleDecision::kAllowed;
}

void LoginThrottle::failed(std::string_view user, Clock::time_point now) {
  State& s = *state_;
  const std::lock_guard lock(s.mutex);
  s.latest = std::max(s.latest, now);
  const std::string key(user.substr(0, kMaxUserKey));
  auto it = s.users.find(key);
  if (it == s.users.end()) {
    // Stale: neither locked nor failed within a lockout period (its count no longer matters much).
    // Evicted first among the rest: unlocked names, least recently failed; then the locks that end soonest.
    prune(
        s.users, s.policy.max_tracked_users,
        [&](const UserFailures& f) { return !s.locked(f, s.latest) && s.latest - f.last_failure >= s.policy.lockout; },
        [&](const UserFailures& a, const UserFailures& b) {
          const bool la = s.locked(a, s.latest), lb = s.locked(b, s.latest);
          if (la != lb) return !la;
          return la ? a.locked_until < b.locked_until : a.last_failure < b.last_failure;
        });
    it = s.users.emplace(key, UserFailures{}).first;
  }
  UserFailures& f = it->second;
  if (s.locked(f, now)) return;  // a failure while locked (a race with check) neither extends nor counts
  ++f.consecutive;
  f.last_failure = now;
  if (f.consecutive >= s.policy.max_failures) {
    f.locked_until = now + s.policy.lockout;
    f.consecutive = 0;
  }
}

void LoginThrottle::succeeded(std::string_view user) {
  const std::lock_guard lock(state_->mutex);
  state_->users.erase(std::string(user.substr(0, kMaxUserKey)));
}

std::chrono::seconds LoginThrottle::retry_after(std::string_view user, std::string_view address,
                                                Clock::time_point now) const {
  const State& s = *state_;
  const std::lock_guard lock(s.mutex);
  Clock::duration wait = Clock::duration::zero();
  if (const auto a = s.addresses.find(std::string(address.substr(0, kMaxAddressKey))); a != s.addresses.end()) {
    const AddressWindow& w = a->second;
    if (now - w.start < kAddressWindow && w.attempts >= s.policy.max_attempts_per_address_per_minute)
      wait = std::max(wait, w.start + kAddressWindow - now);
  }
  if (const auto u = s.users.find(std::string(user.substr(0, kMaxUserKey))); u != s.users.end() && s.locked(u->second, now))
    wait = std::max(wait, u->second.locked_until - now);
  return ceil_seconds(wait);
}

std::size_t LoginThrottle::tracked_users() const {
  const std::lock_guard lock(state_->mutex);
  return state_->users.size();
}

std::size_t LoginThrottle::tracked_addresses() const {
  const std::lock_guard lock(state_->mutex);
  return state_->addresses.size();
}

}  // namespace severn::server
