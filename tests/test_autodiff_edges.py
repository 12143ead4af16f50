"""The engine at the edges (issue 8): zero bases, Python-float zeros, aliasing, versions,
repeated backward passes, nested gradients, NumPy's protocols and clear errors."""

import warnings

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.autodiff import Dual, Tensor


# --- ** at a zero base: the limits PyTorch and HIPS autograd use -------------------------
@pytest.mark.parametrize(("f", "x", "expected"), [
    (lambda x: x ** 0.0, 0.0, 0.0),        # x⁰ = 1 everywhere: slope 0, also at 0
    (lambda y: 0.0 ** y, 0.5, 0.0),        # 0^y = 0 for y > 0: slope 0
    (lambda x: x ** 2.0, 0.0, 0.0),
    (lambda x: x ** 3, 0.0, 0.0),
    (lambda x: x ** 1.0, 0.0, 1.0),
    (lambda x: x ** 0.5, 0.0, np.inf),     # √x has a vertical tangent at 0
])
def test_power_at_a_zero_base_in_both_modes(f, x, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0 ** -0.5 = inf warns, as in NumPy
        reverse = float(ad.grad(f)(x))
        value, forward = ad.jvp(f, x, 1.0)
    assert reverse == expected
    assert float(forward) == expected
    assert np.isfinite(value) or np.isinf(value)


def test_power_at_a_zero_base_for_arrays_and_both_arguments():
    x = Tensor([0.0, 2.0], requires_grad=True)
    y = Tensor([0.0, 3.0], requires_grad=True)
    (x ** y).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 12.0])              # y x^(y−1)
    np.testing.assert_allclose(y.grad, [0.0, 8.0 * np.log(2.0)])    # x^y ln x, 0 at x = 0


@pytest.mark.parametrize(("f", "expected"), [
    (lambda x: x ** 0.5, np.inf),
    (lambda x: x ** 0.0, 0.0),
    (lambda x: x ** -1.0, -np.inf),
    (lambda x: 1.0 / x, -np.inf),
])
def test_forward_mode_at_a_python_float_zero_does_not_raise(f, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, slope = ad.jvp(f, 0.0, 1.0)
        assert float(slope) == expected
        assert float(f(Dual(0.0, 1.0)).deriv) == expected
