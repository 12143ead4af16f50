"""calcml.numdiff: orders of convergence, accuracy against exact derivatives, gradients,
Jacobians and Hessians against known ones, gradient checking, and every bad input.

Exact derivatives come from SymPy, evaluated with mpmath at 30 digits, so the reference
is exact to the last bit of a float. Errors are measured relative to the derivative's
natural scale ``S(x) = max(|f'(x)|, |f(x)| / max(1, |x|), 1e-3)``. Pure relative error is
unbounded where f'(x) = 0 for *any* floating-point method (even the exact formula in
float64), since f' is then a cancellation of terms of size |f|. The floor: every test
function has |f'| of order 1 on its range, and a step h cannot resolve a derivative far
below f's change over the step (log(1+x²) near 0: f' = 2x, but f(x ± h) ≈ h²), so where
|f'| < 1e-3 the error is measured relative to 1e-3.
"""

import doctest
import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import calcml.numdiff
from calcml.numdiff import (
    EPS,
    METHODS,
    GradientCheck,
    best_step,
    check_grad,
    derivative,
    gradient,
    hessian,
    jacobian,
    richardson_table,
    step_size,
)

X = sp.Symbol("x")

# name: (numpy implementation, SymPy expression). The numpy versions accept complex input
# (for the complex step) and are evaluated accurately (log1p, not log(1 + ...)).
SMOOTH = {
    "exp_sin": (lambda x: np.exp(x) * np.sin(x), sp.exp(X) * sp.sin(X)),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), 1 / (1 + sp.exp(-X))),
    "log1p_x2": (lambda x: np.log1p(x * x), sp.log(1 + X**2)),
    "tanh": (np.tanh, sp.tanh(X)),
    "arctan": (np.arctan, sp.atan(X)),
    "cubic": (lambda x: x**3 - 2 * x, X**3 - 2 * X),
    "gauss": (lambda x: x * np.exp(-x * x), X * sp.exp(-(X**2))),
    "lorentz": (lambda x: 1 / (1 + x * x), 1 / (1 + X**2)),
}

mpmath.mp.dps = 30
_EXACT = {
    name: (
        sp.lambdify(X, e, "mpmath"),
        sp.lambdify(X, sp.diff(e, X), "mpmath"),
        sp.lambdify(X, sp.diff(e, X, 3), "mpmath"),
    )
    for name, (_, e) in SMOOTH.items()
}


def exact(name, xs, which=1):
    """f (which=0), f' (1) or f''' (2) at xs, exact to float precision."""
    fn = _EXACT[name][which]
    return np.array([float(fn(mpmath.mpf(float(x)))) for x in np.atleast_1d(xs)])


def scaled_error(name, xs, estimate):
    xs = np.atleast_1d(xs)
    d, v = exact(name, xs, 1), exact(name, xs, 0)
    scale = np.maximum.reduce(
        [np.abs(d), np.abs(v) / np.maximum(1, np.abs(xs)), np.full(xs.shape, 1e-3)]
    )
    return np.abs(np.atleast_1d(estimate) - d) / scale


# --- order of convergence --------------------------------------------------------------


def observed_order(errors, hs):
    return np.polyfit(np.log(hs), np.log(errors), 1)[0]


@pytest.mark.parametrize(
    ("method", "order"), [("forward", 1), ("backward", 1), ("central", 2), ("complex", 2)]
)
@pytest.mark.parametrize(
    ("f", "df", "x"),
    [(np.sin, np.cos, 1.0), (np.exp, np.exp, -0.5), (np.arctan, lambda t: 1 / (1 + t * t), 2.0)],
)
def test_observed_order(method, order, f, df, x):
    hs = np.logspace(-1, -3, 5)  # truncation dominates: errors far above round-off
    errors = [abs(derivative(f, x, h=h, method=method) - df(x)) for h in hs]
    assert observed_order(errors, hs) == pytest.approx(order, abs=0.1)
    assert METHODS[method] == order  # the table the lesson prints says the same


@pytest.mark.parametrize("column", [0, 1, 2, 3])
def test_richardson_columns_gain_two_orders_each(column):
    # T[k, k] removes the error terms h², ..., h^(2k): its error is O(h^(2k+2))
    hs = np.array([1.6, 1.2, 0.9, 0.7])  # large steps, so even O(h⁸) stays above round-off
    errors = [
        abs(richardson_table(np.sin, 1.0, h=h, levels=4)[column, column] - np.cos(1.0)) for h in hs
    ]
    assert observed_order(errors, hs) == pytest.approx(2 * column + 2, abs=0.3)


@pytest.mark.parametrize("h", [0.5, 0.2, 0.1, 0.05])
def test_richardson_beats_central_at_the_same_step(h):
    exact_value = np.exp(0.3) * (np.sin(0.3) + np.cos(0.3))
    f = SMOOTH["exp_sin"][0]
    central = abs(derivative(f, 0.3, h=h) - exact_value)
    richardson = abs(derivative(f, 0.3, h=h, method="richardson") - exact_value)
    assert richardson < 1e-4 * central


