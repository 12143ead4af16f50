"""Reading and comparing learners' answers, with diagnoses of the common mistakes.

Each ``expect_*`` function takes the learner's answer and the right one, returns
quietly when they agree, and otherwise raises :class:`~calcml.exercises.core.Hint`
with a message that names the mistake — wrong type, wrong shape, NaN, wrong sign,
off by a constant, a missing constant factor (often a chain-rule factor), a near miss
from rounding, or a known wrong value — without stating the right answer.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from calcml.exercises.core import Hint, NotAttempted

__all__ = [
    "as_callable",
    "as_number",
    "expect_array",
    "expect_expression",
    "expect_function",
    "expect_number",
    "fmt",
]


def fmt(value: float) -> str:
    """Format a number for a hint: short, and exact for integers."""
    if isinstance(value, (bool, np.bool_)):
        return str(value)
    value = float(value)
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


#: The default explanation of a constant-factor error (see ``factor_hint``).
CHAIN_RULE_FACTOR = "a missing factor (chain rule?) or an extra one"

#: How close (relatively) a wrong answer must be to count as a near miss from rounding.
NEAR_MISS = 1e-2


def _nice_factor(k: float, largest: int = 64) -> float | None:
    """±n or ±1/n (2 ≤ n ≤ ``largest``) when ``k`` is that close to it, else None."""
    if not math.isfinite(k) or k == 0:
        return None
    a = abs(k) if abs(k) >= 1 else 1 / abs(k)
    n = round(a)
    if not 2 <= n <= largest or not math.isclose(a, n, rel_tol=1e-6):
        return None
    return math.copysign(n if abs(k) >= 1 else 1 / n, k)


def _factor_name(k: float) -> str:
    """A factor as the hints write it: ``"2"``, ``"-3"``, ``"1/8"``."""
    sign = "-" if k < 0 else ""
    return f"{sign}{fmt(abs(k))}" if abs(k) >= 1 else f"{sign}1/{fmt(1 / abs(k))}"


def _digits(rel: float) -> int:
    """Significant figures that keep a rounded value within the relative tolerance ``rel``."""
    if not rel > 0 or not math.isfinite(rel):
        return 17
    return max(2, min(17, math.ceil(-math.log10(rel)) + 1))


def _as_typed(value: float) -> str:
    """A learner's value with all the digits that matter (2.761 stays 2.761, not 2.761000)."""
    return f"{value:.12g}"


def _whole(values: Any) -> bool:
    """True when every value is a whole number: rounding cannot move it, so no near miss."""
    arr = np.asarray(values, dtype=float)
    return bool(np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)))


def _kind(answer: Any) -> str:
    if isinstance(answer, np.ndarray):
        return f"an array of shape {answer.shape}"
    return f"{type(answer).__name__} {answer!r}"[:80]


def as_number(answer: Any, what: str = "your answer") -> float:
    """Read a single real number, or raise a :class:`Hint` naming what was given."""
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if answer is None:
        raise Hint(f"{what} is None — did you forget to assign or `return` a value?")
    if isinstance(answer, (bool, np.bool_)):
        raise Hint(f"{what} is a boolean ({answer}); a number is expected")
    if isinstance(answer, str):
        raise Hint(f"{what} is the string {answer!r}; a number is expected (no quotes)")
    if isinstance(answer, (np.ndarray, list, tuple)):
        arr = np.asarray(answer, dtype=object)
        if arr.size != 1:
            raise Hint(f"{what} is {_kind(np.asarray(answer))}; a single number is expected")
        answer = arr.reshape(()).item()
    if hasattr(answer, "is_number") and hasattr(answer, "evalf"):  # a SymPy number
        if not answer.is_number:
            raise Hint(f"{what} still contains the symbol(s) {sorted(map(str, answer.free_symbols))}; "
                       "a number is expected")
        answer = complex(answer.evalf())
    if isinstance(answer, complex) or np.iscomplexobj(answer):
        c = complex(answer)
        if abs(c.imag) > 1e-12 * max(1.0, abs(c.real)):
            raise Hint(f"{what} is the complex number {c}; a real number is expected")
        answer = c.real
    if not isinstance(answer, numbers.Real):
        raise Hint(f"{what} is {_kind(answer)}; a number is expected")
    value = float(answer)
    if math.isnan(value):
        raise Hint(f"{what} is NaN — a 0/0 or inf − inf happened somewhere in the computation")
    return value


