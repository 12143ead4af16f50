"""calcml.functions: values, identities, stability in the tails, input checking."""

import doctest
import math
import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import calcml.functions
from calcml.functions import (
    ACTIVATIONS,
    compose,
    gelu,
    leaky_relu,
    linear,
    polynomial,
    relu,
    sigmoid,
    sigmoid_derivative,
    softplus,
    step,
    tanh,
)

reals = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False)
moderate = st.floats(min_value=-30, max_value=30, allow_nan=False)
EXTREMES = np.array([-1e308, -1e5, -750.0, -710.0, -40.0, -1e-300, 0.0, 1e-300, 40.0,
                     710.0, 750.0, 1e5, 1e308, np.inf, -np.inf])


def mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-mpmath.mpf(x)))


def test_doctests_pass():
    assert doctest.testmod(calcml.functions).failed == 0


# --- sigmoid ------------------------------------------------------------------------------

@given(reals)
def test_sigmoid_is_a_probability(x):
    s = sigmoid(x)
    assert 0.0 <= s <= 1.0


@given(moderate)
def test_sigmoid_strictly_inside_for_moderate_inputs(x):
    assert 0.0 < sigmoid(x) < 1.0


@given(reals)
def test_sigmoid_symmetry(x):
    # σ(−x) = 1 − σ(x); absolute error of one rounding of a number in [0, 1]
    assert sigmoid(-x) == pytest.approx(1 - sigmoid(x), abs=2e-16)


@given(reals, reals)
def test_sigmoid_is_monotone(x, y):
    lo, hi = sorted((x, y))
    assert sigmoid(lo) <= sigmoid(hi)


@pytest.mark.parametrize("x", [-745.0, -700.0, -100.0, -20.0, -1.0, 0.0, 0.5, 3.0, 36.0])
def test_sigmoid_matches_high_precision(x):
    with mpmath.workdps(40):
        exact = float(mp_sigmoid(x))
    assert sigmoid(x) == pytest.approx(exact, rel=1e-15)


def test_no_warnings_at_extreme_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for f in (sigmoid, sigmoid_derivative, tanh, relu, leaky_relu, softplus, step, gelu):
            out = f(EXTREMES)
            assert out.shape == EXTREMES.shape
            assert not np.isnan(out).any(), f.__name__


def test_sigmoid_limits_at_infinity():
    assert sigmoid(np.inf) == 1.0
    assert sigmoid(-np.inf) == 0.0


# --- the sigmoid's slope ------------------------------------------------------------------

@given(st.floats(min_value=-20, max_value=20))
def test_sigmoid_derivative_matches_central_difference(x):
    h = 1e-5
    central = (sigmoid(x + h) - sigmoid(x - h)) / (2 * h)  # error O(h**2) ≈ 1e-10
    assert sigmoid_derivative(x) == pytest.approx(central, abs=1e-9)


@pytest.mark.parametrize("x", [40.0, 100.0, 500.0, -40.0, -500.0])
def test_sigmoid_derivative_keeps_its_digits_in_the_tails(x):
    # where σ(1 − σ) evaluated literally gives 0, σ(x)σ(−x) keeps relative accuracy
    with mpmath.workdps(60):
        s = mp_sigmoid(x)
        exact = float(s * (1 - s))
    assert sigmoid_derivative(x) == pytest.approx(exact, rel=1e-14)


def test_sigmoid_derivative_is_largest_at_zero():
    xs = np.linspace(-10, 10, 2001)
    assert xs[np.argmax(sigmoid_derivative(xs))] == 0.0
    assert sigmoid_derivative(0.0) == 0.25


# --- tanh, relu family, step --------------------------------------------------------------

@given(st.floats(min_value=-300, max_value=300))
def test_tanh_is_a_rescaled_sigmoid(x):
    assert tanh(x) == pytest.approx(2 * sigmoid(2 * x) - 1, abs=1e-15)


@given(reals)
def test_relu(x):
    assert relu(x) == max(x, 0.0)


def test_relu_and_leaky_relu_propagate_nan():
    assert np.isnan(relu(np.nan))
    assert np.isnan(leaky_relu(np.nan))


@given(reals, st.floats(min_value=0, max_value=1))
def test_leaky_relu(x, alpha):
    assert leaky_relu(x, alpha=alpha) == (x if x >= 0 else alpha * x)


def test_leaky_relu_with_zero_alpha_is_relu():
    xs = np.linspace(-3, 3, 13)
    np.testing.assert_array_equal(leaky_relu(xs, alpha=0.0), relu(xs))


def test_step_one_sided_values_and_value_at_zero():
    assert step(-1e-300) == 0.0
    assert step(1e-300) == 1.0
    assert step(0.0) == 1.0
    assert step(0.0, at_zero=0.5) == 0.5


# --- softplus -----------------------------------------------------------------------------

@given(reals)
def test_softplus_lies_above_relu_by_at_most_log2(x):
    gap = softplus(x) - relu(x)
    assert 0.0 <= gap <= math.log(2) + 1e-15


@given(st.floats(min_value=-30, max_value=30))
def test_softplus_agrees_with_the_textbook_formula_where_that_is_safe(x):
    assert softplus(x) == pytest.approx(math.log1p(math.exp(x)), rel=1e-14)