def test_richardson_table_layout():
    table = richardson_table(np.exp, [0.0, 1.0, 2.0], h=0.25, levels=3)
    assert table.shape == (3, 3, 3)
    assert np.isnan(table[0, 1]).all()
    assert np.isnan(table[1, 2]).all()
    assert np.array_equal(table[1, 0], derivative(np.exp, [0.0, 1.0, 2.0], h=0.125))
    assert np.allclose(table[2, 2], np.exp([0.0, 1.0, 2.0]), rtol=1e-9)


# --- accuracy of the automatic step at many points ---------------------------------------

TARGETS = {  # method: (tolerance on the scaled error, range of x where it is promised)
    "central": (1e-10, 1.0),  # beyond |x| = 1 the step grows with |x|: see the error model
    "complex": (1e-15, 2.0),  # beyond, f's own evaluation error (e.g. of x*x) dominates
    "richardson": (2e-13, 5.0),  # worst on a 100 001-point grid of SMOOTH: 1.25e-13
}


@pytest.mark.parametrize("method", TARGETS)
@pytest.mark.parametrize("name", SMOOTH)
def test_accuracy_on_a_dense_grid(name, method):
    tol, reach = TARGETS[method]
    xs = np.linspace(-reach, reach, 801)
    errors = scaled_error(name, xs, derivative(SMOOTH[name][0], xs, method=method))
    assert errors.max() <= tol, f"worst at x = {xs[np.argmax(errors)]}: {errors.max():.2e}"


@pytest.mark.parametrize("method", TARGETS)
@pytest.mark.parametrize("name", SMOOTH)
@settings(max_examples=60, deadline=None)
@given(u=st.floats(-1.0, 1.0))
def test_accuracy_at_random_points(name, method, u):
    tol, reach = TARGETS[method]
    x = reach * u
    assert scaled_error(name, x, derivative(SMOOTH[name][0], x, method=method))[0] <= tol


@pytest.mark.parametrize("name", ["exp_sin", "sigmoid", "log1p_x2", "tanh", "arctan", "lorentz"])
def test_central_error_within_its_model_far_from_zero(name):
    # docstring: error ≈ eps|f|/h + h²|f'''|/6 (generous constants: a few ulps per value)
    f = SMOOTH[name][0]
    xs = np.linspace(-20, 20, 401)
    h = step_size(xs, "central")
    model = 8 * EPS * np.abs(exact(name, xs, 0)) / h + 1.5 * h**2 * np.abs(exact(name, xs, 2)) / 6
    error = np.abs(derivative(f, xs) - exact(name, xs, 1))
    assert np.all(error <= model + 4 * EPS * np.abs(exact(name, xs, 1)))


def test_forward_and_backward_accuracy_with_auto_step():
    xs = np.linspace(-3, 3, 61)
    for method in ("forward", "backward"):
        errors = scaled_error("sigmoid", xs, derivative(SMOOTH["sigmoid"][0], xs, method=method))
        assert errors.max() < 3e-8  # ~ sqrt(eps): half the digits, as the error model says


def test_auto_step_is_the_balance_point():
    # with a step 100 times larger or smaller the error is worse than with the default
    f, df = np.exp, np.exp
    for method in ("forward", "central"):
        default = abs(derivative(f, 1.0, method=method) - df(1.0))
        h = step_size(1.0, method)
        assert default < abs(derivative(f, 1.0, method=method, h=100 * h) - df(1.0))
        assert default < abs(derivative(f, 1.0, method=method, h=h / 100) - df(1.0))


def test_step_size_rules():
    assert step_size(0.3, "forward") == pytest.approx(math.sqrt(EPS))
    assert step_size(0.3, "backward") == pytest.approx(math.sqrt(EPS))
    assert step_size(-4.0, "central") == pytest.approx(4 * EPS ** (1 / 3))
    assert step_size(1e-3, "complex") < 1e-15
    assert isinstance(step_size(1.0), float)
    assert step_size(np.array([[1.0, -1e6]]), "forward").shape == (1, 2)


# --- vectorisation and calling conventions -----------------------------------------------


@pytest.mark.parametrize("method", list(METHODS))
def test_array_x_gives_the_same_as_one_point_at_a_time(method):
    xs = np.linspace(-2, 2, 12).reshape(3, 4)
    together = derivative(np.tanh, xs, method=method)
    assert together.shape == (3, 4)
    one_by_one = np.array([derivative(np.tanh, float(x), method=method) for x in xs.ravel()])
    assert np.array_equal(together.ravel(), one_by_one)


def test_scalar_x_returns_a_float_and_lists_work():
    assert type(derivative(np.sin, 0.0)) is float
    assert derivative(np.sin, [0.0, np.pi]) == pytest.approx([1.0, -1.0])


