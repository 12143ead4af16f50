"""Checkers for lesson 01 — functions and limits (``notebooks/01-functions-and-limits``).

Six exercises with different kinds of answer: a limit read from a table (1.1), a
one-sided limit (1.2), a limit at infinity (1.3), a set of names (1.4: which
functions are continuous), and two functions that must stay accurate where the naive
formula overflows or cancels (1.5, 1.6). The hints name the mistake, never the answer.

Two helpers here are generic and may move to :mod:`calcml.exercises.answers`:
:func:`expect_names` (a set of names chosen from a list) and :func:`values_of`
(a learner's function at many points, with overflow named as such).
"""

from __future__ import annotations

import math
import numbers
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from calcml.exercises.answers import (
    as_callable,
    as_number,
    expect_function,
    expect_number,
    fmt,
    in_time,
)
from calcml.exercises.core import Hint, NotAttempted, exercise
from calcml.functions import sigmoid_derivative, softplus

__all__ = ["TIME_BUDGET", "expect_names", "values_of"]

#: seconds a learner's function may take over all the points of one check
TIME_BUDGET = 3.0


# --- helpers -------------------------------------------------------------------------------

def expect_names(
    answer,
    expected: Iterable[str],
    allowed: Iterable[str],
    *,
    wrong_in: Sequence[tuple[Iterable[str], str]] = (),
    wrong_out: Sequence[tuple[Iterable[str], str]] = (),
    what: str = "your answer",
) -> None:
    """Compare a collection of names (e.g. ``{"relu", "softplus"}``) with the expected set.

    Parameters
    ----------
    expected, allowed : iterable of str
        The right names, and every name the learner may choose from.
    wrong_in : sequence of (names, hint)
        Hint shown when the answer includes any of ``names`` although none belongs.
    wrong_out : sequence of (names, hint)
        Hint shown when the answer leaves out any of ``names``.

    Notes
    -----
    Every applicable hint is shown, so a learner sees each kind of mistake once,
    but no hint names a specific right or wrong choice.
    """
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    allowed = {n.lower() for n in allowed}
    choices = ", ".join(sorted(allowed))
    if isinstance(answer, str):
        raise Hint(f"{what} is a single string; give a collection of names such as "
                   f"{{'name1', 'name2'}} chosen from: {choices}")
    if isinstance(answer, np.ndarray):
        answer = answer.ravel().tolist()  # an array of names (np.str_ entries are str)
    elif isinstance(answer, Mapping):
        answer = list(answer.keys())  # e.g. {name: f for ... if ...}: the names are the keys
    elif isinstance(answer, Iterable) and not isinstance(answer, (set, frozenset, list, tuple)):
        answer = list(answer)  # dict_keys, a generator, a filter(...), pandas' Index, …
    if not isinstance(answer, (set, frozenset, list, tuple)):
        raise Hint(f"{what} should be a set (or list) of names chosen from: {choices}; "
                   f"got {type(answer).__name__}")
    if not all(isinstance(name, str) for name in answer):
        raise Hint(f"{what} should contain names as strings (in quotes), chosen from: {choices}")
    got = {name.strip().lower() for name in answer}
    if not got:
        raise Hint(f"{what} is empty; choose names from: {choices}")
    unknown = sorted(got - allowed)
    if unknown:
        raise Hint(f"unknown name(s) {unknown}; choose from: {choices}")
    expected = {n.lower() for n in expected}
    if got == expected:
        return
    hints = [hint for names, hint in wrong_in if got & (set(names) - expected)]
    hints += [hint for names, hint in wrong_out if (set(names) & expected) - got]
    extra, missing = len(got - expected), len(expected - got)
    counts = []
    if extra:
        counts.append(f"{extra} of your choices {'does' if extra == 1 else 'do'} not belong")
    if missing:
        counts.append(f"{missing} right choice{' is' if missing == 1 else 's are'} missing")
    if not hints:
        hints = ["compare lim f(x) with f(a) for each candidate again"]
    raise Hint(f"{' and '.join(counts)}: " + "; ".join(dict.fromkeys(hints)))


