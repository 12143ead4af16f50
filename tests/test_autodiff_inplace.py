"""PyTorch habits the engine meets: the in-place update under no_grad, a clear refusal of
an in-place change while recording, backward(gradient=), detach(), and a clear error for
forward over reverse."""

import operator

import numpy as np
import pytest

import calcml.autodiff as ad
from calcml.autodiff import Tensor


def _loss(w):
    return (w * w * 3.0).sum()


def test_in_place_update_under_no_grad_keeps_the_parameter():
    w = Tensor([1.0, -2.0], requires_grad=True)
    same = w
    for _ in range(3):  # the PyTorch loop: forward, backward, update in place, reset
        w.grad = None
        _loss(w).backward()
        with ad.no_grad():
            w -= 0.1 * w.grad
    assert w is same
    assert w.requires_grad
    np.testing.assert_allclose(w.data, np.array([1.0, -2.0]) * 0.4**3)  # w ← w − 0.1·6w


@pytest.mark.parametrize(("op", "expected"), [(operator.iadd, 3.0), (operator.isub, -1.0),
                                              (operator.imul, 2.0), (operator.itruediv, 0.5)])
def test_every_in_place_operator(op, expected):
    w = Tensor([1.0], requires_grad=True)
    with ad.no_grad():
        result = op(w, Tensor([2.0]))  # w op= Tensor([2.0])
    assert result is w
    assert w.data[0] == expected


def test_in_place_while_recording_is_refused_by_name():
    w = Tensor([1.0, 2.0], requires_grad=True)
    _loss(w).backward()
    with pytest.raises(RuntimeError, match=r"no_grad\(\): w -= lr \* w.grad"):
        w -= 0.1 * w.grad


def test_in_place_on_a_computed_value_while_recording_is_a_new_node():
    w = Tensor([1.0, 2.0], requires_grad=True)
    y = before = w * 2.0
    y *= w  # as in micrograd: y is now the node (w * 2) * w, the old y unchanged
    assert y is not before
    np.testing.assert_array_equal(before.data, [2.0, 4.0])
    y.sum().backward()
    np.testing.assert_allclose(w.grad, 4.0 * w.data)  # d(2w²)/dw


def test_a_graph_recorded_before_an_in_place_update_refuses_backward():
    w = Tensor([1.0, 2.0], requires_grad=True)
    loss = _loss(w)
    with ad.no_grad():
        w += 1.0
    with pytest.raises(RuntimeError, match="changed after the forward pass"):
        loss.backward()


def test_in_place_on_a_constant_and_shape_errors():
    c = Tensor([1.0, 2.0])
    c *= 3  # no gradient tracked: allowed, as in PyTorch
    np.testing.assert_array_equal(c.data, [3.0, 6.0])
    with pytest.raises(ValueError, match=r"broadcasts to t's shape \(2,\)"):
        c += np.ones(3)


def test_forward_over_reverse_is_refused_with_the_way_that_works():
    def f(w):
        return (w**3).sum()

    with pytest.raises(TypeError, match=r"forward over reverse.*grad\(lambda w: grad\(f\)"):
        ad.jvp(ad.grad(lambda t: t**3), 2.0, 1.0)
    with pytest.raises(TypeError, match="jacrev"):
        ad.jacfwd(ad.grad(f), np.ones(3))
    v = np.array([1.0, 0.0, 2.0])
    w = np.array([1.0, 2.0, 3.0])
    hv = ad.grad(lambda u: ad.grad(f)(u) @ v)(w)  # the way the message names
    np.testing.assert_allclose(hv, 6 * w * v)


def test_grad_of_something_that_is_not_numbers_names_it():
    with pytest.raises(TypeError, match=r"argument 0 must be a number.*not str"):
        ad.grad(lambda t: t**2)("abc")


def test_backward_takes_pytorchs_keyword_and_detach_leaves_the_graph():
    w = Tensor([1.0, 2.0], requires_grad=True)
    (w * 3.0).backward(gradient=np.array([1.0, 10.0]))
    np.testing.assert_array_equal(w.grad, [3.0, 30.0])
    with pytest.raises(TypeError, match="both grad= and gradient="):
        (w * 3.0).backward(np.ones(2), gradient=np.ones(2))
    w.grad = None
    y = w * 2.0
    loss = (y.detach() * y).sum()  # the detached factor is a constant: d/dw = 2 * (2w)
    loss.backward()
    np.testing.assert_array_equal(w.grad, 4.0 * w.data)
    d = y.detach()
    assert not d.requires_grad
    d.data[0] = 99.0
    assert y.data[0] == 2.0  # a copy
