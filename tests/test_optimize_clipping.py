"""clip_grad_norm: PyTorch's global-norm clipping (direction kept, length capped)."""

import numpy as np
import pytest

from calcml.autodiff import Tensor
from calcml.optimize import clip_grad_norm


def _params(*grads):
    ps = [Tensor(np.zeros_like(np.asarray(g, dtype=float)), requires_grad=True) for g in grads]
    for p, g in zip(ps, grads, strict=True):
        p.grad = np.asarray(g, dtype=float)
    return ps


def test_long_gradients_are_scaled_to_the_cap_together():
    ps = _params([3.0, 0.0], [[0.0], [4.0]])  # joint norm 5
    before = [p.grad.copy() for p in ps]
    assert clip_grad_norm(ps, 1.0) == pytest.approx(5.0)
    after = np.sqrt(sum(np.sum(p.grad ** 2) for p in ps))
    assert after == pytest.approx(1.0, rel=1e-5)
    assert after <= 1.0
    for b, p in zip(before, ps, strict=True):
        assert np.allclose(p.grad, b / 5.0, rtol=1e-5)  # the same direction


def test_short_gradients_and_missing_ones_are_left_alone():
    ps = _params([0.3, 0.4])
    extra = Tensor(np.ones(2), requires_grad=True)  # no gradient yet
    assert clip_grad_norm([*ps, extra], 10.0) == pytest.approx(0.5)
    assert np.array_equal(ps[0].grad, [0.3, 0.4])
    assert extra.grad is None


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), True, "1"])
def test_bad_max_norm(bad):
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm(_params([1.0]), bad)


def test_not_a_tensor():
    with pytest.raises(TypeError, match=r"params\[0\]"):
        clip_grad_norm([np.ones(2)], 1.0)
