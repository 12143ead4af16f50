"""Lesson 01's formulas that its cells do not check themselves, checked exactly by SymPy.

Cells already check: tanh x = 2σ(2x) − 1, σ(−x) = 1 − σ(x), σ' = σ(1 − σ) = σ(x)σ(−x),
1 − cos x = 2 sin²(x/2) and the rewrite, the squeeze bounds, the areas behind them and
their evenness (on a grid), the limits of the "check against the exact answer" table,
the indeterminate 0/0 examples, σ' ≤ 1/4 through 1/4 − s(1 − s) = (s − 1/2)²,
softplus_β → ReLU, σ' = σ(1 − σ) against the limit of the rate, the logits form of the
cross-entropy (SymPy) and Aitken's Δ² for geometric gaps. (L'Hôpital's rule is lesson 03's.)
Everything else the prose states is here, and so are the exercises' answers.
"""

import math

import pytest
import sympy as sp

x = sp.Symbol("x", real=True)
h = sp.Symbol("h", real=True)
beta = sp.Symbol("beta", positive=True)
sigma = 1 / (1 + sp.exp(-x))


def is_zero(expr) -> bool:
    return sp.simplify(expr) == 0


# --- "Functions as models" ----------------------------------------------------------------

def test_tanh_formula_in_the_table():
    assert is_zero(sp.tanh(x).rewrite(sp.exp) - (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x)))


def test_sigmoid_two_forms():
    # docstring of calcml.functions.sigmoid: 1/(1 + e^-x) = e^x/(1 + e^x)
    assert is_zero(sigma - sp.exp(x) / (1 + sp.exp(x)))


def test_composition_of_the_neuron():
    w, b = sp.symbols("w b", real=True)
    affine = sp.Lambda(x, w * x + b)
    sig = sp.Lambda(x, sigma)
    assert is_zero(sig(affine(x)) - 1 / (1 + sp.exp(-(w * x + b))))


# --- limits at infinity, saturation -------------------------------------------------------

@pytest.mark.parametrize(("point", "value"), [(sp.oo, 1), (-sp.oo, 0)])
def test_sigmoid_asymptotes(point, value):
    assert sp.limit(sigma, x, point) == value


def test_sigmoid_slope_tends_to_zero_and_decays_exponentially():
    slope = sp.diff(sigma, x)
    assert sp.limit(slope, x, sp.oo) == 0
    assert sp.limit(slope, x, -sp.oo) == 0
    # "every extra unit of input shrinks σ' by the same factor": σ'(x) e^x → 1
    assert sp.limit(slope * sp.exp(x), x, sp.oo) == 1


# --- softplus -----------------------------------------------------------------------------

def test_stable_softplus_identity():
    # log(1 + e^x) = max(x, 0) + log(1 + e^(−|x|)), checked on each side of 0
    xp = sp.Symbol("x", positive=True)  # exp of the difference is 1: the logs agree
    assert sp.simplify(sp.exp(sp.log(1 + sp.exp(xp)) - (xp + sp.log(1 + sp.exp(-xp))))) == 1
    xn = sp.Symbol("x", negative=True)
    assert is_zero(sp.log(1 + sp.exp(xn)) - (0 + sp.log(1 + sp.exp(-sp.Abs(xn)))))


def test_softplus_beta_gap_is_largest_at_zero_and_equals_log2_over_beta():
    t = sp.Symbol("t", positive=True)
    gap_right = sp.log(1 + sp.exp(beta * t)) / beta - t  # x = t > 0
    gap_left = sp.log(1 + sp.exp(-beta * t)) / beta  # x = −t < 0, ReLU is 0
    assert is_zero(gap_right - gap_left)  # the gap is symmetric about 0
    assert sp.simplify(sp.diff(gap_left, t)).is_negative  # and shrinks away from 0
    assert sp.limit(gap_left, t, 0) == sp.log(2) / beta


def test_softplus_at_zero_is_log2():
    assert sp.log(1 + sp.exp(0)) == sp.log(2)


# --- ε–δ, continuity, squeeze -------------------------------------------------------------

def test_delta_over_eps_tends_to_inverse_slope():
    # for σ at 0 with L = 1/2 the largest δ solves σ(δ) = 1/2 + ε: δ = logit(1/2 + ε)
    eps = sp.Symbol("epsilon", positive=True)
    delta = sp.log((sp.Rational(1, 2) + eps) / (sp.Rational(1, 2) - eps))
    assert is_zero(sigma.subs(x, delta) - (sp.Rational(1, 2) + eps))
    assert sp.limit(delta / eps, eps, 0) == 1 / sp.diff(sigma, x).subs(x, 0)


def test_a_limit_moves_inside_a_continuous_function():
    inner = sp.sin(x) / x
    assert sp.limit(sigma.subs(x, inner), x, 0) == sigma.subs(x, sp.limit(inner, x, 0))


def test_wiggle_is_squeezed_to_zero_while_sin_of_one_over_x_has_no_limit():
    assert sp.limit(x * sp.sin(1 / x), x, 0) == 0
    assert isinstance(sp.limit(sp.sin(1 / x), x, 0), sp.AccumBounds)


