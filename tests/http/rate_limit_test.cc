// Token buckets with an injected clock, the per-org concurrency cap, and the client certificate
// as a second factor.
#include "http/rate_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "http/tls.h"

namespace markaz::http {
namespace {

using namespace std::chrono_literals;
using Clock = TokenBuckets::Clock;

TEST(TokenBuckets, OffLetsEverythingThrough) {
  TokenBuckets buckets(RateLimit{0, 1});
  const Clock::time_point t0{};
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(buckets.Take("tok", t0).allowed);
}

TEST(TokenBuckets, NewKeyGetsTheWholeBurstThenIsRefused) {
  TokenBuckets buckets(RateLimit{2, 5});
  const Clock::time_point t0 = Clock::time_point{} + 100s;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(buckets.Take("tok", t0).allowed) << i;
  RateDecision refused = buckets.Take("tok", t0);
  EXPECT_FALSE(refused.allowed);
  // Empty bucket, 2 tokens a second: one token in 0.5 s, rounded up to whole seconds.
  EXPECT_EQ(refused.retry_after, 1s);
}

TEST(TokenBuckets, RefillsAtTheRateAndNeverAboveTheBurst) {
  TokenBuckets buckets(RateLimit{2, 3});
  const Clock::time_point t0 = Clock::time_point{} + 100s;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(buckets.Take("tok", t0).allowed);
  ASSERT_FALSE(buckets.Take("tok", t0).allowed);
  // 1.5 s later: 3 tokens' worth of time, exactly the burst.
  const Clock::time_point t1 = t0 + 1500ms;
  EXPECT_TRUE(buckets.Take("tok", t1).allowed);
  EXPECT_TRUE(buckets.Take("tok", t1).allowed);
  EXPECT_TRUE(buckets.Take("tok", t1).allowed);
  EXPECT_FALSE(buckets.Take("tok", t1).allowed);
  // An hour of idleness still gives only the burst.
  const Clock::time_point t2 = t1 + 1h;
  int allowed = 0;
  while (buckets.Take("tok", t2).allowed) ++allowed;
  EXPECT_EQ(allowed, 3);
}

TEST(TokenBuckets, RetryAfterIsTheTimeToTheNextTokenRoundedUp) {
  struct {
    double rate;
    std::chrono::milliseconds elapsed_after_empty;
    std::chrono::seconds expected;
  } cases[] = {
      {0.1, 0ms, 10s},     // one token every 10 s
      {0.1, 2500ms, 8s},   // 7.5 s to go → 8
      {0.25, 1000ms, 3s},  // 4 s a token, 1 s gone
      {100, 0ms, 1s},      // 10 ms to go: never less than 1
  };
  for (const auto& c : cases) {
    TokenBuckets buckets(RateLimit{c.rate, 1});
    const Clock::time_point t0 = Clock::time_point{} + 1000s;
    ASSERT_TRUE(buckets.Take("tok", t0).allowed);
    RateDecision d = buckets.Take("tok", t0 + c.elapsed_after_empty);
    EXPECT_FALSE(d.allowed) << c.rate;
    EXPECT_EQ(d.retry_after, c.expected) << c.rate << " after " << c.elapsed_after_empty.count();
  }
}

TEST(TokenBuckets, OneKeysBurstLeavesOtherKeysUntouched) {
  TokenBuckets buckets(RateLimit{1, 2});
  const Clock::time_point t0 = Clock::time_point{} + 100s;
  for (int i = 0; i < 10; ++i) (void)buckets.Take("noisy", t0);
  EXPECT_FALSE(buckets.Take("noisy", t0).allowed);
  EXPECT_TRUE(buckets.Take("quiet", t0).allowed);
  EXPECT_TRUE(buckets.Take("quiet", t0).allowed);
}

TEST(TokenBuckets, AClockReadingFromThePastAddsNothing) {
  TokenBuckets buckets(RateLimit{1, 1});
  const Clock::time_point t0 = Clock::time_point{} + 100s;
  ASSERT_TRUE(buckets.Take("tok", t0).allowed);
  EXPECT_FALSE(buckets.Take("tok", t0 - 10s).allowed);
  EXPECT_TRUE(buckets.Take("tok", t0 + 1s).allowed);
}

TEST(ConcurrencyLimiter, CapsEachKeyAndGivesSlotsBack) {
  ConcurrencyLimiter limiter(2);
  {
    auto a = limiter.TryAcquire("org1");
    auto b = limiter.TryAcquire("org1");
    ASSERT_TRUE(a && b);
    EXPECT_FALSE(limiter.TryAcquire("org1").has_value());
    EXPECT_TRUE(limiter.TryAcquire("org2").has_value());  // another org is unaffected
    EXPECT_EQ(limiter.InFlightForTest("org1"), 2);
    auto moved = std::move(*a);  // a moved slot is given back once, by its new owner
    a.reset();
    EXPECT_EQ(limiter.InFlightForTest("org1"), 2);
  }
  EXPECT_EQ(limiter.InFlightForTest("org1"), 0);
  EXPECT_EQ(limiter.InFlightForTest("org2"), 0);
  EXPECT_TRUE(limiter.TryAcquire("org1").has_value());
}

TEST(ConcurrencyLimiter, ZeroMeansNoLimit) {
  ConcurrencyLimiter limiter(0);
  std::vector<ConcurrencyLimiter::Slot> slots;
  for (int i = 0; i < 100; ++i) {
    auto slot = limiter.TryAcquire("org");
    ASSERT_TRUE(slot.has_value());
    slots.push_back(std::move(*slot));
  }
  EXPECT_EQ(limiter.InFlightForTest("org"), 0);
}

TEST(ConcurrencyLimiter, NeverExceedsTheCapUnderContention) {
  ConcurrencyLimiter limiter(3);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto slot = limiter.TryAcquire("org");
        if (!slot) continue;
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 1);
  EXPECT_EQ(limiter.InFlightForTest("org"), 0);
}

TEST(ClientCertificate, SecondFactorRules) {
  ClientCertPolicy policy;
  policy.org_by_name = {{"host-gw.example", "host"}, {"m2-gw.example", "m2"}};
  struct {
    std::vector<std::string> cert_names;
    std::string token_org;
    std::string expected_reason;  // "" = accepted
  } cases[] = {
      {{"host-gw.example"}, "host", ""},
      {{"Host CN", "host-gw.example"}, "host", ""},  // matched by a SAN
      {{"m2-gw.example"}, "host", "client_cert_mismatch"},
      {{"m2-gw.example", "host-gw.example"}, "host", ""},  // one of its names is the token's org
      {{}, "host", "client_cert_required"},
      {{"unknown.example"}, "host", "client_cert_required"},
      {{}, "p1", ""},                   // an org without certificates: token alone
      {{"unknown.example"}, "p1", ""},  // an unmapped certificate does not help or hurt
      {{"m2-gw.example"}, "p1", "client_cert_mismatch"},  // m2's certificate with p1's token
  };
  for (const auto& c : cases) {
    core::Status s = CheckClientCertificate(policy, c.cert_names, c.token_org);
    EXPECT_EQ(s.ok() ? std::string() : s.reason(), c.expected_reason) << c.token_org;
    if (!s.ok()) {
      EXPECT_EQ(s.code(), core::Code::kUnauthenticated);
    }
  }
  // No policy: no second factor at all.
  EXPECT_TRUE(CheckClientCertificate(ClientCertPolicy{}, {"m2-gw.example"}, "host").ok());
}

}  // namespace
}  // namespace markaz::http
