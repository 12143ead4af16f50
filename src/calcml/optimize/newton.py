"""Newton's method for minimisation: step to the minimum of the local quadratic model.

At an iterate ``x`` with gradient ``g`` and Hessian ``H`` the second-order model
``f(x + p) ≈ f(x) + gᵀp + ½ pᵀHp`` is smallest where ``H p = -g``; Newton's method takes
that step. Near a minimum with a positive definite Hessian it converges quadratically
(the number of correct digits doubles per step). Lesson 08
(``notebooks/08-hessian-matrix``) derives it, measures the order and compares it with
gradient descent.

Pure Newton (``damping=None``) goes to *any* critical point the model points at — a saddle
or a maximum when ``H`` is indefinite or negative definite — and it cannot step when ``H``
is singular (the run stops with :attr:`StopReason.SINGULAR`). The damped variant
(``damping=mu``) solves ``(H + τI) p = -g`` with the smallest shift ``τ ≥ 0`` that makes
the smallest eigenvalue at least ``mu`` (``τ = 0`` where ``H`` is already safely positive
definite, so the fast steps near a minimum are kept), and, when ``f`` is given, shortens
the step by backtracking until ``f`` decreases enough (the Armijo condition).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from calcml.optimize.history import History, StopReason

__all__ = ["newton"]

#: an iterate (or step) with a norm above this counts as diverged
_EXPLODED = 1e12
#: Armijo constant and the most halvings of one backtracking line search
_ARMIJO, _MAX_HALVINGS = 1e-4, 60


def _check_point(x0) -> tuple[np.ndarray, bool]:
    """x0 as a float vector, and whether it was a scalar (one variable)."""
    if isinstance(x0, (bool, np.bool_, str)):
        raise TypeError(f"x0 must be a number or an array of numbers, got {type(x0).__name__} {x0!r}")
    try:
        x = np.array(x0, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"x0 must be a number or an array of numbers, got {type(x0).__name__} "
                        f"{x0!r}") from None
    scalar = x.ndim == 0
    if x.ndim > 1:
        raise ValueError(f"x0 must be a number or a 1-D array, got shape {x.shape}")
    x = x.reshape(-1)
    if x.size == 0:
        raise ValueError("x0 is empty; it needs at least one coordinate")
    if not np.isfinite(x).all():
        raise ValueError(f"x0 must be finite, got {x0!r}")
    return x, scalar


def _gradient(grad_f, x, arg, d, step) -> np.ndarray:
    g = grad_f(arg)
    try:
        g = np.asarray(g, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"grad_f must return an array of numbers, got {type(g).__name__} "
                        f"at step {step}") from None
    if g.size != d or (g.ndim > 1 and g.shape != (d, 1)):
        raise ValueError(f"grad_f returned shape {g.shape} at step {step}; x has {d} "
                         f"coordinate(s), so the gradient needs {d} entries")
    return g.reshape(d)


def _hessian(hess_f, arg, d, step) -> np.ndarray:
    H = hess_f(arg)
    try:
        H = np.asarray(H, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"hess_f must return a matrix of numbers, got {type(H).__name__} "
                        f"at step {step}") from None
    if d == 1 and H.size == 1:
        H = H.reshape(1, 1)
    if H.shape != (d, d):
        what = "not square" if H.ndim != 2 or H.shape[0] != H.shape[1] else "the wrong size"
        raise ValueError(f"hess_f returned a matrix of shape {H.shape} at step {step}, which is "
                         f"{what}: x has {d} coordinate(s), so the Hessian must be {d} × {d}")
    if np.isfinite(H).all():
        scale = max(1.0, float(np.max(np.abs(H))))
        asym = float(np.max(np.abs(H - H.T)))
        if asym > 1e-6 * scale:
            i, j = np.unravel_index(int(np.argmax(np.abs(H - H.T))), H.shape)
            raise ValueError(f"hess_f returned a non-symmetric matrix at step {step}: "
                             f"H[{i}, {j}] = {H[i, j]:.6g} but H[{j}, {i}] = {H[j, i]:.6g} "
                             "(a Hessian of a smooth function is symmetric)")
    return H


def _value(f, arg, step) -> float:
    v = f(arg)
    try:
        return float(np.asarray(v, dtype=float).reshape(()))
    except (TypeError, ValueError):
        raise TypeError(f"f must return one number, got {type(v).__name__} at step {step}") from None


def _shift(eigenvalues: np.ndarray, mu: float) -> float:
    """The smallest τ ≥ 0 with min eigenvalue of H + τI at least mu."""
    return max(0.0, mu - float(eigenvalues.min()))


def newton(grad_f: Callable, hess_f: Callable, x0, *, num_steps: int, tol: float | None = None,
           damping: float | None = None, f: Callable | None = None) -> History:
    """Minimise with Newton's method: ``x ← x + p`` where ``(H + τI) p = -∇f``.

    Parameters
    ----------
    grad_f : callable
        ``grad_f(x)`` → the gradient at ``x`` (an array of ``d`` numbers).
    hess_f : callable
        ``hess_f(x)`` → the ``d × d`` Hessian at ``x`` (symmetric).
    x0 : float or array_like of shape (d,)
        The starting point. With a number, ``grad_f`` and ``hess_f`` receive a number too
        and the History holds arrays of shape (k + 1, 1).
    num_steps : int
        The most steps to take.
    tol : float, optional
        Stop (``converged``) once the gradient norm is at most ``tol``.
    damping : float, optional
        ``None`` (pure Newton, τ = 0 always) or ``mu > 0``: shift the Hessian so that its
        smallest eigenvalue is at least ``mu`` (τ = 0 where it already is), and, when ``f``
        is given, backtrack (halve the step until ``f`` decreases by the Armijo amount).
    f : callable, optional
        The function; its values are recorded, and damped Newton uses them for the
        line search.

    Returns
    -------
    History
        ``xs`` (every iterate, ``xs[0] = x0``), ``values`` (when ``f`` is given),
        ``grad_norms``, ``reason`` and ``message``. ``extras`` holds, per step,
        ``"shifts"`` (τ), ``"step_sizes"`` (the line-search fraction, 1 for a full step)
        and ``"indefinite"`` (the step numbers at which H was not positive definite).
        A singular Hessian in pure Newton stops the run with ``StopReason.SINGULAR``;
        a non-finite or exploding iterate with ``StopReason.DIVERGED``.

    Raises
    ------
    TypeError, ValueError
        For a non-callable ``grad_f``/``hess_f``/``f``, a bad ``x0``, ``num_steps``,
        ``tol`` or ``damping``, a gradient of the wrong length, or a Hessian that is
        not square, of the wrong size or not symmetric.

    Examples
    --------
    >>> hist = newton(lambda x: 4 * x ** 3 - 4, lambda x: 12 * x ** 2, 2.0, num_steps=20, tol=1e-12)
    >>> hist.reason.value, round(float(hist.x[0]), 12)
    ('converged', 1.0)
    """
    for name, fn in (("grad_f", grad_f), ("hess_f", hess_f)):
        if not callable(fn):
            raise TypeError(f"{name} must be a function, got {type(fn).__name__} {fn!r}")
    if f is not None and not callable(f):
        raise TypeError(f"f must be a function or None, got {type(f).__name__} {f!r}")
    if isinstance(num_steps, bool) or not isinstance(num_steps, numbers.Integral):
        raise TypeError(f"num_steps must be an integer, got {type(num_steps).__name__} {num_steps!r}")
    if num_steps < 0:
        raise ValueError(f"num_steps must be at least 0, got {num_steps}")
    for name, value in (("tol", tol), ("damping", damping)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a positive number or None, got "
                            f"{type(value).__name__} {value!r}")
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive and finite, got {value}")
    x, scalar = _check_point(x0)
    d = x.size

    def arg(point):
        return float(point[0]) if scalar else point.copy()

    xs, values, norms = [x.copy()], [], []
    shifts, sizes, indefinite = [], [], []
    reason, message = StopReason.MAX_STEPS, f"ran out of steps after {num_steps}"

    def record(point, step):
        g = _gradient(grad_f, point, arg(point), d, step)
        norms.append(float(np.linalg.norm(g)) if np.isfinite(g).all() else math.nan)
        if f is not None:
            values.append(_value(f, arg(point), step))
        return g

    g = record(x, 0)
    if not np.isfinite(g).all():
        raise ValueError(f"grad_f(x0) is not finite: {g}")
    for step in range(1, num_steps + 2):
        k = step - 1  # iterate number of x
        if tol is not None and norms[-1] <= tol:
            reason, message = StopReason.CONVERGED, f"converged at step {k}: |∇f| = {norms[-1]:.3g}"
            break
        if step > num_steps:
            break
        H = _hessian(hess_f, arg(x), d, k)
        if not np.isfinite(H).all():
            reason, message = StopReason.DIVERGED, f"diverged at step {k}: the Hessian is not finite"
            break
        eig = np.linalg.eigvalsh(H)
        scale = max(1.0, float(np.max(np.abs(eig))))
        if eig.min() <= 1e-12 * scale:
            indefinite.append(k)
        tau = 0.0 if damping is None else _shift(eig, damping)
        A = H + tau * np.eye(d)
        smallest = float(np.min(np.abs(np.linalg.eigvalsh(A))))
        if damping is None and smallest <= 1e-13 * float(np.max(np.abs(eig))):
            reason = StopReason.SINGULAR
            message = (f"stopped at step {k}: the Hessian is singular (smallest |eigenvalue| "
                       f"{smallest:.2g}), so the Newton step is undefined; pass damping=mu "
                       "to shift it")
            break
        try:
            p = np.linalg.solve(A, -g)
        except np.linalg.LinAlgError:
            reason, message = StopReason.SINGULAR, f"stopped at step {k}: the Hessian is singular"
            break
        t = 1.0
        if damping is not None and f is not None:
            slope = float(g @ p)  # negative: A is positive definite
            f_x = values[-1]
            for _ in range(_MAX_HALVINGS):
                with np.errstate(all="ignore"):
                    trial = _value(f, arg(x + t * p), k)
                if np.isfinite(trial) and trial <= f_x + _ARMIJO * t * slope:
                    break
                t /= 2
        x_new = x + t * p
        shifts.append(tau)
        sizes.append(t)
        if not np.isfinite(x_new).all() or np.linalg.norm(x_new) > _EXPLODED:
            xs.append(x_new)
            norms.append(math.nan)
            if f is not None:
                values.append(math.nan)
            reason = StopReason.DIVERGED
            message = f"diverged at step {step}: |x| = {np.linalg.norm(x_new):.3g}"
            break
        x = x_new
        xs.append(x.copy())
        with np.errstate(all="ignore"):
            g = record(x, step)
        if not np.isfinite(g).all() or (f is not None and not np.isfinite(values[-1])):
            reason, message = StopReason.DIVERGED, f"diverged at step {step}: ∇f is not finite"
            break
    if reason is StopReason.CONVERGED and damping is None and d >= 1:
        try:
            eig = np.linalg.eigvalsh(_hessian(hess_f, arg(x), d, len(xs) - 1))
        except (ValueError, TypeError):
            eig = None
        if eig is not None and np.isfinite(eig).all():
            scale = max(1.0, float(np.max(np.abs(eig))))
            if eig.min() < -1e-9 * scale:
                kind = "a maximum" if eig.max() < -1e-9 * scale else "a saddle point"
                message += (f" — but the Hessian there has eigenvalues "
                            f"{np.array2string(eig, precision=3)}: this is {kind}, not a minimum")
    return History(
        xs=np.array(xs, dtype=float).reshape(len(xs), d),
        values=np.array(values, dtype=float) if f is not None else None,
        grad_norms=np.array(norms, dtype=float),
        reason=reason,
        message=message,
        extras={"shifts": np.array(shifts), "step_sizes": np.array(sizes),
                "indefinite": indefinite},
    )
