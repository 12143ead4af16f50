"""Derivatives of derivatives: the backward pass run on Tensors (create_graph), nested
``grad``, Hessians — checked against HIPS autograd."""

import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from autograd.scipy.special import logsumexp

from calcml import autodiff as ad
from calcml.autodiff import Tensor


def quiet(f):
    """autograd's derivative, without its warning for a derivative that is constant."""
    def call(*args):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Output seems independent of input")
            return f(*args)
    return call


POINTS = np.array([-1.3, -0.4, 0.35, 1.7])

ELEMENTWISE = [  # ours, autograd's
    ("exp", ad.exp, anp.exp),
    ("log", ad.log, anp.log),
    ("sin", ad.sin, anp.sin),
    ("cos", ad.cos, anp.cos),
    ("tanh", ad.tanh, anp.tanh),
    ("sigmoid", ad.sigmoid, lambda x: 1 / (1 + anp.exp(-x))),
    ("softplus", ad.softplus, lambda x: anp.logaddexp(0.0, x)),
    ("sqrt", ad.sqrt, anp.sqrt),
    ("relu", ad.relu, lambda x: anp.maximum(x, 0.0)),
    ("abs", ad.abs, anp.abs),
]


@pytest.mark.parametrize(("name", "ours", "theirs"), ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_second_and_third_derivatives_of_every_elementwise_function(name, ours, theirs):
    points = np.abs(POINTS) if name in {"log", "sqrt"} else POINTS
    d1 = quiet(autograd.grad(theirs))
    d2 = quiet(autograd.grad(autograd.grad(theirs)))
    d3 = quiet(autograd.grad(autograd.grad(autograd.grad(theirs))))
    for x in points:
        assert float(ad.grad(ours)(x)) == pytest.approx(d1(x), rel=1e-12, abs=1e-15)
        assert float(ad.grad(ad.grad(ours))(x)) == pytest.approx(d2(x), rel=1e-12, abs=1e-15)
        assert float(ad.grad(ad.grad(ad.grad(ours)))(x)) == pytest.approx(d3(x), rel=1e-11,
                                                                          abs=1e-14)


def test_second_derivative_of_the_sigmoid_at_zero_is_exact():
    """σ'' = σ'(1 − 2σ): 0 at 0; σ' at 0 is 1/4 (a formula with |x| would give 0)."""
    assert float(ad.grad(ad.softplus)(0.0)) == 0.5
    assert float(ad.grad(ad.grad(ad.softplus))(0.0)) == 0.25
    assert float(ad.grad(ad.grad(ad.sigmoid))(0.0)) == 0.0


BINARY = [
    ("add", lambda x, y: x + y),
    ("sub", lambda x, y: x - y),
    ("mul", lambda x, y: x * y),
    ("div", lambda x, y: x / y),
    ("pow", lambda x, y: x ** y),
    ("rpow", lambda x, y: 2.0 ** (x * y)),
    ("mixed", lambda x, y: (x * y + x / (1.0 + y * y)) ** 2),
]


@pytest.mark.parametrize(("name", "f"), BINARY, ids=[b[0] for b in BINARY])
def test_second_derivatives_of_binary_operations_in_each_argument(name, f):
    x, y = 0.7, 1.8
    for i in (0, 1):
        for j in (0, 1):
            ours = float(ad.grad(ad.grad(f, i), j)(x, y))
            theirs = quiet(autograd.grad(autograd.grad(f, i), j))(x, y)
            assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-14), (i, j)


def test_the_nested_grad_of_the_issue_is_two_not_three():
    """d/dx [x · d/dy (x y)] = d/dx [x · x] = 2x = 2 at x = 1; the inner pass used to write
    into the outer variable's .grad and give 3."""
    assert float(ad.grad(lambda x: x * ad.grad(lambda y: x * y)(2.0))(1.0)) == 2.0
    assert float(ad.grad(lambda x: x * ad.grad(lambda y: y * x)(2.0))(1.0)) == 2.0


def test_an_inner_grad_leaves_outer_gradients_alone():
    x = Tensor(1.5, requires_grad=True)
    inner = ad.grad(lambda y: x * y * y)(2.0)  # ∂/∂y (x y²) = 2xy: a Tensor depending on x
    assert isinstance(inner, Tensor)
    assert x.grad is None
    assert float(inner) == 6.0
    inner.backward()  # ∂/∂x (2xy) = 2y = 4
    assert float(x.grad) == 4.0


