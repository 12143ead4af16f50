"""Gradient descent: step against the gradient, ``x_{k+1} = x_k - lr * ∇f(x_k)``.

Lesson 05 (``notebooks/05-gradients``) derives it from the directional derivative — the
negative gradient is the direction of steepest descent — and measures it on quadratics
(the divergence threshold ``lr < 2 / λ_max``, the contraction factor ``(κ - 1)/(κ + 1)``)
and on the diabetes regression loss. Later lessons add momentum (11) next to it.

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from calcml.optimize.history import History, StopReason

__all__ = ["EXPLODE", "gradient_descent"]

#: an iterate (or gradient) this many times larger than where the run started counts as
#: exploding: the run stops as diverged before the numbers overflow
EXPLODE = 1e12


def _positive_number(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def _num_steps(value) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"num_steps must be a whole number of steps (an int), got "
                        f"{type(value).__name__} {value!r}")
    if value < 0:
        raise ValueError(f"num_steps must be 0 or more, got {value}")
    return int(value)


def _start(x0) -> np.ndarray:
    try:
        x = np.array(x0, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"x0 must be a point: a number or a 1-D array of real numbers, got "
                        f"{type(x0).__name__} {x0!r:.60}") from None
    if x.ndim == 0:
        x = x.reshape(1)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x0 must be a number or a non-empty 1-D array, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite, got {x}")
    return x


def _norm(v: np.ndarray) -> float:
    """The Euclidean length (inf or nan when an entry is; cheaper than np.linalg.norm)."""
    length = math.sqrt(float(np.dot(v, v)))
    if length == math.inf:  # an entry is inf, or the squares overflowed: scale first
        biggest = float(np.max(np.abs(v)))
        if math.isfinite(biggest):
            return biggest * math.sqrt(float(np.dot(v / biggest, v / biggest)))
    return length


def _gradient_at(grad_f: Callable, x: np.ndarray) -> np.ndarray:
    """``grad_f(x)`` as a float array shaped like ``x`` (inf/nan allowed: that is divergence)."""
    out = grad_f(x.copy())
    if out is None:
        raise TypeError("grad_f returned None — did you forget `return`?")
    try:
        g = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"grad_f must return an array of real numbers, got "
                        f"{type(out).__name__} {out!r:.60}") from None
    if g.shape != x.shape:
        if g.size == x.size:
            g = g.reshape(x.shape)
        else:
            raise ValueError(f"grad_f must return one partial derivative per coordinate: "
                             f"x has shape {x.shape}, grad_f(x) has shape {g.shape}")
    return g


def _value_at(f: Callable, x: np.ndarray) -> float:
    out = f(x.copy())
    try:
        value = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"f must return a real number, got {type(out).__name__} "
                        f"{out!r:.60}") from None
    if value.size != 1:
        raise ValueError(f"f must return one number, got an array of shape {value.shape}")
    return float(value.reshape(()))


def gradient_descent(grad_f: Callable, x0, *, lr: float, num_steps: int,
                     f: Callable | None = None, tol: float | None = None) -> History:
    """Minimise by steps against the gradient: ``x_{k+1} = x_k - lr * grad_f(x_k)``.

    Parameters
    ----------
    grad_f : callable
        ``grad_f(x)`` returns ∇f at the point ``x`` (a 1-D array), with ``x``'s shape.
    x0 : float or array_like
        The starting point (a number is a point of dimension 1).
    lr : float
        The learning rate (step size), positive.
    num_steps : int
        The most steps to take (0 or more).
    f : callable, optional
        ``f(x)``, one number; when given, its value at every iterate is recorded.
    tol : float, optional
        Stop as soon as the gradient norm ``|∇f(x_k)|`` is at most ``tol``.

    Returns
    -------
    History
        ``xs`` of shape ``(k + 1, d)`` — every iterate, ``x0`` first, ``k == num_steps``
        unless the run stopped early; ``values`` (or None), ``grad_norms``, and
        ``reason``: ``CONVERGED`` (``|∇f| ≤ tol``), ``MAX_STEPS`` or ``DIVERGED``.

    Divergence — an iterate, gradient or value that is not finite, or an iterate or
    gradient :data:`EXPLODE` times larger than at the start — stops the run, and is
    reported in ``reason`` and ``message`` (the diverged iterate is the last row of
    ``xs``). No exception and no overflow warnings: NumPy's floating-point warnings are
    silenced inside the run, and an ``OverflowError`` from ``grad_f`` or ``f`` counts as
    divergence.

    Raises
    ------
    TypeError
        ``grad_f`` or ``f`` is not callable, ``lr``/``tol`` is not a number,
        ``num_steps`` is not an int, or ``grad_f``/``f`` returns something not numeric.
    ValueError
        ``lr ≤ 0``, ``tol ≤ 0``, ``num_steps < 0``, ``x0`` is not a finite 1-D point, or
        ``grad_f`` returns the wrong number of partial derivatives.

    Examples
    --------
    >>> run = gradient_descent(lambda x: 2 * x, [3.0, -1.0], lr=0.25, num_steps=50, tol=1e-8)
    >>> run.reason.value, run.num_steps
    ('converged', 30)
    >>> gradient_descent(lambda x: 2 * x, [1.0], lr=1.5, num_steps=100).reason.value
    'diverged'
    """
    if not callable(grad_f):
        raise TypeError(f"grad_f must be a function x -> ∇f(x), got "
                        f"{type(grad_f).__name__} {grad_f!r:.60}")
    if f is not None and not callable(f):
        raise TypeError(f"f must be a function x -> f(x) or None, got {type(f).__name__} "
                        f"{f!r:.60}")
    lr = _positive_number(lr, "lr")
    num_steps = _num_steps(num_steps)
    if tol is not None:
        tol = _positive_number(tol, "tol")
    x = _start(x0)

    xs, values, norms = [x], [], []
    scale_g = None
    reason, message = StopReason.MAX_STEPS, ""
    with np.errstate(all="ignore"):
        scale_x = EXPLODE * max(1.0, _norm(x))
        for k in range(num_steps + 1):
            try:
                if f is not None:
                    values.append(_value_at(f, x))
                g = _gradient_at(grad_f, x)
            except (OverflowError, FloatingPointError, ZeroDivisionError) as exc:
                values += [math.nan] * (len(xs) - len(values))
                norms.append(math.nan)
                reason = StopReason.DIVERGED
                message = f"diverged at step {k}: {type(exc).__name__} ({exc})"
                break
            norm = _norm(g)
            norms.append(norm)
            if scale_g is None:
                scale_g = EXPLODE * max(1.0, norm) if math.isfinite(norm) else 0.0
            size = _norm(x)
            value_bad = f is not None and not math.isfinite(values[-1])
            if not math.isfinite(size) or size > scale_x:
                reason, message = StopReason.DIVERGED, f"diverged at step {k}: |x| = {size:.3g}"
                break
            if not math.isfinite(norm) or norm > scale_g or value_bad:
                what = (f"|∇f| = {norm:.3g}" if not math.isfinite(norm) or norm > scale_g
                        else f"f(x) = {values[-1]}")
                reason, message = StopReason.DIVERGED, f"diverged at step {k}: {what}"
                break
            if tol is not None and norm <= tol:
                reason = StopReason.CONVERGED
                message = f"converged at step {k}: |∇f| = {norm:.3g} ≤ tol = {tol:g}"
                break
            if k == num_steps:
                message = f"ran out of steps after {num_steps}: |∇f| = {norm:.3g}"
                break
            x = x - lr * g
            xs.append(x)

    return History(xs=np.array(xs), values=None if f is None else np.array(values, dtype=float),
                   grad_norms=np.array(norms, dtype=float), reason=reason, message=message,
                   extras={"lr": lr, "tol": tol})
