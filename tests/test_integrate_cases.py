"""Definite integrals with a parameter: each case of the parameter on its own, checked
against the integral at values of the parameter; never one branch for every value."""

import math

import numpy as np
import pytest
import sympy as sp
from scipy import integrate as si

from calcml.integrate import integral_steps
from calcml.integrate.cases import spot_check

a = sp.Symbol("a", real=True)


def value_at(result, v):
    return complex(sp.N(result.subs(a, v)))


@pytest.mark.parametrize(("text", "bounds", "exact"), [
    # (integrand, bounds, the value as a function of a real a: a float, inf or nan)
    ("1/(x^2+a^2)", (0, 1), lambda v: math.atan(1 / abs(v)) / abs(v) if v else math.inf),
    ("1/(x^2+a^2)", (-1, 1), lambda v: 2 * math.atan(1 / abs(v)) / abs(v) if v else math.inf),
    ("1/(x^2+a^2)", (0, "oo"), lambda v: math.pi / (2 * abs(v)) if v else math.inf),
    ("1/(x^2+a^2)", (1, 0), lambda v: -math.atan(1 / abs(v)) / abs(v) if v else -math.inf),
    ("x^a", (0, 1), lambda v: 1 / (v + 1) if v > -1 else math.inf),
    ("x^a", (1, "oo"), lambda v: -1 / (v + 1) if v < -1 else math.inf),
    ("exp(-a*x)", (0, "oo"), lambda v: 1 / v if v > 0 else math.inf),
    ("exp(-a*x^2)", ("-oo", "oo"), lambda v: math.sqrt(math.pi / v) if v > 0 else math.inf),
    ("sin(a*x)", (0, "pi"), lambda v: (1 - math.cos(math.pi * v)) / v if v else 0.0),
    # a pole at x = −a: inside (0, 1) for −1 < a < 0 (no value), at an end for a = 0, −1
    ("1/(x+a)", (0, 1), lambda v: (math.inf if v == 0 else -math.inf if v == -1
                                   else math.nan if -1 < v < 0 else math.log((v + 1) / v))),
])
def test_a_parameter_integral_is_right_for_every_value_of_the_parameter(text, bounds, exact):
    r = integral_steps(text, bounds=bounds)
    assert r.result is not None, r.message
    assert "depends on a" in r.message
    for v in (-3.5, -2, -1, -0.6, -0.25, 0, 0.3, 1, 2.5, 7):
        want, got = exact(v), value_at(r.result, sp.Rational(v).limit_denominator(100))
        if math.isnan(want):
            assert math.isnan(got.real), (v, got)
        elif math.isinf(want):
            assert got == want, (v, got)
        else:
            assert abs(got - want) < 1e-10 * max(1, abs(want)), (v, got, want)
    assert "cases" in r.rules()


def test_a_value_that_holds_for_every_parameter_is_one_formula():
    assert integral_steps("a*x", bounds=(0, 1)).result == a / 2
    r = integral_steps("a*x + b", bounds=(0, 2))
    assert sp.simplify(r.result - (2 * sp.Symbol("a", real=True) + 2 * sp.Symbol("b", real=True))) == 0


def test_the_spot_check_catches_a_formula_that_fails_for_some_values():
    x = sp.Symbol("x", real=True)

    def numeric(g):
        v, err = si.quad(sp.lambdify(x, g, "math"), 0, 1)
        return v, err < 1e-9

    # SymPy's limit once took the a = 0 branch for every a: ∞ + atan(1/|a|)/|a|
    wrong = sp.oo + sp.atan(1 / sp.Abs(a)) / sp.Abs(a)
    bad = spot_check(1 / (x**2 + a**2), x, sp.S.Zero, sp.S.One, wrong, [a], numeric)
    assert bad is not None
    assert bad[1] == sp.oo
    assert np.isclose(bad[2], math.atan(1 / 0.7) / 0.7)
    right = sp.atan(1 / sp.Abs(a)) / sp.Abs(a)
    assert spot_check(1 / (x**2 + a**2), x, sp.S.Zero, sp.S.One, right, [a], numeric) is None


def test_an_undecided_parameter_integral_says_so_in_words():
    r = integral_steps("exp(-a*x)*sin(x)^2/(1+x^2)", bounds=(0, "oo"), timeout=3)
    if r.result is not None:  # decided: it must then be right where checked
        for v in (0.5, 2):
            g = lambda t, v=v: math.exp(-v * t) * math.sin(t) ** 2 / (1 + t * t)
            assert abs(value_at(r.result, v) - si.quad(g, 0, math.inf)[0]) < 1e-7
    else:
        assert "depends on a" in r.message
        assert "Traceback" not in r.message
        assert "lambdify" not in r.message
