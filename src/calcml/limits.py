"""Limits, numerically: tables from both sides, estimates with a diagnosis, ε–δ checks,
and the floating-point trap of catastrophic cancellation with its stable rewrites.

Lesson 01 (``notebooks/01-functions-and-limits``) introduces everything here:

* :func:`limit_table` — the values of ``f`` at ``a - h`` and ``a + h`` for shrinking
  ``h``; shown as a table in Jupyter and as text elsewhere;
* :func:`numeric_limit` — an estimate of :math:`\\lim_{x\\to a} f(x)` that says whether
  the values converge, differ between the two sides, or blow up;
* :func:`delta_works` and :func:`largest_delta` — the ε–δ definition as a test;
* :func:`one_minus_cos_over_x2`, :data:`REWRITES`, :func:`reference_values` and
  :func:`relative_error` — why ``(1 - cos x)/x**2`` loses every digit for tiny ``x``,
  and how a rewrite of the same formula keeps them.

A limit at infinity is written ``a=np.inf`` (or ``-np.inf``): then ``x = 1/t`` with
``t`` shrinking to 0, so "``x`` close to ``a``" means "``x`` large".
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

import numpy as np

__all__ = [
    "REWRITES",
    "Diagnosis",
    "LimitEstimate",
    "LimitTable",
    "OneSidedLimit",
    "Rewrite",
    "delta_works",
    "largest_delta",
    "limit_table",
    "numeric_limit",
    "one_minus_cos_over_x2",
    "reference_values",
    "relative_error",
]

SIDES = ("both", "left", "right")


# --- checking what the user passed ---------------------------------------------------------

def _check_f(f) -> None:
    if not callable(f):
        raise TypeError(f"f must be a function of one number (def or lambda), "
                        f"got {type(f).__name__} {f!r}")


def _check_a(a) -> float:
    if isinstance(a, (bool, np.bool_)) or not isinstance(a, numbers.Real):
        raise TypeError(f"a must be a real number (or ±np.inf), got {type(a).__name__} {a!r}")
    a = float(a)
    if math.isnan(a):
        raise ValueError("a must be a number or ±np.inf, got nan")
    return a


def _check_side(side, a: float) -> str:
    if side not in SIDES:
        raise ValueError(f"side must be one of {SIDES}, got {side!r}")
    if a == math.inf and side == "right":
        raise ValueError("x cannot approach +inf from the right; use side='left' or 'both'")
    if a == -math.inf and side == "left":
        raise ValueError("x cannot approach -inf from the left; use side='right' or 'both'")
    return side


def _sides(a: float, side: str) -> tuple[str, ...]:
    """The sides from which x approaches a (only one for a = ±inf)."""
    if a == math.inf:
        return ("left",)
    if a == -math.inf:
        return ("right",)
    return ("left", "right") if side == "both" else (side,)


def _default_hs(a: float, smallest: int, per_decade: int) -> np.ndarray:
    """Distances 10**-1 ... 10**-smallest, scaled by |a| so that a ± h differs from a."""
    scale = 1.0 if not math.isfinite(a) else max(1.0, abs(a))
    return scale * np.logspace(-1, -smallest, (smallest - 1) * per_decade + 1)


def _check_hs(hs, a: float) -> np.ndarray:
    try:
        arr = np.asarray(hs, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"hs must be a sequence of positive numbers, got {hs!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"hs must be a non-empty 1-D sequence, got shape {arr.shape}")
    bad = arr[~(np.isfinite(arr) & (arr > 0))]
    if bad.size:
        raise ValueError(f"every h must be positive and finite, got {bad[0]}")
    if arr.size > 1 and np.any(np.diff(arr) >= 0):
        raise ValueError("hs must be decreasing (each point closer to a than the last), "
                         f"got {arr.tolist()}")
    if math.isfinite(a):
        stuck = arr[(a + arr == a) | (a - arr == a)]
        if stuck.size:
            raise ValueError(f"h = {stuck[0]:g} is below the spacing of floats near a = {a:g}: "
                             "a ± h would equal a; use larger h")
    return arr


def _points(a: float, hs: np.ndarray, side: str) -> np.ndarray:
    """The x values at which f is sampled: a ± h, or ±1/h at infinity."""
    if a == math.inf:
        return 1 / hs
    if a == -math.inf:
        return -1 / hs
    return a - hs if side == "left" else a + hs


def _complex_refusal(x, y) -> TypeError:
    return TypeError(
        f"f({x:.12g}) returned the complex number {complex(y)!r}: limits here are of real "
        "functions, and keeping only the real part would give a wrong answer; x is "
        "probably outside f's real domain (np.emath.sqrt or np.emath.log of a negative "
        "number?) — use np.sqrt / np.log, which give nan there, or study the real and "
        "imaginary parts separately (lambda x: f(x).real, lambda x: f(x).imag)")


def _real_value(x, y) -> float:
    """The value ``y = f(x)`` as a float, or a TypeError naming what f returned.

    Numbers of any kind are accepted (Python, NumPy, SymPy, a one-entry array), and a
    complex number whose imaginary part is exactly 0. Never converted: strings (``"1"``
    is not a number), None, booleans, and complex numbers with an imaginary part —
    whose real part alone is not the value of f.
    """
    if y is None:
        raise TypeError(f"f({x:g}) returned None: did you forget to `return` the value?")
    if isinstance(y, (str, bytes)):
        raise TypeError(f"f must return a number, but f({x:g}) returned the string {y!r}"[:200]
                        + " (a number in quotes is text)")
    if isinstance(y, (bool, np.bool_)):
        raise TypeError(f"f must return a number, but f({x:g}) returned the boolean {y}")
    arr = np.asarray(y)
    if arr.size != 1:
        raise TypeError(f"f must return a single real number, but f({x:g}) returned "
                        f"{type(y).__name__} of shape {arr.shape}")
    item = arr.reshape(())
    if arr.dtype.kind in "iuf":
        return float(item)
    if arr.dtype.kind == "c":
        return _real_part(x, complex(item))
    if arr.dtype.kind == "O":
        obj = item.item()
        if not isinstance(obj, (str, bytes, bool, type(None))):
            try:
                return float(obj)
            except (TypeError, ValueError, OverflowError):
                pass
            try:
                return _real_part(x, complex(obj))
            except (TypeError, ValueError, OverflowError):
                pass
    raise TypeError(f"f must return a single real number, but f({x:g}) returned "
                    f"{type(y).__name__} {y!r}"[:200])


def _real_part(x, c: complex) -> float:
    if c.imag != 0 and not math.isnan(c.imag):
        raise _complex_refusal(x, c)
    return math.nan if math.isnan(c.imag) else c.real


def _evaluate(f: Callable, xs: np.ndarray) -> np.ndarray:
    """f at each x, one call per point; NaN where f is undefined (0/0, log of 0, ...)."""
    values = np.empty(len(xs))
    for i, x in enumerate(xs):
        try:
            with np.errstate(all="ignore"):  # inf and nan are data here, not accidents
                y = f(np.float64(x))
        except (ArithmeticError, ValueError):  # e.g. math.log(0), 1/0 with Python floats
            y = math.nan
        values[i] = _real_value(x, y)
    return values


def _name(f: Callable) -> str:
    name = getattr(f, "__name__", "f")
    return "f" if name == "<lambda>" else name


# --- tables --------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class LimitTable:
    """Values of ``f`` approaching ``a``: rows of ``h``, then ``x`` and ``f(x)`` per side.

    Shown as an HTML table in Jupyter and as aligned text by ``print``. For ``a=±inf``
    the column ``h`` holds ``t = 1/|x|``.
    """

    a: float
    h: np.ndarray
    x_left: np.ndarray | None
    f_left: np.ndarray | None
    x_right: np.ndarray | None
    f_right: np.ndarray | None
    label: str = "f(x)"
    digits: int = 12

    def columns(self) -> dict[str, np.ndarray]:
        """The table's columns, by header."""
        cols = {"h" if math.isfinite(self.a) else "1/|x|": self.h}
        if self.x_left is not None:
            cols["x (left)" if math.isfinite(self.a) else "x"] = self.x_left
            cols[f"{self.label} (left)" if math.isfinite(self.a) else self.label] = self.f_left
        if self.x_right is not None:
            cols["x (right)" if math.isfinite(self.a) else "x"] = self.x_right
            cols[f"{self.label} (right)" if math.isfinite(self.a) else self.label] = self.f_right
        return cols

    def _title(self) -> str:
        a = {math.inf: "∞", -math.inf: "-∞"}.get(self.a, f"{self.a:g}")
        return f"{self.label} as x → {a}"

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        cols = self.columns()
        headers = list(cols)
        fmt = [".0e" if i == 0 else f".{self.digits}g" for i in range(len(headers))]
        rows = [[format(float(cols[h][r]), f) for h, f in zip(headers, fmt, strict=True)]
                for r in range(len(self.h))]
        return headers, rows

    def __str__(self) -> str:
        headers, rows = self._cells()
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        lines = [self._title(),
                 "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))]
        lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        headers, rows = self._cells()
        head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f'<td style="text-align:right;font-family:monospace">'
                                        f"{html.escape(c)}</td>" for c in r) + "</tr>"
                       for r in rows)
        return (f'<table class="calcml-limit-table"><caption>{html.escape(self._title())}'
                f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def limit_table(f: Callable, a: float, *, side: str = "both", hs=None,
                label: str | None = None) -> LimitTable:
    """Tabulate ``f`` at points approaching ``a`` from the left and/or the right.

    Parameters
    ----------
    f : callable
        A function of one number. It is called once per point, so plain Python
        functions work as well as NumPy ones; where ``f`` is undefined (it raises an
        arithmetic error, or returns NaN) the table shows ``nan``.
    a : float
        The point approached; ``np.inf`` / ``-np.inf`` for limits at infinity.
    side : {"both", "left", "right"}
        Which side(s) to tabulate. At ``±inf`` there is only one side.
    hs : sequence of float, optional
        Decreasing positive distances ``h``; the points are ``a - h`` (left) and
        ``a + h`` (right), or ``x = ±1/h`` at infinity. Default: ``10**-1`` to
        ``10**-7``, times ``max(1, |a|)``.
    label : str, optional
        Header for the values, e.g. ``"sin(x)/x"``; default ``f(x)``.

    Returns
    -------
    LimitTable

    Raises
    ------
    TypeError
        ``f`` is not callable, ``a`` is not a real number, or ``f`` returns a non-number.
    ValueError
        ``a`` is NaN, ``side`` is unknown or impossible (``+inf`` from the right), or an
        ``h`` is not positive, not decreasing, or too small to move ``x`` off ``a``.

    Examples
    --------
    >>> table = limit_table(lambda x: np.sin(x) / x, 0.0, hs=[0.1, 0.01])
    >>> [round(float(v), 6) for v in table.f_right]
    [0.998334, 0.999983]
    """
    _check_f(f)
    a = _check_a(a)
    side = _check_side(side, a)
    hs = _check_hs(_default_hs(a, 7, 1) if hs is None else hs, a)
    data: dict[str, np.ndarray | None] = {"x_left": None, "f_left": None,
                                          "x_right": None, "f_right": None}
    for s in _sides(a, side):
        xs = _points(a, hs, s)
        data[f"x_{s}"], data[f"f_{s}"] = xs, _evaluate(f, xs)
    return LimitTable(a=a, h=hs, label=label or f"{_name(f)}(x)", **data)


# --- estimates -----------------------------------------------------------------------------

class Diagnosis(str, Enum):
    """What the values of f do as x approaches a."""

    CONVERGES = "converges"
    DIFFERS = "differs between sides"
    DIVERGES = "diverges"
    NO_LIMIT = "no limit found"
    UNDEFINED = "undefined"


@dataclass(frozen=True)
class OneSidedLimit:
    """The estimate from one side: a value (±inf if it diverges, NaN if none) and why."""

    side: str
    value: float
    diagnosis: Diagnosis
    spread: float  # how much the values used for the estimate still vary
    scale: float  # the size of f at the start of the approach: what "small" is measured by


@dataclass(frozen=True)
class LimitEstimate:
    """The result of :func:`numeric_limit`.

    ``value`` is the estimate (``±inf`` when the values blow up, NaN when there is no
    limit); ``diagnosis`` says which case it is; ``left`` / ``right`` hold the
    one-sided estimates (``None`` for a side not examined); ``message`` explains.
    """

    a: float
    value: float
    diagnosis: Diagnosis
    left: OneSidedLimit | None
    right: OneSidedLimit | None
    message: str

    def __float__(self) -> float:
        return self.value

    def __str__(self) -> str:
        return self.message


def _aitken(v: np.ndarray) -> np.ndarray:
    """Aitken's Δ² extrapolation of each triple (v_k, v_k+1, v_k+2); NaN where unsafe.

    If v_k = L + c r**k (the error shrinks by a constant ratio r, as for f(a + h) with
    geometric h and f(a + h) - L ~ c h**p), the result is exactly L.
    """
    with np.errstate(all="ignore"):  # inf - inf, 0/0: such triples are dropped below
        d1, d2 = np.diff(v)[:-1], np.diff(v)[1:]
        rho = d2 / d1
        out = v[2:] + d2 * rho / (1 - rho)
    out[~(np.abs(rho) < 0.95)] = np.nan  # not shrinking geometrically: no extrapolation
    out[(d1 == 0) & (d2 == 0)] = v[2:][(d1 == 0) & (d2 == 0)]  # already stationary
    return out


def _windows(v: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Spread (max - min) and last value of each run of ``width`` consecutive values."""
    n = len(v) - width + 1
    if n <= 0:
        return np.array([]), np.array([])
    runs = np.lib.stride_tricks.sliding_window_view(v, width)
    with np.errstate(invalid="ignore"):
        spread = np.where(np.isfinite(runs).all(axis=1), np.ptp(runs, axis=1), np.inf)
    return spread, runs[:, -1]


class _Run(NamedTuple):
    value: float  # what the values settle on
    spread: float  # how much the run used for it still varies
    scale: float  # size of the values at the start of the approach
    first: int  # indices of the values the estimate rests on
    last: int


def _settle(v: np.ndarray, rtol: float) -> _Run | None:
    """The value the sequence ``v`` settles on, or ``None`` if it does not settle.

    A run of 4 raw values, or of 3 Aitken-extrapolated ones, settles when it varies
    by at most ``rtol`` times the size of the values (at least the size of ``f`` at
    the start of the approach, so that a limit of 0 can be recognised). Two guards
    against rounding noise close to ``a`` (catastrophic cancellation):

    * a run counts only if the values just before it were getting closer to its
      value — a run of exact zeros after values that grew (``sin x - x`` rounding to
      0) is noise, not a limit;
    * the first run that settles is kept, then later runs only while they agree
      with it, so the noisy values closest to ``a`` cannot pull the estimate away.
    """
    finite = v[np.isfinite(v)]
    if finite.size < 4:
        return None
    start = float(np.max(np.abs(finite[:4])))
    raw_spread, raw_value = _windows(v, 4)
    ait_spread, ait_value = _windows(_aitken(v), 3)
    n = len(raw_spread)
    ait_spread = np.concatenate([ait_spread, np.full(n - len(ait_spread), np.inf)])[:n]
    ait_value = np.concatenate([ait_value, np.full(n - len(ait_value), np.nan)])[:n]
    use_ait = ait_spread < raw_spread
    spread = np.where(use_ait, ait_spread, raw_spread)
    value = np.where(use_ait, ait_value, raw_value)
    width = np.where(use_ait, 5, 4)  # raw values behind each estimate

    def approached(k: int) -> bool:  # were the values before the run closing in on it?
        with np.errstate(invalid="ignore"):
            d = np.abs(v - value[k])
        tol = rtol * max(abs(value[k]), start)
        while k > 0 and d[k - 1] <= tol:  # the run may have started earlier
            k -= 1
        m = min(3, k // 2)
        return m == 0 or bool(np.max(d[k - m:k]) <= np.max(d[k - 2 * m:k - m]))

    best = first = None
    for k in range(n):
        ok = bool(np.isfinite(value[k]) and spread[k] <= rtol * max(abs(value[k]), start))
        if first is None:
            if ok and approached(k):
                best = first = k
            continue
        if not ok or abs(value[k] - value[first]) > rtol * max(abs(value[first]), start):
            break
        if spread[k] < spread[best]:
            best = k
    if best is None:
        return None
    return _Run(float(value[best]), float(spread[best]), start, first, best + int(width[best]))


def _one_sided(values: np.ndarray, side: str, rtol: float) -> OneSidedLimit:
    if np.isnan(values).all():
        return OneSidedLimit(side, math.nan, Diagnosis.UNDEFINED, math.nan, math.nan)
    run = _settle(values, rtol)
    if run is not None:
        value = 0.0 if abs(run.value) <= rtol * run.scale else run.value  # 0 within tolerance
        return OneSidedLimit(side, value, Diagnosis.CONVERGES, run.spread, run.scale)
    sign = _blow_up_sign(values, rtol)
    if sign:
        return OneSidedLimit(side, sign * math.inf, Diagnosis.DIVERGES, math.inf, math.inf)
    return OneSidedLimit(side, math.nan, Diagnosis.NO_LIMIT, math.nan, math.nan)


def _blow_up_sign(values: np.ndarray, rtol: float) -> int:
    """+1 or -1 if |f| grows without bound (with that sign), else 0.

    Two tests: 1/f settles on 0 while f keeps one sign (fast growth: 1/x, exp); or the
    values move steadily one way with steps that do not shrink (slow growth: log).
    """
    with np.errstate(divide="ignore"):
        inverse = 1 / values
    run = _settle(inverse, rtol)
    if run is not None and abs(run.value) <= rtol * run.scale:
        signs = np.sign(values[run.first:run.last])
        if signs.size and np.all(signs == signs[0]) and signs[0] != 0:
            return int(signs[0])
    finite = values[~np.isnan(values)]
    tail = finite[-max(4, finite.size // 2):]
    with np.errstate(invalid="ignore"):
        steps = np.diff(tail)
    if (tail.size >= 4 and np.isfinite(steps).all() and steps[0] != 0
            and np.all(np.sign(steps) == np.sign(steps[0]))
            and abs(steps[-1]) >= 0.5 * abs(steps[0]) and abs(tail[-1]) > abs(tail[0])):
        return int(np.sign(steps[0]))
    return 0


def _show(v: float) -> str:
    return {math.inf: "∞", -math.inf: "-∞"}.get(v, f"{v:.12g}")


def _arrow(a: float, side: str) -> str:
    if a == math.inf:
        return "x → ∞"
    if a == -math.inf:
        return "x → -∞"
    return f"x → {a:g}" + {"left": "⁻", "right": "⁺", "both": ""}[side]


def _combine(a: float, side: str, rtol: float, left, right) -> LimitEstimate:
    parts = [p for p in (left, right) if p is not None]
    if len(parts) == 1:
        p = parts[0]
        only = side if side != "both" else p.side
        text = {Diagnosis.CONVERGES: f"lim {_arrow(a, only)} f(x) ≈ {_show(p.value)} (converges)",
                Diagnosis.DIVERGES: f"f(x) → {_show(p.value)} as {_arrow(a, only)} (diverges)",
                Diagnosis.NO_LIMIT: f"no limit found as {_arrow(a, only)}: the values do not "
                                    "settle (they oscillate, or converge too slowly to tell)",
                Diagnosis.UNDEFINED: f"f is undefined at every point sampled as "
                                     f"{_arrow(a, only)}"}[p.diagnosis]
        return LimitEstimate(a, p.value, p.diagnosis, left, right, text)
    defined = [p for p in parts if p.diagnosis is not Diagnosis.UNDEFINED]
    if len(defined) == 1:  # e.g. sqrt at 0: only the right side is in the domain
        one = _combine(a, defined[0].side, rtol, *(
            (defined[0], None) if defined[0].side == "left" else (None, defined[0])))
        other = "left" if defined[0].side == "right" else "right"
        return LimitEstimate(a, one.value, one.diagnosis, left, right,
                             f"{one.message}; f is undefined on the {other}")
    if not defined:
        return LimitEstimate(a, math.nan, Diagnosis.UNDEFINED, left, right,
                             f"f is undefined at every point sampled near x = {a:g}")
    arrow = _arrow(a, "both")
    if any(p.diagnosis is Diagnosis.NO_LIMIT for p in parts):
        sides = " and ".join(p.side for p in parts if p.diagnosis is Diagnosis.NO_LIMIT)
        return LimitEstimate(a, math.nan, Diagnosis.NO_LIMIT, left, right,
                             f"no limit found as {arrow}: the values from the {sides} do not "
                             "settle (they oscillate, or converge too slowly to tell)")
    lv, rv = left.value, right.value
    if left.diagnosis is right.diagnosis is Diagnosis.CONVERGES:
        if abs(lv - rv) <= rtol * max(abs(lv), abs(rv), left.scale, right.scale):
            value = lv / 2 + rv / 2  # (lv + rv) / 2 overflows for values near 1.8e308
            return LimitEstimate(a, value, Diagnosis.CONVERGES, left, right,
                                 f"lim {arrow} f(x) ≈ {_show(value)} (converges: both sides agree)")
    elif lv == rv:  # both diverge to the same infinity
        return LimitEstimate(a, lv, Diagnosis.DIVERGES, left, right,
                             f"f(x) → {_show(lv)} as {arrow} from both sides (diverges)")
    return LimitEstimate(a, math.nan, Diagnosis.DIFFERS, left, right,
                         f"no limit as {arrow}: the left-hand limit is ≈ {_show(lv)} and the "
                         f"right-hand limit is ≈ {_show(rv)} (differs between sides)")


def numeric_limit(f: Callable, a: float, side: str = "both", *, hs=None,
                  rtol: float = 1e-6) -> LimitEstimate:
    """Estimate :math:`\\lim_{x \\to a} f(x)` from samples, and say what the values do.

    ``f`` is sampled at ``a ∓ h`` for ``h`` from ``10**-1`` down to ``10**-12`` (times
    ``max(1, |a|)``, two points per decade), or at ``x = ±1/h`` for ``a = ±inf`` (four
    per decade: functions of ``exp(-x)`` underflow beyond ``x ≈ 745``). On each side the
    values are examined as a sequence:

    * they **converge** when a run of them (raw, or sped up by Aitken's Δ²
      extrapolation) varies by at most ``rtol`` relative to their size, and the values
      before the run were closing in on it. The first such run is used, so rounding
      noise very close to ``a`` — where formulas such as ``(1 - cos x)/x**2`` lose all
      their digits — does not fool the estimate. An estimate smaller than ``rtol``
      times the size of ``f`` at the start of the approach is reported as 0;
    * they **diverge** (to ``±inf``) when ``1/f`` settles on 0 with one sign, or when
      they move steadily one way with steps that do not shrink (``log x`` at 0);
    * otherwise **no limit is found** (``sin(1/x)``), or ``f`` is **undefined** there.

    Two converging sides that disagree give :attr:`Diagnosis.DIFFERS` (a jump).

    This is a numerical experiment, not a proof: a function can fool any finite set of
    samples. Lesson 01 compares these estimates with SymPy's exact limits.

    Parameters
    ----------
    f : callable
        A function of one number (called once per point; NaN or an arithmetic error
        marks a point where it is undefined).
    a : float
        The point approached, or ``np.inf`` / ``-np.inf``.
    side : {"both", "left", "right"}
    hs : sequence of float, optional
        Decreasing positive distances; at least 6 are needed.
    rtol : float
        Relative tolerance for "the values have settled".

    Returns
    -------
    LimitEstimate
        ``float(result)`` is the estimate; ``result.diagnosis`` the verdict.

    Raises
    ------
    TypeError, ValueError
        As for :func:`limit_table`; also for ``rtol`` not in (0, 1) or too few ``hs``.

    Examples
    --------
    >>> round(float(numeric_limit(lambda x: np.sin(x) / x, 0.0)), 9)
    1.0
    >>> numeric_limit(np.sign, 0.0).diagnosis.value
    'differs between sides'
    >>> float(numeric_limit(lambda x: 1 / x**2, 0.0))
    inf
    """
    _check_f(f)
    a = _check_a(a)
    side = _check_side(side, a)
    if isinstance(rtol, (bool, np.bool_)) or not isinstance(rtol, numbers.Real) \
            or not 0 < rtol < 1:
        raise ValueError(f"rtol must be a number in (0, 1), got {rtol!r}")
    hs = _check_hs(_default_hs(a, 12, 2 if math.isfinite(a) else 4) if hs is None else hs, a)
    if hs.size < 6:
        raise ValueError(f"numeric_limit needs at least 6 distances h, got {hs.size}")
    found: dict[str, OneSidedLimit | None] = {"left": None, "right": None}
    for s in _sides(a, side):
        found[s] = _one_sided(_evaluate(f, _points(a, hs, s)), s, rtol)
    return _combine(a, side, rtol, found["left"], found["right"])


# --- ε–δ -----------------------------------------------------------------------------------

def _values_on(f: Callable, xs: np.ndarray) -> np.ndarray:
    """f on an array, vectorised when f allows it, else point by point."""
    try:
        with np.errstate(all="ignore"):
            ys = f(xs)
    except (TypeError, ValueError, ArithmeticError):
        return _evaluate(f, xs)
    if isinstance(ys, np.ndarray) and ys.shape == xs.shape and ys.dtype.kind in "iufc":
        if ys.dtype.kind == "c":
            bad = np.flatnonzero((ys.imag != 0) & ~np.isnan(ys.imag))
            if bad.size:
                raise _complex_refusal(xs[bad[0]], ys[bad[0]])
            ys = np.where(np.isnan(ys.imag), np.nan, ys.real)
        return ys.astype(float)
    return _evaluate(f, xs)  # a scalar function, or anything else: checked point by point


def delta_works(f: Callable, a: float, L: float, eps: float, delta: float, *,
                num: int = 2001) -> bool:
    """Check on a grid whether ``0 < |x - a| < delta`` implies ``|f(x) - L| < eps``.

    The ε–δ definition says :math:`\\lim_{x\\to a} f(x) = L` when for every
    :math:`\\varepsilon > 0` some :math:`\\delta > 0` makes this implication true. Here it
    is tested at ``num`` points on each side of ``a`` (a numerical check, not a proof).

    Returns
    -------
    bool
        True when every sampled ``f(x)`` lies in the band ``(L - eps, L + eps)``;
        a point where ``f`` is NaN counts as outside.
    """
    _check_f(f)
    a = _check_a(a)
    if not math.isfinite(a):
        raise ValueError(f"a must be finite for an ε–δ check, got {a}")
    for name, value in (("eps", eps), ("delta", delta)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a positive number, got {value!r}")
        if not 0 < value < math.inf:
            raise ValueError(f"{name} must be positive and finite, got {value}")
    L = _check_a(L)
    s = np.linspace(0, 1, num + 1)[1:]  # fractions of delta, excluding x = a itself
    xs = np.concatenate([a - delta * s, a + delta * s])
    return bool(np.all(np.abs(_values_on(f, xs) - L) < eps))


def largest_delta(f: Callable, a: float, L: float, eps: float, *, delta_max: float = 1.0,
                  num: int = 2001) -> float:
    """The largest ``delta <= delta_max`` that :func:`delta_works` accepts, by bisection.

    Returns 0.0 when no tested ``delta`` works (f does not approach L at a, or only
    on a scale finer than the bisection can see).
    """
    if delta_works(f, a, L, eps, delta_max, num=num):
        return float(delta_max)
    lo, hi = 0.0, float(delta_max)
    for _ in range(50):  # 2**-50 of delta_max: far below any picture's resolution
        mid = (lo + hi) / 2
        if delta_works(f, a, L, eps, mid, num=num):
            lo = mid
        else:
            hi = mid
    return lo


# --- catastrophic cancellation -------------------------------------------------------------

def one_minus_cos_over_x2(x, *, stable: bool = True):
    """``(1 - cos x) / x**2``, computed naively or through a cancellation-free rewrite.

    .. math:: \\frac{1 - \\cos x}{x^2} = \\frac{2 \\sin^2(x/2)}{x^2}
              = \\frac12 \\left(\\frac{\\sin(x/2)}{x/2}\\right)^2 \\xrightarrow[x\\to 0]{} \\frac12

    For tiny :math:`x`, :math:`\\cos x` rounds to a number within one rounding error
    of 1, so ``1 - cos(x)`` keeps few or no correct digits (*catastrophic
    cancellation*); dividing by :math:`x^2` magnifies the error to about
    :math:`\\epsilon_{\\text{mach}} / x^2`. The rewrite (from
    :math:`1 - \\cos x = 2\\sin^2(x/2)`) subtracts nothing and stays accurate.

    Parameters
    ----------
    x : float or array_like
        Nonzero inputs (at 0 both forms are 0/0 and give NaN).
    stable : bool
        True for the rewrite, False for the naive formula.
    """
    from calcml.functions import _out, _real

    x = _real(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        if stable:
            return _out(0.5 * (np.sin(x / 2) / (x / 2)) ** 2)
        return _out((1 - np.cos(x)) / x**2)


@dataclass(frozen=True)
class Rewrite:
    """A formula that cancels catastrophically near 0, and a rewrite that does not."""

    expr: str  # the formula, readable by SymPy (and calcml.parsing)
    naive: Callable
    stable: Callable
    why: str


def _expm1_over_x(x):
    return np.expm1(x) / x


def _log1p_over_x(x):
    return np.log1p(x) / x


#: formulas that lose their digits for tiny x, each with a rewrite that keeps them
REWRITES: dict[str, Rewrite] = {
    "(1 - cos(x))/x**2": Rewrite(
        "(1 - cos(x))/x**2",
        lambda x: one_minus_cos_over_x2(x, stable=False),
        one_minus_cos_over_x2,
        "1 - cos x = 2 sin²(x/2): a product instead of a difference"),
    "(exp(x) - 1)/x": Rewrite(
        "(exp(x) - 1)/x", lambda x: (np.exp(x) - 1) / x, _expm1_over_x,
        "np.expm1(x) computes exp(x) - 1 without forming exp(x) ≈ 1 first"),
    "log(1 + x)/x": Rewrite(
        "log(1 + x)/x", lambda x: np.log(1 + x) / x, _log1p_over_x,
        "np.log1p(x) computes log(1 + x) without rounding 1 + x first"),
}


def reference_values(expr, xs, *, dps: int = 50) -> np.ndarray:
    """Evaluate a formula in high-precision arithmetic (mpmath) and round to floats.

    The reference against which floating-point formulas are judged. Work starts with
    ``dps`` decimal digits; at each point the precision is then doubled until two
    successive results agree to 20 digits and are not 0 (up to ``32 * dps`` digits).
    Fixed precision would not do: ``1 - cos(x)`` at ``x = 1e-100`` cancels 200 digits.

    Parameters
    ----------
    expr : str or sympy.Expr
        A formula in one variable, e.g. ``"(1 - cos(x))/x**2"``; strings are read by
        :func:`calcml.parsing.parse_expression` (nothing in them is executed).
    xs : array_like
        Points; each float is converted to high precision exactly.
    dps : int
        Starting precision in decimal digits, at least 20.

    Returns
    -------
    ndarray of float
        NaN where the formula is not real (e.g. ``log`` of a negative number).
    """
    import mpmath
    import sympy

    from calcml.parsing import parse_expression

    if isinstance(dps, bool) or not isinstance(dps, int) or dps < 20:
        raise ValueError(f"dps must be an integer >= 20, got {dps!r}")
    e = parse_expression(expr)
    symbols = sorted(e.free_symbols, key=str)
    if len(symbols) > 1:
        raise ValueError(f"expr must have one variable, got {[str(s) for s in symbols]}")
    g = sympy.lambdify(symbols[0] if symbols else sympy.Symbol("x"), e, modules="mpmath")

    def settled(v: float) -> float:
        previous, digits = None, dps
        while True:
            with mpmath.workdps(digits):
                value = g(mpmath.mpf(v))
                if isinstance(value, mpmath.mpc):
                    if value.imag != 0:
                        return math.nan
                    value = value.real
                if previous is not None and value != 0 and \
                        abs(value - previous) <= abs(value) * mpmath.mpf(10) ** -20:
                    return float(value)
            if digits >= 32 * dps:
                return float(value)
            previous, digits = value, 2 * digits

    xs = np.asarray(xs, dtype=float)
    return np.array([settled(float(v)) for v in xs.ravel()]).reshape(xs.shape)


def relative_error(approx, exact) -> np.ndarray:
    """``|approx - exact| / |exact|``, elementwise (``exact`` must be nonzero).

    Relative error counts lost digits: 1e-16 is all of double precision's digits
    right, 1e-8 is half of them, and 1 or more is none.
    """
    approx = np.asarray(approx, dtype=float)
    exact = np.asarray(exact, dtype=float)
    if np.any(exact == 0):
        raise ValueError("relative error is undefined where the exact value is 0")
    return np.abs(approx - exact) / np.abs(exact)