def _close(a: float, b: float, rtol: float, atol: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * abs(b)


def expect_number(
    answer: Any,
    expected: float,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    mistakes: Iterable[tuple[float, str]] = (),
    what: str = "your answer",
    factor_hint: str | None = CHAIN_RULE_FACTOR,
) -> None:
    """Compare a number with the expected one, diagnosing known mistakes first.

    Diagnoses, in order: not a number, a known mistake, the wrong sign, finite versus
    infinite, off by a constant factor (2, 3, 4, 1/2, 1/3, 1/4), a near miss (within
    1 % but outside the tolerance: rounded too early — not for whole-number answers),
    and otherwise too large or too small.

    Parameters
    ----------
    answer : object
        The learner's answer.
    expected : float
        The right value.
    rtol, atol : float
        Relative and absolute tolerance of the comparison.
    mistakes : iterable of (value, hint)
        Values a typical wrong method gives (the other one-sided limit, the derivative
        at the wrong point, ...) with the hint to show when the answer equals one.
    what : str
        How the hints name the answer.
    factor_hint : str or None
        What the hint says after "off by a constant factor of k —". The default suits
        derivatives (a missing or extra chain-rule factor); pass a fitting text for other
        quantities (counts, sums), or ``None`` to skip the factor diagnosis altogether.
    """
    value = as_number(answer, what)
    if _close(value, expected, rtol, atol):
        return
    for wrong, hint in mistakes:
        if _close(value, float(wrong), rtol, atol):
            raise Hint(hint)
    if expected != 0 and math.isfinite(expected) and _close(value, -expected, rtol, atol):
        raise Hint(f"{what} has the wrong sign — check the sign")
    if math.isinf(expected) and math.isfinite(value):
        raise Hint(f"{what} ({fmt(value)}) is finite, but the quantity grows without bound")
    if math.isinf(value):
        raise Hint(f"{what} is infinite, but the quantity has a finite value")
    if factor_hint is not None and expected != 0 and math.isfinite(expected) and value != 0:
        ratio = value / expected
        for k in (2.0, 0.5, 3.0, 1 / 3, 4.0, 0.25):
            if _close(ratio, k, 1e-6, 0):
                raise Hint(f"{what} is off by a constant factor of {_factor_name(k)} — {factor_hint}")
    direction = "too large" if value > expected else "too small"
    if (math.isfinite(expected) and not _whole(expected)
            and abs(value - expected) <= NEAR_MISS * abs(expected)):
        digits = _digits(rtol + atol / abs(expected))
        raise Hint(f"{what} ({_as_typed(value)}) is close but slightly {direction}, not within the "
                   f"tolerance — don't round: keep at least {digits} significant figures, "
                   "or compute it in Python")
    raise Hint(f"{what} ({fmt(value)}) is {direction}")


def as_callable(answer: Any, what: str = "your function") -> Callable:
    """Check that the answer is a function of one argument."""
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if answer is None:
        raise Hint(f"{what} is None — define it with `def` or `lambda`")
    if not callable(answer):
        raise Hint(f"{what} should be a function (def or lambda), got {_kind(answer)}")
    return answer


def _call(f: Callable, x: float, what: str) -> float:
    try:
        y = f(x)
    except Exception as exc:  # noqa: BLE001 — the learner's function may raise anything
        raise Hint(f"{what} raised {type(exc).__name__} at x = {fmt(x)}: {exc}") from None
    if y is Ellipsis:
        raise NotAttempted("not attempted yet: your function still returns ...")
    return as_number(y, f"{what} at x = {fmt(x)}")


def expect_function(
    answer: Any,
    expected: Callable[[float], float],
    xs: Sequence[float],
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    mistakes: Iterable[tuple[Callable[[float], float], str]] = (),
    what: str = "your function",
) -> None:
    """Compare a learner's function with the expected one at the points ``xs``.

    Diagnoses, in order: not a function, raises or returns a non-number at a point,
    a known wrong function from ``mistakes``, the wrong sign everywhere, off by a
    constant, off by a constant factor. Otherwise names the first point that
    disagrees and the value expected there (a value, not the formula).
    """
    f = as_callable(answer, what)
    got = np.array([_call(f, float(x), what) for x in xs])
    want = np.array([float(expected(float(x))) for x in xs])
    ok = np.abs(got - want) <= atol + rtol * np.abs(want)
    if ok.all():
        return
    for wrong_f, hint in mistakes:
        w = np.array([float(wrong_f(float(x))) for x in xs])
        if np.all(np.abs(got - w) <= atol + rtol * np.abs(w)):
            raise Hint(hint)
    scale = max(1.0, float(np.max(np.abs(want))))
    if np.any(want != 0) and np.allclose(got, -want, rtol=rtol, atol=atol):
        raise Hint(f"{what} has the wrong sign everywhere — check the sign")
    diff = got - want
    if np.ptp(diff) <= rtol * scale + atol and abs(diff[0]) > atol:
        raise Hint(f"{what} is off by a constant ({fmt(diff[0])}) at every point")
    nz = np.abs(want) > 1e-12
    if nz.sum() >= 2:
        ratio = got[nz] / want[nz]
        if np.ptp(ratio) <= 1e-6 * abs(ratio[0]) and not math.isclose(ratio[0], 1.0):
            raise Hint(f"{what} is off by a constant factor of {fmt(ratio[0])} everywhere "
                       "— a missing chain-rule factor, or an extra one?")
    i = int(np.argmin(ok))
    raise Hint(f"at x = {fmt(xs[i])} {what} gives {fmt(got[i])}, expected about {fmt(want[i])}")


def expect_array(
    answer: Any,
    expected: np.ndarray,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    what: str = "your array",
    factor_hint: str | None = CHAIN_RULE_FACTOR,
) -> None:
    """Compare an array answer: type, shape (transposed?), NaN, sign, factor, then values.

    Diagnoses, in order: not an array of numbers, the wrong shape (transposed?), NaN,
    the wrong sign everywhere, off by one constant factor everywhere (named when it is
    ±n or ±1/n, n ≤ 64: a mean instead of a sum gives 1/n), a near miss everywhere
    (every entry within 1 % but not all within the tolerance: rounded too early — not
    when the expected entries are all whole numbers), and otherwise the first index
    that differs.

    Parameters
    ----------
    answer : object
        The learner's answer (an array, or anything :func:`numpy.asarray` reads).
    expected : numpy.ndarray
        The right values.
    rtol, atol : float
        Relative and absolute tolerance of the entrywise comparison.
    what : str
        How the hints name the answer.
    factor_hint : str or None
        What the hint says after "off by a constant factor of k everywhere —"; ``None``
        skips the factor diagnosis. Needs at least two non-zero expected entries.
    """
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if answer is None:
        raise Hint(f"{what} is None — did you forget to assign or `return` it?")
    if isinstance(answer, str):
        raise Hint(f"{what} is a string; an array of numbers is expected")
    expected = np.asarray(expected, dtype=float)
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"{what} cannot be read as an array of numbers ({_kind(answer)})") from None
    if arr.shape != expected.shape:
        if arr.T.shape == expected.shape and arr.ndim == 2:
            raise Hint(f"{what} has shape {arr.shape}, expected {expected.shape} — transposed?")
        if arr.size == expected.size:
            raise Hint(f"{what} has shape {arr.shape}, expected {expected.shape} — reshape it")
        raise Hint(f"{what} has shape {arr.shape}, expected {expected.shape}")
    if np.isnan(arr).any():
        raise Hint(f"{what} contains NaN at index {tuple(np.argwhere(np.isnan(arr))[0])}")
    if np.allclose(arr, expected, rtol=rtol, atol=atol):
        return
    if np.any(expected != 0) and np.allclose(arr, -expected, rtol=rtol, atol=atol):
        raise Hint(f"{what} has the wrong sign — check the sign")
    finite = bool(np.isfinite(arr).all() and np.isfinite(expected).all())
    if factor_hint is not None and finite and np.count_nonzero(expected) >= 2:
        fitted = float(np.vdot(arr, expected) / np.vdot(expected, expected))  # least squares
        nice = _nice_factor(fitted)
        k = fitted if nice is None else nice
        plausible = nice is not None or (abs(k) > 1e-3 and abs(abs(k) - 1) > NEAR_MISS)
        if plausible and np.allclose(arr, k * expected, rtol=rtol, atol=atol):
            # only a simple factor (±n, ±1/n) is named: that is what points at the mistake
            factor = f"of {_factor_name(k)} " if nice is not None else ""
            raise Hint(f"{what} is off by a constant factor {factor}everywhere — {factor_hint}")
    if finite and not _whole(expected):
        scale = float(np.max(np.abs(expected)))
        if np.all(np.abs(arr - expected) <= NEAR_MISS * (np.abs(expected) + 1e-2 * scale)):
            digits = _digits(rtol if rtol > 0 else atol / scale)
            raise Hint(f"{what} is close to the expected values everywhere but not within the "
                       f"tolerance — don't round: keep at least {digits} significant figures, "
                       "or compute it in Python")
    bad = np.argwhere(~np.isclose(arr, expected, rtol=rtol, atol=atol))[0]
    raise Hint(f"{what} differs from the expected values, first at index {tuple(int(i) for i in bad)}")


