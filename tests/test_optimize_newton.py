"""calcml.optimize.newton: quadratic convergence, the indefinite and singular cases, damping,
and clear errors for bad input (lesson 08)."""

import math

import numpy as np
import pytest

from calcml.optimize import History, StopReason, newton


def rosenbrock(v):
    x, y = v
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def rosenbrock_grad(v):
    x, y = v
    return np.array([-2 * (1 - x) - 400 * x * (y - x ** 2), 200 * (y - x ** 2)])


def rosenbrock_hess(v):
    x, y = v
    return np.array([[2 - 400 * (y - x ** 2) + 800 * x ** 2, -400 * x], [-400 * x, 200.0]])


def test_one_step_minimises_a_quadratic_exactly():
    rng = np.random.default_rng(1)
    M = rng.normal(size=(4, 4))
    A = M @ M.T + 4 * np.eye(4)
    b = rng.normal(size=4)
    hist = newton(lambda x: A @ x - b, lambda x: A, np.zeros(4), num_steps=5, tol=1e-10)
    assert isinstance(hist, History)
    assert hist.num_steps == 1
    assert hist.converged
    np.testing.assert_allclose(hist.x, np.linalg.solve(A, b), rtol=1e-12)
    assert hist.xs.shape == (2, 4)
    assert hist.grad_norms.shape == (2,)


def test_observed_order_is_two():
    # f(x) = x - log x on x > 0 (minimum at 1): f' = 1 - 1/x, f'' = 1/x²
    hist = newton(lambda x: 1 - 1 / x, lambda x: 1 / x ** 2, 0.3, num_steps=8, tol=1e-15)
    errors = np.abs(hist.xs[:, 0] - 1.0)
    errors = errors[errors > 1e-14]
    orders = np.log(errors[2:] / errors[1:-1]) / np.log(errors[1:-1] / errors[:-2])
    assert orders[-1] == pytest.approx(2.0, abs=0.15)


def test_rosenbrock_from_the_classic_start_in_few_steps():
    hist = newton(rosenbrock_grad, rosenbrock_hess, [-1.2, 1.0], num_steps=50, tol=1e-10,
                  f=rosenbrock)
    assert hist.converged
    assert hist.num_steps < 10
    np.testing.assert_allclose(hist.x, [1.0, 1.0], atol=1e-8)
    assert hist.values.shape == (hist.num_steps + 1,)
    assert hist.values[-1] < 1e-15


def test_pure_newton_walks_to_a_saddle_and_says_so():
    # f = x² - y²: the only critical point is a saddle; Newton jumps there in one step
    hist = newton(lambda v: np.array([2 * v[0], -2 * v[1]]), lambda v: np.diag([2.0, -2.0]),
                  [1.0, 0.5], num_steps=5, tol=1e-12)
    assert hist.converged
    np.testing.assert_allclose(hist.x, [0, 0], atol=1e-14)
    assert "saddle" in hist.message
    assert hist.extras["indefinite"] == [0]


def test_pure_newton_climbs_to_a_maximum_and_says_so():
    hist = newton(lambda x: -2 * x, lambda x: -2.0, 3.0, num_steps=3, tol=1e-12)
    assert hist.converged
    assert "maximum" in hist.message


def test_damped_newton_descends_where_the_hessian_is_indefinite():
    # f = x⁴/4 - x²/2 + y²: H is indefinite near x = 0; minima at x = ±1
    f = lambda v: v[0] ** 4 / 4 - v[0] ** 2 / 2 + v[1] ** 2
    g = lambda v: np.array([v[0] ** 3 - v[0], 2 * v[1]])
    H = lambda v: np.diag([3 * v[0] ** 2 - 1, 2.0])
    pure = newton(g, H, [0.1, 0.3], num_steps=30, tol=1e-10, f=f)
    np.testing.assert_allclose(pure.x, [0, 0], atol=1e-8)  # the saddle
    damped = newton(g, H, [0.1, 0.3], num_steps=30, tol=1e-10, f=f, damping=1e-3)
    assert damped.converged
    np.testing.assert_allclose(np.abs(damped.x), [1, 0], atol=1e-8)
    assert np.all(np.diff(damped.values) <= 1e-15)  # every step goes downhill
    assert damped.extras["shifts"][0] > 0
    assert damped.extras["shifts"][-1] == 0


