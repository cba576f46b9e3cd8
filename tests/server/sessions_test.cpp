// Sessions: fresh random ids, idle and absolute expiry, CSRF comparison, ending a user's
// sessions, and the capacity limit.
#include "server/sessions.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace severn::server {
namespace {

using namespace std::chrono_literals;
using Clock = SessionStore::Clock;
const Clock::time_point t0 = Clock::time_point{} + 1000h;

User user(const std::string& name, Role role = Role::kClinician) {
  User u;
  u.name = name;
  u.role = role;
  if (role == Role::kClinician) u.pcns = {"U12345"};
  return u;
}

bool lower_hex_64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(SessionStore, CreatesFreshRandomIdsAndTokens) {
  SessionStore store;
  std::set<std::string> ids, tokens;
  const User u = user("a.clinician");
  for (int i = 0; i < 1000; ++i) {
    const Session s = store.create(u, t0);
    EXPECT_TRUE(lower_hex_64(s.id)) << s.id;
    EXPECT_TRUE(lower_hex_64(s.csrf_token));
    EXPECT_NE(s.id, s.csrf_token);
    ids.insert(s.id);
    tokens.insert(s.csrf_token);
  }
  EXPECT_EQ(ids.size(), 1000u);  // signing in again never reuses an id (no fixation)
  EXPECT_EQ(tokens.size(), 1000u);
  const Session s = store.create(u, t0);
  const auto found = store.find(s.id, t0 + 1s);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user, "a.clinician");
  EXPECT_EQ(found->role, Role::kClinician);
  EXPECT_EQ(found->pcns, std::vector<std::string>{"U12345"});
  EXPECT_EQ(found->csrf_token, s.csrf_token);
  EXPECT_EQ(found->last_seen, t0 + 1s);
  EXPECT_FALSE(store.find("", t0));
  EXPECT_FALSE(store.find(std::string(64, '0'), t0));
  std::string upper = s.id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != s.id) {
    EXPECT_FALSE(store.find(upper, t0 + 1s));
  }
  EXPECT_FALSE(store.find(s.id.substr(0, 63), t0 + 1s));
}

TEST(SessionStore, IdleExpiry) {
  SessionStore store;  // idle 1800 s
  const Session s = store.create(user("u"), t0);
  EXPECT_TRUE(store.find(s.id, t0 + 1799s));
  EXPECT_TRUE(store.find(s.id, t0 + 1799s + 1799s));  // each request renews it
  EXPECT_FALSE(store.find(s.id, t0 + 1799s + 1799s + 1800s));
  EXPECT_FALSE(store.find(s.id, t0 + 1s));  // an expired session was erased, not just hidden
  EXPECT_EQ(store.size(), 0u);
}

TEST(SessionStore, AbsoluteExpiryDespiteActivity) {
  SessionStore store;  // absolute 8 h
  const Session s = store.create(user("u"), t0);
  for (auto t = t0; t < t0 + 8h - 10min; t += 20min) ASSERT_TRUE(store.find(s.id, t));
  EXPECT_TRUE(store.find(s.id, t0 + 8h - 1s));
  EXPECT_FALSE(store.find(s.id, t0 + 8h));
}

TEST(SessionStore, RemoveAndRemoveUser) {
  SessionStore store;
  const Session a1 = store.create(user("a"), t0), a2 = store.create(user("a"), t0), b = store.create(user("b"), t0);
  EXPECT_TRUE(store.remove(a1.id));
  EXPECT_FALSE(store.remove(a1.id));
  EXPECT_FALSE(store.find(a1.id, t0));
  EXPECT_TRUE(store.find(a2.id, t0));
  store.remove_user("a");
  EXPECT_FALSE(store.find(a2.id, t0));
  EXPECT_TRUE(store.find(b.id, t0));
  EXPECT_EQ(store.size(), 1u);
}

TEST(SessionStore, CsrfMatchesOnlyTheExactToken) {
  SessionStore store;
  const Session s = store.create(user("u"), t0);
  EXPECT_TRUE(SessionStore::csrf_matches(s, s.csrf_token));
  EXPECT_FALSE(SessionStore::csrf_matches(s, ""));
  EXPECT_FALSE(SessionStore::csrf_matches(s, s.csrf_token.substr(1)));
  EXPECT_FALSE(SessionStore::csrf_matches(s, s.csrf_token + "0"));
  std::string wrong = s.csrf_token;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(SessionStore::csrf_matches(s, wrong));
  EXPECT_FALSE(SessionStore::csrf_matches(s, s.id));
  Session empty = s;
  empty.csrf_token.clear();
  EXPECT_FALSE(SessionStore::csrf_matches(empty, ""));
}

TEST(SessionStore, FullStoreDropsTheLeastRecentlySeen) {
  SessionStore store(SessionPolicy{1800s, 8h, 3});
  const Session a = store.create(user("a"), t0), b = store.create(user("b"), t0 + 1s), c = store.create(user("c"), t0 + 2s);
  ASSERT_TRUE(store.find(a.id, t0 + 3s));  // a is now the most recently seen; b the least
  const Session d = store.create(user("d"), t0 + 4s);
  EXPECT_EQ(store.size(), 3u);
  EXPECT_FALSE(store.find(b.id, t0 + 5s));
  EXPECT_TRUE(store.find(a.id, t0 + 5s));
  EXPECT_TRUE(store.find(c.id, t0 + 5s));
  EXPECT_TRUE(store.find(d.id, t0 + 5s));
  // Expired sessions go before any live one is dropped.
  SessionStore small(SessionPolicy{10s, 8h, 2});
  const Session old = small.create(user("old"), t0), live = small.create(user("live"), t0 + 20s);
  small.create(user("new"), t0 + 21s);
  EXPECT_TRUE(small.find(live.id, t0 + 22s));
  EXPECT_FALSE(small.find(old.id, t0 + 22s));
}

TEST(SessionStore, ConcurrentUseIsSafe) {
  SessionStore store(SessionPolicy{1800s, 8h, 500});
  std::vector<std::thread> threads;
  for (int k = 0; k < 8; ++k)
    threads.emplace_back([&store, k] {
      const User u = user("u" + std::to_string(k));
      for (int i = 0; i < 500; ++i) {
        const Session s = store.create(u, t0 + std::chrono::milliseconds(i));
        store.find(s.id, t0 + std::chrono::milliseconds(i));
        if (i % 3 == 0) store.remove(s.id);
        if (i % 97 == 0) store.remove_user(u.name);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_LE(store.size(), 500u);
}

}  // namespace
}  // namespace severn::server
