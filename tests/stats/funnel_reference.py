#!/usr/bin/env python3
# Independent reference values for tests/stats/funnel_test.cpp (kCountLimitsReference and
# kProportionLimitsReference in funnel_vectors.h), computed with mpmath at 40 significant digits
# without Boost: the continuous Poisson control limits of a count with expectation mu are found by
# bisecting the regularised lower incomplete gamma function P(a, mu) in its shape a, and the
# proportion limits from the normal quantile. Run: python3 tests/stats/funnel_reference.py
from mpmath import mp, mpf, gammainc, exp, sqrt, erfinv

mp.dps = 40


def shape_for(mu, p):
    """The shape a with P(a, mu) = p; P falls as a rises."""
    spread = 20 * sqrt(mu) + 50  # the limits lie within a few standard deviations of mu
    lo, hi = max(mpf("1e-30"), mu - spread), mu + spread
    for _ in range(240):
        mid = (lo + hi) / 2
        if gammainc(mid, 0, mu, regularized=True) > p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def count_limits(mu, c):
    mu, c = mpf(mu), mpf(c)
    upper_tail = (1 + c) / 2
    lower = mpf(0)
    if 1 - exp(-mu) > upper_tail:
        lower = shape_for(mu, upper_tail) - 1  # the count whose exact upper limit is mu
    return lower, shape_for(mu, (1 - c) / 2)  # the count whose exact lower limit is mu


def proportion_limits(target, n, c):
    t, n, c = mpf(target), mpf(n), mpf(c)
    z = sqrt(2) * erfinv(c)
    h = z * sqrt(t * (1 - t) / n)
    return max(mpf(0), t - h), min(mpf(1), t + h)


print("expected,confidence,lower,upper")
for mu in ["0.01", "0.05", "0.5", "1", "3.7", "10", "25.5", "100", "1234.5", "100000"]:
    for c in ["0.95", "0.998"]:
        lo, up = count_limits(mu, c)
        print(f"{mu},{c},{mp.nstr(lo, 17)},{mp.nstr(up, 17)}")
print()
print("target,denominator,confidence,lower,upper")
for t, n in [("0.3", "50"), ("0.8064", "1"), ("0.001", "200"), ("0.999", "4000"), ("0.5", "1000000")]:
    for c in ["0.95", "0.998"]:
        lo, up = proportion_limits(t, n, c)
        print(f"{t},{n},{c},{mp.nstr(lo, 17)},{mp.nstr(up, 17)}")
