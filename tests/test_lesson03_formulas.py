"""Lesson 03's formulas, checked against references independent of the lesson's cells.

The cells check each rule with SymPy right after stating it. Here: the intermediate
steps the prose states without a cell, the ML derivatives against automatic
differentiation (autograd) and against the package's activations, and the exercises'
answers themselves (a checker with a wrong answer key would fail every learner).
"""

import math

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
import sympy as sp
from autograd.scipy.special import erf as aerf

from calcml import functions
from calcml.exercises import Status, evaluate, lesson03
from calcml.numdiff import derivative
from calcml.parsing import parse_expression

x = sp.Symbol("x", real=True)
h = sp.Symbol("h", real=True)
sigma = 1 / (1 + sp.exp(-x))
XS = np.array([-3.1, -1.4, -0.35, 0.2, 0.9, 2.7])  # no 0: ReLU has a kink there


def is_zero(expr) -> bool:
    return sp.simplify(expr) == 0


# --- the rules: steps the prose states -----------------------------------------------------


def test_area_of_the_grown_rectangle():
    u, v, du, dv = sp.symbols("u v du dv")
    assert sp.expand((u + du) * (v + dv) - u * v - (v * du + u * dv + du * dv)) == 0


def test_quotient_rule_from_the_product_rule():
    u, v = sp.Function("u")(x), sp.Function("v")(x)
    q_prime = sp.Symbol("qp")  # solve u' = q' v + q v' for q', with q = u/v
    (solution,) = sp.solve(sp.Eq(u.diff(x), q_prime * v + (u / v) * v.diff(x)), q_prime)
    assert is_zero(solution - (u.diff(x) * v - u * v.diff(x)) / v**2)


@pytest.mark.parametrize("n", range(1, 9))
def test_power_rule_binomial_limit_for_whole_exponents(n):
    # the lesson's cell checks n = 5; the binomial argument for the others
    quotient = sp.expand(((x + h) ** n - x**n) / h)
    assert sp.limit(quotient, h, 0) == n * x ** (n - 1)


def test_power_rule_through_exp_and_log():
    xp, n = sp.Symbol("x", positive=True), sp.Symbol("n", real=True)
    assert is_zero(sp.exp(n * sp.log(xp)) * n / xp - n * xp ** (n - 1))


def test_tan_by_the_quotient_rule_and_the_identities():
    quotient = (sp.cos(x) * sp.cos(x) + sp.sin(x) * sp.sin(x)) / sp.cos(x) ** 2
    assert is_zero(quotient - 1 / sp.cos(x) ** 2)
    assert is_zero(1 + sp.tan(x) ** 2 - sp.sec(x) ** 2)


def test_arcsin_through_the_inverse_function_rule():
    # on (-pi/2, pi/2): cos x = sqrt(1 - sin^2 x), so 1/cos(asin y) = 1/sqrt(1 - y^2)
    y = sp.Symbol("y", real=True)
    assert is_zero(sp.cos(sp.asin(y)) - sp.sqrt(1 - y**2))
    assert is_zero(1 / (1 + sp.tan(sp.atan(y)) ** 2) - 1 / (1 + y**2))


def test_exp_limit_and_the_table_in_the_cell():
    assert sp.limit((sp.exp(h) - 1) / h, h, 0) == 1


def test_logarithms_of_the_many_factor_product():
    xp = sp.Symbol("x", positive=True)
    y = xp**2 * (xp + 1) ** 3 / sp.sqrt(xp**2 + 1)
    logs = 2 * sp.log(xp) + 3 * sp.log(xp + 1) - sp.log(xp**2 + 1) / 2
    assert is_zero(sp.expand_log(sp.log(y), force=True) - logs)


def test_implicit_circle_slope_on_both_halves():
    for sign in (1, -1):
        y = sign * sp.sqrt(1 - x**2)
        assert is_zero(sp.diff(y, x) - (-x / y))


