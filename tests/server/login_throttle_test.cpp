// Login throttling: the lockout, its expiry, the per-address limit, unknown names treated like
// real ones, and the memory bound under a spray of names.
#include "server/login_throttle.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace severn::server {
namespace {

using namespace std::chrono_literals;
using Clock = LoginThrottle::Clock;

const Clock::time_point t0 = Clock::time_point{} + 1000h;

TEST(LoginThrottle, FifthConsecutiveFailureLocksForTheLockout) {
  LoginThrottle t;  // 5 failures, 900 s
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(t.check("alice", "10.0.0.1", t0 + i * 1s), ThrottleDecision::kAllowed);
    t.failed("alice", t0 + i * 1s);
  }
  EXPECT_EQ(t.check("alice", "10.0.0.1", t0 + 4s), ThrottleDecision::kAllowed);
  EXPECT_EQ(t.retry_after("alice", "10.0.0.1", t0 + 4s), 0s);
  t.failed("alice", t0 + 4s);  // the fifth
  EXPECT_EQ(t.check("alice", "10.0.0.2", t0 + 5s), ThrottleDecision::kUserLocked);
  EXPECT_EQ(t.retry_after("alice", "10.0.0.2", t0 + 5s), 899s);
  EXPECT_EQ(t.retry_after("alice", "10.0.0.2", t0 + 5s + 500ms), 899s);  // rounded up
  // Another user, and the same user from any address, are unaffected / locked respectively.
  EXPECT_EQ(t.check("bob", "10.0.0.2", t0 + 5s), ThrottleDecision::kAllowed);
  EXPECT_EQ(t.check("alice", "10.9.9.9", t0 + 903s), ThrottleDecision::kUserLocked);
  // Expired after 900 s from the fifth failure.
  EXPECT_EQ(t.check("alice", "10.9.9.9", t0 + 904s), ThrottleDecision::kAllowed);
  EXPECT_EQ(t.retry_after("alice", "10.9.9.9", t0 + 904s), 0s);
  // And the count starts again: four more failures do not lock.
  for (int i = 0; i < 4; ++i) t.failed("alice", t0 + 905s);
  EXPECT_EQ(t.check("alice", "10.9.9.9", t0 + 906s), ThrottleDecision::kAllowed);
  t.failed("alice", t0 + 906s);
  EXPECT_EQ(t.check("alice", "10.9.9.9", t0 + 907s), ThrottleDecision::kUserLocked);
}

TEST(LoginThrottle, SuccessResetsTheCount) {
  LoginThrottle t;
  for (int i = 0; i < 4; ++i) t.failed("carol", t0);
  t.succeeded("carol");
  for (int i = 0; i < 4; ++i) t.failed("carol", t0 + 1s);
  EXPECT_EQ(t.check("carol", "a", t0 + 2s), ThrottleDecision::kAllowed);
  t.failed("carol", t0 + 2s);
  EXPECT_EQ(t.check("carol", "a", t0 + 3s), ThrottleDecision::kUserLocked);
}

TEST(LoginThrottle, FailuresWhileLockedDoNotExtendTheLock) {
  LoginThrottle t(ThrottlePolicy{3, 60s, 1000});
  for (int i = 0; i < 3; ++i) t.failed("d", t0);
  t.failed("d", t0 + 30s);
  EXPECT_EQ(t.check("d", "a", t0 + 59s), ThrottleDecision::kUserLocked);
  EXPECT_EQ(t.check("d", "a", t0 + 60s), ThrottleDecision::kAllowed);
}

