"""Lesson 10's formulas, checked against references independent of the lesson's cells:
SymPy for the symbolic claims, scipy.integrate.quad and scikit-learn for the numerical
ones, and the exercises' answer keys themselves."""

import math

import numpy as np
import pytest
import sympy as sp

from calcml.datasets import breast_cancer, split, standardize
from calcml.exercises import Status, evaluate
from calcml.exercises.lesson10 import ROC_FPR, ROC_TPR
from calcml.integrate import INTEGRAL_TABLE, integral_steps, monte_carlo, quad, simpson, trapezoid

x, t = sp.symbols("x t", real=True)
a, b, c, k = sp.symbols("a b c k", real=True)


def is_zero(expr) -> bool:
    return sp.simplify(expr) == 0


# --- the definite integral ------------------------------------------------------------------


@pytest.mark.parametrize("f", [x**2, sp.cos(x), sp.exp(x)])
def test_linearity_additivity_reversal(f):
    g = sp.sin(x)
    assert is_zero(sp.integrate(k * f + g, (x, a, b))
                   - k * sp.integrate(f, (x, a, b)) - sp.integrate(g, (x, a, b)))
    assert is_zero(sp.integrate(f, (x, a, b)) + sp.integrate(f, (x, b, c))
                   - sp.integrate(f, (x, a, c)))
    assert is_zero(sp.integrate(f, (x, b, a)) + sp.integrate(f, (x, a, b)))


def test_the_left_sum_of_x_squared_and_its_limit():
    n, i = sp.symbols("n i", positive=True, integer=True)
    h = 2 / n
    left = sp.summation(h * (i * h) ** 2, (i, 0, n - 1))
    assert is_zero(left - 8 * (n - 1) * n * (2 * n - 1) / (6 * n**3))
    assert sp.limit(left, n, sp.oo) == sp.Rational(8, 3)


def test_fundamental_theorem_both_parts():
    for f in (sp.cos(t) * t, sp.exp(-(t**2)), 1 / (1 + t**2)):
        A = sp.integrate(f, (t, a, x))
        assert is_zero(sp.diff(A, x) - f.subs(t, x))  # part 1
        F = sp.integrate(f, t)
        assert is_zero(sp.integrate(f, (t, a, b)) - (F.subs(t, b) - F.subs(t, a)))  # part 2


def test_the_table_differentiates_back():
    for f, F, _where in INTEGRAL_TABLE:
        var = next(s for s in F.free_symbols if s.name == "x")
        gap = sp.diff(F, var) - f
        if is_zero(gap):
            continue
        # sign(x)/|x| = 1/x is beyond simplify: compare at points (n = 5/2, a = 3)
        values = {s: v for s in gap.free_symbols for name, v in (("n", 2.5), ("a", 3))
                  if s.name == name}
        for p in (0.3, 0.8, -0.6):
            fp = complex(f.subs(values).subs(var, p).evalf())
            if abs(fp.imag) < 1e-12:
                assert abs(complex(gap.subs(values).subs(var, p).evalf())) < 1e-12, (f, F, p)


def test_erf_is_an_antiderivative_of_the_gaussian():
    assert is_zero(sp.diff(sp.sqrt(sp.pi) / 2 * sp.erf(x), x) - sp.exp(-(x**2)))


# --- the techniques as the prose works them -------------------------------------------------


def test_techniques_by_hand():
    assert is_zero(sp.diff(sp.sin(x**2) / 2, x) - x * sp.cos(x**2))
    assert is_zero(sp.diff((x - 1) * sp.exp(x), x) - x * sp.exp(x))
    I = (sp.exp(x) * sp.sin(x) - sp.exp(x) * sp.cos(x)) / 2  # I = e^x sin x − e^x cos x − I
    assert is_zero(sp.diff(I, x) - sp.exp(x) * sp.sin(x))
    assert is_zero(1 / (x * (x + 1)) - (1 / x - 1 / (x + 1)))  # A = 1, B = −1
    assert is_zero(sp.sin(x) ** 2 - (1 - sp.cos(2 * x)) / 2)
    assert is_zero(sp.diff((x**2 - 1) * sp.exp(x**2) / 2, x) - x**3 * sp.exp(x**2))


def test_improper_integrals_of_the_lesson():
    assert sp.integrate(1 / sp.sqrt(x), (x, 0, 1)) == 2
    assert sp.integrate(1 / x, (x, 1, sp.oo)) == sp.oo
    assert sp.integrate(sp.exp(-(x**2)), (x, -sp.oo, sp.oo)) == sp.sqrt(sp.pi)
    assert [-1 / x][0].subs(x, 1) - (-1 / x).subs(x, -1) == -2  # the wrong F(b) − F(a)
    assert integral_steps("1/x^2", bounds=(-1, 1), timeout=60).result == sp.oo


@pytest.mark.parametrize("N", [1, 10, 1000])
def test_harmonic_sum_between_its_integral_bounds(N):
    H = sum(1 / j for j in range(1, N + 1))
    assert math.log(N + 1) <= H <= 1 + math.log(N)


# --- numerical rules as stated ---------------------------------------------------------------


def test_stated_trapezoid_and_simpson_weights():
    f, lo, hi, n = np.exp, 0.0, 1.0, 6
    xs = np.linspace(lo, hi, n + 1)
    h = (hi - lo) / n
    y = f(xs)
    assert trapezoid(f, lo, hi, n) == pytest.approx(h * (y[0] / 2 + y[1:-1].sum() + y[-1] / 2))
    weights = np.array([1, 4, 2, 4, 2, 4, 1])
    assert simpson(f, lo, hi, n) == pytest.approx(h / 3 * weights @ y)


