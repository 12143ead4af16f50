"""numdifftools' tests and example functions, ported to calcml.numdiff (issue 8).

Written from numdifftools 0.11's ``tests/test_numdifftools.py``,
``tests/test_example_functions.py``, ``tests/test_jacobian_complex_validation.py`` and
``tests/test_invalid_outputs.py``, restricted to what calcml documents: first
derivatives by the five methods of :data:`calcml.numdiff.METHODS`, gradients, Jacobians
(shape ``f(x).shape + x.shape``: the whole ``x`` is one point) and Hessians of scalar
functions. Out of scope, and not ported: derivatives of order n > 1 (``n=``), the
``order=`` and step-generator options, ``full_output``, extra arguments passed to f, the
multicomplex method, ``Hessdiag``/``directionaldiff`` as functions (ported through
:func:`hessian` and :func:`gradient`), and numdifftools' vectorisation of a Jacobian over
trailing axes of x (ported by reading calcml's full Jacobian at the matching entries).

Where calcml deliberately differs, the port asserts calcml's documented behaviour and
says so: a complex value of f is refused with one message (numdifftools' central method
differentiates it), and a function that is not finite at x is an error naming x
(numdifftools returns NaN there).
"""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from calcml.numdiff import METHODS, derivative, gradient, hessian, jacobian, step_size

FIRST_ORDER_METHODS = list(METHODS)  # forward, backward, central, complex, richardson


def rosen(x):
    """numdifftools.testing.rosen: Rosenbrock's function with b = 105."""
    x = np.atleast_1d(x)
    return (1 - x[0]) ** 2 + 105.0 * (x[1] - x[0] ** 2) ** 2


# --- example_functions.py: the 19 functions and their first derivatives ---------------------
EXAMPLE_FUNCTIONS = {
    "cos": (np.cos, lambda x: -np.sin(x)),
    "sin": (np.sin, np.cos),
    "tan": (np.tan, lambda x: 1 / np.cos(x) ** 2),
    "cosh": (np.cosh, np.sinh),
    "sinh": (np.sinh, np.cosh),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "arcsinh": (np.arcsinh, lambda x: 1 / np.sqrt(1 + x**2)),
    "exp": (np.exp, np.exp),
    "expm1": (np.expm1, np.exp),
    "exp2": (np.exp2, lambda x: np.exp2(x) * np.log(2)),
    "square": (np.square, lambda x: 2 * x),
    "sqrt": (np.sqrt, lambda x: 0.5 / np.sqrt(x)),
    "log": (np.log, lambda x: 1 / x),
    "log1p": (np.log1p, lambda x: 1 / (1 + x)),
    "log10": (np.log10, lambda x: 1 / (x * np.log(10))),
    "log2": (np.log2, lambda x: 1 / (x * np.log(2))),
    "arccos": (np.arccos, lambda x: -1 / np.sqrt(1 - x**2)),
    "arcsin": (np.arcsin, lambda x: 1 / np.sqrt(1 - x**2)),
    "arctan": (np.arctan, lambda x: 1 / (1 + x**2)),
}

# numdifftools asks 7 decimals of every method; calcml states each method's accuracy:
# O(h) with h ~ 1.5e-8 (forward/backward), O(h²) with h ~ 6e-6 (central), exact to
# rounding (complex step, Richardson)
DECIMALS = {"forward": 7, "backward": 7, "central": 9, "complex": 14, "richardson": 12}


@pytest.mark.parametrize("method", FIRST_ORDER_METHODS)
@pytest.mark.parametrize("name", EXAMPLE_FUNCTIONS)
def test_first_order_derivative_of_the_example_functions(name, method):
    f, df = EXAMPLE_FUNCTIONS[name]
    x = 0.5
    np.testing.assert_array_almost_equal(derivative(f, x, method=method), df(x), DECIMALS[method])


@pytest.mark.parametrize("name", EXAMPLE_FUNCTIONS)
def test_example_functions_agree_with_numdifftools_itself(name):
    nd = pytest.importorskip("numdifftools")
    f, _ = EXAMPLE_FUNCTIONS[name]
    ours = derivative(f, 0.5, method="richardson")
    theirs = float(np.squeeze(nd.Derivative(f)(0.5)))
    assert ours == pytest.approx(theirs, rel=1e-10)


