"""calcml.models: the regressions' losses and gradients against their definitions and
finite differences, the closed forms against the gradient's zero, the implicit derivative
against refits, and bad input."""

import numpy as np
import pytest

from calcml import models
from calcml.numdiff import gradient

RNG = np.random.default_rng(42)
X = RNG.normal(size=(25, 4))
Y_REAL = X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.3 + RNG.normal(size=25)
Y_BIN = (RNG.random(25) < models.sigmoid(X @ np.array([1.0, -1.0, 0.5, 2.0]))).astype(float)
W = RNG.normal(size=4)


def _flat(grad_pair):
    g_w, g_b = grad_pair
    return np.append(g_w, g_b)


@pytest.mark.parametrize("lam", [0.0, 0.7])
def test_mse_loss_and_gradient(lam):
    r = X @ W + 0.4 - Y_REAL
    assert models.mse_loss(X, Y_REAL, W, 0.4, lam) == pytest.approx(np.mean(r ** 2) + lam * W @ W)
    numeric = gradient(lambda t: models.mse_loss(X, Y_REAL, t[:-1], t[-1], lam), np.append(W, 0.4))
    assert np.allclose(_flat(models.mse_loss_grad(X, Y_REAL, W, 0.4, lam)), numeric, rtol=1e-7)


@pytest.mark.parametrize("alpha", [0.0, 0.2])
def test_logistic_loss_gradient_and_hessian(alpha):
    p = 1 / (1 + np.exp(-(X @ W - 0.2)))
    direct = np.mean(-Y_BIN * np.log(p) - (1 - Y_BIN) * np.log(1 - p)) + alpha / 2 * W @ W
    assert models.logistic_loss(X, Y_BIN, W, -0.2, alpha) == pytest.approx(direct, rel=1e-12)
    point = np.append(W, -0.2)
    numeric = gradient(lambda t: models.logistic_loss(X, Y_BIN, t[:-1], t[-1], alpha), point)
    analytic = _flat(models.logistic_loss_grad(X, Y_BIN, W, -0.2, alpha))
    assert np.allclose(analytic, numeric, rtol=1e-7, atol=1e-10)
    H = models.logistic_hessian(X, Y_BIN, W, -0.2, alpha)
    numeric_H = np.array([gradient(lambda t, j=j: _flat(models.logistic_loss_grad(
        X, Y_BIN, t[:-1], t[-1], alpha))[j], point) for j in range(5)])
    assert np.allclose(H, numeric_H, rtol=1e-6, atol=1e-9)
    assert np.linalg.eigvalsh(H).min() >= -1e-12  # convex


def test_sigmoid_is_stable_at_extremes():
    z = np.array([-800.0, -30.0, 0.0, 30.0, 800.0])
    s = models.sigmoid(z)
    assert np.all(np.isfinite(s))
    assert s[0] == 0.0
    assert s[-1] == 1.0
    assert s[2] == 0.5
    assert np.allclose(s[1:4], 1 / (1 + np.exp(-z[1:4])), rtol=1e-14)


@pytest.mark.parametrize("lam", [0.0, 0.05, 3.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_solution_zeroes_the_gradient(lam, fit_intercept):
    w, b = models.ridge_solution(X, Y_REAL, lam, fit_intercept=fit_intercept)
    if not fit_intercept:
        assert b == 0.0
        g_w = 2 / len(X) * X.T @ (X @ w - Y_REAL) + 2 * lam * w
        assert np.abs(g_w).max() < 1e-10
    else:
        assert np.abs(_flat(models.mse_loss_grad(X, Y_REAL, w, b, lam))).max() < 1e-10


def test_ridge_shrinks_and_matches_the_normal_equations():
    w0, _ = models.ridge_solution(X, Y_REAL, 0.0)
    w1, _ = models.ridge_solution(X, Y_REAL, 1.0)
    assert np.linalg.norm(w1) < np.linalg.norm(w0)
    Xc, yc = X - X.mean(axis=0), Y_REAL - Y_REAL.mean()
    assert np.allclose(w1, np.linalg.solve(Xc.T @ Xc / 25 + np.eye(4), Xc.T @ yc / 25))


@pytest.mark.parametrize("lam", [0.01, 0.5])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_weights_derivative_matches_refits(lam, fit_intercept):
    h = 1e-6
    refits = [models.ridge_solution(X, Y_REAL, lam + s, fit_intercept=fit_intercept)[0]
              for s in (h, -h)]
    central = (refits[0] - refits[1]) / (2 * h)
    implicit = models.ridge_weights_derivative(X, Y_REAL, lam, fit_intercept=fit_intercept)
    assert np.allclose(implicit, central, rtol=1e-6, atol=1e-9)
    wrong_sign = -implicit
    assert not np.allclose(wrong_sign, central, rtol=1e-3)


@pytest.mark.parametrize(("call", "match"), [
    (lambda: models.mse_loss(X[0], Y_REAL, W), "2-D"),
    (lambda: models.mse_loss(X, Y_REAL[:-1], W), "one entry per row"),
    (lambda: models.mse_loss(X, Y_REAL, W[:3]), "one weight per column"),
    (lambda: models.mse_loss(X, Y_REAL, W, lam=-1.0), "lam"),
    (lambda: models.mse_loss_grad(np.full((2, 4), np.nan), np.zeros(2), W), "finite"),
    (lambda: models.logistic_loss(X, Y_REAL, W), "labels 0 and 1"),
    (lambda: models.logistic_loss_grad(X, Y_BIN, W, alpha=float("nan")), "alpha"),
    (lambda: models.ridge_solution(X, Y_REAL, lam="big"), "lam"),
    (lambda: models.ridge_weights_derivative(X, Y_REAL, True), "lam"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
