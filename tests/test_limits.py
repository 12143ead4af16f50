"""calcml.limits: tables, estimates and diagnoses against SymPy, ε–δ checks, cancellation."""

import doctest
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import calcml.limits
from calcml.functions import relu, sigmoid, softplus, step
from calcml.limits import (
    REWRITES,
    Diagnosis,
    delta_works,
    largest_delta,
    limit_table,
    numeric_limit,
    one_minus_cos_over_x2,
    reference_values,
    relative_error,
)
from calcml.parsing import ExpressionError

x = sp.Symbol("x", real=True)


def test_doctests_pass():
    assert doctest.testmod(calcml.limits).failed == 0


# --- estimates against exact limits -------------------------------------------------------

# (numeric f, SymPy expression, a, side) — a spread of kinds, none tuned to the estimator
KNOWN = {
    "sin(x)/x at 0": (lambda t: np.sin(t) / t, sp.sin(x) / x, 0, "both"),
    "sin(3x)/x at 0": (lambda t: np.sin(3 * t) / t, sp.sin(3 * x) / x, 0, "both"),
    "(1-cos x)/x^2 at 0": (lambda t: (1 - np.cos(t)) / t**2, (1 - sp.cos(x)) / x**2, 0, "both"),
    "(e^x-1)/x at 0": (lambda t: (np.exp(t) - 1) / t, (sp.exp(x) - 1) / x, 0, "both"),
    "(e^x-1-x)/x^2 at 0": (lambda t: (np.exp(t) - 1 - t) / t**2,
                           (sp.exp(x) - 1 - x) / x**2, 0, "both"),
    "(x^2-1)/(x-1) at 1": (lambda t: (t**2 - 1) / (t - 1), (x**2 - 1) / (x - 1), 1, "both"),
    "(x^3-8)/(x-2) at 2": (lambda t: (t**3 - 8) / (t - 2), (x**3 - 8) / (x - 2), 2, "both"),
    "x^2 at 1e8": (lambda t: t**2, x**2, 10**8, "both"),
    "x sin(1/x) at 0": (lambda t: t * np.sin(1 / t), x * sp.sin(1 / x), 0, "both"),
    "x/(x^2+1e-6) at 0": (lambda t: t / (t**2 + 1e-6), x / (x**2 + sp.Rational(1, 10**6)), 0,
                          "both"),  # rises to 500 before it falls to its limit
    "exp(-1/x^2) at 0": (lambda t: np.exp(-1 / t**2), sp.exp(-1 / x**2), 0, "both"),
    "sqrt(x) at 0+": (np.sqrt, sp.sqrt(x), 0, "right"),
    "x^x at 0+": (lambda t: t**t, x**x, 0, "right"),
    "x log x at 0+": (lambda t: t * np.log(t), x * sp.log(x), 0, "right"),
    "sigmoid at inf": (sigmoid, 1 / (1 + sp.exp(-x)), sp.oo, "both"),
    "sigmoid at -inf": (sigmoid, 1 / (1 + sp.exp(-x)), -sp.oo, "both"),
    "(1+1/x)^x at inf": (lambda t: (1 + 1 / t) ** t, (1 + 1 / x) ** x, sp.oo, "both"),
    "x e^-x at inf": (lambda t: t * np.exp(-t), x * sp.exp(-x), sp.oo, "both"),
    "softplus(x)/x at inf": (lambda t: softplus(t) / t, sp.log(1 + sp.exp(x)) / x, sp.oo, "both"),
    "(2x+1)/(3x-5) at -inf": (lambda t: (2 * t + 1) / (3 * t - 5), (2 * x + 1) / (3 * x - 5),
                              -sp.oo, "both"),
    "step at 0-": (step, sp.Heaviside(x), 0, "left"),
    "step at 0+": (step, sp.Heaviside(x), 0, "right"),
    "1/x at 0+": (lambda t: 1 / t, 1 / x, 0, "right"),
    "1/x at 0-": (lambda t: 1 / t, 1 / x, 0, "left"),
    "1/x^2 at 0": (lambda t: 1 / t**2, 1 / x**2, 0, "both"),
    "log x at 0+": (np.log, sp.log(x), 0, "right"),
    "log x at inf": (np.log, sp.log(x), sp.oo, "both"),
    "e^x at inf": (np.exp, sp.exp(x), sp.oo, "both"),
}