# --- TestRichardson: the weights of the extrapolation rule ---------------------------------


def test_richardson_rule_weights_for_central_differences():
    """numdifftools: for central differences (error in even powers) and step ratio 2, one
    term of extrapolation weighs the two last differences [-1/3, 4/3], two terms the three
    last [1/45, -20/45, 64/45]. calcml's table, column by column, is the same rule."""
    from calcml.numdiff import richardson_table

    T = richardson_table(np.exp, 1.0, h=0.5, levels=3)
    D = T[:, 0]  # the central differences at h, h/2, h/4
    assert_allclose(T[1, 1], np.dot([-0.33333333, 1.33333333], D[:2]), rtol=1e-8)
    assert_allclose(T[2, 1], np.dot([-0.33333333, 1.33333333], D[1:]), rtol=1e-8)
    assert_allclose(T[2, 2], np.dot([0.02222222, -0.44444444, 1.42222222], D), rtol=1e-8)


# --- TestDerivative --------------------------------------------------------------------------


def test_directional_diff():
    v = np.array([1.0, -1.0]) / np.sqrt(2)
    assert_allclose(gradient(rosen, [2.0, 3.0]) @ v, 743.87633380824832)


def test_infinite_functions_are_refused_not_nan():
    """numdifftools returns NaN for the derivative of f = inf; calcml names the point."""

    def finf(x):
        return np.inf * np.ones_like(x)

    for method in ("central", "forward", "backward", "richardson"):
        with pytest.raises(ValueError, match="not finite at x = 0"):
            derivative(finf, 0.0, method=method)


@settings(deadline=None, max_examples=60)
@given(st.floats(min_value=0, max_value=10))
@example(7.6564547238847105)
@example(8.9428143931508)
@example(2.2204460492503134e-14)
def test_derivative_of_cos_x(x):
    for method in FIRST_ORDER_METHODS:
        assert_allclose(derivative(np.cos, x, method=method), -np.sin(x), rtol=1e-6, atol=1e-7)


def test_derivative_cube():
    """Issue 7 of numdifftools: an array x of shape (3, 2), one derivative per entry."""
    x = np.ones((3, 2)) * 2
    dx = derivative(lambda t: t * t * t, x)
    assert dx.shape == (3, 2)
    assert_allclose(dx, 3 * x**2, rtol=1e-8)


def test_derivative_exp():
    assert_allclose(derivative(np.exp, 0.0), np.exp(0), rtol=1e-8)


def test_derivative_sin():
    x = np.linspace(0, 2.0 * np.pi, 13)
    assert_allclose(derivative(np.sin, x), np.cos(x), atol=1e-8)


def test_backward_derivative_on_sinh():
    assert_allclose(derivative(np.sinh, 0.0, method="backward"), np.cosh(0.0))


def test_central_and_forward_derivative_on_log():
    """numdifftools' "central" and "forward" extrapolate over 15 steps, as calcml's
    Richardson does, and reach rtol 1e-7 at x = 0.001 given a hand-made step generator.
    calcml's Richardson needs no generator: its automatic step shrinks to the domain of log.
    calcml's plain quotients take one step h = c·max(1, |x|), and their error is the one
    their Taylor model predicts (numdiff's docstring): (h/x)²/3 and h/(2x) relative."""
    x = 0.001
    assert_allclose(derivative(np.log, x, method="richardson"), 1.0 / x, rtol=1e-12)
    for method, model in [
        ("central", lambda h: h**2 / (3 * x**2)),
        ("forward", lambda h: h / (2 * x)),
    ]:
        h = step_size(x, method)
        error = abs(derivative(np.log, x, method=method) * x - 1)
        assert 0.5 * model(h) < error < 1.5 * model(h)


# --- TestJacobian ----------------------------------------------------------------------------


@settings(deadline=None, max_examples=60)
@given(st.floats(min_value=-1000, max_value=1000))
def test_scalar_to_vector(val):
    def fun(x):
        return np.array([x, x**2, x**3]).ravel()

    truth = np.array([1.0, 2 * val, 3 * val**2])  # shape (3,) + () for a scalar x
    assert_allclose(jacobian(fun, val), truth, rtol=1e-3, atol=1e-6)