@pytest.mark.parametrize("x", [-745.0, -300.0, -40.0, -1e-10, 0.0, 1e-10, 40.0, 300.0, 1e6])
def test_softplus_matches_high_precision(x):
    with mpmath.workdps(50):
        exact = float(mpmath.log(1 + mpmath.exp(mpmath.mpf(x))))
    assert softplus(x) == pytest.approx(exact, rel=1e-15)


@pytest.mark.parametrize("beta", [0.5, 1.0, 4.0, 16.0, 100.0])
def test_softplus_beta_tends_to_relu_with_gap_log2_over_beta(beta):
    xs = np.linspace(-3, 3, 6001)  # includes 0, where the gap is largest
    gap = softplus(xs, beta=beta) - relu(xs)
    assert gap.max() == pytest.approx(math.log(2) / beta, rel=1e-12)
    assert xs[np.argmax(gap)] == 0.0


# --- gelu ---------------------------------------------------------------------------------

@given(st.floats(min_value=-8, max_value=8))
def test_gelu_matches_its_definition(x):
    assert gelu(x) == pytest.approx(x * 0.5 * (1 + math.erf(x / math.sqrt(2))), abs=1e-15)


@pytest.mark.parametrize("x", [-30.0, -10.0])
def test_gelu_left_tail_keeps_relative_accuracy(x):
    with mpmath.workdps(50):
        exact = float(mpmath.mpf(x) * mpmath.ncdf(x))
    assert gelu(x) == pytest.approx(exact, rel=1e-12)  # 1 + erf would cancel to 0 here
    assert gelu(x) < 0


# --- linear, polynomial, compose ----------------------------------------------------------

@given(reals.filter(lambda v: abs(v) < 1e100), st.floats(-1e3, 1e3), st.floats(-1e3, 1e3))
def test_linear(x, w, b):
    assert linear(x, w=w, b=b) == w * x + b


@given(st.lists(st.floats(-100, 100), min_size=1, max_size=8), st.floats(-3, 3))
def test_polynomial_matches_numpy(coeffs, x):
    expected = np.polynomial.polynomial.polyval(x, coeffs)
    scale = sum(abs(c) * abs(x) ** k for k, c in enumerate(coeffs))
    assert polynomial(x, coeffs) == pytest.approx(expected, abs=1e-12 * max(scale, 1.0))


def test_polynomial_vectorised_and_lowest_coefficient_first():
    np.testing.assert_allclose(polynomial([0.0, 1.0, 2.0], [1.0, 0.0, 3.0]), [1.0, 4.0, 13.0])


def test_compose_applies_the_last_function_first():
    def double(x):
        return 2 * x

    def plus_one(x):
        return x + 1

    h = compose(double, plus_one)
    assert h(3.0) == 8.0  # double(plus_one(3))
    assert compose(plus_one, double)(3.0) == 7.0
    assert h.__name__ == "(double ∘ plus_one)"
    assert compose(double)(1.5) == 3.0


def test_compose_builds_a_neuron():
    xs = np.linspace(-2, 2, 9)
    neuron = compose(sigmoid, lambda x: linear(x, w=3.0, b=-1.0))
    np.testing.assert_array_equal(neuron(xs), sigmoid(3.0 * xs - 1.0))


def test_compose_rejects_bad_arguments():
    with pytest.raises(TypeError, match="at least one"):
        compose()
    with pytest.raises(TypeError, match=r"argument 1 .* not callable"):
        compose(sigmoid, 3.0)


# --- shapes, dtypes, input checking -------------------------------------------------------

@pytest.mark.parametrize("f", list(ACTIVATIONS.values()), ids=list(ACTIVATIONS))
def test_shapes_and_dtypes(f):
    assert isinstance(f(1.0), np.floating)
    assert np.ndim(f(1.0)) == 0
    assert f([1, 2, 3]).dtype == np.float64  # integers become float64
    assert f(np.ones((2, 3), dtype=np.float32)).dtype == np.float32  # precision kept
    assert f(np.ones((2, 3))).shape == (2, 3)


@pytest.mark.parametrize("f", list(ACTIVATIONS.values()), ids=list(ACTIVATIONS))
@pytest.mark.parametrize("bad", ["1.0", None, 1 + 2j, [1, "a"], [[1, 2], [3]], object()])
def test_non_numeric_input_is_a_type_error(f, bad):
    with pytest.raises(TypeError, match="real number"):
        f(bad)


def test_float32_sigmoid_does_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = sigmoid(np.array([-1e4, 1e4], dtype=np.float32))
    np.testing.assert_array_equal(out, np.array([0.0, 1.0], dtype=np.float32))


@pytest.mark.parametrize(("call", "match"), [
    (lambda: leaky_relu(1.0, alpha=-0.1), "alpha must be >= 0, got -0.1"),
    (lambda: softplus(1.0, beta=0.0), "beta must be positive, got 0.0"),
    (lambda: linear(1.0, w=np.inf), "w must be finite"),
])
def test_bad_parameters_are_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(("call", "match"), [
    (lambda: linear(1.0, w="2"), "w must be a real number"),
    (lambda: step(1.0, at_zero=None), "at_zero must be a real number"),
    (lambda: softplus(1.0, beta=True), "beta must be a real number"),
])
def test_bad_parameter_types_are_type_errors(call, match):
    with pytest.raises(TypeError, match=match):
        call()


def test_polynomial_needs_coefficients():
    with pytest.raises(ValueError, match="non-empty 1-D"):
        polynomial(1.0, [])
