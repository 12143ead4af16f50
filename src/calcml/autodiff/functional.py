"""Gradients as functions: ``grad(f)`` is the function x ↦ ∇f(x), computed in reverse mode.

Lesson 06 (``notebooks/06-chain-rule``) uses these to compare reverse mode with forward
mode and with finite differences. ``f`` receives :class:`~calcml.autodiff.tensor.Tensor`
arguments, so it must be written with arithmetic, tensor methods and the functions of
:mod:`calcml.autodiff` (``ad.sin``, ``ad.exp``, ...), not with ``np.sin``.
"""

from __future__ import annotations

import numpy as np

from calcml.autodiff.tensor import Tensor, retaining

__all__ = ["grad", "jacrev", "value_and_grad", "vjp"]


def _argnums(argnums, num_args):
    single = isinstance(argnums, (int, np.integer))
    nums = (int(argnums),) if single else tuple(int(a) for a in argnums)
    for a in nums:
        if not -num_args <= a < num_args:
            raise ValueError(f"argnums {argnums!r} does not fit a call with {num_args} "
                             "positional argument(s)")
    return single, tuple(a % num_args for a in nums)


def _watch(args, nums):
    """The arguments, with those at ``nums`` made into fresh Tensors that require grad."""
    args = list(args)
    for a in nums:
        value = args[a].data if isinstance(args[a], Tensor) else args[a]
        args[a] = Tensor(np.asarray(value, dtype=float), requires_grad=True)
    return args


def value_and_grad(f, argnums=0):
    """A function returning both f(*args) and the gradient of f with respect to some args.

    Parameters
    ----------
    f : callable
        Returns a one-entry Tensor (or a number that does not depend on the inputs).
    argnums : int or tuple of int
        Which positional arguments to differentiate with respect to.

    Returns
    -------
    callable
        ``(*args) -> (value, gradient)``; ``gradient`` is an ndarray shaped like the
        argument, or a tuple of them when ``argnums`` is a tuple.

    Examples
    --------
    >>> value, slope = value_and_grad(lambda x: x ** 3)(2.0)   # d(x³)/dx = 3x² = 12
    >>> float(value), float(slope)
    (8.0, 12.0)
    """

    def value_and_gradient(*args):
        single, nums = _argnums(argnums, len(args))
        watched = _watch(args, nums)
        out = f(*watched)
        if isinstance(out, Tensor):
            if out.size != 1:
                raise ValueError(f"grad needs f to return a single number, got a tensor of "
                                 f"shape {out.shape}; use vjp or jacrev for vector outputs")
            if out.requires_grad:
                out.backward()
            value = out.data.reshape(())
        else:
            value = np.asarray(out, dtype=float)
            if value.size != 1:
                raise ValueError(f"grad needs f to return a single number, got shape "
                                 f"{value.shape}")
        grads = tuple(np.zeros_like(watched[a].data) if watched[a].grad is None
                      else np.asarray(watched[a].grad) for a in nums)
        return value, grads[0] if single else grads

    return value_and_gradient


def grad(f, argnums=0):
    """The gradient function x ↦ ∇f(x) of a scalar function, by reverse mode.

    One call costs one evaluation of f plus one backward pass, whatever the number of
    inputs.

    Examples
    --------
    >>> from calcml import autodiff as ad
    >>> g = grad(lambda x: (x * x).sum())     # ∇ Σ xᵢ² = 2x
    >>> g(np.array([1.0, -2.0])).tolist()
    [2.0, -4.0]
    """
    value_and_gradient = value_and_grad(f, argnums)

    def gradient(*args):
        return value_and_gradient(*args)[1]

    return gradient


def vjp(f, x, u):
    """Value of ``f`` at ``x`` and the vector-Jacobian product uᵀ J_f(x): one backward pass.

    Parameters
    ----------
    f : callable
        From a Tensor shaped like ``x`` to a Tensor.
    x : array_like
    u : array_like
        Shaped like ``f(x)``.

    Returns
    -------
    (value, ndarray)
        f(x) and uᵀ J, shaped like ``x``.
    """
    (xt,) = _watch([x], (0,))
    out = f(xt)
    if not isinstance(out, Tensor) or not out.requires_grad:
        value = out.data if isinstance(out, Tensor) else np.asarray(out, dtype=float)
        return value, np.zeros_like(xt.data)
    u = np.asarray(u, dtype=float)
    if u.shape != out.shape:
        raise ValueError(f"u must have the shape of f(x), {out.shape}, got {u.shape}")
    out.backward(u)
    return out.data, np.zeros_like(xt.data) if xt.grad is None else np.asarray(xt.grad)


def jacrev(f, x):
    """The Jacobian of ``f`` at ``x`` by reverse mode: one backward pass per output entry.

    f is evaluated once; row i of the Jacobian is the backward pass seeded with eᵢ.

    Returns
    -------
    ndarray, shape ``f(x).shape + x.shape``
        ∂f_i/∂x_j.
    """
    (xt,) = _watch([x], (0,))
    out = f(xt)
    if not isinstance(out, Tensor) or not out.requires_grad:
        out_shape = np.shape(out.data if isinstance(out, Tensor) else out)
        return np.zeros(out_shape + xt.shape)
    rows = []
    with retaining():  # one graph, walked once per row
        for e_i in np.eye(out.size):
            xt.grad = None  # one row per pass: do not accumulate across rows
            out.backward(e_i.reshape(out.shape))
            rows.append(np.zeros_like(xt.data) if xt.grad is None else xt.grad)
    return np.stack(rows).reshape(out.shape + xt.shape)