@pytest.mark.parametrize("case", KNOWN, ids=list(KNOWN))
def test_estimate_matches_sympy(case):
    f, expr, a, side = KNOWN[case]
    direction = {"both": "+-", "left": "-", "right": "+"}[side]
    if a in (sp.oo, -sp.oo):
        exact = float(sp.limit(expr, x, a))
    else:
        exact = float(sp.limit(expr, x, a, direction))
    estimate = numeric_limit(f, float(a), side)
    if math.isinf(exact):
        assert estimate.diagnosis is Diagnosis.DIVERGES
        assert estimate.value == exact
    else:
        assert estimate.diagnosis is Diagnosis.CONVERGES, estimate.message
        assert estimate.value == pytest.approx(exact, rel=1e-6, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=5), st.floats(-3, 3))
def test_polynomials_are_continuous(coeffs, a):
    def p(t):
        return np.polynomial.polynomial.polyval(t, coeffs)

    estimate = numeric_limit(p, a)
    scale = max(1.0, sum(abs(c) * 4.0**k for k, c in enumerate(coeffs)))
    assert estimate.diagnosis is Diagnosis.CONVERGES
    assert estimate.value == pytest.approx(p(a), abs=1e-6 * scale)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.2, 5), st.floats(-4, 4).filter(lambda v: abs(v) > 0.1), st.floats(-2, 2))
def test_removable_singularities(k, c, a):
    # c sin(k (x - a)) / (x - a) is 0/0 at a, with limit c k
    estimate = numeric_limit(lambda t: c * np.sin(k * (t - a)) / (t - a), a)
    assert estimate.diagnosis is Diagnosis.CONVERGES
    assert estimate.value == pytest.approx(c * k, rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.floats(-3, 3), st.floats(0.5, 3), st.floats(-2, 2))
def test_jumps_are_found(left, jump, a):
    def f(t):
        return np.where(t < a, left, left + jump) + 0.1 * (t - a)

    estimate = numeric_limit(f, a)
    assert estimate.diagnosis is Diagnosis.DIFFERS
    assert estimate.left.value == pytest.approx(left, abs=1e-9)
    assert estimate.right.value == pytest.approx(left + jump, abs=1e-9)
    assert math.isnan(estimate.value)


# --- diagnoses ----------------------------------------------------------------------------

def test_opposite_infinities_differ_between_sides():
    estimate = numeric_limit(lambda t: 1 / t, 0.0)
    assert estimate.diagnosis is Diagnosis.DIFFERS
    assert (estimate.left.value, estimate.right.value) == (-math.inf, math.inf)
    assert "-∞" in estimate.message


def test_oscillation_has_no_limit():
    estimate = numeric_limit(lambda t: np.sin(1 / t), 0.0)
    assert estimate.diagnosis is Diagnosis.NO_LIMIT
    assert math.isnan(float(estimate))


def test_one_undefined_side_falls_back_to_the_other():
    estimate = numeric_limit(np.sqrt, 0.0)  # NaN for x < 0
    assert estimate.diagnosis is Diagnosis.CONVERGES
    assert estimate.left.diagnosis is Diagnosis.UNDEFINED
    assert estimate.value == 0.0
    assert "undefined on the left" in estimate.message


def test_undefined_everywhere():
    estimate = numeric_limit(lambda t: math.nan, 1.0)
    assert estimate.diagnosis is Diagnosis.UNDEFINED


def test_functions_that_raise_count_as_undefined_there():
    estimate = numeric_limit(math.log, 0.0)  # ValueError for x <= 0
    assert estimate.left.diagnosis is Diagnosis.UNDEFINED
    assert estimate.value == -math.inf


def test_cancellation_noise_does_not_fool_the_estimate():
    # tiny x: 1 - cos x rounds to 0, a run of exact zeros the estimator must ignore
    estimate = numeric_limit(lambda t: (1 - np.cos(t)) / t**2, 0.0)
    assert estimate.value == pytest.approx(0.5, rel=1e-8)


def test_a_run_of_zeros_after_growth_is_not_a_limit():
    # (sin x - x)/x^4 ~ -1/(6x) grows, then sin x == x in floats gives exact zeros
    estimate = numeric_limit(lambda t: (np.sin(t) - t) / t**4, 0.0)
    assert estimate.diagnosis is Diagnosis.DIFFERS
    assert (estimate.left.value, estimate.right.value) == (math.inf, -math.inf)