@pytest.mark.parametrize(
    ("numerator", "denominator", "limit"),
    [
        (sp.exp(x) - 1 - x, x**2, sp.Rational(1, 2)),
        (sp.sin(x), x, 1),
        (x - sp.sin(x), x**3, sp.Rational(1, 6)),
    ],
)
def test_lhopital_examples(numerator, denominator, limit):
    assert numerator.subs(x, 0) == 0
    assert denominator.subs(x, 0) == 0
    assert sp.limit(numerator / denominator, x, 0) == limit


def test_lhopital_counterexamples():
    # not 0/0: the ratio of derivatives gives 1, the limit is 1/2
    assert sp.limit((x + 1) / (x + 2), x, 0) == sp.Rational(1, 2)
    assert sp.limit(sp.diff(x + 1, x) / sp.diff(x + 2, x), x, 0) == 1
    # f'/g' = 1 + cos x has no limit at infinity, f/g does
    assert sp.limit((x + sp.sin(x)) / x, x, sp.oo) == 1
    ratio = sp.diff(x + sp.sin(x), x) / sp.diff(x, x)
    values = [float(ratio.subs(x, 2 * math.pi * k)) for k in (10, 11)]
    values += [float(ratio.subs(x, math.pi * (2 * k + 1))) for k in (10, 11)]
    assert max(values) == pytest.approx(2.0)
    assert min(values) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_lhopital_counterexample_table_spans_0_to_2_on_every_period(k):
    # the lesson's table: on [10^k, 10^k + 2π], 1 + cos x still reaches ≈ 0 and ≈ 2
    t = 10.0**k + np.linspace(0, 2 * np.pi, 2001)
    assert np.min(1 + np.cos(t)) < 1e-5
    assert np.max(1 + np.cos(t)) > 2 - 1e-5
    ratio = (t + np.sin(t)) / t
    assert np.max(np.abs(ratio - 1)) <= 1 / 10.0**k


# --- activations: formula, autograd, the package's implementation -----------------------------

ALPHA = 0.1


def _gelu_autograd(t):
    return t * 0.5 * (1 + aerf(t / anp.sqrt(2.0)))


ACTIVATIONS = {  # name: (autograd-differentiable f, the lesson's stated f', calcml's f)
    "sigmoid": (
        lambda t: 1 / (1 + anp.exp(-t)),
        lambda t: functions.sigmoid(t) * (1 - functions.sigmoid(t)),
        functions.sigmoid,
    ),
    "tanh": (anp.tanh, lambda t: 1 - np.tanh(t) ** 2, functions.tanh),
    "relu": (lambda t: anp.maximum(t, 0.0), lambda t: np.where(t > 0, 1.0, 0.0), functions.relu),
    "leaky_relu": (
        lambda t: anp.where(t > 0, t, ALPHA * t),
        lambda t: np.where(t > 0, 1.0, ALPHA),
        lambda t: functions.leaky_relu(t, alpha=ALPHA),
    ),
    "softplus": (lambda t: anp.log1p(anp.exp(t)), functions.sigmoid, functions.softplus),
    "gelu": (
        _gelu_autograd,
        lambda t: (
            0.5 * (1 + np.vectorize(math.erf)(t / math.sqrt(2)))
            + t * np.exp(-(t**2) / 2) / math.sqrt(2 * math.pi)
        ),
        functions.gelu,
    ),
}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_derivative_against_autograd(name):
    f_auto, stated, _ = ACTIVATIONS[name]
    auto = np.array([autograd.grad(f_auto)(float(t)) for t in XS])
    np.testing.assert_allclose(stated(XS), auto, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_derivative_against_the_package(name):
    _, stated, f_package = ACTIVATIONS[name]
    np.testing.assert_allclose(derivative(f_package, XS), stated(XS), rtol=1e-8, atol=1e-10)


def test_symbolic_identities_of_the_activations():
    assert is_zero(sp.diff(sigma, x) - sigma * (1 - sigma))
    assert is_zero(sp.diff(sp.tanh(x), x) - (1 - sp.tanh(x) ** 2))
    assert is_zero(sp.diff(sp.log(1 + sp.exp(x)), x) - sigma)
    Phi = (1 + sp.erf(x / sp.sqrt(2))) / 2
    phi = sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)
    assert is_zero(sp.diff(x * Phi, x) - (Phi + x * phi))
    assert is_zero(sp.diff(Phi, x) - phi)  # the normal density is Φ'
    assert sp.diff(sigma, x).subs(x, 0) == sp.Rational(1, 4)