def test_squeeze_bounds_near_zero():
    # sin(x)/x − cos(x) = x²/3 + O(x⁴) ≥ 0 and 1 − sin(x)/x = x²/6 + O(x⁴) ≥ 0
    assert sp.series(sp.sin(x) / x - sp.cos(x), x, 0, 4).removeO() == x**2 / 3
    assert sp.series(1 - sp.sin(x) / x, x, 0, 4).removeO() == x**2 / 6


def test_squeeze_areas_hold_on_the_whole_quarter_turn():
    # ½ sin x ≤ ½ x ≤ ½ tan x on (0, π/2): all three are 0 at x = 0, and the slopes are
    # ordered, cos x ≤ 1 ≤ 1/cos² x, so the gaps x − sin x and tan x − x only grow
    assert sp.sin(0) == 0
    assert sp.tan(0) == 0
    assert is_zero(sp.diff(x - sp.sin(x), x) - (1 - sp.cos(x)))  # ≥ 0
    assert is_zero(sp.diff(sp.tan(x) - x, x) - sp.tan(x) ** 2)  # ≥ 0
    # dividing by ½ sin x > 0: 1 ≤ x/sin x ≤ 1/cos x; reciprocals: cos x ≤ sin(x)/x ≤ 1
    assert is_zero((x / 2) / (sp.sin(x) / 2) - x / sp.sin(x))
    assert is_zero((sp.tan(x) / 2) / (sp.sin(x) / 2) - 1 / sp.cos(x))
    # the bounds and sin(x)/x are even, so the same holds for −π/2 < x < 0
    assert is_zero(sp.sin(-x) / (-x) - sp.sin(x) / x)
    assert is_zero(sp.cos(-x) - sp.cos(x))


def test_sigmoid_slope_is_at_most_a_quarter():
    s = sp.Symbol("s", real=True)  # s = σ(x) in (0, 1)
    assert sp.expand(sp.Rational(1, 4) - s * (1 - s) - (s - sp.Rational(1, 2)) ** 2) == 0
    assert sp.solve(sigma - sp.Rational(1, 2), x) == [0]  # equality only at x = 0


def test_relu_is_continuous_and_step_is_not():
    relu = sp.Max(x, 0)
    assert sp.limit(relu, x, 0, "+-") == relu.subs(x, 0)
    assert sp.limit(sp.Heaviside(x), x, 0, "-") != sp.limit(sp.Heaviside(x), x, 0, "+")


# --- indeterminate forms, rewrites ---------------------------------------------

@pytest.mark.parametrize(("expr", "value"), [
    (x * sp.log(x), 0),  # 0 · ∞
    (x / sp.exp(x), 0),  # ∞ / ∞ at infinity
    ((1 + 1 / x) ** x, sp.E),  # 1^∞
])
def test_other_indeterminate_forms_have_definite_limits(expr, value):
    point = 0 if expr == x * sp.log(x) else sp.oo
    assert sp.limit(expr, x, point) == value


def test_difference_of_squares_and_the_conjugate_rewrite():
    a, b = sp.symbols("a b")
    assert sp.expand((a - b) * (a + b)) == a**2 - b**2
    assert is_zero((sp.sqrt(1 + x) - 1) / x - 1 / (sp.sqrt(1 + x) + 1))


def test_expm1_and_log1p_limits():
    assert sp.limit((sp.exp(x) - 1) / x, x, 0) == 1
    assert sp.limit(sp.log(1 + x) / x, x, 0) == 1


# --- the derivative preview ---------------------------------------------------------------

def test_derivative_of_sigmoid_at_zero_is_the_difference_quotient_limit():
    quotient = (sigma.subs(x, h) - sigma.subs(x, 0)) / h
    assert sp.limit(quotient, h, 0) == sp.Rational(1, 4) == sp.diff(sigma, x).subs(x, 0)


# --- the exercises' answers ---------------------------------------------------------------

def test_exercise_answers():
    assert sp.limit(sp.sin(3 * x) / x, x, 0) == 3  # 1.1
    alpha = sp.Rational(1, 10)
    leaky = sp.Max(x, 0) + alpha * sp.Min(x, 0)  # (SymPy 1.14 mis-evaluates a Piecewise here)
    assert sp.limit(leaky.subs(x, h) / h, h, 0, "-") == alpha  # 1.2, left
    assert sp.limit(leaky.subs(x, h) / h, h, 0, "+") == 1  # 1.2, the other side
    slope = sp.diff(sigma, x)
    assert sp.limit(slope / slope.subs(x, x + 1), x, sp.oo) == sp.E  # 1.3
    hole = (x**2 - x) / x
    assert sp.limit(hole, x, 0) == -1  # 1.4: a limit, but f(0) = 1 is another number
    assert sp.limit(sp.sqrt(1 + x) - 1, x, 0) == 0  # 1.6 is 0/0 at x = 0 ...
    assert sp.limit((sp.sqrt(1 + x) - 1) / x, x, 0) == sp.Rational(1, 2)  # ... with limit 1/2