TEST(LoginThrottle, UnknownNamesAreLockedExactlyLikeRealOnes) {
  // The throttle never learns which names exist: the same sequence gives the same answers.
  LoginThrottle t;
  std::vector<ThrottleDecision> real, unknown;
  for (int i = 0; i < 7; ++i) {
    real.push_back(t.check("a.clinician", "10.0.0.1", t0 + i * 1s));
    t.failed("a.clinician", t0 + i * 1s);
    unknown.push_back(t.check("no.such.person", "10.0.0.2", t0 + i * 1s));
    t.failed("no.such.person", t0 + i * 1s);
  }
  EXPECT_EQ(real, unknown);
  EXPECT_EQ(real[4], ThrottleDecision::kAllowed);
  EXPECT_EQ(real[5], ThrottleDecision::kUserLocked);
  EXPECT_EQ(t.retry_after("a.clinician", "x", t0 + 7s), t.retry_after("no.such.person", "y", t0 + 7s));
}

TEST(LoginThrottle, AddressLimitPerMinute) {
  LoginThrottle t;  // 20 attempts per address per minute
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(t.check("user" + std::to_string(i), "192.0.2.7", t0 + i * 100ms), ThrottleDecision::kAllowed) << i;
  EXPECT_EQ(t.check("fresh", "192.0.2.7", t0 + 3s), ThrottleDecision::kAddressThrottled);
  EXPECT_EQ(t.retry_after("fresh", "192.0.2.7", t0 + 3s), 57s);
  EXPECT_EQ(t.check("fresh", "192.0.2.8", t0 + 3s), ThrottleDecision::kAllowed);  // another address
  EXPECT_EQ(t.check("fresh", "192.0.2.7", t0 + 59s), ThrottleDecision::kAddressThrottled);
  EXPECT_EQ(t.check("fresh", "192.0.2.7", t0 + 60s), ThrottleDecision::kAllowed);  // a new minute
  // The address limit outranks a user lock: a throttled address learns nothing about the user.
  for (int i = 0; i < 5; ++i) t.failed("locked", t0 + 60s);
  for (int i = 0; i < 20; ++i) t.check("x", "192.0.2.9", t0 + 61s);
  EXPECT_EQ(t.check("locked", "192.0.2.9", t0 + 61s), ThrottleDecision::kAddressThrottled);
}

TEST(LoginThrottle, MemoryStaysBoundedUnderASprayOfNames) {
  LoginThrottle t;  // remembers at most 10,000 names and 10,000 addresses
  // A real user locked just before the spray begins.
  for (int i = 0; i < 5; ++i) t.failed("a.clinician", t0);
  for (int i = 0; i < 100000; ++i) {
    const auto now = t0 + std::chrono::milliseconds(i);
    const std::string name = "spray" + std::to_string(i);
    const std::string address = "203.0." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256) + "/" + std::to_string(i);
    t.check(name, address, now);
    t.failed(name, now);
    ASSERT_LE(t.tracked_users(), 10000u);
    ASSERT_LE(t.tracked_addresses(), 10000u);
  }
  // Unlocked one-failure names went first: the real lock survived 100,000 sprayed names.
  EXPECT_EQ(t.check("a.clinician", "10.0.0.1", t0 + 100s), ThrottleDecision::kUserLocked);
  // Names longer than any real one share a key rather than growing the table.
  const std::size_t before = t.tracked_users();
  for (int i = 0; i < 100; ++i) t.failed(std::string(1000, 'z') + std::to_string(i), t0 + 101s);
  EXPECT_LE(t.tracked_users(), before + 1);
}

TEST(LoginThrottle, ConcurrentUseIsSafe) {
  LoginThrottle t(ThrottlePolicy{1000000, 900s, 1000000});
  std::vector<std::thread> threads;
  for (int k = 0; k < 8; ++k)
    threads.emplace_back([&t, k] {
      for (int i = 0; i < 2000; ++i) {
        t.check("shared", "addr" + std::to_string(k), t0);
        t.failed("shared", t0);
        if (i % 100 == 0) t.retry_after("shared", "addr", t0);
      }
    });
  for (auto& th : threads) th.join();
  // 16,000 failures under a threshold of 1e6: still allowed, and one entry.
  EXPECT_EQ(t.check("shared", "z", t0), ThrottleDecision::kAllowed);
  EXPECT_EQ(t.tracked_users(), 1u);
}

}  // namespace
}  // namespace severn::server
