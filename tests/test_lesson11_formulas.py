"""Lesson 11's formulas and agreements: linear, ridge and logistic regression against
scikit-learn (1e-6, 1e-6, 1e-5) and against gradient descent / Newton; the divergence
threshold 2/λ_max; momentum's 1/(1 − μ) and Adam's bias correction from the geometric
series; the minibatch gradient's unbiasedness and 1/√B law; the implicit derivative of
the ridge weights against finite differences; saliency against finite differences;
the network's permutation and sign symmetries; a convex loss below its chords (the argument
for non-convexity); Adam's uncorrected first step; and the exercises' solutions."""

import math

import numpy as np
import pytest
import sympy as sp

from calcml import models
from calcml.autodiff import Tensor
from calcml.autodiff.nn import MLP, init_params
from calcml.datasets import breast_cancer, diabetes, split, standardize
from calcml.exercises import evaluate
from calcml.optimize import SGD, Adam, gradient_descent, minimize, newton

sklearn_linear = pytest.importorskip("sklearn.linear_model")


@pytest.fixture(scope="module")
def db():
    data = diabetes()
    return standardize(data.X), data.y


@pytest.fixture(scope="module")
def cancer():
    c = breast_cancer()
    X_tr, y_tr, X_te, y_te = split(c.X, c.y, np.random.default_rng(0), 0.25)
    X_tr, X_te = standardize(X_tr, X_te)
    return X_tr, y_tr, X_te, y_te


def test_linear_regression_matches_sklearn_and_gradient_descent(db):
    X, y = db
    w, b = models.ridge_solution(X, y)
    ref = sklearn_linear.LinearRegression().fit(X, y)
    assert np.abs(w - ref.coef_).max() < 1e-6
    assert abs(b - ref.intercept_) < 1e-6
    # the raw (unstandardised) features too: the closed form does not need scaling
    data = diabetes()
    w_raw, b_raw = models.ridge_solution(data.X, data.y)
    ref_raw = sklearn_linear.LinearRegression().fit(data.X, data.y)
    assert np.allclose(w_raw, ref_raw.coef_, rtol=1e-6, atol=1e-6)
    assert b_raw == pytest.approx(ref_raw.intercept_, abs=1e-6)
    A = np.hstack([X, np.ones((len(X), 1))])
    curv = np.linalg.eigvalsh(2 / len(X) * A.T @ A)
    run = gradient_descent(lambda t: np.append(*models.mse_loss_grad(X, y, t[:-1], t[-1])),
                           np.zeros(11), lr=2 / (curv[0] + curv[-1]), num_steps=20_000, tol=1e-9)
    assert run.converged
    assert np.abs(run.x - np.append(w, b)).max() < 1e-6


@pytest.mark.parametrize("lam", [0.01, 0.1, 2.0])
def test_ridge_matches_sklearn_with_alpha_n_lambda(db, lam):
    X, y = db
    w, b = models.ridge_solution(X, y, lam)
    ref = sklearn_linear.Ridge(alpha=len(X) * lam).fit(X, y)
    assert np.abs(w - ref.coef_).max() < 1e-6
    assert abs(b - ref.intercept_) < 1e-6
    wrong = sklearn_linear.Ridge(alpha=lam).fit(X, y)  # the penalty not converted
    assert np.abs(w - wrong.coef_).max() > 1e-3


@pytest.mark.parametrize("C", [1.0, 0.1])
def test_logistic_regression_matches_sklearn_with_the_same_penalty(cancer, C):
    X, y, X_te, y_te = cancer
    n, d = X.shape
    alpha = 1 / (n * C)
    run = newton(lambda t: np.append(*models.logistic_loss_grad(X, y, t[:-1], t[-1], alpha)),
                 lambda t: models.logistic_hessian(X, y, t[:-1], t[-1], alpha),
                 np.zeros(d + 1), num_steps=50, tol=1e-12)
    ref = sklearn_linear.LogisticRegression(C=C, tol=1e-12, max_iter=10_000,
                                            solver="newton-cg").fit(X, y)
    assert run.converged
    assert np.abs(run.x - np.append(ref.coef_[0], ref.intercept_)).max() < 1e-5
    accuracy = np.mean((X_te @ run.x[:-1] + run.x[-1] > 0) == y_te)
    assert accuracy == pytest.approx(ref.score(X_te, y_te))
    assert accuracy > 0.9


def test_cross_entropy_derivative_is_p_minus_y():
    z, y = sp.symbols("z y", real=True)
    p = 1 / (1 + sp.exp(-z))
    ce = -y * sp.log(p) - (1 - y) * sp.log(1 - p)
    assert sp.simplify(sp.diff(ce, z) - (p - y)) == 0