def test_sigmoid_slope_steps_in_the_prose():
    one_minus = sp.exp(-x) / (1 + sp.exp(-x))
    assert is_zero(1 - sigma - one_minus)
    assert is_zero(sp.diff(sigma, x) - sp.exp(-x) / (1 + sp.exp(-x)) ** 2)
    assert is_zero(sp.exp(-x) / (1 + sp.exp(-x)) ** 2 - sigma * one_minus)


def test_tanh_by_the_quotient_rule():
    u, v = sp.sinh(x), sp.cosh(x)
    by_rule = (u.diff(x) * v - u * v.diff(x)) / v**2  # (cosh² − sinh²)/cosh²
    assert is_zero(by_rule - (1 - sp.tanh(x) ** 2))
    assert is_zero(sp.cosh(x) ** 2 - sp.sinh(x) ** 2 - 1)


def test_sigmoid_slope_is_at_most_a_quarter():
    p = sp.Symbol("p", real=True)
    assert sp.maximum(p * (1 - p), p, sp.Interval(0, 1)) == sp.Rational(1, 4)


# --- losses ---------------------------------------------------------------------------


def test_log_sigmoid_derivatives_in_the_bce_argument():
    assert is_zero(sp.diff(sp.log(sigma), x) - (1 - sigma))
    assert is_zero(sp.diff(sp.log(1 - sigma), x) + sigma)


def test_bce_collapses_to_prediction_minus_label():
    y = sp.Symbol("y", real=True)
    step = -(y * (1 - sigma) - (1 - y) * sigma)
    assert is_zero(step - (sigma - y))
    bce = -(y * sp.log(sigma) + (1 - y) * sp.log(1 - sigma))
    assert is_zero(sp.diff(bce, x) - step)


def test_bce_gradient_against_autograd():
    rng = np.random.default_rng(0)
    X = rng.normal(size=20)
    y = (rng.uniform(size=20) < 0.5).astype(float)

    def loss(w):
        p = 1 / (1 + anp.exp(-w * X))
        return -anp.mean(y * anp.log(p) + (1 - y) * anp.log(1 - p))

    for w in (-1.3, 0.0, 0.5, 2.0):
        formula = np.mean((functions.sigmoid(w * X) - y) * X)
        assert autograd.grad(loss)(w) == pytest.approx(formula, rel=1e-12, abs=1e-15)


def test_mse_gradient_against_autograd():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=15), rng.normal(size=15)
    for w in (-0.7, 0.4, 3.0):
        formula = 2 * np.mean((w * X - y) * X)
        assert autograd.grad(lambda v: anp.mean((v * X - y) ** 2))(w) == pytest.approx(formula)


def test_softmax_is_the_gradient_of_log_sum_exp_and_ce():
    rng = np.random.default_rng(2)
    for _ in range(5):
        z = rng.normal(size=4) * 3
        softmax = np.exp(z) / np.sum(np.exp(z))
        lse_grad = autograd.grad(lambda s: anp.log(anp.sum(anp.exp(s))))(z)
        np.testing.assert_allclose(lse_grad, softmax, rtol=1e-12)
        for right in range(4):
            ce_grad = autograd.grad(lambda s, r=right: -s[r] + anp.log(anp.sum(anp.exp(s))))(z)
            np.testing.assert_allclose(ce_grad, softmax - np.eye(4)[right], atol=1e-14)


