"""calcml.optimize.gradient_descent: iterates, stopping, divergence, bad input, and the
rates of lesson 05 on quadratics (threshold 2/λ_max, contraction (κ − 1)/(κ + 1))."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml.optimize import History, StopReason, gradient_descent


def quadratic(eigenvalues):
    lam = np.asarray(eigenvalues, dtype=float)
    return (lambda x: 0.5 * np.sum(lam * x**2)), (lambda x: lam * x)


def test_iterates_follow_the_update_rule():
    f, grad = quadratic([1.0, 4.0])
    run = gradient_descent(grad, [2.0, -1.0], lr=0.1, num_steps=5, f=f)
    assert isinstance(run, History)
    assert run.xs.shape == (6, 2)
    assert run.values.shape == (6,)
    assert run.grad_norms.shape == (6,)
    expected = np.array([2.0, -1.0]) * np.array([0.9, 0.6])[None, :] ** np.arange(6)[:, None]
    np.testing.assert_allclose(run.xs, expected, rtol=1e-14)
    np.testing.assert_allclose(run.values, [f(x) for x in expected], rtol=1e-14)
    np.testing.assert_allclose(run.grad_norms, [np.linalg.norm(grad(x)) for x in expected])
    assert run.reason is StopReason.MAX_STEPS
    assert "ran out" in run.message
    assert run.num_steps == 5
    assert np.array_equal(run.x, run.xs[-1])


def test_a_number_is_a_point_of_dimension_one_and_zero_steps_keep_x0():
    run = gradient_descent(lambda x: 2 * x, 3.0, lr=0.1, num_steps=0)
    assert run.xs.shape == (1, 1)
    assert run.xs[0, 0] == 3.0
    assert run.grad_norms[0] == 6.0


def test_a_huge_but_finite_start_is_no_divergence():
    run = gradient_descent(lambda x: 0 * x, [1e200, -1e200], lr=0.1, num_steps=2)
    assert run.reason is StopReason.MAX_STEPS
    assert run.num_steps == 2


def test_x0_is_not_modified():
    x0 = np.array([1.0, 2.0])
    gradient_descent(lambda x: x, x0, lr=0.5, num_steps=3)
    assert x0.tolist() == [1.0, 2.0]


def test_stops_on_the_gradient_norm():
    run = gradient_descent(lambda x: 2 * x, [3.0, -1.0], lr=0.25, num_steps=1000, tol=1e-8)
    assert run.converged
    assert run.reason is StopReason.CONVERGED
    assert run.grad_norms[-1] <= 1e-8 < run.grad_norms[-2]
    assert run.num_steps < 1000
    assert "converged" in run.message


def test_divergence_is_reported_without_warnings_or_overflow():
    f, grad = quadratic([1.0, 10.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = gradient_descent(grad, [1.0, 1.0], lr=0.25, num_steps=10_000, f=f)
    assert run.diverged
    assert "diverged" in run.message
    assert run.num_steps < 10_000
    assert np.all(np.isfinite(run.xs))  # stopped before overflow
    assert np.linalg.norm(run.xs[-1]) > 1e10


def test_non_finite_gradient_and_overflow_error_are_divergence():
    run = gradient_descent(lambda x: np.array([np.nan]), [1.0], lr=0.1, num_steps=5)
    assert run.diverged
    assert run.num_steps == 0
    # a Python float overflows with OverflowError, not inf: that is divergence too
    run = gradient_descent(lambda x: [-math.exp(abs(x[0]))], [1.0], lr=800.0, num_steps=5,
                           f=lambda x: -math.exp(abs(x[0])))
    assert run.diverged
    assert "OverflowError" in run.message
    assert run.num_steps == 1
    assert len(run.values) == len(run.xs) == len(run.grad_norms)


def test_threshold_two_over_lambda_max():
    lam_max = 8.0
    _f, grad = quadratic([1.0, lam_max])
    below = gradient_descent(grad, [1.0, 1.0], lr=0.99 * 2 / lam_max, num_steps=5000, tol=1e-8)
    above = gradient_descent(grad, [1.0, 1.0], lr=1.01 * 2 / lam_max, num_steps=5000, tol=1e-8)
    assert below.converged
    assert above.diverged


@settings(max_examples=30, deadline=None)
@given(kappa=st.floats(1.5, 50.0), start=st.tuples(st.floats(0.5, 5), st.floats(0.5, 5)))
def test_contraction_at_the_best_fixed_rate(kappa, start):
    """lr = 2/(λ_min + λ_max) shrinks every coordinate by (κ − 1)/(κ + 1) per step."""
    lam = np.array([1.0, kappa])
    _, grad = quadratic(lam)
    run = gradient_descent(grad, list(start), lr=2 / (lam[0] + lam[1]), num_steps=30)
    rate = (kappa - 1) / (kappa + 1)
    norms = np.linalg.norm(run.xs, axis=1)
    np.testing.assert_allclose(norms[1:] / norms[:-1], rate, rtol=1e-9)


@settings(max_examples=30, deadline=None)
@given(lr=st.floats(1e-3, 0.9), x0=st.lists(st.floats(-10, 10), min_size=1, max_size=4))
def test_each_coordinate_of_a_quadratic_shrinks_by_one_minus_lr_lambda(lr, x0):
    lam = np.linspace(0.5, 2.0, len(x0))
    _, grad = quadratic(lam)
    run = gradient_descent(grad, x0, lr=lr, num_steps=7)
    expected = np.asarray(x0)[None, :] * (1 - lr * lam)[None, :] ** np.arange(8)[:, None]
    np.testing.assert_allclose(run.xs, expected, rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"grad_f": "2*x"}, TypeError, "grad_f must be a function"),
        ({"f": 3}, TypeError, "f must be a function"),
        ({"lr": 0.0}, ValueError, "lr must be a positive"),
        ({"lr": -0.1}, ValueError, "lr must be a positive"),
        ({"lr": float("nan")}, ValueError, "lr"),
        ({"lr": "0.1"}, TypeError, "lr must be a positive number"),
        ({"lr": True}, TypeError, "lr"),
        ({"num_steps": 10.0}, TypeError, "num_steps must be a whole number"),
        ({"num_steps": -1}, ValueError, "num_steps"),
        ({"tol": 0}, ValueError, "tol"),
        ({"x0": [[1.0, 2.0]]}, ValueError, "1-D"),
        ({"x0": []}, ValueError, "non-empty"),
        ({"x0": [1.0, float("inf")]}, ValueError, "finite"),
        ({"x0": "one"}, TypeError, "x0 must be a point"),
        ({"grad_f": lambda x: np.ones(3)}, ValueError, "one partial derivative per coordinate"),
        ({"grad_f": lambda x: None}, TypeError, "return"),
        ({"grad_f": lambda x: "up"}, TypeError, "real numbers"),
        ({"f": lambda x: x}, ValueError, "one number"),
    ],
)
def test_bad_input_is_named(kwargs, error, match):
    args = {"grad_f": lambda x: 2 * x, "x0": [1.0, 2.0], "lr": 0.1, "num_steps": 3, **kwargs}
    grad_f, x0 = args.pop("grad_f"), args.pop("x0")
    with pytest.raises(error, match=match):
        gradient_descent(grad_f, x0, **args)
