"""Lesson 02's formulas that its cells do not check themselves, checked by SymPy or numerically.

Cells already check: the difference quotient of the cubic and its limit, the turning
points, Taylor's formula against ``sp.series`` for g, the error terms of the forward,
backward, central and complex-step quotients, the best steps h* and h ∝ ε^(1/(p+1)),
the first Richardson column, E(h*) ∝ ε^(2/3), the Richardson table's evaluation count,
the gradient check of logistic regression and the round-off at x = 1e8 (numerically).
Everything else the prose states is here, and so are the exercises' answers.
"""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from calcml import autodiff as ad
from calcml.numdiff import EPS

x = sp.Symbol("x", real=True)
h = sp.Symbol("h", real=True)
hp = sp.Symbol("h", positive=True)


def is_zero(expr) -> bool:
    return sp.simplify(expr) == 0


# --- the difference quotient and the limit --------------------------------------------------

def test_limit_defaults_to_the_right_side_and_two_sided_needs_both():
    # why the lesson passes dir="+-": by default sp.limit only approaches from the right
    assert sp.limit(sp.Abs(h) / h, h, 0) == 1
    with pytest.raises(ValueError):
        sp.limit(sp.Abs(h) / h, h, 0, dir="+-")  # the two sides disagree: no limit
    assert sp.limit((x + h) ** 2 - x**2, h, 0, dir="+-") == 0


# --- kinks, convexity, subgradients ---------------------------------------------------------

def test_one_sided_quotients_at_the_kinks_hold_for_every_step():
    pos, neg = sp.Symbol("t", positive=True), sp.Symbol("t", negative=True)
    assert sp.Abs(pos) / pos == 1  # |x| at 0, from the right
    assert sp.Abs(neg) / neg == -1  # ... and from the left
    assert sp.Max(pos, 0) / pos == 1  # ReLU at 0, from the right
    assert sp.Max(neg, 0) / neg == 0  # ... and from the left


@pytest.mark.parametrize("f", [np.abs, lambda t: np.maximum(t, 0.0)], ids=["abs", "relu"])
def test_abs_and_relu_are_convex_graph_below_its_chords(f):
    rng = np.random.default_rng(0)
    a, b = rng.uniform(-3, 3, size=(2, 2000))
    s = rng.uniform(0, 1, size=2000)
    assert np.all(f(s * a + (1 - s) * b) <= s * f(a) + (1 - s) * f(b) + 1e-12)


@pytest.mark.parametrize(("f", "left", "right"), [(np.abs, -1.0, 1.0),
                                                   (lambda t: np.maximum(t, 0.0), 0.0, 1.0)])
def test_every_slope_between_the_one_sided_ones_is_a_subgradient(f, left, right):
    ts = np.linspace(-3, 3, 601)
    for slope in np.linspace(left, right, 9):
        assert np.all(slope * ts <= f(ts) + 1e-12)  # the line through (0, 0) stays below
    for slope in (left - 0.1, right + 0.1):  # and no slope outside [left, right] does
        assert np.any(slope * ts > f(ts))


# --- orders of the errors, round-off ---------------------------------------------------------

def test_forward_quotient_of_the_cubic_gains_a_digit_per_factor_ten():
    f = x**3 - 2 * x + 2
    error = sp.expand((f.subs(x, 1 + h) - f.subs(x, 1)) / h - sp.diff(f, x).subs(x, 1))
    assert error == 3 * h + h**2  # dominated by the term proportional to h


def test_one_rounding_is_at_most_half_epsilon():
    rng = np.random.default_rng(0)
    for num, den in rng.integers(1, 10**6, size=(500, 2)):
        exact = Fraction(int(num), int(den))
        assert abs(Fraction(float(exact)) - exact) <= Fraction(EPS) / 2 * abs(exact)


def test_machine_epsilon_is_the_gap_after_one():
    assert EPS == np.nextafter(1.0, 2.0) - 1.0 == 2.0**-52