def test_one_sided_estimates_only_look_at_one_side():
    left = numeric_limit(step, 0.0, "left")
    assert left.right is None
    assert left.value == 0.0
    assert "0⁻" in left.message


def test_float_of_an_estimate_is_its_value():
    assert float(numeric_limit(relu, 0.0)) == 0.0


# --- tables -------------------------------------------------------------------------------

def test_table_holds_f_at_a_minus_and_plus_h():
    hs = [0.5, 0.1, 0.01]
    table = limit_table(lambda t: t**2, 3.0, hs=hs)
    np.testing.assert_array_equal(table.x_left, 3.0 - np.array(hs))
    np.testing.assert_array_equal(table.f_right, (3.0 + np.array(hs)) ** 2)
    assert list(table.columns()) == ["h", "x (left)", "f(x) (left)", "x (right)",
                                     "f(x) (right)"]


def test_table_default_distances_scale_with_a():
    table = limit_table(lambda t: t, 1e6)
    assert table.h[0] == pytest.approx(1e5)
    assert len(table.h) == 7
    assert np.all(table.x_right != 1e6)


def test_table_at_infinity_has_one_side():
    table = limit_table(sigmoid, np.inf, hs=[0.1, 0.01])
    assert table.x_right is None
    np.testing.assert_allclose(table.x_left, [10.0, 100.0])
    assert list(table.columns()) == ["1/|x|", "x", "sigmoid(x)"]


def test_table_renders_as_text_and_html():
    table = limit_table(np.cos, 0.0, side="right", hs=[0.1, 0.01], label="cos(x)")
    text = str(table)
    assert text.splitlines()[0] == "cos(x) as x → 0"
    assert "0.995004165278" in text
    html_text = table._repr_html_()
    assert html_text.startswith("<table")
    assert html_text.count("<tr>") == 3
    assert "<caption>cos(x) as x → 0</caption>" in html_text
    assert repr(table) == text


def test_table_marks_undefined_points_with_nan():
    table = limit_table(math.log, 0.0, hs=[0.1])
    assert np.isnan(table.f_left[0])
    assert table.f_right[0] == pytest.approx(math.log(0.1))


# --- input checking -----------------------------------------------------------------------

@pytest.mark.parametrize("fn", [limit_table, numeric_limit])
@pytest.mark.parametrize(("args", "kwargs", "error", "match"), [
    ((3.0, 0.0), {}, TypeError, "f must be a function"),
    ((np.sin, math.nan), {}, ValueError, "got nan"),
    ((np.sin, "0"), {}, TypeError, "a must be a real number"),
    ((np.sin, True), {}, TypeError, "a must be a real number"),
    ((np.sin, 0.0), {"side": "up"}, ValueError, "side must be one of"),
    ((np.sin, math.inf), {"side": "right"}, ValueError, "cannot approach \\+inf from the right"),
    ((np.sin, -math.inf), {"side": "left"}, ValueError, "cannot approach -inf from the left"),
    ((np.sin, 0.0), {"hs": [0.1, -0.01]}, ValueError, "positive and finite, got -0.01"),
    ((np.sin, 0.0), {"hs": [0.01, 0.1]}, ValueError, "decreasing"),
    ((np.sin, 0.0), {"hs": []}, ValueError, "non-empty"),
    ((np.sin, 1.0), {"hs": [1e-3, 1e-20]}, ValueError, "below the spacing of floats"),
    ((lambda t: [t, t], 0.0), {"hs": [0.1] * 1}, TypeError, "single real number"),
])
def test_user_errors(fn, args, kwargs, error, match):
    if fn is numeric_limit and "hs" in kwargs and len(kwargs["hs"]) < 6 \
            and error is TypeError:
        kwargs = {"hs": np.logspace(-1, -6, 6)}
    with pytest.raises(error, match=match):
        fn(*args, **kwargs)


def test_numeric_limit_checks_rtol_and_number_of_points():
    with pytest.raises(ValueError, match="rtol must be a number in"):
        numeric_limit(np.sin, 0.0, rtol=0)
    with pytest.raises(ValueError, match="at least 6"):
        numeric_limit(np.sin, 0.0, hs=[0.1, 0.01])