def test_plain_python_functions_work_at_a_scalar():
    assert derivative(math.sin, 0.0) == pytest.approx(1.0)
    relu = lambda t: t if t > 0 else 0.0
    assert derivative(relu, 2.0) == pytest.approx(1.0)
    assert derivative(relu, -2.0) == 0.0


def test_array_h_broadcasts_against_x():
    hs = np.array([1e-1, 1e-2, 1e-3])
    estimates = derivative(np.sin, 1.0, h=hs, method="forward")
    assert estimates.shape == (3,)
    errors = np.abs(estimates - np.cos(1.0))
    assert errors[0] > errors[1] > errors[2]


def test_f_is_called_with_x_shaped_input():
    shapes = []

    def f(t):
        shapes.append(np.shape(t))
        return np.sin(t)

    derivative(f, np.zeros((2, 3)), method="richardson")
    assert set(shapes) == {(2, 3)}
    assert len(shapes) == 12  # six central differences


def test_step_taken_is_exactly_representable():
    # x + h is rounded; dividing by the step really taken, (x + h) - x, removes that error
    x, h = 1.0 + 2**-20, 1e-7
    assert ((x + h) - x) / h != 1.0  # the naive quotient of f(t) = t is off
    for method in ("forward", "backward", "central"):
        assert derivative(lambda t: t, x, h=h, method=method) == 1.0


def test_complex_step_survives_tiny_steps():
    # no subtraction: h = 1e-100 is fine, where any difference quotient gives 0 or garbage
    assert derivative(np.sin, 1.0, method="complex", h=1e-100) == np.cos(1.0)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("f", [None, 3.0, "sin", [np.sin]])
def test_f_must_be_callable(f):
    with pytest.raises(TypeError, match="f must be a function"):
        derivative(f, 1.0)


@pytest.mark.parametrize("h", [0.0, -1e-3, float("nan"), float("inf"), [1e-3, -1e-3]])
def test_h_must_be_positive_and_finite(h):
    with pytest.raises(ValueError, match="h must be positive"):
        derivative(np.sin, 1.0, h=h)


@pytest.mark.parametrize("h", ["0.1", True, object()])
def test_h_must_be_a_number(h):
    with pytest.raises(TypeError, match="h must be"):
        derivative(np.sin, 1.0, h=h)


def test_h_must_fit_x():
    with pytest.raises(ValueError, match="does not fit x"):
        derivative(np.sin, [1.0, 2.0, 3.0], h=[0.1, 0.2])


def test_h_too_small_to_move_x():
    with pytest.raises(ValueError, match="too small to move x = 1"):
        derivative(np.sin, 1.0, h=1e-17)


def test_unknown_method_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown method 'centered'") as info:
        derivative(np.sin, 1.0, method="centered")
    for name in METHODS:
        assert repr(name) in str(info.value)
    with pytest.raises(ValueError, match=r"unknown method \['central'\]"):
        derivative(np.sin, 1.0, method=["central"])


@pytest.mark.parametrize(
    "f", [abs, np.abs, lambda t: np.real(t) ** 2, lambda t: np.maximum(np.abs(t), 0.0)]
)
def test_complex_step_refuses_functions_that_drop_the_imaginary_part(f):
    with pytest.raises(ValueError, match="analytic"):
        derivative(f, 0.5, method="complex")


def test_complex_step_explains_functions_that_reject_complex_input():
    with pytest.raises(ValueError, match="complex"):
        derivative(math.sin, 0.5, method="complex")


@pytest.mark.parametrize(
    ("x", "fragment"),
    [
        (float("nan"), "x is NaN"),
        ([0.0, float("nan")], r"NaN at index \(1,\)"),
        (float("inf"), "finite"),
    ],
)
def test_x_must_be_a_finite_number(x, fragment):
    with pytest.raises(ValueError, match=fragment):
        derivative(np.sin, x)


@pytest.mark.parametrize("x", ["1.0", None, 1 + 2j, [[1.0], [2.0, 3.0]], {"x": 1}])
def test_x_must_be_real(x):
    with pytest.raises(TypeError, match="x must be"):
        derivative(np.sin, x)


def test_f_returning_the_wrong_shape():
    with pytest.raises(ValueError, match="elementwise"):
        derivative(np.sum, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="elementwise"):
        derivative(lambda t: np.array([t, t]), 1.0)


@pytest.mark.parametrize(
    ("f", "error", "fragment"),
    [
        (lambda t: None, TypeError, "returned None"),
        (lambda t: "1.0", TypeError, "must return numbers"),
        (lambda t: t + 1j, ValueError, "complex value at a real point"),
    ],
)
def test_f_returning_something_odd(f, error, fragment):
    with pytest.raises(error, match=fragment):
        derivative(f, 1.0)


def test_richardson_levels_are_checked():
    with pytest.raises(ValueError, match="levels must be at least 1"):
        richardson_table(np.sin, 1.0, levels=0)
    with pytest.raises(TypeError, match="levels"):
        richardson_table(np.sin, 1.0, levels=2.5)


