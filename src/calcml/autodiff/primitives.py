"""The elementary functions, for numbers, arrays, dual numbers and tensors alike.

Write a function once with these, and it can be evaluated plainly, differentiated in
forward mode (:class:`~calcml.autodiff.dual.Dual`) or in reverse mode
(:class:`~calcml.autodiff.tensor.Tensor`)::

    from calcml import autodiff as ad
    f = lambda x: ad.sin(x) * ad.exp(x)
    f(0.5); ad.jvp(f, 0.5, 1.0); ad.grad(f)(0.5)

The derivatives come from the one table :data:`calcml.autodiff.rules.ELEMENTWISE`.
"""

from __future__ import annotations

from calcml.autodiff.dual import Dual
from calcml.autodiff.rules import ELEMENTWISE
from calcml.autodiff.tensor import Tensor

__all__ = ["abs", "cos", "exp", "log", "relu", "sigmoid", "sin", "softplus", "sqrt", "tanh"]


def _apply(name, x):
    if isinstance(x, Tensor):
        return x._elementwise(name)
    if isinstance(x, Dual):
        return x.apply(name)
    return ELEMENTWISE[name][0](x)


def exp(x):
    """eˣ."""
    return _apply("exp", x)


def log(x):
    """ln x (ValueError for x ≤ 0)."""
    return _apply("log", x)


def sin(x):
    """sin x."""
    return _apply("sin", x)


def cos(x):
    """cos x."""
    return _apply("cos", x)


def tanh(x):
    """tanh x."""
    return _apply("tanh", x)


def sigmoid(x):
    """σ(x) = 1 / (1 + e^(−x)), stable for large |x|."""
    return _apply("sigmoid", x)


def relu(x):
    """max(x, 0); derivative 0 at the kink."""
    return _apply("relu", x)


def softplus(x):
    """log(1 + eˣ), stable for large |x|."""
    return _apply("softplus", x)


def sqrt(x):
    """√x (ValueError for x < 0)."""
    return _apply("sqrt", x)


def abs(x):
    """|x|; derivative 0 at the kink."""
    return _apply("abs", x)