def values_of(f, xs: Sequence[float], what: str = "your function") -> np.ndarray:
    """Call a learner's function at each ``x``; name an overflow, and any other error.

    NumPy's overflow warnings are silenced (an ``inf`` result is diagnosed instead),
    and a Python ``OverflowError`` becomes a hint that says what overflowed. A function
    so slow that the points take more than :data:`TIME_BUDGET` seconds is told so, so
    that the check answers within a few seconds whatever is typed.
    """
    f = as_callable(f, what)
    values = []
    start = time.perf_counter()
    for k, x in enumerate(xs):
        if time.perf_counter() - start > TIME_BUDGET:
            raise Hint(f"{what} is too slow to check: {k} of the {len(xs)} points took more "
                       f"than {TIME_BUDGET:g} s. A formula for one number should take "
                       "microseconds — avoid loops and huge intermediate computations")
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                y = f(float(x))
        except OverflowError:
            raise Hint(f"{what} overflows at x = {fmt(x)}: an intermediate result is larger "
                       "than the largest float (about 1.8e308)") from None
        except Exception as exc:  # noqa: BLE001 — the learner's function may raise anything
            raise Hint(f"{what} raised {type(exc).__name__} at x = {fmt(x)}: {exc}") from None
        if y is Ellipsis:
            raise NotAttempted("not attempted yet: your function still returns ...")
        values.append(as_number(y, f"{what} at x = {fmt(x)}"))
    return np.array(values)


def _in_time(what: str):
    """A checker of a function answer cut off after about :data:`TIME_BUDGET` seconds."""
    return in_time(what, TIME_BUDGET)


