"""calcml.integrate.rules: observed orders, exactness of Gauss–Legendre, Monte Carlo's
1/sqrt(n), bad input."""

import math

import numpy as np
import pytest

from calcml.integrate import gauss_legendre, monte_carlo, riemann_sum, simpson, trapezoid

EXACT = math.e - 1  # ∫_0^1 e^x dx


def _order(rule, ns=(16, 32, 64)):
    errors = [abs(rule(np.exp, 0, 1, n) - EXACT) for n in ns]
    return np.polyfit(np.log(ns), np.log(errors), 1)[0]


@pytest.mark.parametrize(("rule", "order"), [
    (lambda f, a, b, n: riemann_sum(f, a, b, n, "left"), 1),
    (lambda f, a, b, n: riemann_sum(f, a, b, n, "right"), 1),
    (lambda f, a, b, n: riemann_sum(f, a, b, n, "midpoint"), 2),
    (trapezoid, 2),
    (simpson, 4),
])
def test_observed_orders(rule, order):
    assert -_order(rule) == pytest.approx(order, abs=0.05)


def test_a_kink_off_the_grid_or_a_singular_end_destroys_simpsons_order():
    c = 1 / math.sqrt(5)  # (for a kink at 1/3 Simpson happens to be exact on 2^k strips)
    ns = np.array([16, 32, 64, 128, 256])
    for f, exact in ((lambda x: np.abs(x - c), (c**2 + (1 - c) ** 2) / 2), (np.sqrt, 2 / 3)):
        errors = [abs(simpson(f, 0, 1, int(n)) - exact) for n in ns]
        assert -np.polyfit(np.log(ns), np.log(errors), 1)[0] < 2.7


def test_left_and_right_sums_bracket_an_increasing_function():
    assert riemann_sum(np.exp, 0, 1, 10, "left") < EXACT < riemann_sum(np.exp, 0, 1, 10, "right")


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_gauss_legendre_is_exact_to_degree_2n_minus_1(n):
    rng = np.random.default_rng(n)
    c = rng.normal(size=2 * n)  # a polynomial of degree 2n - 1
    p = np.polynomial.Polynomial(c)
    exact = p.integ()(2.0) - p.integ()(-0.5)
    assert gauss_legendre(p, -0.5, 2.0, n) == pytest.approx(exact, rel=1e-12, abs=1e-12)
    q = np.polynomial.Polynomial([0] * (2 * n) + [1])  # x^(2n): not exact
    assert abs(gauss_legendre(q, 0, 1, n) - 1 / (2 * n + 1)) > 1e-14


def test_simpson_is_exact_for_cubics_and_needs_even_n():
    assert simpson(lambda x: x**3 - x, 0, 2, 2) == pytest.approx(2.0, rel=1e-15)
    with pytest.raises(ValueError, match="even"):
        simpson(np.exp, 0, 1, 3)


def test_monte_carlo_error_falls_like_one_over_sqrt_n_and_is_honest():
    rng = np.random.default_rng(0)
    small = monte_carlo(np.exp, 0, 1, 1_000, rng)
    big = monte_carlo(np.exp, 0, 1, 100_000, rng)
    assert big.error == pytest.approx(small.error / 10, rel=0.1)
    assert abs(big.value - EXACT) < 4 * big.error


def test_monte_carlo_over_a_box():
    rng = np.random.default_rng(1)
    d = 10
    r = monte_carlo(lambda x: np.sum(x**2, axis=1), [0] * d, [1] * d, 200_000, rng)
    assert abs(r.value - d / 3) < 4 * r.error


def test_each_rule_calls_f_once_on_an_array():
    calls = []

    def f(x):
        calls.append(np.shape(x))
        return x**2

    for rule in (trapezoid, simpson, gauss_legendre):
        rule(f, 0, 1, 8)
    riemann_sum(f, 0, 1, 8, "midpoint")
    assert len(calls) == 4
    assert all(len(c) == 1 and c[0] > 1 for c in calls)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: trapezoid("f", 0, 1, 4), TypeError, "function"),
    (lambda: trapezoid(np.exp, 0, np.inf, 4), ValueError, "finite"),
    (lambda: trapezoid(np.exp, 0, 1, 0), ValueError, "whole number"),
    (lambda: trapezoid(np.exp, 0, 1, 2.5), ValueError, "whole number"),
    (lambda: riemann_sum(np.exp, 0, 1, 4, "upper"), ValueError, "left"),
    (lambda: trapezoid(np.log, -1, 1, 4), ValueError, "not finite"),
    (lambda: monte_carlo(np.exp, 0, 1, 10, 0), TypeError, "Generator"),
])
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
