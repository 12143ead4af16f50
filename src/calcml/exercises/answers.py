"""Reading and comparing learners' answers, with diagnoses of the common mistakes.

Each ``expect_*`` function takes the learner's answer and the right one, returns
quietly when they agree, and otherwise raises :class:`~calcml.exercises.core.Hint`
with a message that names the mistake — wrong type, wrong shape, NaN, wrong sign,
off by a constant, a missing constant factor (often a chain-rule factor), a near miss
(rounding, or a table that stopped too early), or a known wrong value — without stating
the right answer. A hint shows the learner's own value as typed, never the expected one.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import time
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any

import numpy as np

from calcml.exercises.core import (
    Hint,
    NotAttempted,
    TimeUp,
    current_lesson,
    time_limit,
    within_time,
)

__all__ = [
    "as_callable",
    "as_number",
    "domain_points",
    "expect_array",
    "expect_expression",
    "expect_function",
    "expect_number",
    "finite_array",
    "fmt",
    "is_unevaluated",
    "known_array_mistake",
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

#: What the default says in a lesson before 03, which teaches the chain rule.
PLAIN_FACTOR = "a factor is missing or extra somewhere in the computation"

#: The lesson that teaches the chain rule: hints name it from here on.
CHAIN_RULE_LESSON = 3


def _before_chain_rule() -> bool:
    lesson = current_lesson()
    return lesson is not None and lesson < CHAIN_RULE_LESSON


def _factor_text(factor_hint: str | None) -> str | None:
    """The factor hint to show: the default loses "chain rule?" before lesson 03."""
    if factor_hint is CHAIN_RULE_FACTOR and _before_chain_rule():
        return PLAIN_FACTOR
    return factor_hint

#: How close (relatively) a wrong answer must be to count as a near miss.
NEAR_MISS = 1e-2


def _near_miss_advice(digits: int, plural: bool = False) -> str:
    """What to do about a near miss: it comes from an approximation that stopped too early,
    or from rounding (the fragment "don't round" is what lesson cases look for). The primer
    (lesson 0) has no tables or limits, so there only rounding is named."""
    it, comes = ("they", "come") if plural else ("it", "comes")
    table = (f"if {it} {comes} from a table or an approximation, go further toward the "
             "limit; " if current_lesson() != 0 else "")
    return (f"{table}if you copied {'them' if plural else 'it'} by hand, don't round: keep "
            f"at least {digits} significant figures, or compute {'them' if plural else 'it'} "
            "in Python")


def _nice_factor(k: float, largest: int = 64) -> float | None:
    """±n or ±1/n (2 ≤ n ≤ ``largest``) when ``k`` is that close to it, else None."""
    if not math.isfinite(k) or k == 0:
        return None
    a = abs(k) if abs(k) >= 1 else 1 / abs(k)
    n = round(a)
    if not 2 <= n <= largest or not math.isclose(a, n, rel_tol=1e-6):
        return None
    return math.copysign(n if abs(k) >= 1 else 1 / n, k)


def _digits(rel: float) -> int:
    """Significant figures that keep a rounded value within the relative tolerance ``rel``."""
    if not rel > 0 or not math.isfinite(rel):
        return 17
    return max(2, min(17, math.ceil(-math.log10(rel)) + 1))


def _as_typed(value: float) -> str:
    """A learner's value with all the digits that matter (2.761 stays 2.761, not 2.761000)."""
    return f"{value:.12g}"


def _kind(answer: Any, limit: int = 60) -> str:
    """What the learner gave, for a hint: the type, and the repr when it is short.

    A long repr is cut at a word boundary and marked with "…", or left out when it has
    no boundary to cut at (never cut mid-word, as in ``diagnosis=<Diagnosis.CONVERGES: 'c``).
    """
    if isinstance(answer, np.ndarray):
        return f"an array of shape {answer.shape}"
    name = type(answer).__name__
    try:
        text = " ".join(repr(answer).split())  # one line: a hint never breaks inside a repr
    except Exception:  # noqa: BLE001 — a learner's object may have a broken __repr__
        return f"an object of type {name}"
    shape = getattr(answer, "shape", None)
    if len(text) > limit and isinstance(shape, tuple):
        return f"a {name} of shape {shape}"
    if len(text) <= limit:
        return f"{name} {text}"
    if isinstance(answer, (list, tuple, dict, set)):
        return f"a {name} of {len(answer)} items"
    cut = text[:limit]
    space = max(cut.rfind(" "), cut.rfind(","))
    if space > limit // 2:
        return f"{name} {cut[:space]}…"
    return f"an object of type {name}"  # no word boundary to cut at: the type alone