def expect_expression(
    answer: Any,
    expected: Any,
    *,
    var: str = "x",
    mistakes: Iterable[tuple[Any, str]] = (),
    what: str = "your expression",
) -> None:
    """Compare a symbolic answer (SymPy expression or a string such as ``"2x*cos(x^2)"``).

    The comparison is symbolic (``simplify(answer - expected) == 0``), with a numeric
    fallback at sample points; the diagnoses are those of :func:`expect_function`.
    """
    import sympy

    from calcml.parsing import ExpressionError, parse_expression

    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if answer is None:
        raise Hint(f"{what} is None — assign a SymPy expression or a string")
    if callable(answer) and not isinstance(answer, sympy.Basic):
        raise Hint(f"{what} should be an expression (SymPy or a string), not a function")
    try:
        got = parse_expression(answer if not isinstance(answer, (int, float)) else str(answer),
                               variables=(var,))
    except ExpressionError as exc:
        raise Hint(f"{what} could not be read: {exc}") from None
    except TypeError:
        raise Hint(f"{what} should be a SymPy expression or a string, got {_kind(answer)}") from None
    x = sympy.Symbol(var)
    got = got.subs({s: sympy.Symbol(s.name) for s in got.free_symbols})
    want = parse_expression(expected, variables=(var,))
    want = want.subs({s: sympy.Symbol(s.name) for s in want.free_symbols})
    extra = {s.name for s in got.free_symbols} - {var}
    if extra:
        raise Hint(f"{what} contains {sorted(extra)}, but should depend on {var} only")
    xs = [0.3, 0.7, 1.1, 1.9, 2.6, 3.3, 4.2]
    got_values = _sample(got, x, xs)
    want_values = _sample(want, x, xs)
    if sympy.simplify(got - want) == 0 or _agree(got_values, want_values):
        return  # equal symbolically, or as functions where SymPy cannot simplify
    for wrong, hint in mistakes:
        w = parse_expression(wrong, variables=(var,))
        w = w.subs({s: sympy.Symbol(s.name) for s in w.free_symbols})
        if sympy.simplify(got - w) == 0 or _agree(got_values, _sample(w, x, xs)):
            raise Hint(hint)
    ratio = sympy.simplify(want / got) if got != 0 else sympy.nan
    ratio_values = _sample(ratio, x, xs)
    if (ratio.free_symbols == {x} and sympy.count_ops(ratio) <= 6
            and ratio_values is not None and np.ptp(ratio_values) > 1e-6 * np.abs(ratio_values).max()):
        raise Hint(f"{what} is missing a factor that depends on {var} — "
                   "did you forget the inner derivative of the chain rule?")
    f_got = sympy.lambdify(x, got, "math")
    f_want = sympy.lambdify(x, want, "math")
    expect_function(f_got, f_want, xs, what=what)
    raise Hint(f"{what} is not equal to the expected one")


def _sample(expr, x, xs):
    """Values of a SymPy expression at xs, or None where it is not real and finite."""
    import sympy

    try:
        values = np.array([complex(sympy.N(expr.subs(x, v), 15)) for v in xs])
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not np.all(np.isfinite(values)) or np.any(np.abs(values.imag) > 1e-12):
        return None
    return values.real


def _agree(a, b) -> bool:
    return a is not None and b is not None and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))
