"""Forward mode has reverse mode's operations: sum(keepdims), mean, max, reshape, transpose."""

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.autodiff import Dual

X0 = np.array([[0.5, -1.0, 2.0], [1.5, 2.0, -0.75]])
V0 = np.array([[1.0, 0.5, -2.0], [0.25, 3.0, 1.0]])

OPERATIONS = [
    lambda t: t.sum(),
    lambda t: t.sum(axis=0),
    lambda t: t.sum(axis=1, keepdims=True),
    lambda t: t.sum(axis=(0, 1), keepdims=True),
    lambda t: t.mean(),
    lambda t: t.mean(axis=-1),
    lambda t: t.mean(axis=0, keepdims=True),
    lambda t: t.max(),
    lambda t: t.max(axis=0),
    lambda t: t.max(axis=1, keepdims=True),
    lambda t: t.reshape(3, 2),
    lambda t: t.reshape((6,)),
    lambda t: t.T,
    lambda t: t.transpose(1, 0),
    lambda t: (t.T @ t).sum(axis=0) * t.reshape(-1)[:3],
    lambda t: ad.tanh(t).mean(axis=0, keepdims=True) * t,
]


@pytest.mark.parametrize("op", OPERATIONS)
def test_forward_and_reverse_mode_give_the_same_directional_derivative(op):
    value, tangent = ad.jvp(op, X0, V0)
    out = op(ad.Tensor(X0))
    np.testing.assert_allclose(value, out.data, rtol=1e-15)
    assert np.shape(tangent) == out.shape
    # reverse mode: the directional derivative of each output entry is ∇(out_i) · V0
    J = ad.jacrev(op, X0).reshape(out.size, X0.size)
    np.testing.assert_allclose(np.ravel(tangent), J @ V0.ravel(), rtol=1e-13, atol=1e-15)


def test_max_shares_the_tangent_among_ties_like_the_reverse_rule():
    x = Dual(np.array([2.0, 2.0, 1.0]), np.array([1.0, 3.0, 5.0]))
    top = x.max()
    assert float(top.value) == 2.0
    assert float(top.deriv) == 2.0  # (1 + 3) / 2


def test_dual_shape_errors_name_the_shape():
    x = Dual(X0, V0)
    with pytest.raises(ValueError, match=r"axis 2 is out of range for a Dual of shape \(2, 3\)"):
        x.sum(axis=2)
    with pytest.raises(ValueError, match=r"cannot reshape a Dual of shape \(2, 3\)"):
        x.reshape(4, 2)
    assert x.ndim == 2
    assert x.T.shape == (3, 2)
