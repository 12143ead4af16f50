"""calcml.numdiff refuses values a difference quotient cannot use: booleans, whose
differences are no slopes, and float32, whose rounding swamps a float64 step (sin in
float32 at 1.0 once gave the derivative 0.0, and its gradient 0)."""

import numpy as np
import pytest

from calcml.numdiff import derivative, gradient, hessian, jacobian


def sin32(t):
    return np.sin(np.asarray(t, dtype=np.float32))


@pytest.mark.parametrize("call", [
    lambda: derivative(sin32, 1.0),
    lambda: derivative(sin32, 1.0, method="richardson"),
    lambda: derivative(sin32, 1.0, method="forward"),
    lambda: gradient(lambda v: np.sum(sin32(v)), np.ones(3)),
    lambda: jacobian(sin32, np.ones(2)),
    lambda: hessian(lambda v: np.sum(sin32(v)), np.ones(2)),
])
def test_float32_values_are_refused_not_differenced_to_noise(call):
    with pytest.raises(TypeError, match="float32"):
        call()


@pytest.mark.parametrize("call", [
    lambda: derivative(lambda t: t > 0, 1.0),
    lambda: gradient(lambda v: v[0] > 0, np.ones(2)),
])
def test_booleans_are_refused_with_what_to_return(call):
    with pytest.raises(TypeError, match="booleans"):
        call()


def test_float64_computed_from_float32_inputs_is_still_differenced():
    # what is refused is the precision of f's values, not of its arguments
    assert abs(derivative(lambda t: np.sin(np.float64(t)), 1.0) - np.cos(1.0)) < 1e-9