#: SymPy classes that hold a question, not its answer, until ``.doit()``
_UNEVALUATED = ("Derivative", "Integral", "Limit", "Sum", "Product", "Subs")


def is_unevaluated(answer: Any) -> str | None:
    """The name of the unevaluated operation (``Derivative``, ``Integral``, ...) in a SymPy
    answer, or None. ``sp.Derivative(f, x)`` is the question itself, never its answer."""
    if not hasattr(answer, "atoms") or not hasattr(answer, "free_symbols"):
        return None
    import sympy

    for name in _UNEVALUATED:
        if answer.has(getattr(sympy, name)):
            return name
    return None


def _refuse_unevaluated(answer: Any, what: str) -> None:
    name = is_unevaluated(answer)
    if name is not None:
        raise Hint(f"{what} is an unevaluated SymPy {name} — the question itself, not its "
                   "answer: work it out (by hand, or check with .doit() afterwards)")


def _is_tensor(answer: Any) -> bool:
    """A calcml (or PyTorch-like) tensor: data, a gradient slot and backward()."""
    return all(hasattr(type(answer), a) for a in ("backward",)) and hasattr(answer, "grad")


def _is_dual(answer: Any) -> bool:
    return hasattr(answer, "value") and hasattr(answer, "deriv") and not isinstance(
        answer, (numbers.Number, np.ndarray))


def _tensor_hint(answer: Any, what: str) -> Hint:
    shape = getattr(answer, "shape", None)
    size = f" of shape {tuple(shape)}" if shape is not None else ""
    return Hint(f"{what} is a Tensor{size}, not a number: `t.item()` gives the value of a "
                "one-entry tensor, and after `backward()` the gradient of a weight `w` is "
                "in `w.grad`")


def as_number(answer: Any, what: str = "your answer") -> float:
    """Read a single real number, or raise a :class:`Hint` naming what was given.

    Accepted: Python and NumPy numbers, a one-element array or list, a SymPy number,
    a complex number with no imaginary part, any object that defines ``__float__``
    (a :class:`fractions.Fraction`, a :class:`decimal.Decimal`, a
    :class:`~calcml.limits.LimitEstimate`), and a string that holds a constant
    expression (``"1/6"``, ``"-3/4"``, ``"pi/6"``, ``"e"``), read by the safe parser
    :func:`calcml.parsing.parse_expression` (nothing in it is executed).
    """
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if answer is None:
        raise Hint(f"{what} is None — did you forget to assign or `return` a value?")
    if isinstance(answer, (bool, np.bool_)):
        raise Hint(f"{what} is a boolean ({answer}); a number is expected")
    if _is_dual(answer):
        raise Hint(f"{what} is a dual number, not a number: its `.deriv` holds the derivative "
                   "(and `.value` the function's value) — pass the number the exercise asks for")
    if _is_tensor(answer):
        try:  # one entry (calcml's Tensor, or PyTorch's): its value, as t.item() gives it
            answer = answer.item()
        except Exception:  # noqa: BLE001 — several entries, or no item() at all
            raise _tensor_hint(answer, what) from None
    if isinstance(answer, str) and not isinstance(answer, Enum):
        answer = _number_from_string(answer, what)
    if isinstance(answer, (np.ndarray, list, tuple)):
        arr = np.asarray(answer, dtype=object)
        if arr.size != 1:
            raise Hint(f"{what} is {_kind(arr)}; a single number is expected")
        answer = arr.reshape(()).item()
    if hasattr(answer, "is_number") and hasattr(answer, "evalf"):  # a SymPy number
        _refuse_unevaluated(answer, what)
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
        answer = _float_of_object(answer, what)
    try:
        value = float(answer)
    except OverflowError:  # a Python int (or Fraction) beyond the floats, e.g. 10**400
        raise Hint(f"{what} is a number too large for a float (beyond about 1.8e308), "
                   "so it cannot be compared; is it the value you meant?") from None
    if math.isnan(value):
        raise Hint(f"{what} is NaN — a 0/0 or inf − inf happened somewhere in the computation")
    return value


