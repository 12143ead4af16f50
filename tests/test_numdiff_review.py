"""calcml.numdiff: the reviewer's silent wrong results, each now right or a clear error."""

import math

import numpy as np
import pytest

from calcml.numdiff import derivative, gradient, hessian, jacobian

# --- 1. a stencil that jumps over a pole --------------------------------------------------


@pytest.mark.parametrize(
    ("f", "x", "method", "exact"),
    [
        (lambda t: 1 / t, 1e-3, "richardson", -1e6),
        (np.tan, np.pi / 2 - 1e-3, "richardson", 1 / np.cos(np.pi / 2 - 1e-3) ** 2),
        (lambda t: 1 / t, 3e-6, "central", -1 / 3e-6**2),
        (lambda t: 1 / t, -1e-9, "forward", -1e18),
        (lambda t: 1 / t**2, 1e-6, "central", -2e18),
    ],
)
def test_stencil_over_a_pole_is_right(f, x, method, exact):
    assert derivative(f, x, method=method) == pytest.approx(exact, rel=1e-6)


def test_several_variables_over_a_pole_are_right():
    assert gradient(lambda v: 1 / v[0], [1e-6])[0] == pytest.approx(-1e12, rel=1e-6)
    assert jacobian(lambda v: 1 / v, [1e-6])[0, 0] == pytest.approx(-1e12, rel=1e-6)
    assert hessian(lambda v: 1 / v[0], [1e-3])[0, 0] == pytest.approx(2e9, rel=1e-6)
    x = np.pi / 2 - 1e-3
    exact = 2 * np.sin(x) / np.cos(x) ** 3
    assert hessian(lambda v: np.tan(v[0]), [x])[0, 0] == pytest.approx(exact, rel=1e-6)


# --- 2. a step too coarse for f -------------------------------------------------------------


@pytest.mark.parametrize("method", ["central", "richardson"])
def test_sin_at_1e8(method):
    assert derivative(np.sin, 1e8, method=method) == pytest.approx(np.cos(1e8), rel=1e-6)


def test_gradient_of_sin_at_1e8():
    assert gradient(lambda v: np.sin(v[0]), [1e8])[0] == pytest.approx(np.cos(1e8), rel=1e-6)


def test_fast_oscillation_richardson():
    got = derivative(lambda t: np.sin(1000 * t), 0.0, method="richardson")
    assert got == pytest.approx(1000.0, rel=1e-9)


# --- 3. no derivative: infinite slope -------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "method"),
    [
        (np.sqrt, "forward"),
        (np.cbrt, "central"),
        (np.cbrt, "forward"),
        (np.cbrt, "richardson"),
    ],
)
def test_infinite_derivative_is_an_error(f, method):
    with pytest.raises(ValueError, match="derivative is infinite"):
        derivative(f, 0.0, method=method)


# --- 4. the complex step ------------------------------------------------------------------


@pytest.mark.parametrize("x", [0.0, 1e-320])
def test_complex_step_log_at_or_near_zero(x):
    with pytest.raises(ValueError):
        derivative(np.log, x, method="complex")


def test_complex_step_checks_f_is_finite_at_x():
    with pytest.raises(ValueError, match="not finite"):
        derivative(np.log, 0.0, method="complex")
    with pytest.raises(ValueError, match="overflows"):
        derivative(np.exp, 710.0, method="complex")


def test_complex_step_infinite_derivative():
    with pytest.raises(ValueError, match="no derivative at x"):
        derivative(np.sqrt, 0.0, method="complex")


@pytest.mark.parametrize(
    ("f", "x"), [(np.conj, 1.0), (lambda t: t * np.conj(t), 3.0), (np.sign, 1.0)]
)
def test_complex_step_refuses_non_analytic_functions(f, x):
    with pytest.raises(ValueError, match="not complex-analytic"):
        derivative(f, x, method="complex")


def test_complex_step_still_exact_on_analytic_functions():
    assert derivative(np.log, 1e-100, method="complex") == pytest.approx(1e100, rel=1e-14)
    assert derivative(np.sin, 1e8, method="complex") == pytest.approx(np.cos(1e8), rel=1e-12)
    assert derivative(np.exp, 1.0, method="complex") == pytest.approx(np.e, rel=1e-15)


# --- 5. kinks and jumps -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "right", "left"), [(np.abs, "1", "-1"), (lambda t: np.maximum(t, 0), "1", "0")]
)
def test_kinks_are_errors_naming_the_one_sided_slopes(f, right, left):
    with pytest.raises(ValueError, match="kink") as info:
        derivative(f, 0.0)
    assert f"{right} to the right" in str(info.value)
    assert f"{left} to the left" in str(info.value)


