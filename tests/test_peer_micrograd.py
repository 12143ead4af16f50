"""A port of micrograd's test_engine.py (Karpathy), written for calcml.autodiff.

micrograd checks its scalar engine against PyTorch; PyTorch is not a course dependency,
so the reference here is HIPS autograd on the same expressions (and, for the second test,
the values micrograd's README prints). The expressions are micrograd's, including the
in-place ``+=`` that rebinds a name to a new node.
"""

import autograd
import pytest

from calcml.autodiff import Tensor


def sanity(x, relu):
    z = 2 * x + 2 + x
    q = relu(z) + z * x
    h = relu(z * z)
    y = h + q + q * x
    return y


def more_ops(a, b, relu):
    c = a + b
    d = a * b + b ** 3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + relu(b + a)
    d += 3 * d + relu(b - a)
    e = c - d
    f = e ** 2
    g = f / 2.0
    g += 10.0 / f
    return g


def plain_relu(v):
    return v * (v > 0)  # autograd: a 0/1 factor, derivative [v > 0]


def test_sanity_check():
    x = Tensor(-4.0, requires_grad=True)
    y = sanity(x, Tensor.relu)
    y.backward()
    assert float(y) == sanity(-4.0, plain_relu) == -20.0
    assert float(x.grad) == autograd.grad(lambda t: sanity(t, plain_relu))(-4.0) == 46.0


def test_more_ops():
    a = Tensor(-4.0, requires_grad=True)
    b = Tensor(2.0, requires_grad=True)
    g = more_ops(a, b, Tensor.relu)
    g.backward()
    tol = 1e-6
    assert abs(float(g) - more_ops(-4.0, 2.0, plain_relu)) < tol
    ga, gb = autograd.grad(lambda s, t: more_ops(s, t, plain_relu), (0, 1))(-4.0, 2.0)
    assert abs(float(a.grad) - ga) < tol
    assert abs(float(b.grad) - gb) < tol
    # the numbers micrograd's README prints for this expression
    assert float(g) == pytest.approx(24.7041, abs=1e-4)
    assert float(a.grad) == pytest.approx(138.8338, abs=1e-4)
    assert float(b.grad) == pytest.approx(645.5773, abs=1e-4)