def test_divergence_threshold_is_two_over_lambda_max(db):
    X, y = db
    A = np.hstack([X, np.ones((len(X), 1))])
    lam_max = np.linalg.eigvalsh(2 / len(X) * A.T @ A)[-1]

    def grad(t):
        return np.append(*models.mse_loss_grad(X, y, t[:-1], t[-1]))

    below = gradient_descent(grad, np.zeros(11), lr=0.99 * 2 / lam_max, num_steps=3000)
    above = gradient_descent(grad, np.zeros(11), lr=1.01 * 2 / lam_max, num_steps=3000)
    assert not below.diverged
    assert above.diverged
    # and not at 1/λ_max, the other threshold a learner might name
    assert not gradient_descent(grad, np.zeros(11), lr=1.5 / lam_max, num_steps=3000).diverged


def test_weight_decay_is_the_penalty_gradient(db):
    X, y = db
    w = np.linspace(-1, 1, 10)
    g0, _ = models.mse_loss_grad(X, y, w, 0.0, 0.0)
    g1, _ = models.mse_loss_grad(X, y, w, 0.0, 0.3)
    assert np.allclose(g1 - g0, 2 * 0.3 * w)


def test_momentum_effective_step_and_flipping_sum():
    mu, k = sp.symbols("mu k", positive=True)
    assert sp.simplify(sp.summation(mu ** k, (k, 0, sp.oo)).args[0][0] - 1 / (1 - mu)) == 0
    assert sp.simplify(sp.summation((-mu) ** k, (k, 0, sp.oo)).args[0][0] - 1 / (1 + mu)) == 0
    run = minimize(lambda ps: SGD(ps, lr=0.01, momentum=0.9), lambda p: np.array([1.0]), [0.0],
                   num_steps=300)
    assert run.xs[-2, 0] - run.xs[-1, 0] == pytest.approx(0.01 / (1 - 0.9), rel=1e-9)


def test_adam_bias_correction_is_a_finite_geometric_series():
    beta, t, k = sp.symbols("beta t k", positive=True)
    assert sp.simplify(sp.summation((1 - beta) * beta ** k, (k, 0, t - 1)) - (1 - beta ** t)) == 0
    run = minimize(lambda ps: Adam(ps, lr=0.1), lambda p: np.array([5.0]), [0.0], num_steps=5)
    assert np.allclose(-np.diff(run.xs[:, 0]), 0.1, rtol=1e-8)
    # without the correction the first step would be (1 − β1)/√(1 − β2) ≈ 3.16 times longer
    assert (1 - 0.9) / math.sqrt(1 - 0.999) == pytest.approx(3.162, rel=1e-3)


def test_minibatch_gradient_is_unbiased_with_spread_one_over_sqrt_B(cancer):
    X, y, _, _ = cancer
    n = len(X)
    p = models.sigmoid(np.zeros(n))
    per_example = (p - y)[:, None] * X  # ∂ℓᵢ/∂w at w = 0, all 30 weights
    full = per_example.mean(axis=0)
    assert np.allclose(full, models.logistic_loss_grad(X, y, np.zeros(X.shape[1]))[0])
    sigma = per_example.std(axis=0)
    rng = np.random.default_rng(7)
    for B in (1, 4, 16, 64, 256):
        picks = rng.integers(0, n, size=(4000, B))
        estimates = per_example[picks].mean(axis=1)
        se = sigma / math.sqrt(B) / math.sqrt(4000)  # the Monte Carlo error of the mean
        assert np.all(np.abs(estimates.mean(axis=0) - full) < 5 * se + 1e-12)
        assert np.allclose(estimates.std(axis=0) * math.sqrt(B), sigma, rtol=0.08)


def test_minibatch_spread_without_replacement_has_the_finite_population_factor(cancer):
    X, y, _, _ = cancer
    n = len(X)
    per_example = (0.5 - y) * X[:, 0]
    rng = np.random.default_rng(3)
    B = 100
    estimates = np.array([per_example[rng.choice(n, B, replace=False)].mean()
                          for _ in range(4000)])
    predicted = per_example.std() / math.sqrt(B) * math.sqrt((n - B) / (n - 1))
    assert estimates.std() == pytest.approx(predicted, rel=0.06)


@pytest.mark.parametrize("lam", [0.01, 0.1, 1.0])
def test_implicit_derivative_of_ridge_weights(db, lam):
    X, y = db
    implicit = models.ridge_weights_derivative(X, y, lam)
    h = 1e-5
    central = (models.ridge_solution(X, y, lam + h)[0] - models.ridge_solution(X, y, lam - h)[0]) / (2 * h)
    assert np.abs(implicit - central).max() < 1e-5 * np.abs(implicit).max()
    # dw/dλ without the λI next to A is wrong
    Xc = X - X.mean(axis=0)
    w = models.ridge_solution(X, y, lam)[0]
    wrong = -np.linalg.solve(Xc.T @ Xc / len(X), w)
    assert np.abs(wrong - central).max() > 1e-3 * np.abs(central).max()