# --- ε–δ ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("m", "eps"), [(2.0, 0.1), (-0.5, 0.3), (10.0, 0.01)])
def test_largest_delta_for_a_line_is_eps_over_slope(m, eps):
    def f(t):
        return m * t + 1.0

    delta = largest_delta(f, 0.0, 1.0, eps, delta_max=10.0)
    assert delta == pytest.approx(eps / abs(m), rel=1e-3)  # a grid check, not exact
    assert delta_works(f, 0.0, 1.0, eps, 0.9 * delta)
    assert not delta_works(f, 0.0, 1.0, eps, 1.1 * delta)


def test_no_delta_works_across_a_jump():
    assert not delta_works(step, 0.0, 0.5, 0.25, 1e-6)
    assert largest_delta(step, 0.0, 0.5, 0.25) == 0.0


def test_the_value_at_a_does_not_matter():
    def f(t):
        return np.where(t == 0, 100.0, t)  # a wrong value at 0 only

    assert delta_works(f, 0.0, 0.0, 0.1, 0.05)


def test_largest_delta_is_capped():
    assert largest_delta(lambda t: 0 * t, 0.0, 0.0, 0.1, delta_max=2.0) == 2.0


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"eps": 0.0}, ValueError, "eps must be positive"),
    ({"delta": -1.0}, ValueError, "delta must be positive"),
    ({"eps": "0.1"}, TypeError, "eps must be a positive number"),
    ({"a": math.inf}, ValueError, "a must be finite"),
])
def test_delta_works_rejects_bad_input(kwargs, error, match):
    args = {"f": np.sin, "a": 0.0, "L": 0.0, "eps": 0.1, "delta": 0.1} | kwargs
    with pytest.raises(error, match=match):
        delta_works(**args)


# --- catastrophic cancellation ------------------------------------------------------------

def test_stable_rewrite_agrees_with_naive_formula_for_moderate_x():
    xs = np.linspace(0.01, 10, 500)
    np.testing.assert_allclose(one_minus_cos_over_x2(xs), one_minus_cos_over_x2(xs, stable=False),
                               rtol=1e-10)


@given(st.floats(1e-150, 1e-1))
@settings(deadline=None, max_examples=30)
def test_stable_rewrite_is_accurate_for_tiny_x(t):
    exact = reference_values("(1 - cos(x))/x**2", [t])[0]
    assert one_minus_cos_over_x2(t) == pytest.approx(exact, rel=4e-16)


def test_naive_formula_loses_every_digit_for_tiny_x():
    assert one_minus_cos_over_x2(1e-8, stable=False) == 0.0  # the limit is 1/2


def test_cancellation_error_grows_like_inverse_square():
    # rounding error of size eps in 1 - cos x, divided by x**2: error ~ eps / x**2
    xs = np.logspace(-6, -2, 41)
    err = relative_error(one_minus_cos_over_x2(xs, stable=False),
                         reference_values("(1 - cos(x))/x**2", xs))
    slope = np.polyfit(np.log(xs), np.log(err), 1)[0]
    assert slope == pytest.approx(-2, abs=0.3)
    assert np.all(err <= 4 * np.finfo(float).eps / xs**2)


@pytest.mark.parametrize("name", list(REWRITES))
def test_every_rewrite_keeps_its_digits(name):
    rw = REWRITES[name]
    xs = np.logspace(-12, -1, 23)
    exact = reference_values(rw.expr, xs)
    assert relative_error(rw.stable(xs), exact).max() < 1e-15
    assert relative_error(rw.naive(1e-10), reference_values(rw.expr, [1e-10])[0]) > 1e-9


def test_reference_values_are_exact_to_double_precision():
    xs = np.array([0.1, 1.0, 2.5])
    np.testing.assert_allclose(reference_values("sin(x)", xs), np.sin(xs), rtol=1e-15)
    assert reference_values(sp.exp(x), [1.0])[0] == pytest.approx(math.e, rel=1e-16)


@pytest.mark.parametrize(("expr", "kwargs", "error", "match"), [
    ("x*y", {}, ValueError, "one variable"),
    ("sin(x)", {"dps": 10}, ValueError, "dps must be an integer >= 20"),
    ("__import__('os')", {}, ExpressionError, "not allowed"),
])
def test_reference_values_rejects_bad_input(expr, kwargs, error, match):
    with pytest.raises(error, match=match):
        reference_values(expr, [1.0], **kwargs)


def test_relative_error():
    np.testing.assert_allclose(relative_error([1.1, 2.0], [1.0, -2.0]), [0.1, 2.0])
    with pytest.raises(ValueError, match="exact value is 0"):
        relative_error(1.0, 0.0)