def _relative_errors(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.where(got == want, 0.0, np.abs(got - want) / np.abs(want))


def _peek(answer) -> float | None:
    """The answer as a float when it plainly is one (a number, or an object with
    ``__float__`` such as a :class:`~calcml.limits.LimitEstimate`), else ``None``.

    Lets a checker name NaN or inf by *where they come from* in its exercise before
    the generic diagnoses of :func:`expect_number` run.
    """
    if isinstance(answer, (bool, np.bool_, str, bytes)) or answer is None:
        return None
    if not isinstance(answer, numbers.Real) and not hasattr(answer, "__float__"):
        return None
    try:
        return float(answer)
    except (TypeError, ValueError, OverflowError):
        return None


# --- 1.1 ----------------------------------------------------------------------------------

def _sin3x_over_x(x: float) -> float:
    return math.sin(3 * x) / x


#: the h of the rows a learner may read the answer from: limit_table's and numeric_limit's
#: powers of 10 (and half-decades), and the halvings h0 / 2**k of plot_limit_approach
_TABLE_HS = (*(10.0 ** -(k / 2) for k in range(2, 9)), *(2.0 ** -k for k in range(1, 14)))

_UNSETTLED = ("that is the value in a row of the table where the values are still moving: "
              "read further down the table, at smaller h, where they have settled")


@exercise("1.1", "a limit from a table")
def limit_sin_over_x_scaled(answer):
    # lim_{x->0} sin(3x)/x = 3
    mistakes = [
        (1.0, "that is the limit of sin(x)/x; here the angle is 3x, not x"),
        (1 / 3, "upside down: sin(3x)/x, not x/sin(3x)"),
        (math.sin(3.0), "that is the value at x = 1, not the limit as x → 0"),
        *((_sin3x_over_x(h), _UNSETTLED) for h in _TABLE_HS),  # (accepted rows pass first)
    ]
    try:
        expect_number(answer, 3.0, rtol=1e-6, mistakes=mistakes, factor_hint=(
            "check that the function in your table is exactly sin(3x)/x, and read the row "
            "where the values have settled"))
    except Hint as hint:
        value = _peek(answer)
        # every row of the table lies below the limit, the rows for h <= 0.1 just below
        if (value is not None and 2.95 < value < 3.0
                and str(hint) not in {text for _, text in mistakes}):
            raise Hint(f"your answer ({fmt(value)}) is slightly too small: it looks like a row "
                       "where the values are still moving (read further down the table, at "
                       "smaller h), or a value rounded to too few digits") from None
        raise


# --- 1.2 ----------------------------------------------------------------------------------

@exercise("1.2", "a one-sided slope")
def leaky_relu_left_slope(answer):
    # lim_{h->0-} (leaky_relu(h, 0.1) - leaky_relu(0, 0.1)) / h = 0.1; from the right it is 1
    value = _peek(answer)
    if value is not None and math.isnan(value):
        raise Hint("your answer is NaN: the slopes from the left and from the right differ, so "
                   "the two-sided limit does not exist and numeric_limit without side= returns "
                   "NaN — ask numeric_limit for one side. (Evaluating the quotient at h = 0 "
                   "itself gives 0/0, also NaN.)")
    expect_number(answer, 0.1, rtol=1e-6, mistakes=[
        (1.0, "that is the limit from the right (h > 0); here h approaches 0 from below"),
        (0.55, "that is the average of the two sides; a one-sided limit uses one side only"),
        (0.0, ("that is the left-hand slope of the plain ReLU; the leaky ReLU keeps a small "
              "slope for x < 0")),
        (0.01, "that is the slope for leaky_relu's default alpha; this exercise sets alpha=0.1"),
        (10.0, ("upside down: the slope is the change in output divided by the change in "
                "input h, not h divided by the change in output")),
    ], factor_hint=("check the quotient: (leaky_relu(h) − leaky_relu(0))/h with alpha=0.1, "
                    "divided by h itself (negative from the left)"))


# --- 1.3 ----------------------------------------------------------------------------------

def _sigmoid_slope_ratio(x: float) -> float:
    return float(sigmoid_derivative(x) / sigmoid_derivative(x + 1))


def _moderate_x_mistakes() -> list[tuple[float, str]]:
    """Ratios a learner gets at one finite x: not far enough out, or where the slopes underflow.

    The ratio creeps up towards its limit as x grows, so at x = 1 .. 14 it is still visibly
    off; near x = 708 the slopes become subnormal (below about 2.2e-308) and lose digits,
    which spoils the ratio from x ≈ 730 on (inf and NaN from x = 745 are named separately).
    """
    out = [(_sigmoid_slope_ratio(x), (f"that is the ratio at x = {x}, where it is still "
                                      "creeping up: not far enough out — try larger x"))
           for x in range(1, 15)]
    with np.errstate(all="ignore"):
        far = [(x, _sigmoid_slope_ratio(x)) for x in range(700, 745)]
    out += [(r, (f"that is the ratio at x = {x}: there both slopes are below the smallest "
                 "normal float (about 2e-308) and keep only a few correct digits — underflow. "
                 "Use large but moderate x (tens, not hundreds)"))
            for x, r in far if abs(r - math.e) > 1e-6 * math.e]
    return out


def _literal_slope(x: float) -> float:
    """σ(x)(1 − σ(x)) evaluated as written: 1 − σ(x) cancels once σ(x) is close to 1."""
    s = 1.0 / (1.0 + math.exp(-x))
    return s * (1.0 - s)


#: "your own slope formula σ(1 − σ)": for x beyond about 15, 1 − σ(x) keeps few digits
_CANCELLATION = ("it looks like you computed the slopes as σ(1 − σ) yourself: for large x, "
                 "σ(x) is within a hair of 1 and 1 − σ cancels (catastrophic cancellation, as "
                 "in (1 − cos x)/x²), so going further out makes the ratio worse, not better. "
                 "Use sigmoid_derivative, which computes σ(x)σ(−x) without that subtraction")


def _cancellation_mistakes() -> list[tuple[float, str]]:
    out = []
    for x in range(15, 37):
        try:
            r = _literal_slope(x) / _literal_slope(x + 1)
        except ZeroDivisionError:  # 1 − σ(x + 1) is exactly 0
            continue
        if abs(r - math.e) > 1e-6 * math.e and abs(r - _sigmoid_slope_ratio(x)) > 1e-12:
            out.append((r, _CANCELLATION))
    return out


@exercise("1.3", "how fast a saturated sigmoid's slope vanishes")
def sigmoid_slope_ratio_at_infinity(answer):
    # lim_{x->inf} sigma'(x) / sigma'(x + 1) = e: each extra unit of input divides the slope by e
    value = _peek(answer)
    if value is not None and math.isnan(value):
        raise Hint("your answer is NaN, a 0/0: both slopes came out as exactly 0. With "
                   "sigmoid_derivative that happens only for very large x (beyond about 745, "
                   "underflow) — use large but moderate x, say tens; if you computed the "
                   "slopes as σ(1 − σ) yourself, 1 − σ(x) is already exactly 0 from x ≈ 37 on "
                   "(cancellation) — use sigmoid_derivative")
    if value == math.inf:
        raise Hint("your answer is infinite: near x = 745 the slope σ'(x + 1) underflows to 0 "
                   "(it is smaller than the smallest float) while σ'(x) does not, and dividing by "
                   "0 gives inf — use large but moderate x (say tens, not hundreds)")
    try:
        _expect_e(answer)
    except Hint as hint:
        if value is not None and "close but slightly" in str(hint):
            direction = "too large" if value > math.e else "too small"
            raise Hint(f"your answer ({fmt(value)}) is close but slightly {direction}, not "
                       "within a relative error "
                       "of 1e-6: if it is the ratio at one moderate x, go further out (tens); "
                       "if you copied it by hand, don't round: keep 7 significant figures; and if you "
                       "computed the slopes as σ(1 − σ) yourself, 1 − σ cancels for large x — "
                       "use sigmoid_derivative") from None
        raise


def _expect_e(answer):
    value = _peek(answer)
    computed = [*_moderate_x_mistakes(), *_cancellation_mistakes()]
    if value is not None and math.isfinite(value) and float(f"{value:.8g}") == value:
        # a short number (3, 2, 2.71827) was typed, not computed: it is no ratio at one x,
        # although the underflow at x = 743 gives exactly 2, the cancellation
        # 2.9999999999999987 and 2.71827135…, within the tolerance of a typed 3 or 2.71827
        computed = []
    expect_number(answer, math.e, rtol=1e-6, mistakes=[
        (1.0, ("both slopes tend to 0, but 0/0 is indeterminate: their ratio need not tend "
              "to 1 — compute it for a few large x with sigmoid_derivative (the ratio of "
              "the sigmoid's own values, σ(x)/σ(x + 1), does tend to 1: that is not the "
              "question)")),
        (1 / math.e, ("upside down: the ratio is σ'(x) / σ'(x + 1) — or you went towards "
                      "−∞: the limit is as x → +∞")),
        (0.0, ("both slopes tend to 0, but 0/0 is indeterminate: look at their ratio, "
              "not at each one")),
        (_sigmoid_slope_ratio(0.0), ("that is the ratio at x = 0; the question asks for the "
                                    "limit as x → ∞")),
        *computed,
    ], factor_hint=("check that both slopes are the sigmoid's slope σ' (sigmoid_derivative), "
                    "at x and at x + 1, and which one is on top"))
    


# --- 1.4 ----------------------------------------------------------------------------------

CANDIDATES_1_4 = ("step", "relu", "softplus", "sign", "sinc", "hole", "wiggle")


@exercise("1.4", "which functions are continuous at 0")
def continuous_at_zero(answer):
    # continuous at 0: relu, softplus, sinc (sin x / x, 1 at 0), wiggle (x sin(1/x), 0 at 0)
    expect_names(
        answer, {"relu", "softplus", "sinc", "wiggle"}, CANDIDATES_1_4,
        wrong_in=[
            ({"step", "sign", "hole"}, ("for each function you chose, compare three numbers: "
                                        "the limit from the left, the limit from the right and "
                                        "the value f(0) — continuity needs all three to exist "
                                        "and agree")),
        ],
        wrong_out=[
            ({"wiggle", "sinc", "relu", "softplus"},
             ("continuity asks nothing about the shape of the graph or about how the formula "
              "is written at 0: only whether lim f(x) exists and equals f(0) — check that "
              "for each candidate, e.g. with numeric_limit")),
        ],
        what="your set of names")


# --- 1.5 ----------------------------------------------------------------------------------

#: after "off by a constant factor of k everywhere —" (the chain rule is not taught yet)
_SOFTPLUS_FACTOR = ("log here is the natural log, np.log or math.log (np.log10 and np.log2 "
                    "give a constant multiple of it), or a constant went astray in the formula")


def _is_calcml_softplus(f) -> bool:
    """True when ``f`` is calcml's softplus, wraps it (functools.partial), or calls it by name."""
    if f is softplus or getattr(f, "func", None) is softplus:
        return True
    code, namespace = getattr(f, "__code__", None), getattr(f, "__globals__", {})
    return code is not None and any(namespace.get(name) is softplus for name in code.co_names)


@exercise("1.5", "a softplus that neither overflows nor underflows")
@_in_time("your softplus")
def stable_softplus(answer):
    what = "your softplus"
    if _is_calcml_softplus(answer):
        raise Hint("that is calcml's own softplus, which this exercise asks you not to use: "
                   "write the formula yourself from exp and log (NumPy's or math's)")
    _first_look(answer, softplus, [-5.0, -2.0, -0.5, 0.0, 0.5, 2.0, 5.0], what=what,
                shortcuts=_SOFTPLUS_SHORTCUTS, factor_hint=_SOFTPLUS_FACTOR, mistakes=[
                        (lambda x: max(x, 0.0), ("max(x, 0) alone is the ReLU; the softplus "
                                                "adds a smooth correction, largest near 0")),
                        (lambda x: math.log(1 + math.exp(-abs(x))),
                         "the correction term alone is not enough: add the max(x, 0) part"),
                    ])
    big = [30.0, 100.0, 700.0, 710.0, 1000.0]
    got = values_of(answer, big, what)
    if not np.isfinite(got).all():
        x = big[int(np.argmin(np.isfinite(got)))]
        raise Hint(f"{what} returns {fmt(got[int(np.argmin(np.isfinite(got)))])} at x = "
                   f"{fmt(x)}: exp({fmt(x)}) overflows — arrange the formula so that exp is "
                   "only applied to numbers ≤ 0")
    _first_look(answer, softplus, big, what=what, factor_hint=_SOFTPLUS_FACTOR)
    tail = [-20.0, -40.0, -50.0, -300.0]
    got, want = values_of(answer, tail, what), np.asarray(softplus(tail))
    lost = (got == 0) & (want > 0)
    if lost.any() and np.array_equal(got, [_large_x_form(x) for x in tail]):
        x = tail[int(np.argmax(lost))]
        raise Hint(f"{what} returns 0 at x = {fmt(x)}, but the softplus there is a tiny "
                   "positive number. Your formula looks like x + log(1 + e^(−x)), which is "
                   "accurate for large x; for negative x it adds −|x| to a number close to "
                   "|x|, and the two cancel (catastrophic cancellation). Use it only where x "
                   "is positive, or write one formula whose terms never cancel")
    if lost.any():
        x = tail[int(np.argmax(lost))]
        raise Hint(f"{what} returns 0 at x = {fmt(x)}, but the softplus there is a tiny "
                   f"positive number: 1 + exp({fmt(x)}) rounds to exactly 1, so log(1 + …) "
                   "loses it. NumPy has a function that computes log(1 + t) without forming "
                   "1 + t")
    _expect_digits(answer, softplus, _SOFTPLUS_GRID, what, shortcuts=_SOFTPLUS_SHORTCUTS)


def _large_x_form(x: float) -> float:
    """x + log1p(e^(−x)): the softplus rewritten for large x, which cancels for negative x."""
    return x + math.log1p(math.exp(-x))


#: the pieces of a piecewise softplus that are accurate only far out: x (for large x), e^x
#: (for very negative x) and 0
_SOFTPLUS_SHORTCUTS = ((lambda x: x, "x itself"), (math.exp, "e^x"), (lambda x: 0.0, "0"))


#: the whole stated domain of 1.5, densely: every 0.05 on [−60, 60] (a piecewise shortcut
#: such as "x for x > 5.5" is off by far more than 1e-9 just past its threshold), then
#: the far tails: every 5 down to −700 (below, e^x leaves the normal floats), every 1 up to
#: 1000 (past the overflow of e^x at 709.78) and on to +1e300 by factors of about 1.2
#: (120 points from 60.5 to 1e300 left gaps of a factor 320: (100, 200) went untested)
_SOFTPLUS_GRID = np.concatenate([np.linspace(-60.0, 60.0, 2401), np.linspace(-700.0, -60.5, 128),
                                 np.linspace(61.0, 1000.0, 940), np.geomspace(1000.0, 1e300, 3600)])

#: the relative error "about 9 digits" allows
_NINE_DIGITS = 1e-9


def _first_look(answer, expected, xs, what, *, shortcuts=(), **diagnoses) -> None:
    """:func:`expect_function`'s diagnoses (known mistakes, sign, constant, factor) at a few
    points; a plain disagreement is reported as a relative error, since the exercise asks
    for digits."""
    try:
        expect_function(answer, expected, xs, rtol=_NINE_DIGITS, atol=0.0, what=what,
                        **diagnoses)
    except Hint as hint:
        if str(hint).startswith("at x = "):
            _expect_digits(answer, expected, xs, what, shortcuts=shortcuts)
        raise


def _expect_digits(answer, expected, xs, what, *, shortcuts=(), rtol=_NINE_DIGITS,
                   advice="") -> None:
    """Judge a function by its relative error at every point of ``xs`` (dense grids).

    The worst point is named with the learner's relative error there. When the learner's
    value at that point equals one of ``shortcuts`` (a function, and how to name it), the
    hint says so: a piecewise formula whose shortcut is not accurate enough there.
    """
    got = values_of(answer, xs, what)
    want = np.array([float(expected(float(x))) for x in xs])
    err = _relative_errors(got, want)
    worst = int(np.argmax(err))
    if err[worst] <= rtol:
        return
    x = float(xs[worst])
    for shortcut, name in shortcuts:
        try:
            same = got[worst] == float(shortcut(x))
        except (OverflowError, ValueError):
            same = False
        if same:
            raise Hint(f"at x = {fmt(x)} {what} returns {name}, which is off by a relative "
                       f"error of {err[worst]:.1g} there; the exercise asks for about 9 digits "
                       f"(a relative error below {rtol:g}) at every x. A shortcut for part of "
                       "the range must be accurate wherever it is used — or use one formula "
                       "that is accurate everywhere")
    raise Hint(f"at x = {fmt(x)} {what} gives {got[worst]:.12g}, off by a relative error "
               f"of {err[worst]:.1g}; the exercise asks for about 9 digits (a relative error "
               f"below {rtol:g}) at every x{advice}")


# --- 1.6 ----------------------------------------------------------------------------------

def _sqrt_quotient(x: float) -> float:
    # (sqrt(1 + x) - 1) / x, evaluated without cancellation
    return 1 / (math.sqrt(1 + x) + 1)


#: the stated domain of 1.6, −1 < x ≤ 1e12, densely: close to −1, every 0.01 up to 20, then
#: out to 1e12 (the tiny |x|, where the cancellation is, are checked first, separately)
_SQRT_GRID = np.concatenate([-1 + np.geomspace(1e-15, 0.01, 40), np.linspace(-0.99, 20.0, 2102),
                             np.geomspace(20.0, 1e12, 60)])
_SQRT_GRID = _SQRT_GRID[_SQRT_GRID != 0]


@exercise("1.6", "a cancellation-free (√(1+x) − 1)/x")
@_in_time("your function")
def stable_sqrt_quotient(answer):
    what = "your function"
    _first_look(answer, _sqrt_quotient, [-0.75, -0.3, 0.2, 0.5, 1.0, 3.0, 8.0, 1e6, 1e12],
                what=what, factor_hint=(
                        "a constant went astray in the algebra (multiplying top and bottom by "
                        "the same expression must not change the value): redo the product in "
                        "the numerator"), mistakes=[
                        (lambda x: math.sqrt(1 + x) - 1, ("that is the numerator only: the "
                                                         "formula divides it by x")),
                        (lambda x: 1 / (math.sqrt(1 + x) - 1),
                         ("after rewriting, the denominator should be a sum, not a difference "
                         "— check the sign")),
                    ])
    # a dense grid of tiny |x|: a piecewise patch (a constant or a series for |x| < c, the
    # naive formula beyond) must be accurate on both sides of its threshold c
    decades = np.logspace(-15, -1, 43)
    tiny = [1e-6, 1e-9, 1e-12, 1e-15, -1e-9, -1e-13, *decades, *-decades]
    got = values_of(answer, tiny, what)
    want = np.array([_sqrt_quotient(x) for x in tiny])
    err = _relative_errors(got, want)
    worst = int(np.argmax(err))
    if err[worst] <= _NINE_DIGITS:
        _expect_digits(answer, _sqrt_quotient, _SQRT_GRID, what, shortcuts=[
            (lambda x: 0.5, "the limit 1/2 at x → 0"), (lambda x: 0.5 - x / 8, "0.5 − x/8")])
        return
    limit = _sqrt_quotient(0.0)  # the limit at 0, which a constant patch returns
    tiniest = np.abs(tiny) <= 1e-14  # where the right value already differs from the limit
    patch = bool(np.all(got[tiniest] == limit))
    if patch and got[worst] == limit:
        raise Hint(f"at x = {fmt(tiny[worst])} {what} returns {fmt(got[worst])}, the limit at "
                   f"x → 0, which is off by a relative error of {err[worst]:.1g} from the value "
                   "there: a constant patch near 0 is not accurate enough, and just outside it "
                   "the cancellation is still there. Rewrite the formula so that no two nearly "
                   "equal numbers are subtracted, for every x")
    x = float(tiny[worst])
    naive = (math.sqrt(1 + x) - 1) / x
    if not _relative_errors(np.array([got[worst]]), np.array([naive]))[0] <= 1e-12:
        raise Hint(f"at x = {fmt(x)} {what} is off by a relative error of {err[worst]:.1g}; "
                   f"the exercise asks for about 9 digits (a relative error below "
                   f"{_NINE_DIGITS:g}) at every x — a series or a patch near 0 must be that "
                   "accurate wherever it is used; an exact rewrite of the formula needs no "
                   "patch at all")
    note = ("; a patch near 0 does not help, since just outside it the cancellation is still "
            "there" if patch else "")
    raise Hint(f"at x = {fmt(tiny[worst])} {what} is off by a relative error of "
               f"{err[worst]:.1g}: √(1+x) and 1 agree in almost all their digits there, so "
               f"their difference is mostly rounding error (catastrophic cancellation){note}. "
               "Rewrite the formula so that no two nearly equal numbers are subtracted, as "
               "the lesson did for (1 − cos x)/x²")