def test_jacobian_on_scalar_function():
    def fun(x):
        return x[0] * x[1] * x[2] + np.exp(x[0]) * x[1]

    expected = [135.42768462, 41.08553692, 15.0]
    assert_allclose(jacobian(fun, [3.0, 5.0, 7.0]), expected)  # shape () + (3,)
    assert_allclose(gradient(fun, [3.0, 5.0, 7.0]), expected)


def test_jacobian_on_vector_valued_function():
    xdata = np.arange(0, 1, 0.1)
    ydata = 1 + 2 * np.exp(0.75 * xdata)

    def fun(c):
        return (c[0] + c[1] * np.exp(c[2] * xdata) - ydata) ** 2

    # numerically zero: the residuals vanish at the true parameters. The central difference
    # leaves O(h²) of the squares' curvature, ~1e-10 here; numdifftools extrapolates to 1e-12
    assert_allclose(jacobian(fun, [1, 2, 0.75]), np.zeros((ydata.size, 3)), atol=1e-9)


def _fun_matrix(x):
    x = np.atleast_1d(x)
    return np.array([x[0] ** 2 + x[1] ** 2, x[0] ** 3 + x[1] ** 3])


def _dfun_matrix(x):
    x = np.atleast_1d(x)
    df0 = np.vstack([np.atleast_1d(2 * x[0]), np.atleast_1d(2 * x[1])])
    df1 = np.vstack([np.atleast_1d(3 * x[0] ** 2), np.atleast_1d(3 * x[1] ** 2)])
    return np.array([df0, df1]).squeeze()


def test_jacobian_on_matrix_valued_function():
    assert_allclose(jacobian(_fun_matrix, [1, 2]), [[2.0, 4.0], [3.0, 12.0]])
    assert_allclose(jacobian(_fun_matrix, [3, 4]), [[6.0, 8.0], [27.0, 48.0]])
    assert_allclose(jacobian(_fun_matrix, [1, 2]), _dfun_matrix([1, 2]))
    # numdifftools treats each column of a (2, k) x as its own point; calcml's Jacobian of
    # the whole x has shape (2, k) + (2, k), and column j's Jacobian is J[:, j, :, j]
    x = np.array([(1, 2, 3, 4), (5, 6, 7, 8)], dtype=float)
    assert_allclose(_fun_matrix(x), [[26.0, 40.0, 58.0, 80.0], [126.0, 224.0, 370.0, 576.0]])
    J = jacobian(_fun_matrix, x)
    assert J.shape == (2, 4, 2, 4)
    per_column = np.stack([J[:, j, :, j] for j in range(4)], axis=-1)
    assert_allclose(per_column, _dfun_matrix(x))
    off = J.copy()
    for j in range(4):
        off[:, j, :, j] = 0
    assert_allclose(off, 0, atol=1e-9)  # columns do not depend on one another


def test_issue_68_output_of_shape_one():
    def fun(x):
        return np.array([np.sum(x**2) - 1])

    assert_allclose(jacobian(fun, np.array([1.0, 2])), [[2.0, 4.0]])


def test_issue_25_size_of_the_jacobian_tensor():
    def g_fun(x):
        out = np.zeros((2, 2))
        out[0] = x
        out[1] = x
        return out

    assert_allclose(
        jacobian(g_fun, np.array([1.0, 2.0])), [[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]]
    )

    def fun3(x):
        return np.vstack((x[0] * x[1] * x[2] ** 2, x[0] * x[1] * x[2]))

    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).T  # shape (3, 2): two points
    expected = [
        [[18.0, 180.0], [9.0, 144.0], [12.0, 240.0]],
        [[6.0, 30.0], [3.0, 24.0], [2.0, 20.0]],
    ]
    J = jacobian(fun3, x)  # (2, 2) + (3, 2)
    per_point = np.stack([J[:, k, :, k] for k in range(2)], axis=-1)  # (2, 3, 2)
    assert_allclose(per_point, expected)


def test_issue_27_large_jacobian():
    n = 300
    assert_allclose(jacobian(lambda x: x**2, np.ones(n)), 2 * np.eye(n), atol=1e-8)


# --- TestGradient ----------------------------------------------------------------------------


def test_gradient():
    assert_allclose(gradient(lambda x: np.sum(x**2), [1, 2, 3]), [2.0, 4.0, 6.0])


def test_gradient_of_issue_39_function():
    fun = lambda x: 1.0 / (np.exp(x[0]) + np.cos(x[1]) + 10)
    assert_allclose(gradient(fun, [1.0, 2.0]), [-0.017961123762187736, 0.0060082083648822])


