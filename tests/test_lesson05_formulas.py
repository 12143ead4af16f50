"""Lesson 05's formulas, checked: D_u f = ∇f·u against the limit and central differences,
steepest ascent |∇f| cos(θ − φ), the gradient ⊥ level sets, the per-coordinate factors of
gradient descent on a quadratic, the threshold 2/λ_max, the best rate 2/(λ_min + λ_max)
and its factor (κ − 1)/(κ + 1) (also for tilted quadratics), the regression gradient
(2/N)Aᵀ(Aθ − y), standardising (same fits, smaller κ), and the exercises' answers."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml.exercises import evaluate
from calcml.exercises.lesson05 import A54, B54, POINT51, V52, problem_5_6
from calcml.multivariable import directional_derivative
from calcml.numdiff import derivative, gradient
from calcml.optimize import gradient_descent

x, y, t = sp.symbols("x y t", real=True)


def test_directional_derivative_is_the_limit_along_the_line():
    f = x**2 * y + sp.sin(x * y)
    a, u = (1, 2), (sp.Rational(3, 5), sp.Rational(-4, 5))
    along = f.subs({x: a[0] + t * u[0], y: a[1] + t * u[1]})
    limit = sp.limit((along - f.subs({x: a[0], y: a[1]})) / t, t, 0)
    assert sp.simplify(limit - directional_derivative(f, (x, y), a, u)) == 0


@settings(max_examples=40, deadline=None)
@given(theta=st.floats(0, 2 * math.pi), px=st.floats(-2, 2), py=st.floats(-2, 2))
def test_slope_along_u_is_gradient_dot_u_and_a_cosine_wave(theta, px, py):
    def f(p):
        return 0.5 * (p[0] ** 2 + 4 * p[1] ** 2) + np.sin(p[0] * p[1])

    a = np.array([px, py])
    g = gradient(f, a)
    u = np.array([math.cos(theta), math.sin(theta)])
    slope = derivative(lambda s: f(a + s * u), 0.0)
    assert slope == pytest.approx(g @ u, abs=1e-6)
    phi = math.atan2(g[1], g[0])
    assert g @ u == pytest.approx(np.linalg.norm(g) * math.cos(theta - phi), abs=1e-9)
    assert g @ u <= np.linalg.norm(g) + 1e-12


def test_cosine_difference_formula_used_in_the_lesson():
    th, ph, r = sp.symbols("theta varphi r", positive=True)
    assert sp.simplify(r * sp.cos(th - ph) - r * (sp.cos(ph) * sp.cos(th)
                                                  + sp.sin(ph) * sp.sin(th))) == 0


def test_gradient_is_perpendicular_to_the_level_set():
    s = sp.Symbol("s", real=True)
    f = (x**2 + 4 * y**2) / 2
    for c in (sp.Rational(1, 2), 1, 3):  # level sets f = c: x²+4y² = 2c
        curve = (sp.sqrt(2 * c) * sp.cos(s), sp.sqrt(2 * c) / 2 * sp.sin(s))
        assert sp.simplify(f.subs({x: curve[0], y: curve[1]}) - c) == 0
        grad = [sp.diff(f, v).subs({x: curve[0], y: curve[1]}) for v in (x, y)]
        tangent = [sp.diff(component, s) for component in curve]
        assert sp.simplify(grad[0] * tangent[0] + grad[1] * tangent[1]) == 0


@settings(max_examples=30, deadline=None)
@given(l1=st.floats(0.1, 5), l2=st.floats(0.1, 5), lr=st.floats(0.01, 0.5))
def test_each_coordinate_is_multiplied_by_one_minus_lr_lambda(l1, l2, lr):
    lam = np.array([l1, l2])
    run = gradient_descent(lambda p: lam * p, [1.0, -2.0], lr=lr, num_steps=6)
    k = np.arange(7)[:, None]
    np.testing.assert_allclose(run.xs, np.array([1.0, -2.0]) * (1 - lr * lam) ** k,
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("lam_max", [4.0, 25.0, 8.05])
def test_threshold_is_two_over_lambda_max(lam_max):
    lam = np.array([1.0, lam_max])
    ok = gradient_descent(lambda p: lam * p, [1.0, 1.0], lr=0.999 * 2 / lam_max,
                          num_steps=200_000, tol=1e-6)
    bad = gradient_descent(lambda p: lam * p, [1.0, 1.0], lr=1.001 * 2 / lam_max,
                           num_steps=200_000, tol=1e-6)
    assert ok.converged
    assert bad.diverged


def test_best_rate_and_factor_symbolically():
    l1, l2, lr = sp.symbols("l1 l2 lr", positive=True)
    best = sp.solve(sp.Eq(1 - lr * l1, -(1 - lr * l2)), lr)[0]
    assert best == 2 / (l1 + l2)
    k = sp.Symbol("k", positive=True)
    assert sp.simplify((1 - best * l1).subs(l2, k * l1) - (k - 1) / (k + 1)) == 0
    # and it is the minimum over lr of the worse of the two factors
    for kappa in (2.0, 10.0, 100.0):
        lrs = np.linspace(1e-4, 2 / kappa, 20001)
        worst = np.maximum(np.abs(1 - lrs), np.abs(1 - lrs * kappa))
        assert lrs[np.argmin(worst)] == pytest.approx(2 / (1 + kappa), rel=1e-3)
        assert worst.min() == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-4)


@settings(max_examples=15, deadline=None)
@given(angle=st.floats(0, math.pi), kappa=st.floats(2, 60))
def test_contraction_factor_on_a_tilted_quadratic(angle, kappa):
    """The factor is (κ − 1)/(κ + 1) for a bowl not aligned with the axes too (the
    lesson's regression loss is one): the worst start, along the flat axis, sees it."""
    c, s = math.cos(angle), math.sin(angle)
    R = np.array([[c, -s], [s, c]])
    H = R @ np.diag([1.0, kappa]) @ R.T
    flat = R[:, 0]  # the eigen-direction of λ_min
    run = gradient_descent(lambda p: H @ p, flat + 1e-3 * R[:, 1], lr=2 / (1 + kappa),
                           num_steps=40)
    dist = np.linalg.norm(run.xs, axis=1)
    assert dist[-1] / dist[-2] == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-6)