def test_exercise_1_3_is_e_numerically_too():
    from calcml.functions import sigmoid_derivative

    assert float(sigmoid_derivative(30.0) / sigmoid_derivative(31.0)) == pytest.approx(math.e)


# --- claims in the prose about floating point and growth ----------------------------------

def test_exponential_beats_every_polynomial():
    n = sp.Symbol("n", positive=True)
    assert sp.limit(x**n / sp.exp(x), x, sp.oo) == 0


def test_floating_point_claims_of_the_exercises_and_the_saturation_table():
    from calcml.functions import sigmoid

    assert 1 + math.exp(-40.0) == 1.0  # 1.5: 1 + e^x rounds to exactly 1 at x = -40
    with pytest.raises(OverflowError):
        math.exp(1000.0)  # 1.5: e^x overflows at x = 1000
    assert sigmoid(40.0) == 1.0  # the saturation table: σ(40) is exactly 1 in doubles


# --- the ML connection: saturation and the cross-entropy on breast-cancer data -------------

def test_logits_form_of_the_cross_entropy_for_both_labels():
    z = sp.Symbol("z", real=True)
    p = sigma.subs(x, z)
    softplus = sp.log(1 + sp.exp(z))
    for y in (0, 1):
        bce = -(y * sp.log(p) + (1 - y) * sp.log(1 - p))
        for t in (-40, -3, 0, 2, 35):  # exactly, at points where the naive form saturates too
            assert abs(sp.N(bce.subs(z, t) - (softplus - y * z).subs(z, t), 50)) < 1e-40


def test_slope_band_of_the_saturation_histogram():
    # "|z| < 5: σ'(z) > 0.006" and σ' decreases in |z|
    s5 = sigma.subs(x, 5)
    assert float(s5 * (1 - s5)) > 0.006
    assert sp.diff(sigma * (1 - sigma), x).subs(x, 2) < 0


def test_raw_breast_cancer_scores_saturate_and_standardised_do_not():
    import numpy as np

    from calcml.datasets import breast_cancer, standardize
    from calcml.functions import sigmoid_derivative

    data = breast_cancer()
    w0 = np.random.default_rng(0).normal(size=30) / np.sqrt(30)  # the lesson's start
    assert np.mean(sigmoid_derivative(data.X @ w0) < 1e-6) > 0.95
    assert np.mean(sigmoid_derivative(standardize(data.X) @ w0) < 1e-6) == 0


def test_the_stable_loss_keeps_a_slope_where_the_prediction_is_frozen():
    # "lesson 03 derives the one printed last, σ(z) − y: for this loss the vanishing factor
    # σ' cancels" — and at the worst raw tumour the loss moves about 1 per unit of z
    import numpy as np

    from calcml.datasets import breast_cancer
    from calcml.functions import sigmoid, sigmoid_derivative, softplus

    z, y = sp.Symbol("z", real=True), sp.Symbol("y", real=True)
    loss = sp.log(1 + sp.exp(z)) - y * z
    assert is_zero(sp.diff(loss, z) - (sigma.subs(x, z) - y))
    data = breast_cancer()
    scores = data.X @ (np.random.default_rng(0).normal(size=30) / np.sqrt(30))
    labels = data.y.astype(float)
    i = int(np.argmax(softplus(scores) - labels * scores))
    assert sigmoid_derivative(scores[i]) < 1e-100
    assert math.isclose(abs(sigmoid(scores[i]) - labels[i]), 1.0, rel_tol=1e-9)


# --- going deeper -----------------------------------------------------------------------

def test_epsilon_delta_for_a_line_is_half_epsilon():
    from calcml.limits import largest_delta

    for eps in (0.5, 0.1, 0.01):
        assert math.isclose(largest_delta(lambda t: 2 * t + 1, 1.0, 3.0, eps), eps / 2,
                            rel_tol=1e-3)


def test_aitken_is_exact_for_geometric_gaps_and_improves_sinc():
    L, c, q = sp.symbols("L c q", nonzero=True)
    v0, v1, v2 = (L + c * q**k for k in range(3))
    assert is_zero(v2 - (v2 - v1) ** 2 / ((v2 - v1) - (v1 - v0)) - L)
    vals = [math.sin(t) / t for t in (0.4, 0.2, 0.1)]
    aitken = vals[2] - (vals[2] - vals[1]) ** 2 / ((vals[2] - vals[1]) - (vals[1] - vals[0]))
    assert abs(aitken - 1) < abs(vals[2] - 1) / 10


# --- the reading order: the core path uses nothing taught later -------------------------------

def test_core_path_uses_no_derivative_machinery_and_going_deeper_comes_last():
    from conftest import ROOT

    text = (ROOT / "notebooks" / "01-functions-and-limits.md").read_text(encoding="utf-8")
    core, deeper = text.split("\n## Going deeper\n")
    assert "## " not in deeper.replace("### ", "")  # the last section of the lesson
    assert "sp.diff" not in core
    assert "sp.diff" not in deeper
    assert "Prerequisites" in core.split("## Objectives")[0]
    assert "ε_mach" in core or "varepsilon_\\text{mach}" in core