# --- TestHessdiag, through the diagonal of hessian -------------------------------------------


def _hessdiag_fun(x):
    return x[0] + x[1] ** 2 + x[2] ** 3


def test_hessdiag_default_step():
    assert_allclose(np.diag(hessian(_hessdiag_fun, [1, 2, 3])), [0.0, 2.0, 18.0], atol=1e-8)


@settings(deadline=None, max_examples=60)
@given(st.tuples(st.floats(-100, 100), st.floats(-100, 100), st.floats(-100, 100)))
@example((0.0, 16.003907623933742, 68.02057249966789))
@example((1, 2, 3))
@example((1.2009289063e-314, 1.2009289063e-314, 1.2009289063e-314))
@example((88.01663712016305, 88.01663712016305, 88.01663712016305))
@example((0.0, 19.945812226807096, 54.11322414875562))
def test_hessdiag_at_any_point(vals):
    htrue = np.array([0.0, 2.0, 6 * vals[2]])
    # a cubic has no truncation error; what is left is round-off, eps·|f|/h², absolute: a
    # zero entry next to 6·68 = 408 carries ~1e-5 (numdifftools allows 100x its own error
    # estimate). calcml's claim is relative to the Hessian's size: 1e-6 of max |H_ij|
    H = hessian(_hessdiag_fun, list(vals))
    assert_allclose(np.diag(H), htrue, rtol=1e-5, atol=1e-6 * max(1.0, np.abs(htrue).max()))


# --- TestHessian -----------------------------------------------------------------------------


def test_complex_hessian_issue_35_is_refused():
    """numdifftools' central methods differentiate f = i·xᵀx; calcml refuses complex values
    (numdiff's module docstring), and complex points too."""
    rng = np.random.default_rng(0)

    def foo(x):
        return 1j * np.inner(x, x)

    with pytest.raises(ValueError, match="complex value at a real point"):
        hessian(foo, rng.normal(size=3))
    with pytest.raises(TypeError, match="must be real"):
        hessian(foo, rng.normal(size=3) + 1j)


def test_hessian_cos_x_y_at_0_0():
    H = hessian(lambda xy: np.cos(xy[0] - xy[1]), [0.0, 0.0])
    assert_allclose(H, [[-1.0, 1.0], [1.0, -1.0]], rtol=1e-7, atol=1e-9)


def test_hessian_on_scalar_function():
    def fun(xyz):
        x, y, z = xyz
        return x * y * z + np.exp(x) * y

    def ddfun(xyz):
        x, y, z = xyz
        return np.array([[np.exp(x) * y, np.exp(x) + z, y], [np.exp(x) + z, 0, x], [y, x, 0]])

    x = [3.0, 5.0, 7.0]
    assert_allclose(hessian(fun, x), ddfun(x), atol=1e-4)
    assert_allclose(hessian(fun, x), ddfun(x), rtol=1e-8, atol=1e-8)  # and much closer


def test_hessian_on_vector_valued_function_one_component_at_a_time():
    """numdifftools' Hessian takes a vector-valued f; calcml's takes f: Rⁿ → R, so each
    component is differentiated on its own."""

    def fun(xy):
        x, y = xy
        return np.array([np.cos(x * y), np.sin(x * y)])

    def ddfun(xy):
        x, y = xy
        c, s = np.cos(x * y), np.sin(x * y)
        return np.array(
            [
                [[-y * y * c, -x * y * c - s], [-x * y * c - s, -x * x * c]],
                [[-y * y * s, c - x * y * s], [c - x * y * s, -x * x * s]],
            ]
        )

    x = [3.0, 5.0]
    for k in range(2):
        assert_allclose(hessian(lambda v, k=k: fun(v)[k], x), ddfun(x)[k], atol=1e-4)
    with pytest.raises(ValueError, match="one number"):
        hessian(fun, x)


def _ion_potential(x, mass, omega, coulomb):
    """Two ions in a harmonic trap with Coulomb repulsion (numdifftools' hamiltonian.py)."""
    return 0.5 * mass * omega**2 * np.sum(x**2) + coulomb / abs(x[0] - x[1])