def test_richardson_second_column_removes_h4():
    fs = sp.symbols("f_0:8", real=True)

    def taylor(step):
        return sum(fs[k] * step**k / sp.factorial(k) for k in range(8))

    def central(step):
        return sp.expand((taylor(step) - taylor(-step)) / (2 * step))

    def first(step):  # column 1: the h² term gone
        return sp.expand((4 * central(step / 2) - central(step)) / 3)

    second = sp.expand((16 * first(hp / 2) - first(hp)) / 15)  # column 2: h⁴ gone too
    remainder = sp.expand(second - fs[1])
    assert remainder != 0
    assert sp.Poly(remainder, hp).monoms()[-1][0] == 6  # lowest power of h left: h⁶


def test_central_error_at_its_best_step_scales_like_eps_two_thirds():
    eps, m0, m3 = sp.symbols("varepsilon M_0 M_3", positive=True)
    error = eps * m0 / hp + hp**2 * m3 / 6
    h_star = (3 * eps * m0 / m3) ** sp.Rational(1, 3)
    assert is_zero(sp.diff(error, hp).subs(hp, h_star))
    assert is_zero(error.subs(hp, h_star) - sp.Rational(3, 2) * 3 ** sp.Rational(-1, 3)
                   * eps ** sp.Rational(2, 3) * m0 ** sp.Rational(2, 3) * m3 ** sp.Rational(1, 3))


# --- dual numbers and the gradient ------------------------------------------------------------

def test_dual_numbers_carry_the_derivative():
    v, d = sp.symbols("v d", real=True)
    f = x**3 - 2 * x + 2
    expanded = sp.expand(f.subs(x, x + v * d))
    truncated = sum(expanded.coeff(d, k) * d**k for k in (0, 1))  # d² = 0
    assert is_zero(truncated - (f + sp.diff(f, x) * v * d))
    value, slope = ad.jvp(lambda t: ad.exp(t) * ad.sin(t), np.array([1.0]), np.array([1.0]))
    assert slope[0] == pytest.approx(np.exp(1.0) * (np.sin(1.0) + np.cos(1.0)))
    assert value[0] == pytest.approx(np.exp(1.0) * np.sin(1.0))


def test_logistic_regression_gradient_formula():
    n, k = 3, 2
    X = sp.Matrix(n, k, sp.symbols(f"x_0:{n * k}", real=True))
    y = sp.Matrix(sp.symbols(f"y_0:{n}", real=True))
    w = sp.Matrix(sp.symbols(f"w_0:{k}", real=True))
    z = X * w
    sigma = [1 / (1 + sp.exp(-z[i])) for i in range(n)]
    loss = -sum(y[i] * sp.log(sigma[i]) + (1 - y[i]) * sp.log(1 - sigma[i]) for i in range(n)) / n
    formula = X.T * (sp.Matrix(sigma) - y) / n
    for j in range(k):
        assert is_zero(sp.diff(loss, w[j]) - formula[j])


# --- the exercises' answers -------------------------------------------------------------------

def test_exercise_answers():
    r = 1 / x
    assert sp.limit(sp.cancel((r.subs(x, 2 + h) - r.subs(x, 2)) / h), h, 0, dir="+-") == \
        sp.Rational(-1, 4)  # 2.1
    w = sp.Symbol("w", real=True)
    loss = (w - 3) ** 2
    difference = sp.expand(loss.subs(w, w + h) - loss)
    assert difference == sp.expand(2 * h * (w - 3) + h**2)  # 2.2: the expansion of the hint
    assert sp.limit(sp.cancel(difference / h), h, 0, dir="+-") == 2 * (w - 3)
    fs = sp.symbols("f_0:5", real=True)  # 2.4: the three-point forward formula is order 2

    def taylor(step):
        return sum(fs[k] * step**k / sp.factorial(k) for k in range(5))

    three_point = sp.expand((-3 * taylor(0) + 4 * taylor(hp) - taylor(2 * hp)) / (2 * hp))
    assert sp.expand(three_point - fs[1]).coeff(hp, 1) == 0
    assert sp.expand(three_point - fs[1]).coeff(hp, 2) == -fs[3] / 3
    kinked = sp.Abs(x - 1) + x  # 2.5
    assert sp.limit((kinked.subs(x, 1 + h) - 1) / h, h, 0, "-") == 0
    assert sp.limit((kinked.subs(x, 1 + h) - 1) / h, h, 0, "+") == 2


