// Erlang C against published values and closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "elective/queue_erlang.h"

namespace severn::elective {
namespace {

TEST(QueueErlang, PublishedWorkedExample) {
  // pyworkforce 0.1.0 (PyPI project page, README example): 100 transactions in 30 minutes, 3-minute
  // handling time (10 erlangs), 14 positions: occupancy 0.7142857142857143, waiting probability
  // 0.1741319335950498, service level 0.8883500191794669 for an answer within 20 seconds.
  const double a = 100.0 * 3.0 / 30.0;
  EXPECT_NEAR(a / 14, 0.7142857142857143, 1e-15);
  const double c = erlang_c(14, a);
  EXPECT_NEAR(c, 0.1741319335950498, 1e-13);
  const double service_level = 1.0 - c * std::exp(-(14 - a) * (20.0 / 60.0) / 3.0);
  EXPECT_NEAR(service_level, 0.8883500191794669, 1e-13);
}

TEST(QueueErlang, ClosedFormsForOneAndTwoServers) {
  // M/M/1: P(wait) = rho, Lq = rho^2 / (1 - rho) (Kleinrock 1975, eq. 3.24).
  const MmcResult one = mmc(0.8, 1.0, 1);
  EXPECT_NEAR(one.p_wait, 0.8, 1e-14);
  EXPECT_NEAR(one.mean_queue, 0.64 / 0.2, 1e-12);
  EXPECT_NEAR(one.mean_sojourn, 1.0 / (1.0 - 0.8), 1e-12);
  // M/M/2: P(wait) = 2 rho^2 / (1 + rho). Wolfram's ErlangC documentation (Applications): two
  // 1 Mbps lines, 150 packets a second of 10 kilobits on average: a = 1.5, rho = 0.75 -> 9/14.
  EXPECT_NEAR(erlang_c(2, 1.5), 9.0 / 14.0, 1e-14);
  // The same reference's staffing example: 30 calls an hour of 5 minutes (a = 2.5) needs 6
  // people for a 90% chance of no delay: C(5) = 0.1304 > 0.1 >= C(6) = 0.0474.
  EXPECT_GT(erlang_c(5, 2.5), 0.1);
  EXPECT_LE(erlang_c(6, 2.5), 0.1);
  EXPECT_NEAR(erlang_c(3, 2.0), 4.0 / 9.0, 1e-14);
}

TEST(QueueErlang, LittlesLawHolds) {
  const MmcResult r = mmc(9.0, 1.0, 12);
  EXPECT_NEAR(r.mean_in_system, 9.0 * r.mean_sojourn, 1e-12);
  EXPECT_NEAR(r.mean_queue, 9.0 * r.mean_wait, 1e-12);
}

TEST(QueueErlang, ManyServersStayFinite) {
  const double c = erlang_c(500, 480.0);
  EXPECT_GT(c, 0.0);
  EXPECT_LT(c, 1.0);
}

TEST(QueueErlang, RejectsAnUnstableQueue) {
  EXPECT_THROW(mmc(2.0, 1.0, 2), std::invalid_argument);
  EXPECT_THROW(mmc(1.0, 0.0, 2), std::invalid_argument);
  EXPECT_THROW(erlang_c(0, 0.5), std::invalid_argument);
}

}  // namespace
}  // namespace severn::elective
