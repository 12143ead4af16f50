"""The stable binary cross-entropy with logits, against a reference and HIPS autograd."""

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.autodiff import Tensor
from calcml.datasets import breast_cancer


def reference(z, y):
    """−[y log σ(z) + (1 − y) log(1 − σ(z))], written out naively (moderate z only)."""
    p = 1.0 / (1.0 + np.exp(-z))
    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))


def test_value_and_gradient_match_the_definition_and_autograd():
    rng = np.random.default_rng(0)
    z0 = rng.normal(scale=3.0, size=(5, 2))
    y = rng.uniform(size=(5, 2))
    y[0] = [0.0, 1.0]
    z = Tensor(z0, requires_grad=True)
    loss = ad.binary_cross_entropy_with_logits(z, y)
    assert float(loss) == pytest.approx(reference(z0, y), rel=1e-13)
    loss.backward()
    sigma = 1.0 / (1.0 + np.exp(-z0))
    np.testing.assert_allclose(z.grad, (sigma - y) / z0.size, rtol=1e-13)
    theirs = autograd.grad(lambda t: anp.mean(anp.logaddexp(0.0, t) - y * t))(z0)
    np.testing.assert_allclose(z.grad, theirs, rtol=1e-13, atol=1e-16)


def test_it_is_stable_for_huge_logits():
    z = Tensor([1000.0, -1000.0, 800.0, -745.0], requires_grad=True)
    y = np.array([1.0, 0.0, 0.0, 1.0])
    loss = ad.binary_cross_entropy_with_logits(z, y)
    assert float(loss) == pytest.approx((0.0 + 0.0 + 800.0 + 745.0) / 4, rel=1e-15)
    loss.backward()
    np.testing.assert_allclose(z.grad, np.array([0.0, 0.0, 1.0, -1.0]) / 4, atol=1e-300)


def test_second_derivative_is_sigma_prime_over_n():
    z0 = np.array([0.3, -1.2])
    y = np.array([1.0, 0.0])
    H = ad.jacrev(ad.grad(lambda t: ad.binary_cross_entropy_with_logits(t, y)), z0)
    s = 1.0 / (1.0 + np.exp(-z0))
    np.testing.assert_allclose(H, np.diag(s * (1 - s)) / 2, rtol=1e-13)


def test_logistic_regression_on_unscaled_features_trains_without_log_errors():
    """The issue's case: breast cancer features unscaled (up to ~4000): the naive loss hits
    log 0; the fused one trains."""
    data = breast_cancer()
    X, y = np.asarray(data.X, dtype=float), np.asarray(data.y, dtype=float)
    z = X @ np.full(X.shape[1], 0.01)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        assert not np.isfinite(reference(z, y))  # the naive formula breaks down here
    w = Tensor(np.zeros(X.shape[1]), requires_grad=True)
    b = Tensor(0.0, requires_grad=True)
    losses = []
    for _ in range(30):
        loss = ad.binary_cross_entropy_with_logits(Tensor(X) @ w + b, y)
        w.zero_grad()
        b.zero_grad()
        loss.backward()
        w.data -= 1e-6 * w.grad
        b.data -= 1e-6 * b.grad
        losses.append(float(loss))
    assert all(np.isfinite(losses))
    assert losses[-1] < losses[0]


@pytest.mark.parametrize(("targets", "message"), [
    (np.array([0.0, 2.0]), r"\[0, 1\]"),
    (np.array([0.0, np.nan]), "NaN"),
    (np.array([0.0, 1.0, 1.0]), r"shape of the logits, \(2,\)"),
])
def test_bad_targets_are_named(targets, message):
    with pytest.raises(ValueError, match=message):
        ad.binary_cross_entropy_with_logits(Tensor([0.1, 0.2], requires_grad=True), targets)