def test_exercise_2_3_solution_step_is_within_the_tolerance():
    from calcml.numdiff import derivative

    h_star = (3 * EPS * abs(np.sin(1.0)) / abs(np.cos(1.0))) ** (1 / 3)
    steps = h_star * np.geomspace(0.8, 1.25, 5)  # the check judges the median near h
    errors = np.abs(derivative(np.sin, 1.0, h=steps, method="central") - np.cos(1.0))
    assert np.median(errors) < 1e-10


# --- the ML connection and exercise 2.6, on the logits form of the loss ----------------------

def test_gradient_of_the_logits_form_with_a_bias():
    # L = (1/n) Σ softplus(z_i) − y_i z_i with z = Xw + b: ∂L/∂w = Xᵀ(σ(z) − y)/n, ∂L/∂b = mean
    n, k = 3, 2
    X = sp.Matrix(n, k, sp.symbols(f"x_0:{n * k}", real=True))
    y = sp.Matrix(sp.symbols(f"y_0:{n}", real=True))
    w = sp.Matrix(sp.symbols(f"w_0:{k}", real=True))
    b = sp.Symbol("b", real=True)
    z = X * w + sp.Matrix([b] * n)
    loss = sum(sp.log(1 + sp.exp(z[i])) - y[i] * z[i] for i in range(n)) / n
    sig = sp.Matrix([1 / (1 + sp.exp(-z[i])) for i in range(n)])
    formula = X.T * (sig - y) / n
    for j in range(k):
        assert is_zero(sp.diff(loss, w[j]) - formula[j])
    assert is_zero(sp.diff(loss, b) - sum(sig - y) / n)


def test_partials_at_zero_are_means_of_half_minus_y_times_the_feature():
    from calcml.datasets import breast_cancer, standardize
    from calcml.functions import softplus
    from calcml.numdiff import derivative

    data = breast_cancer()
    X, y = standardize(data.X), data.y.astype(float)
    for name in ("worst radius", "mean texture"):
        j = data.feature_names.index(name)

        def along(t, j=j):
            z = X[:, j] * t
            return np.mean(softplus(z) - y * z)

        assert derivative(along, 0.0) == pytest.approx(np.mean((0.5 - y) * X[:, j]), rel=1e-7)
    assert np.mean((0.5 - y) * X[:, data.feature_names.index("worst radius")]) > 0  # the prose


def test_one_weight_mse_on_diabetes_has_its_minimum_at_the_correlation():
    # L(w) = mean((w x − y)²) for standardised x, y: L'(w) = 2(w − mean(xy)), minimum at mean(xy)
    from calcml.datasets import diabetes, standardize

    data = diabetes()
    xs, ys = standardize(data.column("bmi")), standardize(data.y)
    w = sp.Symbol("w", real=True)
    loss = sp.expand(w**2 * sp.Float(np.mean(xs**2), 30) - 2 * w * sp.Float(np.mean(xs * ys), 30)
                     + sp.Float(np.mean(ys**2), 30))
    slope = sp.diff(loss, w)
    assert float(slope.subs(w, 1.0)) == pytest.approx(2 * (1 - np.mean(xs * ys)), rel=1e-9)
    assert 0 < float(sp.solve(slope, w)[0]) < 1  # between the weights −0.5 and 1.0 of the plot


def test_a_power_law_is_a_straight_line_of_slope_p_on_log_log_axes():
    C, p, hh = sp.symbols("C p h", positive=True)
    assert is_zero(sp.expand_log(sp.log(C * hh**p), force=True) - (sp.log(C) + p * sp.log(hh)))


def test_core_path_leaves_complex_step_richardson_and_autodiff_to_going_deeper():
    from conftest import ROOT

    text = (ROOT / "notebooks" / "02-derivatives-basics.md").read_text(encoding="utf-8")
    core, deeper = text.split("\n## Going deeper\n")
    code = "\n".join(block.split("```")[0] for block in core.split("```{code-cell} ipython3")[1:])
    for later in ('method="complex"', 'method="richardson"', "richardson_table(", "ad.jvp("):
        assert later not in code, later
        assert later in deeper, later
    assert "Prerequisites" in core.split("## Objectives")[0]
