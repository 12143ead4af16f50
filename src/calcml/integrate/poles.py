"""Poles that no formula gives, found numerically (lesson 10's improper integrals).

SymPy knows that 1/(x − cos x) is not continuous where x = cos x, but not where that is;
it writes the root of x⁵ − x − 1 as ``CRootOf(x**5 - x - 1, 0)`` and takes no limit
there. Whether ∫_0^2 dx/(x − cos x) has a value depends on the kind of point it is: near
a zero p of the denominator where the numerator is not 0, f ≈ C/(x − p)^k, and any k ≥ 1
makes the integral diverge on both sides of p (to the infinity of f's sign on each side).

:func:`poles` finds such points of f = N/D inside (a, b): D is split into its factors B^e,
each B is sampled densely, a change of sign or a dip of |B| to 0 between samples is
refined to 30 digits (mpmath), and the order and the constant C are read from B′ or B″
and N at that point. It answers only what it can show: a zero of D where N also vanishes,
or an order it cannot read, makes the whole answer None (undecided), never a guess.

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

__all__ = ["Pole", "poles"]

DIGITS = 30
SAMPLES = 4001
MAX_POLES = 40  # more zeros than this in one interval (1/sin(50x) on [0, 100]): undecided


@dataclass(frozen=True)
class Pole:
    """f ≈ ``coefficient``/(x − ``point``)^``order`` near ``point`` (an order ≥ 1)."""

    point: sp.Float
    order: int
    coefficient: sp.Float

    @property
    def right(self) -> int:
        """The sign of f just right of the point: its integral there goes to that ∞."""
        return 1 if self.coefficient > 0 else -1

    @property
    def left(self) -> int:
        """The sign of f just left of the point."""
        return self.right * (-1) ** self.order


class _Undecided(Exception):
    pass


def poles(f, x, a, b) -> list[Pole] | None:
    """The poles of ``f`` (a SymPy expression in the real symbol ``x``) strictly inside
    (a, b), ends possibly infinite, sorted; None when they cannot be told apart from
    zeros of the numerator, points of another kind or too many of them (undecided).

    An empty list says that no denominator of f changes sign or dips to zero at the
    samples: it is not a proof that f has no singular point (its numerator may have
    poles of its own; ``sec x`` is not written as a denominator)."""
    if sp.sympify(f).free_symbols - {x}:
        return None  # a parameter: no numbers to sample
    try:
        numerator, denominator = sp.fraction(sp.together(f))
        factors = _factors(denominator, x)
        if not factors:
            return []
        lo, hi = float(a), float(b)
        ts = _samples(lo, hi)
        found: list[Pole] = []
        for base, power in factors:
            for p, order in _zeros(base, x, ts):
                found.append(_pole(numerator, denominator, base, power, order, x, p))
                if len(found) > MAX_POLES:
                    raise _Undecided
    except (_Undecided, TypeError, ValueError, ZeroDivisionError, OverflowError,
            NotImplementedError, sp.PolynomialError):
        return None
    found.sort(key=lambda q: float(q.point))
    for first, second in itertools.pairwise(found):  # one point from two factors
        if abs(float(first.point) - float(second.point)) <= 1e-12 * max(1.0, abs(float(first.point))):
            return None
    return found


def _factors(denominator, x) -> list[tuple[sp.Expr, int]]:
    """The factors B^e of the denominator that depend on x, each e a positive integer."""
    out = []
    for factor in sp.Mul.make_args(denominator):
        base, power = factor.as_base_exp()
        if not base.has(x):
            continue
        if not (power.is_Integer and power > 0):  # √B: f is not real on one side of B = 0
            raise _Undecided
        out.append((base, int(power)))
    return out


def _samples(lo: float, hi: float) -> np.ndarray:
    """Points strictly inside (lo, hi): evenly spaced, or in θ with x = tan θ towards an
    infinite end."""
    if math.isfinite(lo) and math.isfinite(hi):
        return np.linspace(lo, hi, SAMPLES + 2)[1:-1]
    theta = np.linspace(math.atan(lo) if math.isfinite(lo) else -math.pi / 2,
                        math.atan(hi) if math.isfinite(hi) else math.pi / 2, SAMPLES + 2)[1:-1]
    return np.tan(theta)


def _zeros(base, x, ts: np.ndarray) -> list[tuple[sp.Float, int]]:
    """(p, order) for the zeros of ``base`` seen at the samples: a change of sign (order
    1) or a dip of |base| towards 0 where its derivative changes sign (order 2)."""
    g = sp.lambdify(x, base, "numpy")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        y = np.asarray(g(ts), dtype=complex) * np.ones_like(ts)
    if np.any(np.abs(y.imag) > 1e-12 * np.maximum(1.0, np.abs(y.real))):
        raise _Undecided  # the denominator is not real on the interval
    y = y.real
    fine = np.isfinite(y)
    exact = mpmath_function(base, x)
    slope = mpmath_function(sp.diff(base, x), x)
    curve = mpmath_function(sp.diff(base, x, 2), x)
    tiny = mpmath.mpf(10) ** (-DIGITS // 2)

    def local(i: int, j: int) -> float:  # the size of B around samples i..j
        return max(float(np.max(np.abs(y[i:j + 1]))), 1e-300)

    changes = np.flatnonzero(fine[:-1] & fine[1:] & (np.sign(y[:-1]) * np.sign(y[1:]) < 0))
    if changes.size > MAX_POLES:  # refined one by one they would take seconds
        raise _Undecided
    out = []
    with mpmath.workdps(DIGITS + 10):
        for i in changes:
            p = _root(exact, ts[i], ts[i + 1])
            if p is None:  # a pole of the base itself (2 + tan x at π/2): no zero of it
                continue
            out.append((p, _order(slope, curve, p, local(i, i + 1), ts[i + 1] - ts[i])))
        for i in np.flatnonzero(y[1:-1] == 0) + 1:  # a sample on the zero itself
            p = mpmath.mpf(float(ts[i]))
            out.append((p, _order(slope, curve, p, local(i - 1, i + 1), ts[i + 1] - ts[i])))
        dips = np.flatnonzero(fine[:-2] & fine[1:-1] & fine[2:]
                              & (np.abs(y[1:-1]) < np.abs(y[:-2]))
                              & (np.abs(y[1:-1]) < np.abs(y[2:]))
                              & (np.sign(y[:-2]) == np.sign(y[2:])) & (y[1:-1] != 0)) + 1
        dips = [i for i in dips if abs(y[i]) <= 0.25 * local(i - 1, i + 1)]
        if len(dips) > MAX_POLES:
            raise _Undecided
        for i in dips:  # |B| has a local minimum: a double zero if B′ = 0 there makes B = 0
            p = _root(slope, ts[i - 1], ts[i + 1])
            if p is None or abs(exact(p)) > tiny * local(i - 1, i + 1):
                continue
            out.append((p, _order(slope, curve, p, local(i - 1, i + 1), ts[i + 1] - ts[i])))
    if len(out) > MAX_POLES:
        raise _Undecided
    return [(sp.Float(p, DIGITS), order) for p, order in out]


def mpmath_function(expr, x):
    """``expr`` as a function of one mpmath number."""
    return sp.lambdify(x, expr, "mpmath")


def _root(g, lo: float, hi: float):
    """A zero of ``g`` between lo and hi where g changes sign, to the working precision;
    None when g is large there (the sign changed through a pole of g)."""
    lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
    glo, ghi = g(lo), g(hi)
    if not (mpmath.isfinite(glo) and mpmath.isfinite(ghi)) or glo * ghi > 0:
        return None
    for _ in range(4 * mpmath.mp.prec):  # bisection: sure, and a few ms at 40 digits
        mid = (lo + hi) / 2
        gm = g(mid)
        if gm == 0:
            lo = hi = mid
            break
        if (gm > 0) == (glo > 0):
            lo, glo = mid, gm
        else:
            hi = mid
        if hi - lo <= mpmath.mpf(2) ** (-mpmath.mp.prec) * max(1, abs(lo)):
            break
    p = (lo + hi) / 2
    width = max(abs(glo), abs(ghi), 1)
    return p if abs(g(p)) <= mpmath.mpf(10) ** (-DIGITS // 2) * width else None


def _order(slope, curve, p, size: float, gap: float) -> int:
    """The order of the zero of B at p: 1 when B′(p) ≠ 0, 2 when B′(p) = 0 and B″(p) ≠ 0
    (each compared with what B's size ``size`` over the samples' ``gap`` makes of it)."""
    tiny = mpmath.mpf(10) ** (-DIGITS // 2)
    if abs(slope(p)) > tiny * size / gap:
        return 1
    if abs(curve(p)) > tiny * size / gap**2:
        return 2
    raise _Undecided


def _pole(numerator, denominator, base, power, order, x, p) -> Pole:
    """The pole of N/D at p, a zero of order ``order`` of ``base`` (D = base^power · R)."""
    rest = denominator / base**power  # (SymPy's Mul drops the factor itself)
    with mpmath.workdps(DIGITS + 10):
        q = mpmath.mpf(str(p))
        n = mpmath_function(numerator, x)(q)
        r = mpmath_function(rest, x)(q)
        lead = mpmath_function(sp.diff(base, x, order), x)(q) / math.factorial(order)
        tiny = mpmath.mpf(10) ** (-DIGITS // 2)
        for value in (n, r, lead):
            if not mpmath.isfinite(value) or (isinstance(value, mpmath.mpc) and abs(
                    value.imag) > tiny * max(1, abs(value.real))):
                raise _Undecided
        n, r, lead = (mpmath.re(v) for v in (n, r, lead))
        if abs(n) <= tiny * max(1, abs(r)) or abs(r) <= tiny or abs(lead) <= tiny:
            raise _Undecided  # 0/0 (a removable point, or a pole of lower order): no guess
        c = sp.Float(mpmath.nstr(n / (r * lead**power), DIGITS), DIGITS)
    return Pole(sp.Float(p, DIGITS), order * power, c)