# --- several variables ---------------------------------------------------------------------


def random_quadratic(n, rng):
    a = rng.normal(size=(n, n))
    a = a + a.T  # symmetric: the Hessian of ½xᵀAx + bᵀx is A
    b = rng.normal(size=n)
    return a, b, lambda x: 0.5 * x.ravel() @ a @ x.ravel() + b @ x.ravel() + 3.0


@pytest.mark.parametrize("shape", [(1,), (5,), (2, 3)])
def test_gradient_and_hessian_of_random_quadratics(shape):
    rng = np.random.default_rng(0)
    n = int(np.prod(shape))
    a, b, f = random_quadratic(n, rng)
    x = rng.normal(size=shape)
    grad = gradient(f, x)
    assert grad.shape == shape
    assert np.allclose(grad.ravel(), a @ x.ravel() + b, rtol=1e-9, atol=1e-9)
    hess = hessian(f, x)
    assert hess.shape == shape + shape
    assert np.allclose(hess.reshape(n, n), a, rtol=1e-6, atol=1e-6)
    assert np.array_equal(hess.reshape(n, n), hess.reshape(n, n).T)


def rosenbrock(v):
    return (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2


def test_gradient_and_hessian_of_rosenbrock():
    x, y = -1.2, 1.0
    exact_grad = [-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)]
    exact_hess = [[2 - 400 * (y - x**2) + 800 * x**2, -400 * x], [-400 * x, 200]]
    assert np.allclose(gradient(rosenbrock, [x, y]), exact_grad, rtol=1e-9)
    assert np.allclose(hessian(rosenbrock, [x, y]), exact_hess, rtol=1e-6)


def test_jacobian_of_softmax():
    def softmax(z):
        e = np.exp(z - z.max())
        return e / e.sum()

    z = np.array([0.5, -1.0, 2.0, 0.0])
    s = softmax(z)
    assert np.allclose(jacobian(softmax, z), np.diag(s) - np.outer(s, s), atol=1e-10)


def test_jacobian_of_a_layer_has_output_then_input_shape():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(3, 4))
    x = rng.normal(size=4)
    layer = lambda v: np.tanh(w @ v)
    exact_jac = (1 - np.tanh(w @ x) ** 2)[:, None] * w
    assert np.allclose(jacobian(layer, x), exact_jac, atol=1e-10)
    # matrix input: ∂(w @ x)/∂w has shape (3,) + (3, 4)
    jac_w = jacobian(lambda m: m @ x, w)
    assert jac_w.shape == (3, 3, 4)
    assert np.allclose(jac_w[1], np.outer(np.eye(3)[1], x), atol=1e-10)


def test_gradient_at_a_scalar_point():
    g = gradient(lambda t: t**3, 2.0)
    assert g.shape == ()
    assert float(g) == pytest.approx(12.0, rel=1e-10)


