"""Every primitive's gradient against central differences and against HIPS autograd.

Each case projects the primitive's output on a fixed random array w, so the whole
vector-Jacobian product is tested, not only its sum: L = Σ w ⊙ op(x, ...).
"""

import operator
import zlib

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from autograd.scipy.special import logsumexp

from calcml import autodiff as ad
from calcml.autodiff import Tensor
from calcml.autodiff.rules import ELEMENTWISE, VJP, unbroadcast


def central_gradient(f, x, h=1e-6):
    """∂f/∂x entry by entry, (f(x + h eᵢ) − f(x − h eᵢ)) / 2h, error O(h²)."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def ours(f, arrays, w):
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    (f(*tensors) * w).sum().backward()
    return [np.zeros_like(a) if t.grad is None else t.grad for t, a in zip(tensors, arrays, strict=True)]


def theirs(f, arrays, w):
    def loss(*a):
        return anp.sum(f(*a) * w)

    return [autograd.grad(loss, argnum=i)(*arrays) for i in range(len(arrays))]


def numeric(f, arrays, w):
    grads = []
    for i in range(len(arrays)):
        def along(xi, i=i):
            args = list(arrays)
            args[i] = xi
            return float(np.sum(np.asarray(f(*args)) * w))

        grads.append(central_gradient(along, arrays[i]))
    return grads


def sample(rng, shape, domain):
    """Random inputs away from the places where central differences or the rule fail."""
    if domain == "positive":  # log, sqrt, division, x ** y: the +0.5 keeps x away from 0
        return rng.uniform(0.5, 2.0, size=shape)
    if domain == "away_from_0":  # relu, abs: |x| ≥ 0.2 keeps the kink out of x ± h
        return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.2, 2.0, size=shape)
    return rng.normal(size=shape)


def sigmoid_np(x):
    return 1.0 / (1.0 + anp.exp(-x))


def log_softmax_np(x, axis=-1):
    return x - logsumexp(x, axis=axis, keepdims=True)


# name, our function, autograd's function, input shapes, input domain
CASES = [
    ("add", operator.add, operator.add, [(3,), (3,)], "any"),
    ("add-broadcast-row", operator.add, operator.add, [(2, 3), (3,)], "any"),
    ("add-broadcast-both", operator.add, operator.add, [(2, 1), (1, 3)], "any"),
    ("add-scalar-array", operator.add, operator.add, [(), (2, 3)], "any"),
    ("sub-broadcast", operator.sub, operator.sub, [(4, 1, 3), (2, 1)], "any"),
    ("mul", operator.mul, operator.mul, [(2, 3), (2, 3)], "any"),
    ("mul-broadcast", operator.mul, operator.mul, [(2, 3), (2, 1)], "any"),
    ("div", operator.truediv, operator.truediv, [(2, 3), (3,)], "positive"),
    ("pow-both", operator.pow, operator.pow, [(2, 3), (2, 3)], "positive"),
    ("pow-constant", lambda x: x ** 3, lambda x: x ** 3, [(4,)], "any"),
    ("pow-half", lambda x: x ** 0.5, lambda x: x ** 0.5, [(4,)], "positive"),
    ("rpow", lambda x: 2.0 ** x, lambda x: 2.0 ** x, [(4,)], "any"),
    ("rsub-rdiv", lambda x: 1.0 - 3.0 / x, lambda x: 1.0 - 3.0 / x, [(4,)], "positive"),
    ("neg", operator.neg, operator.neg, [(2, 2)], "any"),
    ("matmul", operator.matmul, operator.matmul, [(2, 3), (3, 4)], "any"),
    ("matmul-vec-mat", operator.matmul, operator.matmul, [(3,), (3, 4)], "any"),
    ("matmul-mat-vec", operator.matmul, operator.matmul, [(2, 3), (3,)], "any"),
    ("matmul-vec-vec", operator.matmul, operator.matmul, [(3,), (3,)], "any"),
    ("matmul-batched", operator.matmul, operator.matmul, [(5, 2, 3), (5, 3, 4)], "any"),
    ("matmul-batch-broadcast", operator.matmul, operator.matmul, [(2, 3), (5, 3, 4)], "any"),
    ("linear", ad.linear, lambda x, w, b: x @ w + b, [(4, 3), (3, 2), (2,)], "any"),
    ("sum-all", lambda x: x.sum(), anp.sum, [(2, 3)], "any"),
    ("sum-axis0", lambda x: x.sum(axis=0), lambda x: anp.sum(x, axis=0), [(2, 3)], "any"),
    ("sum-axis-neg-keep", lambda x: x.sum(axis=-1, keepdims=True),
     lambda x: anp.sum(x, axis=-1, keepdims=True), [(2, 3, 4)], "any"),
    ("sum-axes-tuple", lambda x: x.sum(axis=(0, 2)), lambda x: anp.sum(x, axis=(0, 2)),
     [(2, 3, 4)], "any"),
    ("mean-all", lambda x: x.mean(), anp.mean, [(2, 3)], "any"),
    ("mean-axis1-keep", lambda x: x.mean(axis=1, keepdims=True),
     lambda x: anp.mean(x, axis=1, keepdims=True), [(2, 3)], "any"),
    ("max-all", lambda x: x.max(), anp.max, [(2, 3)], "any"),
    ("max-axis0", lambda x: x.max(axis=0), lambda x: anp.max(x, axis=0), [(4, 3)], "any"),
    ("max-axis1-keep", lambda x: x.max(axis=1, keepdims=True),
     lambda x: anp.max(x, axis=1, keepdims=True), [(4, 3)], "any"),
    ("reshape", lambda x: x.reshape(3, 2) * 1.0, lambda x: anp.reshape(x, (3, 2)), [(2, 3)], "any"),
    ("transpose", lambda x: x.T, lambda x: x.T, [(2, 3)], "any"),
    ("transpose-axes", lambda x: x.transpose(1, 2, 0), lambda x: anp.transpose(x, (1, 2, 0)),
     [(2, 3, 4)], "any"),
    ("getitem-slice", lambda x: x[1:, ::2], lambda x: x[1:, ::2], [(3, 4)], "any"),
    ("getitem-int", lambda x: x[1], lambda x: x[1], [(3, 4)], "any"),
    ("getitem-repeated", lambda x: x[np.array([0, 2, 0, 0])], lambda x: x[np.array([0, 2, 0, 0])],
     [(3, 2)], "any"),
    ("getitem-mask", lambda x: x[np.array([True, False, True])],
     lambda x: x[np.array([True, False, True])], [(3,)], "any"),
    ("exp", ad.exp, anp.exp, [(2, 3)], "any"),
    ("log", ad.log, anp.log, [(2, 3)], "positive"),
    ("sin", ad.sin, anp.sin, [(2, 3)], "any"),
    ("cos", ad.cos, anp.cos, [(2, 3)], "any"),
    ("tanh", ad.tanh, anp.tanh, [(2, 3)], "any"),
    ("sigmoid", ad.sigmoid, sigmoid_np, [(2, 3)], "any"),
    ("softplus", ad.softplus, lambda x: anp.logaddexp(0.0, x), [(2, 3)], "any"),
    ("relu", ad.relu, lambda x: anp.maximum(x, 0.0), [(2, 3)], "away_from_0"),
    ("sqrt", ad.sqrt, anp.sqrt, [(2, 3)], "positive"),
    ("abs", ad.abs, anp.abs, [(2, 3)], "away_from_0"),
    ("log_softmax", ad.log_softmax, log_softmax_np, [(4, 5)], "any"),
    ("log_softmax-axis0", lambda x: ad.log_softmax(x, axis=0),
     lambda x: log_softmax_np(x, axis=0), [(4, 5)], "any"),
]


@pytest.mark.parametrize(("name", "f", "f_ag", "shapes", "domain"), CASES,
                         ids=[c[0] for c in CASES])
def test_gradient_matches_autograd_and_central_differences(name, f, f_ag, shapes, domain):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    arrays = [sample(rng, s, domain) for s in shapes]
    w = rng.normal(size=np.shape(f_ag(*arrays)))
    got = ours(f, arrays, w)
    want = theirs(f_ag, arrays, w)
    approx = numeric(f_ag, arrays, w)
    for g, a, n, x in zip(got, want, approx, arrays, strict=True):
        assert g.shape == x.shape  # broadcasting summed back to the input's shape
        np.testing.assert_allclose(g, a, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(g, n, rtol=1e-6, atol=1e-8)


def test_forward_values_match_numpy():
    rng = np.random.default_rng(1)
    for name, f, f_ag, shapes, domain in CASES:
        arrays = [sample(rng, s, domain) for s in shapes]
        value = f(*[Tensor(a) for a in arrays])
        np.testing.assert_allclose(value.data, f_ag(*arrays), rtol=1e-12, err_msg=name)


def test_cross_entropy_matches_autograd_and_central_differences():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(6, 4)) * 3
    y = np.array([0, 3, 1, 1, 2, 0])

    def ce_ag(z):
        return -anp.mean(log_softmax_np(z)[np.arange(6), y])

    t = Tensor(z, requires_grad=True)
    loss = ad.cross_entropy(t, y)
    loss.backward()
    assert float(loss.data) == pytest.approx(ce_ag(z), rel=1e-12)
    np.testing.assert_allclose(t.grad, autograd.grad(ce_ag)(z), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(t.grad, central_gradient(ce_ag, z), rtol=1e-6, atol=1e-9)


def test_cross_entropy_is_stable_for_huge_logits():
    z = np.array([[1000.0, 0.0, -1000.0], [-800.0, 800.0, 0.0]])
    t = Tensor(z, requires_grad=True)
    loss = ad.cross_entropy(t, [0, 2])  # log-probabilities 0 and −800
    loss.backward()
    assert float(loss.data) == pytest.approx(400.0)
    assert np.isfinite(t.grad).all()
    np.testing.assert_allclose(t.grad, [[0, 0, 0], [0, 0.5, -0.5]], atol=1e-12)


@pytest.mark.parametrize("x", [-800.0, -30.0, 0.0, 30.0, 800.0])
def test_sigmoid_and_softplus_are_stable(x):
    value = ad.sigmoid(np.array(x))
    assert 0.0 <= value <= 1.0
    assert ad.softplus(np.array(x)) == pytest.approx(max(x, 0.0) + np.log1p(np.exp(-abs(x))))


def test_every_elementwise_rule_has_a_vjp_and_a_tensor_method():
    for name in ELEMENTWISE:
        assert name in VJP
        assert callable(getattr(Tensor, name))


@pytest.mark.parametrize(("shape", "target", "expected"), [
    ((4, 3), (3,), np.full(3, 4.0)),
    ((4, 3), (4, 1), np.full((4, 1), 3.0)),
    ((2, 4, 3), (1, 3), np.full((1, 3), 8.0)),
    ((2, 3), (), np.array(6.0)),
    ((2, 3), (2, 3), np.ones((2, 3))),
])
def test_unbroadcast_sums_over_the_broadcast_axes(shape, target, expected):
    got = unbroadcast(np.ones(shape), target)
    assert got.shape == target
    np.testing.assert_array_equal(got, expected)


def test_max_shares_the_gradient_among_ties_like_autograd():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    t = Tensor(x, requires_grad=True)
    t.max(axis=1).sum().backward()
    np.testing.assert_allclose(t.grad, autograd.grad(lambda a: anp.sum(anp.max(a, axis=1)))(x))
    np.testing.assert_allclose(t.grad.sum(axis=1), [1.0, 1.0])
