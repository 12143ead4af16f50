"""Gradient clipping by the global norm, as ``torch.nn.utils.clip_grad_norm_``.

When the gradients of all parameters together have a Euclidean norm above ``max_norm``,
scale every one of them by ``max_norm / norm``: the direction is kept, the length capped.
Lesson 11 (``notebooks/11-calculus-in-ml``) uses it against the exploding gradients of
lesson 06.

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from calcml.autodiff.tensor import Tensor

__all__ = ["clip_grad_norm"]


def clip_grad_norm(params, max_norm: float) -> float:
    """Scale the ``.grad`` of every Tensor in ``params`` so that their joint norm is at
    most ``max_norm``; return the norm before clipping (as PyTorch does).

    Parameters without a gradient are skipped. ``max_norm`` must be positive.
    """
    if isinstance(max_norm, bool) or not isinstance(max_norm, numbers.Real) \
            or not math.isfinite(max_norm) or max_norm <= 0:
        raise ValueError(f"max_norm must be a positive number, got {max_norm!r}")
    if isinstance(params, Tensor):
        params = [params]
    params = list(params)
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"params[{i}] is a {type(p).__name__}, not a Tensor")
    grads = [p for p in params if p.grad is not None]
    total = math.sqrt(sum(float(np.sum(np.square(p.grad))) for p in grads))
    if total > max_norm:
        scale = max_norm / (total + 1e-6)  # PyTorch's 1e-6 keeps the result just below
        for p in grads:
            p.grad = p.grad * scale
    return total
