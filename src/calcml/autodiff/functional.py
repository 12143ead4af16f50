"""Gradients as functions: ``grad(f)`` is the function x ↦ ∇f(x), computed in reverse mode.

Lesson 06 (``notebooks/06-chain-rule``) uses these to compare reverse mode with forward
mode and with finite differences. ``f`` receives :class:`~calcml.autodiff.tensor.Tensor`
arguments, so it must be written with arithmetic, tensor methods and the functions of
:mod:`calcml.autodiff` (``ad.sin``, ``ad.exp``, ...); NumPy's own functions work too where
the engine has a rule (``np.sin``, ``np.sum``, ...).

The operators nest, as in HIPS autograd and JAX: ``grad(grad(f))`` is f'', ``jacrev(grad(f),
x)`` the Hessian, and a function may call ``grad`` on an inner function that uses its own
variable (``grad(lambda x: x * grad(lambda y: x * y)(2.0))(1.0)`` is 2). When the gradient
may depend on an outer variable, the backward pass runs on Tensors (``create_graph``) and
the gradient comes back as a Tensor the outer derivative can follow; otherwise it is an
ndarray. An inner ``grad`` never writes into an outer tensor's ``.grad``.
"""

from __future__ import annotations

import numbers

import numpy as np

from calcml.autodiff import tensor as _tensor
from calcml.autodiff.tensor import Tensor, _node, enable_grad, gradient_request, retaining

__all__ = ["grad", "jacrev", "value_and_grad", "vjp"]


def _argnums(argnums, num_args):
    single = isinstance(argnums, (int, np.integer))
    nums = (int(argnums),) if single else tuple(int(a) for a in argnums)
    for a in nums:
        if not -num_args <= a < num_args:
            raise ValueError(f"argnums {argnums!r} does not fit a call with {num_args} "
                             "positional argument(s)")
    return single, tuple(a % num_args for a in nums)


def _watch(args, nums, connect):
    """The arguments, with those at ``nums`` made into fresh Tensors that require grad.

    A Tensor that requires grad itself (``grad(grad(f))``: the outer function's input)
    is watched through a one-input node, so the gradient stays connected to it; unless
    ``connect`` is False (the call was made under ``no_grad()``: the caller records no
    graph, so the gradient is a plain value).
    """
    args = list(args)
    for a in nums:
        value = args[a]
        if isinstance(value, Tensor) and value.requires_grad and connect:
            args[a] = _node("alias", value._data, (value,), (value._data,))
        else:
            value = value.data if isinstance(value, Tensor) else value
            args[a] = Tensor(_as_float_array(value, a), requires_grad=True)
    return args


_FORWARD_OVER_REVERSE = (
    "grad received dual numbers: jvp/jacfwd were applied to a function that calls grad "
    "(forward over reverse, JAX's jvp(grad(f))), which this engine does not do. For a "
    "Hessian-vector product use reverse over reverse, grad(lambda w: grad(f)(w) @ v)(w), "
    "and for the whole Hessian jacrev(grad(f))(w)")


def _as_float_array(value, position):
    """``value`` as a float array, or a clear error naming what it is."""
    from calcml.autodiff.dual import Dual

    if isinstance(value, Dual):
        raise TypeError(_FORWARD_OVER_REVERSE)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        if isinstance(value, (list, tuple, np.ndarray)) and any(
                isinstance(v, Dual) for v in np.asarray(value, dtype=object).ravel()):
            raise TypeError(_FORWARD_OVER_REVERSE) from None
        raise TypeError(f"argument {position} must be a number, an array of numbers or a "
                        f"Tensor, not {type(value).__name__} ({exc})") from None
    if array.dtype.kind not in "biuf":  # None, strings, lists holding None (NaN as floats)
        if array.dtype == object and any(isinstance(v, Dual) for v in array.ravel()):
            raise TypeError(_FORWARD_OVER_REVERSE)
        got = "None" if value is None else f"{type(value).__name__} {value!r:.60}"
        raise TypeError(f"argument {position} must be a number, an array of numbers or a "
                        f"Tensor, not {got}")
    return array.astype(float, copy=False)


def _check_output(out, transform):
    """f's result when it is not a Tensor: a number (f does not depend on x) as an array;
    a clear error for anything else (None, a tuple, a list, a Dual)."""
    from calcml.autodiff.dual import Dual

    if isinstance(out, Dual):
        raise TypeError(f"{transform}: f returned a Dual (forward mode) from Tensor input: "
                        "jvp or jacfwd inside a reverse-mode transform (reverse over forward) is "
                        "not supported; use grad/jacrev throughout (grad(grad(f)), "
                        "jacrev(grad(f)) for a Hessian)")
    if out is None:
        raise TypeError(f"{transform}: f returned None; it must return a Tensor (did it "
                        "forget a return statement?)")
    if (isinstance(out, (numbers.Real, np.generic, np.ndarray))
            and np.asarray(out).dtype.kind in "biuf"):
        return np.asarray(out, dtype=float)
    what = "a scalar (0-d) Tensor" if transform == "grad" else "a Tensor"
    raise TypeError(f"{transform}: f must return {what}, got {type(out).__name__} "
                    f"{out!r:.60}" + ("; return only the loss (use value_and_grad for a value "
                                      "alongside)" if isinstance(out, (tuple, list)) else ""))