def _number_from_string(text: str, what: str) -> Any:
    """The number a string such as ``"1/6"`` or ``"pi/6"`` holds (a SymPy number)."""
    import sympy

    from calcml.parsing import ExpressionError, parse_expression

    try:
        return float(text)  # also "inf", "1e-3"
    except ValueError:
        pass
    grouped = _THOUSANDS.fullmatch(text.strip())
    if grouped:  # "10 000" (the lessons' notation), "10,000", "1 000 000.5"
        return float(re.sub(r"[ ,\u00a0\u202f\u2009]", "", grouped.group()).replace("\u2212", "-"))
    try:
        expr = parse_expression(text, variables=())
    except (ExpressionError, TypeError) as exc:
        if "too large" in str(exc):  # "9^9^9^9": a number, but one no computer can hold
            raise Hint(f"{what} is the string {text!r}: {exc}") from None
        comma = " (use a decimal point, not a comma)" if "," in text else ""
        reading = "" if comma else f" (reading it: {exc})"  # what the parser stumbled on
        raise Hint(f"{what} is the string {text!r}, which is not a number{comma}{reading}; "
                   "a number is expected (no quotes)") from None
    symbols = sorted(str(s) for s in expr.free_symbols)
    if symbols:
        raise Hint(f"{what} is the string {text!r}: a number is expected, not an expression "
                   f"in {', '.join(symbols)}")
    if not isinstance(expr, sympy.Expr) or not expr.is_number:
        raise Hint(f"{what} is the string {text!r}, which is not a number; a number is expected")
    return expr


#: a number with its thousands grouped by spaces or commas (the first group without a
#: leading zero, so that "0,5" stays a decimal comma and is refused with its own hint)
_THOUSANDS = re.compile(r"[+\-\u2212]?[1-9]\d{0,2}(?:([ ,\u00a0\u202f\u2009])\d{3})"
                        r"(?:\1\d{3})*(?:\.\d+)?")