def test_hamiltonian_hessian_in_si_units_with_a_step_of_the_problems_scale():
    """numdifftools' hamiltonian test, in its SI units: ions a few micrometres apart. Its
    step is restricted (base_step=1e-4, then shrunk by its generator); calcml's automatic
    step assumes a scale max(1, |x|) = 1 metre, so the port passes a step at the problem's
    scale (eps**(1/6) times the distance between the ions), as numdiff's docstring says."""
    from scipy import constants, optimize

    mass, omega = 39.96 * 1.66e-27, 2 * np.pi * 1e6
    coulomb = constants.e**2 / (4 * np.pi * constants.epsilon_0)

    def potential(x):
        return _ion_potential(np.asarray(x), mass, omega, coulomb)

    xopt = optimize.fmin(potential, np.array([-0.5, 0.5]), xtol=1e-10, disp=False)
    # the analytic minimum, x = ±d/2 with d³ = 2C/(m ω²), is where fmin's scale must land
    d = (2 * coulomb / (mass * omega**2)) ** (1 / 3)
    true_h = np.array([[5.23748385e-12, -2.61873829e-12], [-2.61873829e-12, 5.23748385e-12]])
    if abs(abs(xopt[1] - xopt[0]) - d) > 1e-3 * d:  # fmin from (-0.5, 0.5) m may stall
        xopt = np.array([-d / 2, d / 2])
    H = hessian(potential, xopt, h=2.4e-3 * d)
    assert np.all(np.abs((H - true_h) / true_h) < 1e-4)


def test_hamiltonian_hessian_in_natural_units_with_the_default_step():
    """The same chain in units where the trap's curvature and the ions' distance are of
    order 1: the default step works, against the analytic Hessian."""
    c = 0.1
    d = (2 * c) ** (1 / 3)  # the minimum of x²/2 + y²/2 + c/|x - y|: x = -y = d/2
    x = np.array([-d / 2, d / 2])
    k = 2 * c / d**3
    exact = np.array([[1 + k, -k], [-k, 1 + k]])
    H = hessian(lambda v: _ion_potential(v, 1.0, 1.0, c), x)
    assert np.all(np.abs((H - exact) / exact) < 1e-8)


# --- test_jacobian_complex_validation.py -----------------------------------------------------


@pytest.mark.parametrize("call", [gradient, jacobian])
def test_complex_output_rejected_at_the_first_call(call):
    calls = []

    def fun(x):
        calls.append(x.copy())
        return np.sum((1 + 1j) * x**2)

    with pytest.raises(ValueError, match="complex value at a real point"):
        call(fun, [1.0, 2.0])
    assert len(calls) == 1


@pytest.mark.parametrize("call", [gradient, jacobian, hessian])
def test_complex_variable_rejected(call):
    with pytest.raises(TypeError, match="must be real"):
        call(lambda x: np.sum(x**2), [1j, 2.0])


def test_real_valued_function_still_accepted():
    assert_allclose(jacobian(lambda x: np.sum(x**2), [1.0, 2.0]), [2, 4])
    assert_allclose(gradient(lambda x: np.sum(x**2), [1.0, 2.0]), [2, 4])


def test_real_value_with_complex_dtype_accepted():
    assert_allclose(jacobian(lambda x: np.sum(x**2) + 0j, [1.0, 2.0]), [2, 4])


def test_central_complex_output_is_refused_not_differentiated():
    """numdifftools' central Jacobian differentiates (1 + i)x²; calcml refuses."""
    with pytest.raises(ValueError, match="real and imaginary parts separately"):
        jacobian(lambda x: (1 + 1j) * x**2, [1.0, 2.0])


# --- test_invalid_outputs.py -----------------------------------------------------------------


@pytest.mark.parametrize("method", ["central", "forward", "backward", "richardson"])
def test_invalid_output_at_one_point_is_named(method):
    """numdifftools returns NaN at the invalid point and the other estimates unchanged;
    calcml refuses the call and names the point (never a silent NaN)."""
    x = np.array([0.5, 1.0, 5.0])
    valid = np.array([True, False, True])

    def masked_exp(t):
        return np.where(valid, np.exp(t), np.nan)

    with pytest.raises(ValueError, match="x = 1"):
        derivative(masked_exp, x, method=method)
    # the valid points alone are differentiated as usual
    assert_allclose(derivative(np.exp, x[valid], method=method), np.exp(x[valid]), rtol=1e-7)
