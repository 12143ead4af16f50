"""Fixed rules of numerical integration (lesson 10, *Numerical integration*).

Each rule evaluates ``f`` at ``n`` (or ``n + 1``) points chosen in advance and adds the
values with weights. What distinguishes them is the **order** ``p``: for a smooth ``f``,
doubling ``n`` divides the error by about ``2**p``.

======================  ==========================================  =====================
rule                    estimate of :math:`\\int_a^b f`, ``h = (b-a)/n``   error, smooth ``f``
======================  ==========================================  =====================
``riemann_sum`` left    :math:`h \\sum_{i=0}^{n-1} f(a + i h)`         :math:`O(h)`
``riemann_sum`` mid     :math:`h \\sum_{i=0}^{n-1} f(a + (i + 1/2) h)`  :math:`O(h^2)`
``trapezoid``           :math:`h\\,[f_0/2 + f_1 + \\dots + f_{n-1} + f_n/2]`  :math:`O(h^2)`
``simpson``             :math:`\\tfrac{h}{3}[f_0 + 4 f_1 + 2 f_2 + \\dots + 4 f_{n-1} + f_n]`  :math:`O(h^4)`
``gauss_legendre``      :math:`\\tfrac{b-a}{2}\\sum w_i f(x_i)` at the Legendre nodes  exact to degree 2n−1
``monte_carlo``         volume × mean of ``f`` at ``n`` uniform random points  :math:`O(1/\\sqrt{n})`
======================  ==========================================  =====================

Every rule calls ``f`` **once**, on a NumPy array of all its points.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["MonteCarloResult", "gauss_legendre", "monte_carlo", "riemann_sum", "simpson",
           "trapezoid"]


def _check(f, a, b, n, name_n: str = "n") -> tuple[float, float, int]:
    if not callable(f):
        raise TypeError(f"f must be a function of x, got {type(f).__name__} {f!r}")
    ends = []
    for name, v in (("a", a), ("b", b)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
            raise TypeError(f"{name} must be a number, got {type(v).__name__} {v!r}")
        if not math.isfinite(v):
            raise ValueError(f"{name} must be finite for a fixed rule, got {v!r} "
                             "(use quad for an infinite limit)")
        ends.append(float(v))
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"{name_n} must be a whole number >= 1, got {n!r}")
    return ends[0], ends[1], int(n)


def _values(f: Callable, x: np.ndarray) -> np.ndarray:
    """f at the points x (one call on the array), checked finite."""
    with np.errstate(all="ignore"):
        y = np.asarray(f(x), dtype=float)
    if y.ndim == 0:
        y = np.full(x.shape[:1] if x.ndim == 2 else x.shape, float(y))
    expected = x.shape[:1] if x.ndim == 2 else x.shape
    if y.shape != expected:
        raise ValueError(f"f must return one value per point: called on {x.shape[0]} points "
                         f"it returned shape {y.shape}")
    bad = ~np.isfinite(y)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        at = x[i].tolist() if x.ndim == 2 else float(x[i])
        raise ValueError(f"f is not finite ({y[i]}) at x = {at!r}, a point of the rule")
    return y


def riemann_sum(f: Callable, a, b, n: int, rule: str = "left") -> float:
    """The Riemann sum of ``f`` on ``n`` equal strips: each strip's height is ``f`` at its
    left end, right end or midpoint (``rule``). Left and right: order 1; midpoint: order 2.

    >>> riemann_sum(lambda x: x**2, 0, 1, 4, "left")  # (0 + 1/16 + 4/16 + 9/16) / 4
    0.21875
    """
    a, b, n = _check(f, a, b, n)
    offsets = {"left": 0.0, "right": 1.0, "midpoint": 0.5}
    if rule not in offsets:
        raise ValueError(f"rule must be 'left', 'right' or 'midpoint', got {rule!r}")
    h = (b - a) / n
    x = a + (np.arange(n) + offsets[rule]) * h
    return float(h * _values(f, x).sum())


def trapezoid(f: Callable, a, b, n: int) -> float:
    """The trapezoid rule on ``n`` strips (``n + 1`` points): order 2.

    >>> trapezoid(lambda x: x**2, 0, 1, 2)  # (0/2 + 1/4 + 1/2) / 2
    0.375
    """
    a, b, n = _check(f, a, b, n)
    y = _values(f, np.linspace(a, b, n + 1))
    return float((b - a) / n * (y.sum() - (y[0] + y[-1]) / 2))


def simpson(f: Callable, a, b, n: int) -> float:
    """Simpson's rule on ``n`` strips (``n`` even; ``n + 1`` points): order 4, exact for cubics.

    >>> simpson(lambda x: x**3, 0, 2, 2)
    4.0
    """
    if isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 1 and n % 2:
        raise ValueError(f"simpson needs an even number of strips n, got n = {n} "
                         "(it fits a parabola through each pair of strips)")
    a, b, n = _check(f, a, b, n)
    y = _values(f, np.linspace(a, b, n + 1))
    return float((b - a) / n / 3 * (y[0] + y[-1] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum()))


def gauss_legendre(f: Callable, a, b, n: int) -> float:
    """The ``n``-point Gauss–Legendre rule: exact for polynomials of degree up to 2n − 1.

    The nodes are the zeros of the Legendre polynomial P_n, mapped from [-1, 1] to [a, b].

    >>> round(gauss_legendre(lambda x: x**3, 0, 1, 2), 15)  # exact: 2 points, degree 3
    0.25
    """
    a, b, n = _check(f, a, b, n)
    t, w = np.polynomial.legendre.leggauss(n)
    x = (a + b) / 2 + (b - a) / 2 * t
    return float((b - a) / 2 * (w @ _values(f, x)))


@dataclass(frozen=True)
class MonteCarloResult:
    """A Monte Carlo estimate: ``value``, its standard ``error`` (one standard deviation
    of the estimate, ∝ 1/sqrt(n)) and the number of points ``n``."""

    value: float
    error: float
    n: int

    def __float__(self) -> float:
        return self.value


def monte_carlo(f: Callable, a, b, n: int, rng: np.random.Generator) -> MonteCarloResult:
    """Monte Carlo integration: the volume of the box times the mean of ``f`` at ``n``
    uniform random points.

    ``a`` and ``b`` are numbers (an interval) or sequences of ``d`` numbers (the box
    ``[a_1, b_1] × ... × [a_d, b_d]``); in ``d`` dimensions ``f`` is called on an array
    of shape ``(n, d)`` and returns ``n`` values. The error falls like ``1/sqrt(n)``
    whatever ``d`` is — why it wins over a grid in high dimension.

    >>> r = monte_carlo(lambda x: x**2, 0, 1, 100_000, np.random.default_rng(0))
    >>> abs(r.value - 1/3) < 4 * r.error
    True
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy Generator, e.g. np.random.default_rng(0), got "
                        f"{type(rng).__name__}")
    lo, hi = np.atleast_1d(np.asarray(a, dtype=float)), np.atleast_1d(np.asarray(b, dtype=float))
    box = np.ndim(a) > 0 or np.ndim(b) > 0
    if lo.shape != hi.shape or lo.ndim != 1:
        raise ValueError(f"a and b must be numbers or sequences of the same length, got "
                         f"{a!r} and {b!r}")
    for i in range(lo.size):
        _check(f, lo[i], hi[i], n)
    u = rng.random((n, lo.size))
    x = lo + (hi - lo) * u
    y = _values(f, x if box else x[:, 0])
    volume = float(np.prod(hi - lo))
    spread = float(y.std(ddof=1)) if n > 1 else math.inf
    return MonteCarloResult(volume * float(y.mean()), volume * spread / math.sqrt(n), int(n))