def _float_of_object(answer: Any, what: str) -> float:
    """An object that is not a number type: its ``__float__``, or a hint."""
    name = type(answer).__name__
    if not isinstance(answer, (str, bytes)) and hasattr(type(answer), "__float__"):
        try:
            return float(answer)
        except Exception as exc:  # noqa: BLE001 — a learner's object may raise anything
            raise Hint(f"{what} is an object of type {name} that could not be converted to a "
                       f"number ({type(exc).__name__}); a number is expected") from None
    value = getattr(answer, "value", None)
    if isinstance(value, (numbers.Real, np.floating, np.integer)) and not isinstance(
            value, (bool, np.bool_)):
        raise Hint(f"{what} is an object of type {name}, not a number — use its `.value`")
    raise Hint(f"{what} is {_kind(answer)}; a number is expected")


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
    1 % but outside the tolerance: rounded too early, or a table or approximation that
    stopped too early — also for whole-number answers, which a table approaches), and
    otherwise too large or too small. The hints show the learner's value as typed (12
    significant figures, so 2.9999955 never reads as 3), never the expected one.

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
        What the hint says after "off by a constant factor —" (the factor itself
        is never named: with it the answer would be one division away). The default suits
        derivatives (a missing or extra chain-rule factor); pass a fitting text for other
        quantities (counts, sums), or ``None`` to skip the factor diagnosis altogether.
    """
    value = as_number(answer, what)
    try:
        if _close(value, expected, rtol, atol):
            return
        factor_hint = _factor_text(factor_hint)
        for wrong, hint in mistakes:
            if _close(value, float(wrong), rtol, atol):
                raise Hint(hint)
        if expected != 0 and math.isfinite(expected) and _close(value, -expected, rtol, atol):
            raise Hint(f"{what} has the wrong sign — check the sign")
        if math.isinf(expected) and math.isfinite(value):
            raise Hint(f"{what} ({_as_typed(value)}) is finite, but the quantity grows without bound")
        if math.isinf(value):
            raise Hint(f"{what} is infinite, but the quantity has a finite value")
        if factor_hint is not None and expected != 0 and math.isfinite(expected) and value != 0:
            ratio = value / expected
            for k in (2.0, 0.5, 3.0, 1 / 3, 4.0, 0.25):
                if _close(ratio, k, 1e-6, 0):
                    raise Hint(f"{what} is off by a constant factor — {factor_hint}")
        direction = "too large" if value > expected else "too small"
        if _whole(value) and _whole(expected):
            raise Hint(f"{what} ({_as_typed(value)}) is {direction}")  # no rounding: a miscount
        if math.isfinite(expected) and abs(value - expected) <= NEAR_MISS * abs(expected):
            digits = _digits(rtol + atol / abs(expected))
            raise Hint(f"{what} ({_as_typed(value)}) is close but slightly {direction}, not within the "
                       f"tolerance — {_near_miss_advice(digits)}")
        raise Hint(f"{what} ({_as_typed(value)}) is {direction}")
    except Hint as exc:
        if _is_tensor(answer):  # a one-entry Tensor was read by its value: say so
            raise Hint(f"{exc} (your answer is a Tensor, compared by its value; after "
                       "`backward()` the gradient of a weight `w` is in `w.grad`)") from None
        raise


def _whole(value: float) -> bool:
    return math.isfinite(value) and value == int(value) and abs(value) < 1e15


def as_callable(answer: Any, what: str = "your function") -> Callable:
    """Check that the answer is a function of one argument."""
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if answer is None:
        raise Hint(f"{what} is None — define it with `def` or `lambda`")
    if not callable(answer):
        raise Hint(f"{what} should be a function (def or lambda), got {_kind(answer)}")
    return answer


def _call(f: Callable, x: float, what: str, var: str = "x") -> float:
    try:
        y = f(x)
    except Exception as exc:  # noqa: BLE001 — the learner's function may raise anything
        raise Hint(f"{what} raised {type(exc).__name__} at {var} = {fmt(x)}: {exc}") from None
    if y is Ellipsis:
        raise NotAttempted("not attempted yet: your function still returns ...")
    return as_number(y, f"{what} at {var} = {fmt(x)}")


def _plausible_factor(k: float) -> tuple[bool, float | None]:
    """Whether a common ratio ``k`` looks like a factor mistake, and its name if simple.

    A simple factor (±n or ±1/n) is named; another one is diagnosed without its value
    (that would give the answer away). A ratio within 1 % of ±1 is no factor mistake
    (it would read "a factor of 1"), nor is a ratio near 0.
    """
    nice = _nice_factor(k)
    if nice is not None:
        return True, nice
    return bool(math.isfinite(k) and abs(k) > 1e-3 and abs(abs(k) - 1) > NEAR_MISS), None


def domain_points(lo: float, hi: float, num: int = 400, *, log: bool = False,
                  avoid: Iterable[float] = (), seed: int = 0) -> np.ndarray:
    """Points that cover the whole interval [lo, hi] densely, for :func:`expect_function`.

    A grid of ``num`` points (log-spaced with ``log=True``, for a domain spanning decades;
    then ``0 < lo``) and ``num // 4`` more drawn at random (seeded: the same points every
    time) between them, sorted, without the points of ``avoid`` (a kink, a pole). A
    piecewise patch that is right on part of the domain cannot slip between them: the
    widest gap is ``(hi - lo) / (num - 1)`` (a factor ``(hi/lo)**(1/(num - 1))`` with
    ``log=True``).
    """
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi) or num < 2:
        raise ValueError(f"domain_points needs finite lo < hi and num >= 2, got {lo}, {hi}, {num}")
    if log and lo <= 0:
        raise ValueError(f"log-spaced points need lo > 0, got {lo}")
    rng = np.random.default_rng(seed)
    if log:
        grid = np.geomspace(lo, hi, num)
        extra = np.exp(rng.uniform(math.log(lo), math.log(hi), num // 4))
    else:
        grid = np.linspace(lo, hi, num)
        extra = rng.uniform(lo, hi, num // 4)
    points = np.sort(np.concatenate([grid, extra]))
    for a in avoid:
        points = points[np.abs(points - a) > 1e-9 * max(1.0, abs(a))]
    return points


def expect_function(
    answer: Any,
    expected: Callable[[float], float],
    xs: Sequence[float],
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    mistakes: Iterable[tuple[Callable[[float], float], str]] = (),
    what: str = "your function",
    var: str = "x",
    factor_hint: str | None = CHAIN_RULE_FACTOR,
) -> None:
    """Compare a learner's function with the expected one at the points ``xs``.

    Diagnoses, in order: not a function, raises or returns a non-number at a point,
    a known wrong function from ``mistakes``, the wrong sign everywhere, off by a
    constant, off by a constant factor. Otherwise names the first point that disagrees,
    the learner's value there and whether it is too large or too small — never the
    expected value.

    Parameters
    ----------
    answer : object
        The learner's function.
    expected : callable
        The right function.
    xs : sequence of float
        The points where the two are compared.
    rtol, atol : float
        Relative and absolute tolerance of the comparison at each point.
    mistakes : iterable of (callable, hint)
        Functions a typical wrong method gives, with the hint to show when the answer
        agrees with one at every point.
    what : str
        How the hints name the answer.
    var : str
        How the hints name the variable (``"w"`` in "at w = -2 your dL gives ...").
    factor_hint : str or None
        What the hint says after "off by a constant factor everywhere —" (never
        naming the factor); ``None``
        skips the factor diagnosis. Needs at least two points where the expected value
        is not zero.
    """
    f = as_callable(answer, what)
    got = np.array([_call(f, float(x), what, var) for x in xs])
    want = np.array([float(expected(float(x))) for x in xs])
    ok = np.abs(got - want) <= atol + rtol * np.abs(want)
    if ok.all():
        return
    factor_hint = _factor_text(factor_hint)
    for wrong_f, hint in mistakes:
        w = np.array([float(wrong_f(float(x))) for x in xs])
        if np.all(np.abs(got - w) <= atol + rtol * np.abs(w)):
            raise Hint(hint)
    finite = bool(np.isfinite(got).all() and np.isfinite(want).all())
    if np.any(want != 0) and np.allclose(got, -want, rtol=rtol, atol=atol):
        raise Hint(f"{what} has the wrong sign everywhere — check the sign")
    diff = got - want
    if finite and not ok.any():
        # a constant offset c: wrong at every point, by the same c everywhere (to a small
        # fraction of c — a tail error that fades away, as a patch that is exact for
        # large x, is no constant)
        c = float(np.median(diff))
        if np.all(np.abs(diff - c) <= 1e-6 * abs(c) + atol + rtol * np.abs(want)):
            raise Hint(f"{what} is off by a constant at every point — a constant term is "
                       "missing or extra")
    nz = np.abs(want) > 1e-12
    if factor_hint is not None and finite and nz.sum() >= 2:
        ratio = got[nz] / want[nz]
        plausible, _ = _plausible_factor(float(ratio[0]))
        if plausible and np.ptp(ratio) <= 1e-6 * abs(ratio[0]):
            raise Hint(f"{what} is off by a constant factor everywhere — {factor_hint}")
    i = int(np.argmin(ok))
    direction = "too large" if got[i] > want[i] else "too small"
    rel = abs(got[i] - want[i]) / abs(want[i]) if want[i] != 0 and finite else math.inf
    if rel < NEAR_MISS and (atol == 0 or abs(got[i] - want[i]) > 10 * atol):
        # the digits matter here: say how far off, relatively, and what is asked
        raise Hint(f"at {var} = {fmt(xs[i])} {what} gives {_as_typed(got[i])}, {direction} by a "
                   f"relative error of {rel:.1e} (the exercise asks for at most {rtol:.0e})")
    raise Hint(f"at {var} = {fmt(xs[i])} {what} gives {_as_typed(got[i])}, which is {direction}")


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
    the wrong sign everywhere, off by one constant factor everywhere (recognised when it is
    ±n or ±1/n, n ≤ 64, e.g. a mean instead of a sum; never named), a near miss everywhere
    (every entry within 1 % but not all within the tolerance: rounded too early, or an
    approximation that stopped too early), and otherwise the first index that differs,
    with the learner's entry there and whether it is too large or too small. Every
    hint starts with ``what`` and a colon, so a plural ``what`` ("your slopes") reads
    well.

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
        What the hint says after "off by a constant factor everywhere —" (never
        naming the factor); ``None``
        skips the factor diagnosis. Needs at least two non-zero expected entries.
    """
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    # the hints start "{what}: ..." so that they read well for a plural ``what`` too
    if answer is None:
        raise Hint(f"{what}: got None — did you forget to assign or `return` a value?")
    if isinstance(answer, str):
        raise Hint(f"{what}: got a string; an array of numbers is expected")
    expected = np.asarray(expected, dtype=float)
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        if _is_tensor(answer):
            raise Hint(f"{what}: got a Tensor — its values are in `.data`, and after "
                       "`backward()` the gradient of a weight `w` is in `w.grad`") from None
        raise Hint(f"{what} cannot be read as an array of numbers ({_kind(answer)})") from None
    if arr.shape != expected.shape:
        shapes = f"{what}: shape {arr.shape}, expected {expected.shape}"
        if arr.T.shape == expected.shape and arr.ndim == 2:
            raise Hint(f"{shapes} — transposed?")
        if arr.size == expected.size:
            raise Hint(f"{shapes} — reshape it")
        raise Hint(shapes)
    if np.isnan(arr).any():
        where = tuple(int(i) for i in np.argwhere(np.isnan(arr))[0])
        raise Hint(f"{what}: NaN at index {where} — a 0/0 or inf − inf happened somewhere "
                   "in the computation")
    if np.allclose(arr, expected, rtol=rtol, atol=atol):
        return
    factor_hint = _factor_text(factor_hint)
    if np.any(expected != 0) and np.allclose(arr, -expected, rtol=rtol, atol=atol):
        raise Hint(f"{what}: the wrong sign everywhere — check the sign")
    finite = bool(np.isfinite(arr).all() and np.isfinite(expected).all())
    if factor_hint is not None and finite and np.count_nonzero(expected) >= 2:
        fitted = float(np.vdot(arr, expected) / np.vdot(expected, expected))  # least squares
        plausible, nice = _plausible_factor(fitted)
        k = fitted if nice is None else nice
        if plausible and np.allclose(arr, k * expected, rtol=rtol, atol=atol):
            raise Hint(f"{what}: off by a constant factor everywhere — {factor_hint}")
    if finite and np.any(expected != 0):
        scale = float(np.max(np.abs(expected)))
        if np.all(np.abs(arr - expected) <= NEAR_MISS * (np.abs(expected) + 1e-2 * scale)):
            digits = _digits(rtol if rtol > 0 else atol / scale)
            raise Hint(f"{what}: close to the expected values everywhere but not within the "
                       f"tolerance — {_near_miss_advice(digits, plural=True)}")
    bad = tuple(int(i) for i in np.argwhere(~np.isclose(arr, expected, rtol=rtol, atol=atol))[0])
    direction = "too large" if arr[bad] > expected[bad] else "too small"
    raise Hint(f"{what}: the first entry that differs from the expected values is at index "
               f"{bad} — yours is {_as_typed(arr[bad])}, which is {direction}")


