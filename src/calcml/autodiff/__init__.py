"""Automatic differentiation from scratch: forward mode, reverse mode and a small MLP.

Lesson 06 (``notebooks/06-chain-rule``) builds and uses it.

``calcml.autodiff.rules``       the derivative table, one line per primitive
``calcml.autodiff.dual``        forward mode: dual numbers, ``jvp``, ``jacfwd``
``calcml.autodiff.tensor``      reverse mode: ``Tensor`` with ``.backward()``
``calcml.autodiff.functional``  ``grad``, ``value_and_grad``, ``vjp``, ``jacrev``
``calcml.autodiff.primitives``  ``exp``, ``log``, ``sin``, ... for numbers, duals and tensors
``calcml.autodiff.nn``          a multilayer perceptron and its training loop
(pictures of the graphs are in ``calcml.figures.graphs``, training curves in
``calcml.figures.training``)

Example
-------
>>> from calcml import autodiff as ad
>>> x = ad.Tensor(2.0, requires_grad=True)
>>> y = ad.sin(x) * x            # y' = cos x · x + sin x
>>> y.backward()
>>> round(float(x.grad), 6)
0.077004
"""

from calcml.autodiff.dual import Dual, jacfwd, jvp
from calcml.autodiff.functional import grad, jacrev, value_and_grad, vjp
from calcml.autodiff.primitives import (
    abs,
    cos,
    exp,
    log,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    tanh,
)
from calcml.autodiff.tensor import (
    Tensor,
    binary_cross_entropy_with_logits,
    cross_entropy,
    linear,
    log_softmax,
    no_grad,
    retain_grads,
    topological_order,
    where,
)

__all__ = [
    "Dual",
    "Tensor",
    "abs",
    "binary_cross_entropy_with_logits",
    "cos",
    "cross_entropy",
    "exp",
    "grad",
    "jacfwd",
    "jacrev",
    "jvp",
    "linear",
    "log",
    "log_softmax",
    "no_grad",
    "relu",
    "retain_grads",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
    "tanh",
    "topological_order",
    "value_and_grad",
    "vjp",
    "where",
]