def test_perturbations_are_not_confused():
    """The classic test (Siskind & Pearlmutter): d/dx [x · d/dy (x + y)] = 1."""
    assert float(ad.grad(lambda x: x * ad.grad(lambda y: x + y)(1.0))(1.0)) == 1.0


def test_hessian_by_reverse_over_reverse_matches_autograd():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(3, 4))
    x0 = rng.normal(size=4)

    def f(x):
        return ad.log(1.0 + ad.exp(A @ x)).sum() + (x * x * x).sum() / 3.0

    def f_ag(x):
        return anp.sum(anp.logaddexp(0.0, anp.dot(A, x))) + anp.sum(x ** 3) / 3.0

    H = ad.jacrev(ad.grad(f), x0)
    np.testing.assert_allclose(H, autograd.hessian(f_ag)(x0), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-14)


def test_hessian_vector_product_of_cross_entropy_matches_autograd():
    rng = np.random.default_rng(1)
    z0, v = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    y = np.array([0, 3, 1])

    def hvp(z):
        return (ad.grad(lambda t: ad.cross_entropy(t, y))(z) * v).sum()

    def loss_ag(z):
        return anp.mean(logsumexp(z, axis=1) - z[np.arange(3), y])

    theirs = autograd.grad(lambda z: anp.sum(autograd.grad(loss_ag)(z) * v))(z0)
    np.testing.assert_allclose(ad.grad(hvp)(z0), theirs, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("f", [
    lambda x: (x.reshape(2, 2).T @ x.reshape(2, 2)).sum(),
    lambda x: (x[1:] * x[:-1]).sum() ** 2,
    lambda x: x.max() * x.mean(),
    lambda x: ad.log_softmax(x.reshape(1, 4)).sum() * x.sum(),
    lambda x: (np.broadcast_to(x, (3, 4)) * np.arange(12.0).reshape(3, 4)).sum() ** 2,
    lambda x: ad.where(np.array([True, False, True, False]), x * x, x ** 3).sum(),
    lambda x: ad.linear(x.reshape(2, 2), x.reshape(2, 2), x[:2]).tanh().sum(),
])
def test_hessians_of_shape_operations_are_symmetric_and_match_central_differences(f):
    x0 = np.array([0.3, -0.8, 1.1, 0.5])
    H = ad.jacrev(ad.grad(f), x0)
    g = ad.grad(f)
    h = 1e-6
    numeric = np.stack([(g(x0 + h * e) - g(x0 - h * e)) / (2 * h) for e in np.eye(4)])
    np.testing.assert_allclose(H, numeric, rtol=1e-6, atol=1e-7)


def test_create_graph_makes_the_gradient_differentiable():
    x = Tensor(0.5, requires_grad=True)
    y = x.sin() * x  # y' = cos x · x + sin x;  y'' = 2 cos x − x sin x
    y.backward(create_graph=True)
    slope = x.grad
    assert isinstance(slope, Tensor)
    assert float(slope) == pytest.approx(np.cos(0.5) * 0.5 + np.sin(0.5), rel=1e-15)
    x.grad = None
    slope.backward()
    assert float(x.grad) == pytest.approx(2 * np.cos(0.5) - 0.5 * np.sin(0.5), rel=1e-14)


def test_backward_with_inputs_touches_only_those():
    a = Tensor(2.0, requires_grad=True)
    b = Tensor(3.0, requires_grad=True)
    (a * b).backward(inputs=[a])
    assert float(a.grad) == 3.0
    assert b.grad is None
    with pytest.raises(TypeError, match="inputs must be tensors that require grad"):
        (a * b).backward(inputs=[np.ones(1)])


def test_mixed_third_derivatives_come_back_as_arrays():
    """d³/dx dy dx of sin(sin x + sin y): each level's inputs are constants to the next
    one out, so the top level returns an ndarray, not a Tensor."""
    fun = lambda x, y: ad.sin(ad.sin(x) + ad.sin(y))
    ddf = ad.grad(ad.grad(fun, 0), 1)
    dddf = ad.grad(ddf, 0)
    theirs = quiet(autograd.grad(autograd.grad(autograd.grad(fun_ag := (
        lambda x, y: anp.sin(anp.sin(x) + anp.sin(y))), 0), 1), 0))
    assert type(ddf(0.3, 0.4)) is np.ndarray
    assert type(dddf(0.3, 0.4)) is np.ndarray
    assert float(dddf(0.3, 0.4)) == pytest.approx(theirs(0.3, 0.4), rel=1e-13)
    assert float(ddf(0.3, 0.4)) == pytest.approx(
        quiet(autograd.grad(autograd.grad(fun_ag, 0), 1))(0.3, 0.4), rel=1e-13)