def test_saliency_is_the_input_gradient():
    rng = np.random.default_rng(0)
    net = MLP(init_params((64, 16, 10), rng))
    x = rng.random(64)
    image = Tensor(x, requires_grad=True)
    net(image.reshape(1, 64))[0, 3].backward()

    def score(v):
        return float(net(v.reshape(1, 64)).data[0, 3])

    h = 1e-6
    central = np.array([(score(x + h * e) - score(x - h * e)) / (2 * h) for e in np.eye(64)])
    assert np.allclose(image.grad, central, rtol=1e-5, atol=1e-8)


def test_logistic_input_gradient_is_p_one_minus_p_w():
    w, b, x = np.array([1.5, -2.0, 0.5]), -0.3, np.array([0.2, 0.4, -1.0])
    p = models.sigmoid(w @ x + b)
    h = 1e-6
    central = np.array([(models.sigmoid(w @ (x + h * e) + b) - models.sigmoid(w @ (x - h * e) + b))
                        / (2 * h) for e in np.eye(3)])
    assert np.allclose(p * (1 - p) * w, central, rtol=1e-6)


def test_relu_subgradient_at_zero_is_zero_and_one_sided_slopes_differ():
    t = Tensor(np.array([-1.0, 0.0, 1.0]), requires_grad=True)
    t.relu().sum().backward()
    assert np.array_equal(t.grad, [0.0, 0.0, 1.0])
    assert (max(0.0, 1e-8) / 1e-8, max(0.0, -1e-8) / -1e-8) == (1.0, 0.0)


def test_hidden_unit_permutations_and_tanh_sign_flips_leave_the_network_unchanged():
    """Lesson 11's symmetry: every trained network is one of 32! orderings of its hidden
    units, and (tanh being odd) a unit's weights in and out may flip sign together."""
    rng = np.random.default_rng(3)
    W1, b1, W2, b2 = init_params((64, 32, 10), rng)
    X = rng.random((20, 64))
    out = MLP([W1, b1, W2, b2])(X).data
    order = rng.permutation(32)
    permuted = MLP([W1[:, order], b1[order], W2[order], b2])(X).data
    signs = np.where(rng.random(32) < 0.5, -1.0, 1.0)
    flipped = MLP([W1 * signs, b1 * signs, W2 * signs[:, None], b2])(X).data
    assert np.allclose(permuted, out, rtol=1e-12, atol=1e-12)
    assert np.allclose(flipped, out, rtol=1e-12, atol=1e-12)
    assert not np.allclose(W1[:, order], W1)  # a different point of weight space


def test_a_convex_loss_has_its_midpoint_below_the_chord(cancer):
    """Lesson 11's argument: along a line a + s(b − a) a convex loss has second derivative
    (b − a)ᵀH(b − a) ≥ 0, so L at the midpoint is at most the mean of L(a) and L(b)."""
    X, y = cancer[0], cancer[1]
    rng = np.random.default_rng(4)

    def loss(theta):
        return models.logistic_loss(X, y, theta[:-1], theta[-1], 0.01)

    for _ in range(20):
        a, b = rng.normal(size=(2, X.shape[1] + 1))
        d, mid = b - a, (a + b) / 2
        H = models.logistic_hessian(X, y, mid[:-1], mid[-1], 0.01)
        h = 1e-3
        second = (loss(mid + h * d) - 2 * loss(mid) + loss(mid - h * d)) / h**2
        assert second == pytest.approx(d @ H @ d, rel=1e-4)
        assert d @ H @ d >= 0
        assert loss(mid) <= (loss(a) + loss(b)) / 2


def test_adams_uncorrected_first_step_is_about_three_lr():
    """Lesson 11: without bias correction the first step is lr·(1 − β₁)/√(1 − β₂)."""
    g, lr = 5.0, 0.1
    m, v = 0.1 * g, 0.001 * g * g
    assert lr * m / math.sqrt(v) == pytest.approx(lr * (1 - 0.9) / math.sqrt(1 - 0.999))
    assert 3.1 < (1 - 0.9) / math.sqrt(1 - 0.999) < 3.2


@pytest.mark.parametrize("exercise", ["11.1", "11.2", "11.3", "11.4", "11.5", "11.6", "11.7"])
def test_exercise_is_registered(exercise):
    assert evaluate(exercise, ...).status.name == "NOT_ATTEMPTED"