def test_singular_hessian_is_reported_not_raised():
    # f = x⁴ + y²: H = diag(0, 2) at x = 0 ... start on x = 0
    hist = newton(lambda v: np.array([4 * v[0] ** 3, 2 * v[1]]),
                  lambda v: np.diag([12 * v[0] ** 2, 2.0]), [0.0, 1.0], num_steps=5)
    assert hist.reason is StopReason.SINGULAR
    assert "singular" in hist.message
    assert hist.num_steps == 0
    damped = newton(lambda v: np.array([4 * v[0] ** 3, 2 * v[1]]),
                    lambda v: np.diag([12 * v[0] ** 2, 2.0]), [0.0, 1.0], num_steps=5,
                    damping=1e-6)
    assert damped.reason is StopReason.MAX_STEPS
    np.testing.assert_allclose(damped.x, [0, 0], atol=1e-12)


def test_divergence_is_reported():
    # f = sqrt(1 + x²) has f'' → 0 far out: Newton from |x| > 1 overshoots ever further
    hist = newton(lambda x: x / math.sqrt(1 + x * x), lambda x: (1 + x * x) ** -1.5, 1.5,
                  num_steps=50)
    assert hist.diverged
    assert "diverged" in hist.message


def test_max_steps_and_history_lengths():
    hist = newton(rosenbrock_grad, rosenbrock_hess, [-1.2, 1.0], num_steps=2, f=rosenbrock)
    assert hist.reason is StopReason.MAX_STEPS
    assert len(hist.xs) == len(hist.values) == len(hist.grad_norms) == 3
    np.testing.assert_array_equal(hist.xs[0], [-1.2, 1.0])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"grad_f": 3}, TypeError, "grad_f"),
        ({"hess_f": None}, TypeError, "hess_f"),
        ({"x0": "1,2"}, TypeError, "x0"),
        ({"x0": [[1.0, 2.0]]}, ValueError, "1-D"),
        ({"x0": [np.nan, 1.0]}, ValueError, "finite"),
        ({"num_steps": 2.5}, TypeError, "num_steps"),
        ({"num_steps": -1}, ValueError, "num_steps"),
        ({"tol": 0}, ValueError, "tol"),
        ({"damping": -1.0}, ValueError, "damping"),
        ({"damping": "yes"}, TypeError, "damping"),
        ({"hess_f": lambda v: np.ones((2, 3))}, ValueError, "not square"),
        ({"hess_f": lambda v: np.eye(3)}, ValueError, "2 × 2"),
        ({"hess_f": lambda v: np.array([[1.0, 2.0], [0.0, 1.0]])}, ValueError, "non-symmetric"),
        ({"grad_f": lambda v: np.ones(3)}, ValueError, "gradient needs 2"),
        ({"f": "x^2"}, TypeError, "f must be"),
    ],
)
def test_bad_input_gets_a_clear_error(kwargs, error, match):
    args = {"grad_f": rosenbrock_grad, "hess_f": rosenbrock_hess, "x0": [0.5, 0.5],
            "num_steps": 3}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        newton(args.pop("grad_f"), args.pop("hess_f"), args.pop("x0"), **args)


@pytest.mark.parametrize("dim", [1, 2, 5, 12])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_property_one_step_on_random_positive_definite_quadratics(dim, seed):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(dim, dim))
    A = M @ M.T + 0.1 * np.eye(dim)
    b = rng.normal(size=dim)
    hist = newton(lambda v: A @ v - b, lambda v: A, rng.normal(size=dim) * 10, num_steps=3)
    np.testing.assert_allclose(hist.xs[1], np.linalg.solve(A, b), rtol=1e-8, atol=1e-8)
    # the damped variant takes the same step: A is already safely positive definite
    damped = newton(lambda v: A @ v - b, lambda v: A, hist.xs[0], num_steps=1,
                    damping=min(0.05, float(np.linalg.eigvalsh(A).min()) / 2))
    np.testing.assert_allclose(damped.xs[1], hist.xs[1], rtol=1e-10, atol=1e-10)