def expect_expression(
    answer: Any,
    expected: Any,
    *,
    var: str = "x",
    mistakes: Iterable[tuple[Any, str]] = (),
    what: str = "your expression",
    derivative_of: Any = None,
    factor_hint: str | None = CHAIN_RULE_FACTOR,
) -> None:
    """Compare a symbolic answer (SymPy expression or a string such as ``"2x*cos(x^2)"``).

    The comparison is symbolic (``simplify(answer - expected) == 0``), with a numeric
    fallback at sample points. Then, in order: a known mistake from ``mistakes``; a
    missing or extra factor that depends on the variable, when it is what a chain-rule
    slip produces (see below); and the diagnoses of :func:`expect_function` (sign,
    constant, constant factor, the learner's value at the first point that differs).

    The factor diagnosis fires only when the ratio is one a chain-rule slip explains.
    With :math:`g_1, g_2, \\dots` the inner arguments of the function applications in
    ``derivative_of`` (or, without it, in ``expected``) — the arguments of ``sin``,
    ``exp``, ``log``, ..., and the bases and exponents of powers — the hint says

    * *missing a factor* when :math:`\\text{expected}/\\text{answer} = c\\,g_i'(x)`:
      an inner derivative was left out;
    * *an extra factor* when :math:`\\text{answer}/\\text{expected} = c\\,g_i'(x)`
      (an inner derivative multiplied in twice) or :math:`c\\,g_i(x)` (the inner
      function itself multiplied in, instead of its derivative),

    for a constant :math:`c \\ne 0` and a non-constant factor. Any other wrong answer
    falls through to the point-value message.

    Parameters
    ----------
    answer : object
        The learner's answer: a SymPy expression, or a string read by
        :func:`calcml.parsing.parse_expression`.
    expected : str or sympy.Expr
        The right expression.
    var : str
        The variable's name.
    mistakes : iterable of (expression, hint)
        Typical wrong answers, with the hint to show when the answer equals one.
    what : str
        How the hints name the answer.
    derivative_of : str or sympy.Expr, optional
        The function whose derivative ``expected`` is, when the exercise is a
        derivative: its inner functions are where chain-rule factors come from.
    factor_hint : str or None
        Passed on to :func:`expect_function` for a constant factor.
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
    _refuse_unevaluated(got, what)
    x = sympy.Symbol(var)
    got = _plain_symbols(got)
    want = _plain_symbols(parse_expression(expected, variables=(var,)))
    extra = {s.name for s in got.free_symbols} - {var}
    if extra:
        raise Hint(f"{what} contains {sorted(extra)}, but should depend on {var} only")
    size = _operations(got)
    if size > MAX_EXPRESSION_OPS:
        raise Hint(f"{what} is too large to check ({size} operations, the limit is "
                   f"{MAX_EXPRESSION_OPS}): simplify it first")
    xs = list(_EXPRESSION_POINTS)
    budget = [time.monotonic() + 2 * SYMBOLIC_SECONDS]  # for all symbolic comparisons
    got_values = _sample(got, x, xs)
    want_values = _sample(want, x, xs)
    if _agree(got_values, want_values):
        return  # equal as functions at every sample point
    if got_values is None and want_values is None and _symbolically_equal(got, want, budget):
        return  # neither has real values there (a domain the points miss): SymPy decides
    for wrong, hint in mistakes:
        w = _plain_symbols(parse_expression(wrong, variables=(var,)))
        w_values = _sample(w, x, xs)
        if _agree(got_values, w_values) or (
                got_values is None and w_values is None and _symbolically_equal(got, w, budget)):
            raise Hint(hint)
    if got_values is None:
        bad = next((p for p in xs if _sample(got, x, [p]) is None), xs[0])
        raise Hint(f"{what} has no real, finite value at {var} = {fmt(bad)}, where the "
                   "expected one has — check it for a division by zero, the logarithm or "
                   "square root of a negative number, or an enormous power")
    source = want if derivative_of is None else _plain_symbols(
        parse_expression(derivative_of, variables=(var,)))
    factor = _chain_rule_factor(got_values, want_values, source, x, xs)
    chain = "" if _before_chain_rule() else " — did you forget the inner derivative of the chain rule?"
    if factor == "missing":
        raise Hint(f"{what} is missing a factor that depends on {var}{chain}")
    if factor == "extra derivative":
        raise Hint(f"{what} has an extra factor that depends on {var} — an inner derivative "
                   "multiplied in twice, or where no chain rule applies?")
    if factor == "extra inner":
        raise Hint(f"{what} has an extra factor that depends on {var} — did you multiply by "
                   "an inner function itself instead of its derivative?")
    if want_values is not None:
        expect_function(lambda t: got_values[xs.index(t)], lambda t: want_values[xs.index(t)],
                        xs, rtol=1e-9, atol=1e-12,  # the tolerance of _agree, so a hint
                        what=what, var=var, factor_hint=factor_hint)  # states what is asked
    raise Hint(f"{what} is not equal to the expected one")


#: where expect_expression compares an answer with the expected expression: seven
#: points, then more spread over the same interval (seeded), so that no expression made to
#: agree at a few points — the answer plus (x − 0.3)(x − 0.7)… — can pass
_EXPRESSION_POINTS = (0.3, 0.7, 1.1, 1.9, 2.6, 3.3, 4.2, *(
    round(float(p), 6) for p in np.random.default_rng(10).uniform(0.3, 4.2, 17)))

#: the largest answer expect_expression compares (SymPy operations): far beyond any
#: derivative written by hand, far below what makes SymPy slow
MAX_EXPRESSION_OPS = 2000

#: seconds SymPy may spend deciding that two expressions are equal
SYMBOLIC_SECONDS = 2.0


def _operations(expr) -> int:
    import sympy

    return int(within_time(SYMBOLIC_SECONDS, lambda: sympy.count_ops(expr), MAX_EXPRESSION_OPS + 1))


def _symbolically_equal(a, b, budget: list[float]) -> bool:
    """``simplify(a - b) == 0``, when that is cheap: small expressions, and at most
    :data:`SYMBOLIC_SECONDS` each, within what is left of ``budget`` (a one-item list
    holding a deadline; False once it has passed — the numeric comparison has spoken)."""
    import sympy

    seconds = min(SYMBOLIC_SECONDS, budget[0] - time.monotonic())
    if seconds <= 0 or _operations(a) + _operations(b) > 300:
        return False
    equal = within_time(seconds, lambda: sympy.simplify(a - b) == 0, None)
    if equal is None:
        budget[0] = 0.0  # one comparison ran out of time: the next ones would too
    return bool(equal)


def _plain_symbols(expr):
    """``expr`` with every symbol replaced by a plain one of the same name (no assumptions)."""
    import sympy

    return expr.subs({s: sympy.Symbol(s.name) for s in expr.free_symbols})


def _inner_parts(expr, x) -> list:
    """The inner arguments of ``expr`` that depend on ``x``: the arguments of its function
    applications (sin, exp, log, ...) and the bases and exponents of its powers."""
    import sympy

    parts = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Pow, sympy.Function)):
            parts += [a for a in node.args if x in a.free_symbols and a not in parts]
    return parts


def _proportional(q: np.ndarray, h, x, xs) -> bool:
    """True when the sampled ``q`` is c·h at the points xs, for one constant c ≠ 0."""
    h_values = _sample(h, x, xs)
    if h_values is None:
        return False
    use = np.abs(h_values) > 1e-12
    if use.sum() < 4 or np.any(np.abs(q[~use]) > 1e-9 * np.abs(q).max()):
        return False
    c = q[use] / h_values[use]
    return bool(np.ptp(c) <= 1e-7 * np.abs(c).max())


def _chain_rule_factor(got_values, want_values, source, x, xs) -> str | None:
    """Which chain-rule slip relates the answer to the expected expression, if any.

    ``"missing"`` (expected/answer = c·g'), ``"extra derivative"`` (answer/expected =
    c·g'), ``"extra inner"`` (answer/expected = c·g) for an inner argument g of
    ``source`` whose derivative (or itself) is not constant; else None.
    """
    import sympy

    if got_values is None or want_values is None:
        return None
    if np.any(np.abs(got_values) < 1e-12) or np.any(np.abs(want_values) < 1e-12):
        return None

    def varies(v: np.ndarray) -> bool:
        return bool(np.ptp(v) > 1e-6 * np.abs(v).max())

    missing, surplus = want_values / got_values, got_values / want_values
    if not varies(missing):
        return None  # a constant factor: expect_function names it
    parts = _inner_parts(source, x)
    slopes = [d for d in (sympy.diff(g, x) for g in parts) if x in d.free_symbols]
    if any(_proportional(missing, d, x, xs) for d in slopes):
        return "missing"
    if any(_proportional(surplus, d, x, xs) for d in slopes):
        return "extra derivative"
    if any(_proportional(surplus, g, x, xs) for g in parts if g != x):
        return "extra inner"
    return None


def _sample(expr, x, xs):
    """Values of a SymPy expression at xs, or None where one is not real and finite.

    Evaluated in floating point first (fast whatever the size: ``x^x^x^x^x^x`` overflows
    at once instead of computing a number with billions of digits), and where floats
    fail (a complex intermediate value), by SymPy at 15 digits within a time limit.
    """
    import sympy

    values = None
    try:
        f = sympy.lambdify(x, expr, "math")
        with np.errstate(all="ignore"):
            values = np.array([complex(f(v)) for v in xs])
    except (OverflowError, RecursionError):
        return None  # an enormous value: not a finite one either way
    except (TypeError, ValueError, ArithmeticError, NameError, AttributeError, KeyError):
        values = None
    if values is None:
        def precise():
            return np.array([complex(sympy.N(expr.subs(x, v), 15)) for v in xs])

        try:
            values = within_time(SYMBOLIC_SECONDS, precise)
        except (TypeError, ValueError, ArithmeticError, RecursionError):
            return None
        if values is None:
            return None
    if not np.all(np.isfinite(values)) or np.any(np.abs(values.imag) > 1e-12):
        return None
    return values.real


def _agree(a, b) -> bool:
    return a is not None and b is not None and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


def finite_array(answer):
    """The answer as a finite float array, or None when it is not one (then
    :func:`expect_array` says what is wrong with it). ``...`` is not attempted."""
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if isinstance(answer, str):
        return None
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr if np.isfinite(arr).all() else None


def known_array_mistake(arr, right, mistakes, rtol=1e-6, atol=1e-9) -> None:
    """Raise the hint of the first known wrong array that ``arr`` equals (same shape
    only; a "mistake" equal to the right answer is skipped). ``arr`` None: nothing."""
    if arr is None:
        return
    right = np.asarray(right, dtype=float)
    for wrong, hint in mistakes:
        wrong = np.asarray(wrong, dtype=float)
        if (wrong.shape == arr.shape and np.allclose(arr, wrong, rtol=rtol, atol=atol)
                and not (wrong.shape == right.shape and np.allclose(wrong, right))):
            raise Hint(hint)


def in_time(what: str, budget: float = 3.0,
            advice: str = "look for a loop that never ends, or a huge intermediate computation"):
    """Decorate a checker of a function answer: a learner's function that does not return
    (a loop that never ends) is cut off after about ``budget`` seconds and told so, instead
    of running into the framework's 8 s limit (where the platform has a timer)."""
    def decorate(checker):
        @functools.wraps(checker)
        def checked(answer):
            tokens = []
            try:
                with time_limit(budget + 0.5) as token:
                    tokens.append(token)
                    return checker(answer)
            except TimeUp as exc:  # ours only: an outer limit's TimeUp goes on
                if not tokens or tokens[0] is None or exc.args != (tokens[0],):
                    raise
            raise Hint(f"{what} is too slow to check: the calls did not return within about "
                       f"{budget:g} s. A formula for one number should take microseconds — "
                       f"{advice}")
        return checked
    return decorate