def test_quad_agrees_with_scipy_and_reports_its_evaluations():
    from scipy.integrate import quad as scipy_quad

    for f, lo, hi in [(np.exp, 0, 1), (lambda s: np.exp(-(s**2)), -np.inf, np.inf),
                      (lambda s: 1 / np.sqrt(s), 0, 1)]:
        ours = quad(f, lo, hi)
        theirs = scipy_quad(f, lo, hi, epsabs=0, epsrel=1e-10, limit=1000)[0]
        assert ours.value == pytest.approx(theirs, rel=1e-9)


def test_monte_carlo_error_is_sigma_over_root_n():
    rng = np.random.default_rng(3)
    r = monte_carlo(np.exp, 0, 1, 40_000, rng)
    sigma = math.sqrt((math.e**2 - 1) / 2 - (math.e - 1) ** 2)  # the std of e^U, U uniform
    assert r.error == pytest.approx(sigma / math.sqrt(40_000), rel=0.02)


def test_polar_coordinates():
    r, th = sp.symbols("r theta", positive=True)
    J = sp.Matrix([r * sp.cos(th), r * sp.sin(th)]).jacobian([r, th])
    assert sp.simplify(J.det()) == r
    polar = sp.integrate(sp.integrate(sp.exp(-(r**2)) * r, (r, 0, sp.oo)), (th, 0, 2 * sp.pi))
    assert polar == sp.pi


# --- ML connection ---------------------------------------------------------------------------


def test_normal_cdf_is_erf():
    phi = sp.exp(-(t**2) / 2) / sp.sqrt(2 * sp.pi)
    assert sp.integrate(phi, (t, -sp.oo, sp.oo)) == 1
    cdf = sp.integrate(phi, (t, -sp.oo, x)).rewrite(sp.erf)
    assert is_zero(cdf - (1 + sp.erf(x / sp.sqrt(2))) / 2)


def test_exponential_mean_and_variance():
    lam = sp.Symbol("lambda", positive=True)
    p = lam * sp.exp(-lam * x)
    mean = sp.integrate(x * p, (x, 0, sp.oo))
    assert is_zero(mean - 1 / lam)
    assert is_zero(sp.integrate((x - mean) ** 2 * p, (x, 0, sp.oo)) - 1 / lam**2)


@pytest.mark.parametrize(("mu1", "s1", "mu2", "s2"), [(0, 1, 1, 2), (0.5, 0.3, -1, 1.7),
                                                      (2, 2, 2, 1)])
def test_kl_of_two_gaussians_closed_form(mu1, s1, mu2, s2):
    from scipy.integrate import quad as scipy_quad
    from scipy.stats import norm

    def integrand(s):
        return norm.pdf(s, mu1, s1) * (norm.logpdf(s, mu1, s1) - norm.logpdf(s, mu2, s2))

    numeric = scipy_quad(integrand, -np.inf, np.inf, epsabs=1e-13)[0]
    closed = math.log(s2 / s1) + (s1**2 + (mu1 - mu2) ** 2) / (2 * s2**2) - 0.5
    assert numeric == pytest.approx(closed, rel=1e-8, abs=1e-12)
    entropy = -scipy_quad(lambda s: norm.pdf(s, mu1, s1) * norm.logpdf(s, mu1, s1),
                          -np.inf, np.inf)[0]
    assert entropy == pytest.approx(0.5 * math.log(2 * math.pi * math.e * s1**2), rel=1e-9)


def test_roc_auc_by_trapezoid_equals_scikit_learn():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    data = breast_cancer()
    X_train, y_train, X_test, y_test = split(data.X, data.y, rng, test_fraction=0.3)
    X_train, X_test = standardize(X_train, X_test)
    w, b0 = np.zeros(X_train.shape[1]), 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-(X_train @ w + b0)))
        w -= 0.1 * X_train.T @ (p - y_train) / len(y_train)
        b0 -= 0.1 * np.mean(p - y_train)
    scores = X_test @ w + b0
    order = np.argsort(-scores)
    tpr = np.concatenate([[0], np.cumsum(y_test[order] == 1) / np.sum(y_test == 1)])
    fpr = np.concatenate([[0], np.cumsum(y_test[order] == 0) / np.sum(y_test == 0)])
    auc = np.trapezoid(tpr, fpr)
    assert auc == pytest.approx(roc_auc_score(y_test, scores), abs=1e-12)
    pos, neg = scores[y_test == 1], scores[y_test == 0]
    assert auc == pytest.approx(np.mean(pos[:, None] > neg[None, :]), abs=1e-12)


# --- the exercises' answer keys ---------------------------------------------------------------


def test_answer_keys():
    assert evaluate("10.1", 0.5 * (0 + 0.25 + 1 + 2.25)).status is Status.PASSED
    F = sp.integrate(x * sp.cos(x), x)
    assert evaluate("10.2", F).status is Status.PASSED
    assert evaluate("10.3", sp.integrate(x / (1 + x**2), x)).status is Status.PASSED
    assert evaluate("10.4", sp.integrate(1 / (x * (x + 1)), x)).status is Status.PASSED
    c = 1 / sp.integrate(sp.exp(-(x**2) / 2), (x, -sp.oo, sp.oo))
    assert evaluate("10.5", float(c)).status is Status.PASSED
    from sklearn.metrics import auc

    assert evaluate("10.6", auc(ROC_FPR, ROC_TPR)).status is Status.PASSED
    assert evaluate("10.7", 100).status is Status.PASSED
