#!/usr/bin/env python3
# Independent point estimates for tests/stats/sii_test.cpp (kTransformedMultiplierReference): the
# SII, RII and intercept of four PHEindicatormethods vectors refitted with the log or logit
# transform and multipliers of 100 and -100, which the package's workbooks never combine.
#
# The rules are PHEindicatormethods v2.1.0, R/SII_function.R (phe_sii, the transform branch):
# fit y = T(value) on the relative rank b with weights a (the regression of y sqrt(a) on sqrt(a)
# and b sqrt(a) without a constant), then with T^-1 the inverse transform,
#   at0 = T^-1(beta0), at1 = T^-1(beta0 + beta1)
#   sii = (at1 - at0) * multiplier
#   rii = at1 / at0, inverted when multiplier < 0
#   intercept = at0 * |multiplier|
# Here the fit solves the 2x2 normal equations by Cramer's rule in 40-digit decimal arithmetic,
# a different route from Severn's centred-slope formula. Run from the project root:
#   python3 tests/stats/sii_reference.py [../shared/testdata/stats/sii_rii.csv]
import csv
import sys
from decimal import Decimal, getcontext

getcontext().prec = 40


def transform(v, value_type):
    return v.ln() if value_type == 1 else (v / (1 - v)).ln()


def back(y, value_type):
    return y.exp() if value_type == 1 else y.exp() / (1 + y.exp())


def point_estimates(population, value, value_type, multiplier):
    total = sum(population)
    a = [p / total for p in population]
    b, cumulative = [], Decimal(0)
    for share in a:
        b.append(cumulative + share / 2)
        cumulative += share
    y = [transform(v, value_type) for v in value]
    # Normal equations of y sqrt(a) = beta0 sqrt(a) + beta1 b sqrt(a).
    s_a = sum(a)
    s_ab = sum(ai * bi for ai, bi in zip(a, b))
    s_abb = sum(ai * bi * bi for ai, bi in zip(a, b))
    s_ay = sum(ai * yi for ai, yi in zip(a, y))
    s_aby = sum(ai * bi * yi for ai, bi, yi in zip(a, b, y))
    det = s_a * s_abb - s_ab * s_ab
    beta0 = (s_ay * s_abb - s_ab * s_aby) / det
    beta1 = (s_a * s_aby - s_ab * s_ay) / det
    at0, at1 = back(beta0, value_type), back(beta0 + beta1, value_type)
    rii = at1 / at0
    if multiplier < 0:
        rii = 1 / rii
    return (at1 - at0) * multiplier, rii, at0 * abs(multiplier)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "../shared/testdata/stats/sii_rii.csv"
    rows = {r["vector_id"]: r for r in csv.DictReader(open(path, newline=""))}
    print("// vector, multiplier, sii, rii, intercept (tests/stats/sii_reference.py)")
    for vector in ("sii-025", "sii-026", "sii-027", "sii-028"):
        r = rows[vector]
        population = [Decimal(x) for x in r["population"].split("|")]
        value = [Decimal(x) for x in r["value"].split("|")]
        for multiplier in (100, -100):
            sii, rii, intercept = point_estimates(population, value, int(r["value_type"]), Decimal(multiplier))
            print(f'{{"{vector}", {multiplier}, {sii:.17g}, {rii:.17g}, {intercept:.17g}}},')


if __name__ == "__main__":
    main()