def test_regression_gradient_formula_and_standardising():
    A_std, y, A_raw = problem_5_6()
    N = len(y)
    rng = np.random.default_rng(5)
    for A in (A_std, A_raw):
        theta = rng.normal(size=A.shape[1])

        def loss(th, A=A):
            return np.mean((A @ th - y) ** 2)

        formula = 2 / N * A.T @ (A @ theta - y)
        one_at_a_time = [2 / N * np.sum((A @ theta - y) * A[:, j]) for j in range(A.shape[1])]
        np.testing.assert_allclose(formula, one_at_a_time, rtol=1e-12)
        np.testing.assert_allclose(gradient(loss, theta), formula, rtol=1e-5,
                                   atol=1e-6 * np.abs(formula).max())
    # the same model: the least-squares predictions agree; the condition numbers do not
    fit_std = A_std @ np.linalg.lstsq(A_std, y, rcond=None)[0]
    fit_raw = A_raw @ np.linalg.lstsq(A_raw, y, rcond=None)[0]
    np.testing.assert_allclose(fit_std, fit_raw, rtol=1e-9)

    def kappa(A):
        lam = np.linalg.eigvalsh(2 / N * A.T @ A)
        return lam[-1] / lam[0]

    assert kappa(A_raw) > 1e4 * kappa(A_std)
    # the eigenvalues of (2/N)AᵀA are the Hessian's: L is exactly quadratic with that Hessian
    H = 2 / N * A_std.T @ A_std
    d = rng.normal(size=A_std.shape[1])
    th0 = rng.normal(size=A_std.shape[1])
    Lq = np.mean((A_std @ (th0 + d) - y) ** 2)
    expected = (np.mean((A_std @ th0 - y) ** 2) + (2 / N * A_std.T @ (A_std @ th0 - y)) @ d
                + 0.5 * d @ H @ d)
    assert Lq == pytest.approx(expected, rel=1e-12)


def test_gradient_descent_reaches_least_squares_on_standardised_data():
    A_std, y, _ = problem_5_6()
    N = len(y)
    lam = np.linalg.eigvalsh(2 / N * A_std.T @ A_std)
    run = gradient_descent(lambda th: 2 / N * A_std.T @ (A_std @ th - y), np.zeros(11),
                           lr=2 / (lam[0] + lam[-1]), num_steps=50_000, tol=1e-8)
    exact = np.linalg.lstsq(A_std, y, rcond=None)[0]
    assert run.converged
    assert np.linalg.norm(run.x - exact) / np.linalg.norm(exact) < 1e-6


def test_exercise_answers_are_right():
    f = x**2 * y + y**3
    at = dict(zip((x, y), POINT51, strict=True))
    grad = [float(sp.diff(f, v).subs(at)) for v in (x, y)]
    assert evaluate("5.1", grad).status.value == "passed"
    slope = directional_derivative(f, (x, y), POINT51, V52, normalize=True)
    assert evaluate("5.2", slope).status.value == "passed"
    # steepest descent: the minimiser of the slope over many unit directions
    thetas = np.linspace(0, 2 * np.pi, 200001)
    units = np.stack([np.cos(thetas), np.sin(thetas)], axis=1)
    best = units[np.argmin(units @ np.array(grad))]
    assert np.allclose(best, -np.array(grad) / np.linalg.norm(grad), atol=1e-4)
    assert evaluate("5.3", -np.array(grad) / np.linalg.norm(grad)).status.value == "passed"
    # 5.4: bisect the largest converging rate by running gradient descent
    lam = np.array([2 * A54, 2 * B54])
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        run = gradient_descent(lambda p: lam * p, [1.0, 1.0], lr=mid, num_steps=3000)
        lo, hi = (mid, hi) if not run.diverged and run.grad_norms[-1] < 1 else (lo, mid)
    assert lo == pytest.approx(1 / 12, rel=1e-3)
    assert evaluate("5.4", 1 / 12).status.value == "passed"
    # 5.5: measure the factor at the best rate
    run = gradient_descent(lambda p: lam * p, [1.0, 1.0], lr=2 / lam.sum(), num_steps=10)
    dist = np.linalg.norm(run.xs, axis=1)
    assert evaluate("5.5", dist[5] / dist[4]).status.value == "passed"