@pytest.mark.parametrize(
    ("f", "x", "method"),
    [(np.floor, 1.0, "central"), (np.floor, 1.0, "richardson"), (np.sign, 0.0, "central")],
)
def test_jumps_are_errors(f, x, method):
    with pytest.raises(ValueError, match="jumps"):
        derivative(f, x, method=method)


def test_several_variables_refuse_kinks():
    with pytest.raises(ValueError, match="kink"):
        gradient(lambda v: np.abs(v[0]) + v[1], [0.0, 1.0])
    with pytest.raises(ValueError, match="kink"):
        jacobian(np.abs, [0.0, 1.0])
    with pytest.raises(ValueError, match="do not settle"):
        hessian(lambda v: np.abs(v[0]) + v[1] ** 2, [0.0, 1.0])


# --- 6. errors that say what is wrong --------------------------------------------------------


def test_boolean_output_is_named():
    with pytest.raises(TypeError, match="booleans"):
        derivative(lambda t: t > 0, 1.0)
    with pytest.raises(TypeError, match="booleans"):
        gradient(lambda v: v[0] > 0, [1.0])


@pytest.mark.parametrize(
    ("f", "x", "method", "exact"),
    [
        (np.log, 1e-100, "central", 1e100),
        (np.sqrt, 1e-200, "central", 0.5e100),
        (lambda t: t * np.log(t), 1e-300, "richardson", math.log(1e-300) + 1),
    ],
)
def test_a_far_away_edge_is_found(f, x, method, exact):
    assert derivative(f, x, method=method) == pytest.approx(exact, rel=1e-8)


def test_an_exception_of_f_is_reported_as_f_s():
    with pytest.raises(ValueError, match="f raised ValueError: The truth value") as info:
        derivative(lambda t: t**2 if t > 0 else -t, [1.0, 2.0])
    assert "array of 2 points" in str(info.value)
    assert "domain" not in str(info.value)


def test_overflow_is_not_a_domain_edge():
    with pytest.raises(ValueError, match="overflows") as info:
        derivative(lambda t: t**2, 1e200)
    assert "outside f's domain" not in str(info.value)


# --- smooth functions are not rejected, and lose no accuracy -------------------------------

SMOOTH = [
    (np.sin, np.cos),
    (np.exp, np.exp),
    (lambda t: t**3 - 2 * t, lambda t: 3 * t**2 - 2),
    (np.arctan, lambda t: 1 / (1 + t * t)),
]


@pytest.mark.parametrize("method", ["central", "forward", "backward", "richardson", "complex"])
@pytest.mark.parametrize("pair", range(len(SMOOTH)))
def test_smooth_functions_at_many_points_and_scales(method, pair):
    f, df = SMOOTH[pair]
    xs = np.concatenate([np.linspace(-3, 3, 61), [0.0, 1e-8, -1e-8, 1.0, 7.5]])
    got = derivative(f, xs, method=method)
    tol = {"forward": 1e-6, "backward": 1e-6}.get(method, 1e-9)
    assert np.all(np.abs(got - df(xs)) <= tol * np.maximum(1, np.abs(df(xs))))


@pytest.mark.parametrize("x", [1e3, 1e8])
def test_smooth_at_large_x(x):
    assert derivative(np.log, x) == pytest.approx(1 / x, rel=1e-9)
    assert derivative(lambda t: np.sqrt(t), x) == pytest.approx(0.5 / np.sqrt(x), rel=1e-9)


def test_log_near_zero_and_rosenbrock():
    for x in (1e-8, 1e-3, 1.0, 1e3, 1e8):
        assert derivative(np.log, x) == pytest.approx(1 / x, rel=2e-5)  # (h/x)²/3 at 1e-3
    rosen = lambda v: np.sum(100 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2)
    v = np.random.default_rng(0).normal(size=50)
    exact = np.zeros(50)
    exact[:-1] += -400 * v[:-1] * (v[1:] - v[:-1] ** 2) - 2 * (1 - v[:-1])
    exact[1:] += 200 * (v[1:] - v[:-1] ** 2)
    calls = []
    counted = lambda w: calls.append(1) or rosen(w)
    assert np.allclose(gradient(counted, v), exact, rtol=1e-8, atol=1e-6)
    assert len(calls) == 4 * 50 + 1  # two extra calls per coordinate for the check


@pytest.mark.parametrize("call", [
    lambda f: derivative(f, 1.0),
    lambda f: derivative(f, 1.0, method="richardson"),
    lambda f: gradient(lambda v: np.sum(f(v)), np.ones(3)),
])
def test_float32_values_are_refused_not_differenced_to_noise(call):
    # sin in float32 at 1.0: central gave 0.0 (f(x ± h) round to one float32, at h and h/2
    # alike), gradient said 'f jumps at x = 1'
    with pytest.raises(TypeError, match="float32"):
        call(lambda t: np.sin(np.asarray(t, dtype=np.float32)))