def test_several_variables_bad_input():
    with pytest.raises(ValueError, match="one number"):
        gradient(lambda v: v * 2, [1.0, 2.0])
    with pytest.raises(ValueError, match="one number"):
        hessian(lambda v: v * 2, [1.0, 2.0])
    with pytest.raises(ValueError, match="arrays of one shape"):
        jacobian(lambda v: np.zeros(1 + int(v[0] > 1.0)), [1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        gradient(np.sum, [1.0, np.nan])
    with pytest.raises(TypeError, match="f must be a function"):
        hessian("f", [1.0])
    with pytest.raises(TypeError, match="real numbers"):
        gradient(lambda v: "loss", [1.0])


# --- gradient checking ---------------------------------------------------------------------


def mlp_loss_and_grad(rng):
    """A one-hidden-layer network's squared loss as a function of its weight matrix."""
    X_data, y = rng.normal(size=(6, 3)), rng.normal(size=6)
    v = rng.normal(size=4)

    def loss(w):
        return 0.5 * np.sum((np.tanh(X_data @ w) @ v - y) ** 2)

    def grad(w):  # backpropagation by hand
        hidden = np.tanh(X_data @ w)
        residual = hidden @ v - y
        return X_data.T @ (np.outer(residual, v) * (1 - hidden**2))

    return loss, grad


def test_check_grad_accepts_a_correct_backprop_gradient():
    rng = np.random.default_rng(0)
    loss, grad = mlp_loss_and_grad(rng)
    w = rng.normal(size=(3, 4))
    result = check_grad(loss, grad, w)
    assert isinstance(result, GradientCheck)
    assert result.ok
    assert result.relative_error < 1e-9
    assert result.analytic.shape == result.numerical.shape == (3, 4)


def test_check_grad_agrees_with_autograd():
    autograd = pytest.importorskip("autograd")
    anp = pytest.importorskip("autograd.numpy")
    f = lambda w: anp.sum(anp.log1p(anp.exp(w)) * anp.sin(w))
    w = np.random.default_rng(2).normal(size=(2, 5))
    assert check_grad(f, autograd.grad(f), w).relative_error < 1e-9


@pytest.mark.parametrize("mistake", ["factor", "sign", "one_entry", "transposed"])
def test_check_grad_detects_a_wrong_gradient(mistake):
    rng = np.random.default_rng(0)
    loss, grad = mlp_loss_and_grad(rng)
    w = rng.normal(size=(3, 4))
    wrong = {
        "factor": lambda m: 2 * grad(m),  # forgot the ½ of the squared loss
        "sign": lambda m: -grad(m),
        "one_entry": lambda m: grad(m) + 0.1 * (np.arange(m.size).reshape(m.shape) == 7),
        "transposed": lambda m: grad(m).T.reshape(m.shape),
    }[mistake]
    result = check_grad(loss, wrong, w)
    assert not result.ok
    assert result.relative_error > 1e-3
    if mistake == "one_entry":
        assert result.worst_index == (1, 3)


def test_check_grad_report():
    f = lambda v: np.sum(v**2)
    x = np.array([[1.0, 2.0], [3.0, -4.0]])
    good = check_grad(f, lambda v: 2 * v, x)
    assert str(good).startswith("gradient check OK")
    assert "analytic" in str(good)
    assert "numerical" in str(good)
    bad = check_grad(f, lambda v: 2 * v + np.array([[0, 0], [0, 1.0]]), x)
    text = str(bad)
    assert text.startswith("gradient check MISMATCH")
    assert "(1, 1)" in text.splitlines()[1]  # names the wrong entry first
    assert "<table>" in bad._repr_html_()
    assert "MISMATCH" in bad._repr_html_()
    assert "ok=False" in repr(bad)
    assert bad.component_errors.shape == (2, 2)
    assert bad.component_errors[1, 1] == pytest.approx(1 / 8, rel=1e-6)  # |-7 - (-8)| / 8
    assert bad.component_errors[0, 0] < 1e-9


def test_check_grad_with_an_array_and_a_flat_gradient():
    f = lambda v: np.sum(v**3)
    x = np.arange(6.0).reshape(2, 3)
    assert check_grad(f, (3 * x**2).ravel(), x).ok
    assert check_grad(f, 3 * x**2, x, tol=1e-12).tol == 1e-12


def test_check_grad_tolerance_decides():
    f = lambda v: np.sum(np.sin(v))
    x = np.array([0.3, 0.7])
    almost = lambda v: np.cos(v) * (1 + 1e-5)
    assert not check_grad(f, almost, x).ok
    assert check_grad(f, almost, x, tol=1e-4).ok


def test_check_grad_zero_gradient():
    result = check_grad(lambda v: 1.0, lambda v: np.zeros_like(v), np.ones(3))
    assert result.ok
    assert result.relative_error == 0.0


@pytest.mark.parametrize(
    ("grad_f", "error", "fragment"),
    [
        (lambda v: np.zeros(5), ValueError, "x's shape"),
        (lambda v: None, TypeError, "returned None"),
        (lambda v: ["a", "b"], TypeError, "real numbers"),
        (lambda v: np.array([np.nan, 1.0]), ValueError, "NaN"),
    ],
)
def test_check_grad_bad_gradients(grad_f, error, fragment):
    with pytest.raises(error, match=fragment):
        check_grad(lambda v: np.sum(v), grad_f, [1.0, 2.0])


@pytest.mark.parametrize("tol", [0.0, -1e-6, float("nan")])
def test_check_grad_tolerance_must_be_positive(tol):
    with pytest.raises(ValueError, match="tol must be positive"):
        check_grad(np.sum, np.ones(2), [1.0, 2.0], tol=tol)


# --- documentation ---------------------------------------------------------------------------


def test_doctests_pass():
    result = doctest.testmod(calcml.numdiff, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 15
    assert result.failed == 0


def test_docstrings_point_back_to_lesson_02():
    assert "notebooks/02-derivatives-basics" in calcml.numdiff.__doc__
    for fn in (derivative, gradient):
        assert "lesson 02" in fn.__doc__.lower()


# --- the best step of a measured error curve ----------------------------------------------


def test_best_step_ignores_isolated_lucky_steps():
    rng = np.random.default_rng(0)
    hs = np.logspace(0, -15, 91)
    typical = 1e-6 * hs + 1e-16 / hs  # truncation + round-off: smallest at h = 1e-5
    errors = typical * np.exp(rng.normal(0, 0.5, hs.size))  # jagged, as measured
    errors[[60, 75]] = 0.0  # two lucky steps (far from each other) with no visible error
    assert best_step(hs, errors, window=1) in (hs[60], hs[75])
    assert 10**-5.5 <= best_step(hs, errors) <= 10**-4.5


def test_best_step_of_a_monotone_curve_is_an_end():
    hs = np.logspace(-1, -6, 11)
    assert best_step(hs, hs**2) == hs[-1]
    assert best_step(hs, 1 / hs, window=3) == hs[0]


@pytest.mark.parametrize(("args", "kwargs", "error", "fragment"), [
    (([1e-1, 1e-2], [1.0]), {}, ValueError, "one length"),
    (([1e-1, 1e-2, 1e-3], [1.0, 2.0, 3.0]), {"window": 2}, ValueError, "odd"),
    (([1e-1, 1e-2, 1e-3], [1.0, 2.0, 3.0]), {"window": 5}, ValueError, "between 1 and"),
    (([1e-1, 1e-2, 1e-3], [1.0, -2.0, 3.0]), {"window": 1}, ValueError, "non-negative"),
    (([1e-1, 1e-2, 1e-3], [1.0, 2.0, 3.0]), {"window": 1.0}, TypeError, "whole number"),
])  # fmt: skip
def test_best_step_bad_input(args, kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        best_step(*args, **kwargs)


# --- complex values: refused with one message everywhere (issue 8) --------------------------

COMPLEX_MESSAGE = "complex value at a real point"


@pytest.mark.parametrize(
    "call",
    [
        lambda: gradient(lambda v: np.sum(v**2) * (1 + 1j), [1.0, 2.0]),
        lambda: jacobian(lambda v: v * (1 + 1j), [1.0, 2.0]),
        lambda: hessian(lambda v: np.sum(v**2) * (1 + 1j), [1.0, 2.0]),
        lambda: derivative(lambda t: t * (1 + 1j), 1.0),
        lambda: derivative(lambda t: t * (1 + 1j), 1.0, method="forward"),
        lambda: derivative(lambda t: np.exp(1j * t), 1.0, method="richardson"),
        lambda: derivative(lambda t: np.exp(1j * t), 1.0, method="complex"),
        lambda: derivative(lambda t: np.exp(1j * t), [0.5, 1.0], method="complex"),
    ],
    ids=[
        "gradient",
        "jacobian",
        "hessian",
        "central",
        "forward",
        "richardson",
        "complex",
        "complex-array",
    ],
)
def test_complex_values_are_refused_with_one_message(call):
    with pytest.raises(ValueError, match=COMPLEX_MESSAGE) as info:
        call()
    assert "f(x).real" in str(info.value)  # the way out is named


def test_complex_dtype_with_zero_imaginary_part_is_a_real_value():
    f = lambda v: np.sum(v**2) + 0j
    assert np.allclose(gradient(f, [1.0, 2.0]), [2.0, 4.0])
    assert np.allclose(jacobian(lambda v: v**2 + 0j, [1.0, 2.0]), np.diag([2.0, 4.0]))
    assert np.allclose(hessian(f, [1.0, 2.0]), 2 * np.eye(2))
    assert derivative(lambda t: t**2 + 0j, 3.0) == pytest.approx(6.0)


def test_complex_step_refuses_a_point_outside_the_real_domain():
    with pytest.raises(ValueError, match="outside f's real domain"):
        derivative(np.sqrt, -1.0, method="complex")


def test_complex_step_still_one_call_and_scalar_functions_work():
    calls = []

    def counted(z):
        calls.append(z)
        return np.sin(z)

    assert derivative(counted, 1.0, method="complex") == pytest.approx(np.cos(1.0), rel=1e-15)
    assert len(calls) == 1
    # a function that takes one complex number at a time (not an array) still works
    import cmath

    assert derivative(cmath.exp, 0.5, method="complex") == pytest.approx(np.exp(0.5))


# --- domain edges: where f stops being finite (issue 8) -------------------------------------

# name: (f, f', an edge point): the edge is on the left (+) or the right (-) of the points
EDGES = {
    "log": (np.log, lambda x: 1 / x, 0.0, +1),
    "sqrt": (np.sqrt, lambda x: 0.5 / np.sqrt(x), 0.0, +1),
    "x^1.5": (lambda x: x**1.5, lambda x: 1.5 * np.sqrt(x), 0.0, +1),
    "sqrt(1-x)": (lambda x: np.sqrt(1 - x), lambda x: -0.5 / np.sqrt(1 - x), 1.0, -1),
    # (1 - x)(1 + x), not 1 - x*x: near ±1 the square rounds away the digits of the distance
    "arcsin right": (np.arcsin, lambda x: 1 / np.sqrt((1 - x) * (1 + x)), 1.0, -1),
    "arcsin left": (np.arcsin, lambda x: 1 / np.sqrt((1 - x) * (1 + x)), -1.0, +1),
    "log(x-3)": (lambda x: np.log(x - 3), lambda x: 1 / (x - 3), 3.0, +1),
}
DISTANCES = np.logspace(-9, -1, 17)


@pytest.mark.filterwarnings("error")  # and no RuntimeWarning leaks out
@pytest.mark.parametrize("name", EDGES)
def test_richardson_is_accurate_at_every_distance_from_an_edge(name):
    f, df, edge, side = EDGES[name]
    xs = edge + side * DISTANCES
    got = derivative(f, xs, method="richardson")
    assert np.all(np.isfinite(got))
    assert np.max(np.abs(got / df(xs) - 1)) < 1e-9


def test_the_issue_cases():
    assert derivative(np.log, 0.001, method="richardson") == pytest.approx(1000.0, rel=1e-12)
    assert derivative(np.sqrt, 0.01, method="richardson") == pytest.approx(5.0, rel=1e-12)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("method", ["central", "backward"])
@pytest.mark.parametrize("name", ["log", "sqrt", "log(x-3)"])
def test_quotients_whose_stencil_leaves_the_domain_adapt(method, name):
    f, df, edge, _ = EDGES[name]
    x = edge + 1e-9  # the default central step, 6e-6, would reach below the edge
    assert derivative(f, x, method=method) == pytest.approx(df(x), rel=1e-5)


def test_plain_python_functions_near_an_edge():
    # math.log raises ValueError left of 0: that counts as outside the domain
    assert derivative(math.log, 1e-9) == pytest.approx(1e9, rel=1e-6)
    assert derivative(math.sqrt, 1e-3, method="richardson") == pytest.approx(
        0.5 / math.sqrt(1e-3), rel=1e-10
    )


def test_array_of_points_some_near_an_edge_agree_with_one_at_a_time():
    xs = np.array([1e-6, 0.5, 3.0, 1e-3])
    together = derivative(np.log, xs, method="richardson")
    alone = [derivative(np.log, float(x), method="richardson") for x in xs]
    assert np.allclose(together, alone, rtol=1e-12)
    assert np.allclose(together, 1 / xs, rtol=1e-10)


@pytest.mark.parametrize("method", ["central", "forward", "backward", "richardson"])
def test_ordinary_points_cost_no_extra_calls(method):
    calls = []

    def counted(t):
        calls.append(t)
        return np.log(t)

    derivative(counted, 2.0, method=method)
    assert len(calls) == {"richardson": 12}.get(method, 2)


@pytest.mark.parametrize("method", ["central", "forward", "backward", "richardson"])
@pytest.mark.parametrize("x", [-1.0, 0.0])
def test_outside_the_domain_is_an_error_not_nan(method, x):
    with pytest.raises(ValueError, match="outside f's domain"):
        derivative(np.log, x, method=method)


def test_at_the_edge_itself_is_an_error():
    with pytest.raises(ValueError, match="edge of f's domain"):
        derivative(np.sqrt, 0.0)
    with pytest.raises(ValueError, match="edge of f's domain"):
        derivative(np.sqrt, 0.0, method="richardson")


@pytest.mark.parametrize("method", ["central", "backward", "richardson"])
def test_a_given_step_that_leaves_the_domain_is_an_error(method):
    with pytest.raises(ValueError, match="leaves f's domain") as info:
        derivative(np.log, 0.01, h=0.1, method=method)
    assert "x = 0.01" in str(info.value)


def test_a_given_step_is_never_changed():
    with pytest.raises(ValueError, match="leaves f's domain"):
        derivative(np.log, [1.0, 0.01], h=[0.1, 0.1])
    assert derivative(np.log, 0.5, h=0.1) == pytest.approx(
        (np.log(0.6) - np.log(0.4)) / 0.2, rel=1e-12
    )


def test_richardson_table_near_an_edge():
    table = richardson_table(np.log, 0.001, levels=4)
    assert np.all(np.isfinite(np.diagonal(table)))
    assert table[3, 3] == pytest.approx(1000.0, rel=1e-8)
    with pytest.raises(ValueError, match="leaves f's domain"):
        richardson_table(np.log, 0.001, h=0.5)


def test_an_error_of_f_is_named_when_it_is_not_a_domain_edge():
    def broken(t):
        raise ValueError("operands could not be broadcast")

    with pytest.raises(ValueError, match="operands could not be broadcast"):
        derivative(broken, 1.0)


@pytest.mark.filterwarnings("error")
def test_several_variables_near_an_edge():
    f = lambda v: np.sum(np.log(v))
    x = np.array([1e-7, 1.0])
    assert np.allclose(gradient(f, x), 1 / x, rtol=1e-8)
    assert np.allclose(jacobian(np.log, x), np.diag(1 / x), rtol=1e-8)
    x = np.array([1e-3, 1.0])
    exact = np.diag(-1 / x**2)
    assert np.linalg.norm(hessian(f, x) - exact) / np.linalg.norm(exact) < 1e-8
    assert hessian(f, x)[1, 1] == pytest.approx(-1.0, rel=1e-8)  # the far coordinate keeps its step


def test_several_variables_edge_on_a_corner_of_the_stencil():
    f = lambda v: np.log(1 - v[0] - v[1])
    H = hessian(f, [0.4995, 0.4995])  # 1e-3 from the edge v0 + v1 = 1
    assert np.allclose(H, -1e6 * np.ones((2, 2)), rtol=1e-6)


@pytest.mark.parametrize("call", [gradient, jacobian, hessian])
def test_several_variables_outside_the_domain_or_given_step_leaving_it(call):
    f = (lambda v: np.log(v)) if call is jacobian else (lambda v: np.sum(np.log(v)))
    with pytest.raises(ValueError, match="outside f's domain"):
        call(f, [-1.0, 1.0])
    with pytest.raises(ValueError, match="leaves f's domain"):
        call(f, [1e-3, 1.0], h=0.01)


# --- the Hessian's accuracy (issue 8, issue 11: <= 1e-6 at ordinary points) -----------------


def _sympy_case(expr_of, n, points):
    xs = sp.symbols(f"x0:{n}", real=True)
    expr = expr_of(xs)
    f = sp.lambdify([xs], expr, "numpy")
    hess = sp.lambdify([xs], sp.hessian(expr, xs), "numpy")
    return (lambda v: f(list(v))), (lambda v: np.array(hess(list(v)), dtype=float)), points


def _hessian_cases():
    rng = np.random.default_rng(0)
    cases = {
        "rosenbrock": _sympy_case(
            lambda x: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
            2,
            [[-1.2, 1.0], [1.0, 1.0], [0.5, -0.3], [2.0, 3.0]],
        ),
        "rosenbrock 4-d": _sympy_case(
            lambda x: sum((1 - x[i]) ** 2 + 100 * (x[i + 1] - x[i] ** 2) ** 2 for i in range(3)),
            4,
            list(rng.normal(size=(3, 4))),
        ),
        "exp sin": _sympy_case(
            lambda x: sp.exp(x[0]) * sp.sin(x[1]) + sp.exp(x[0] * x[1]),
            2,
            [[0.3, 0.7], [1.5, -2.0], [-1.0, 3.0]],
        ),
        "sin cos gauss": _sympy_case(
            lambda x: sp.sin(x[0]) * sp.cos(x[1]) * sp.exp(-(x[2] ** 2) / 2),
            3,
            list(rng.normal(size=(3, 3))),
        ),
        "exp and powers": _sympy_case(
            lambda x: sp.exp(3 * x[0] - x[1]) + x[0] ** 4 * x[1] ** 2,
            2,
            [[0.1, 0.2], [10.0, 5.0], [-3.0, 40.0]],
        ),
        "log-sum-exp": _sympy_case(
            lambda x: sp.log(sp.exp(x[0]) + sp.exp(x[1]) + sp.exp(x[2])),
            3,
            list(2 * rng.normal(size=(3, 3))),
        ),
    }
    X_data, y = rng.normal(size=(20, 3)), (rng.random(20) < 0.5).astype(float)

    def logistic(w):
        z = X_data @ w
        return np.mean(np.logaddexp(0, z) - y * z)

    def logistic_hessian(w):
        p = 1 / (1 + np.exp(-(X_data @ w)))
        return (X_data.T * (p * (1 - p))) @ X_data / len(y)  # XᵀSX / m

    cases["logistic loss"] = (
        logistic,
        logistic_hessian,
        [*rng.normal(size=(3, 3)), np.array([5.0, -4.0, 3.0])],
    )
    for size in (1e-3, 1.0, 1e3):
        for position in (1e-3, 1.0, 1e3):
            a = rng.normal(size=(4, 4))
            a = size * (a + a.T)
            b = rng.normal(size=4)
            cases[f"quadratic |A|~{size:g} |x|~{position:g}"] = (
                lambda v, a=a, b=b: 0.5 * v @ a @ v + b @ v,
                lambda v, a=a: a,
                list(position * rng.normal(size=(2, 4))),
            )
    return cases


HESSIAN_CASES = _hessian_cases()


def _relative_error(numerical, exact):
    return np.linalg.norm(numerical - exact) / np.linalg.norm(exact)


@pytest.mark.parametrize("name", HESSIAN_CASES)
def test_hessian_within_1e_6_on_smooth_functions(name):
    f, exact, points = HESSIAN_CASES[name]
    for x in points:
        H = hessian(f, np.asarray(x, dtype=float))
        assert _relative_error(H, exact(np.asarray(x, dtype=float))) < 1e-6
        assert np.array_equal(H, H.T)


def test_several_variables_accept_numbers_numpy_does_not_know():
    from fractions import Fraction

    assert np.allclose(gradient(lambda v: mpmath.mpf(float(v[0])) ** 2, [1.0, 2.0]), [2.0, 0.0])
    assert np.allclose(gradient(lambda v: Fraction(float(v[0] * v[1])), [1.0, 2.0]), [2.0, 1.0])
    with pytest.raises(TypeError, match="real numbers"):
        hessian(lambda v: mpmath.mpc(1, 1), [1.0])