# --- the exercises' answer keys ------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "key"),
    [
        (x**3 * sp.sin(x), "3x^2 sin(x) + x^3 cos(x)"),
        (x / (1 + x**2), "(1 - x^2)/(1 + x^2)^2"),
        (sp.cos(x**3), "-3x^2 sin(x^3)"),
        (x / (1 + sp.exp(-x)), "(1 + e^(-x) + x e^(-x))/(1 + e^(-x))^2"),
        (x ** sp.sin(x), "x^sin(x) (cos(x) ln(x) + sin(x)/x)"),
    ],
)
def test_exercise_keys_are_the_derivatives(question, key):
    key = parse_expression(key).subs(sp.Symbol("x"), x)
    assert is_zero(sp.diff(question, x) - key)


def test_exercise_3_4_is_the_silu_slope_sigma_plus_x_sigma_prime():
    # the quotient rule's answer equals the product rule's σ + x σ(1 − σ)
    assert is_zero(sp.diff(x * sigma, x) - (sigma + x * sigma * (1 - sigma)))


@pytest.mark.parametrize(
    ("exercise_id", "build", "question"),
    [
        ("3.3", lesson03._chain_rule_mistakes, sp.cos(x**3)),
        ("3.4", lesson03._quotient_rule_mistakes, x / (1 + sp.exp(-x))),
        ("3.5", lesson03._log_differentiation_mistakes, x ** sp.sin(x)),
    ],
)
def test_every_known_mistake_can_fire(exercise_id, build, question):
    """Each computed mistake differs from the right answer and from every other mistake
    at the checker's points, and the checker answers it with its own hint."""
    plain = sp.Symbol("x")
    right = sp.diff(question, x).subs(x, plain)
    mistakes = build()
    points = lesson03._points(exercise_id)
    values = [
        np.array([float(f(p)) for p in points])
        for f in (sp.lambdify(plain, e, "math") for e in [right, *(m for m, _ in mistakes)])
    ]
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            assert not np.allclose(values[i], values[j], rtol=1e-9, atol=1e-12), (i, j)
    for wrong, hint in mistakes:
        result = evaluate(exercise_id, wrong)
        assert result.status is Status.FAILED
        assert result.message == hint


def test_exercise_3_6_key():
    assert sp.limit((x - sp.sin(x)) / x**3, x, 0) == sp.Rational(1, 6)


# --- issue 10: the formulas the reworked lesson states ---------------------------------------

def test_cos_limit_from_the_sine_limit():
    h = sp.Symbol("h")
    rewritten = -(sp.sin(h) / h) * sp.sin(h) / (sp.cos(h) + 1)
    assert sp.simplify(rewritten - (sp.cos(h) - 1) / h) == 0
    assert sp.limit(rewritten, h, 0) == 0


def test_binary_cross_entropy_as_softplus_minus_y_z():
    import numpy as np

    from calcml.functions import sigmoid, softplus

    z, y = sp.Symbol("z", real=True), sp.Symbol("y", real=True)
    sig = 1 / (1 + sp.exp(-z))
    bce = -(y * sp.log(sig) + (1 - y) * sp.log(1 - sig))
    stable = sp.log(1 + sp.exp(z)) - y * z
    assert sp.simplify(bce - stable) == 0
    assert sp.simplify(sp.diff(stable, z) - (sig - y)) == 0
    # the stable form stays finite where the log form overflows to inf
    assert float(sigmoid(40.0)) == 1.0
    assert float(softplus(40.0)) == 40.0
    with np.errstate(divide="ignore"):
        assert np.isinf(-np.log(1 - sigmoid(40.0)))
    zs = np.linspace(-10, 10, 41)  # where the log form still has its digits
    for label in (0.0, 1.0):
        log_form = -(label * np.log(sigmoid(zs)) + (1 - label) * np.log1p(-sigmoid(zs)))
        assert np.allclose(log_form, softplus(zs) - label * zs, rtol=1e-6)


def test_gelu_slope():
    x = sp.Symbol("x", real=True)
    Phi = (1 + sp.erf(x / sp.sqrt(2))) / 2
    phi = sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)
    assert sp.simplify(sp.diff(Phi, x) - phi) == 0
    assert sp.simplify(sp.diff(x * Phi, x) - (Phi + x * phi)) == 0