def _nested(out, watched, connect=True):
    """Whether the gradient of ``out`` may depend on tensors outside ``watched``.

    True when a watched input is itself computed (``grad(grad(f))``), or when ``out`` reaches
    an input that requires grad and is not watched (a function closing over an outer
    variable: ``grad(lambda x: x * grad(lambda y: x * y)(2.0))``). The gradient is then
    computed as a Tensor with a graph (``create_graph``), so the outer derivative sees it.
    """
    if not connect:
        return False
    if any(w._parents for w in watched):
        return True
    targets = set(watched)
    seen, stack = {out}, [out]
    while stack:
        for parent in stack.pop()._parents:
            if parent is None or parent in seen or parent in targets:
                continue
            if not parent._parents:
                if parent.requires_grad:  # (not an inner grad's finished input)
                    return True
                continue
            seen.add(parent)
            stack.append(parent)
    return False


def _release(watched):
    """After a gradient call: its fresh inputs are constants to any enclosing derivative."""
    for t in watched:
        if not t._parents:
            t.requires_grad = False


def _result(t, like, nested):
    """A gradient as the caller needs it: a Tensor when nested, else an ndarray."""
    if t.grad is None:
        return np.zeros_like(like._data)
    if isinstance(t.grad, Tensor):
        return t.grad if nested and t.grad.requires_grad else t.grad.data
    return np.asarray(t.grad)


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
        argument, or a tuple of them when ``argnums`` is a tuple. When the gradient depends
        on a Tensor that requires grad (an argument that is one, ``grad(grad(f))``, or a
        variable f closes over) it is a Tensor with a graph instead, so that it can be
        differentiated again, as ``torch.func.grad`` composes with autograd; under
        ``no_grad()`` it is always an ndarray.

    Notes
    -----
    f runs with gradients enabled even inside ``no_grad()`` (as ``torch.func.grad``, which
    ignores an outer ``no_grad``); a ``no_grad()`` inside f is respected.

    Examples
    --------
    >>> value, slope = value_and_grad(lambda x: x ** 3)(2.0)   # d(x³)/dx = 3x² = 12
    >>> float(value), float(slope)
    (8.0, 12.0)
    """

    def value_and_gradient(*args):
        single, nums = _argnums(argnums, len(args))
        connect = _tensor._grad_enabled  # False under no_grad(): no graph for the caller
        with enable_grad():  # as torch.func.grad, which ignores an outer no_grad
            watched = _watch(args, nums, connect)
            out = f(*watched)
            inputs = [watched[a] for a in nums]
            nested = False
            if isinstance(out, Tensor):
                if out.size != 1:
                    raise ValueError(f"grad needs f to return a single number, got a tensor "
                                     f"of shape {out.shape}; use vjp or jacrev for vector "
                                     "outputs")
                if out.requires_grad:
                    nested = _nested(out, inputs, connect)
                    with gradient_request(inputs, create_graph=nested):
                        out.backward()
                value = out.reshape(()) if nested else out.data.reshape(())
            else:
                value = _check_output(out, "grad")
                if value.size != 1:
                    raise ValueError(f"grad needs f to return a single number, got shape "
                                     f"{value.shape}")
            grads = tuple(_result(t, t, nested) for t in inputs)
            _release(inputs)
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
    connect = _tensor._grad_enabled
    with enable_grad():
        return _vjp(f, x, u, connect)


def _vjp(f, x, u, connect):
    (xt,) = _watch([x], (0,), connect)
    out = f(xt)
    if not isinstance(out, Tensor) or not out.requires_grad:
        value = out.data if isinstance(out, Tensor) else _check_output(out, "vjp")
        return value, np.zeros_like(xt.data)
    u = _as_float_array(u, "u")
    if u.shape != out.shape:
        raise ValueError(f"u must have the shape of f(x), {out.shape}, got {u.shape}")
    nested = _nested(out, [xt], connect)
    with gradient_request([xt], create_graph=nested):
        out.backward(u)
    result = _result(xt, xt, nested)
    _release([xt])
    return (out if nested else out.data), result


def jacrev(f, x):
    """The Jacobian of ``f`` at ``x`` by reverse mode: one backward pass per output entry.

    f is evaluated once; row i of the Jacobian is the backward pass seeded with eᵢ.

    Returns
    -------
    ndarray, shape ``f(x).shape + x.shape``
        ∂f_i/∂x_j.
    """
    connect = _tensor._grad_enabled
    with enable_grad():
        return _jacrev(f, x, connect)


def _jacrev(f, x, connect):
    (xt,) = _watch([x], (0,), connect)
    out = f(xt)
    if not isinstance(out, Tensor) or not out.requires_grad:
        out_shape = np.shape(out.data if isinstance(out, Tensor) else _check_output(out,
                                                                                  "jacrev"))
        return np.zeros(out_shape + xt.shape)
    if out.size == 0 or xt.size == 0:  # no entries: an empty Jacobian, no backward pass
        _release([xt])
        return np.zeros(out.shape + xt.shape)
    rows = []
    nested = _nested(out, [xt], connect)
    with retaining(), gradient_request([xt], create_graph=nested):  # one graph, m walks
        for e_i in np.eye(out.size):
            xt.grad = None  # one row per pass: do not accumulate across rows
            out.backward(e_i.reshape(out.shape))
            rows.append(_result(xt, xt, nested))
    _release([xt])
    if nested:  # rows that are Tensors: stacked by scattering each into its place
        shape = (len(rows), *xt.shape)
        total = sum(row._scatter(i, shape) if isinstance(row, Tensor)
                    else Tensor(row)._scatter(i, shape) for i, row in enumerate(rows))
        return total.reshape(out.shape + xt.shape)
    return np.stack(rows).reshape(out.shape + xt.shape)
