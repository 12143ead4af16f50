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
import warnings
from collections.abc import Iterable, Sequence

import numpy as np

from calcml.exercises.answers import as_callable, as_number, expect_function, expect_number, fmt
from calcml.exercises.core import Hint, NotAttempted, exercise
from calcml.functions import sigmoid_derivative, softplus

__all__ = ["expect_names", "values_of"]


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
    if isinstance(answer, dict) or not isinstance(answer, (set, frozenset, list, tuple)):
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
    if not hints:
        hints = ["not quite: compare lim f(x) with f(a) for each candidate again"]
    raise Hint("; ".join(hints))


def values_of(f, xs: Sequence[float], what: str = "your function") -> np.ndarray:
    """Call a learner's function at each ``x``; name an overflow, and any other error.

    NumPy's overflow warnings are silenced (an ``inf`` result is diagnosed instead),
    and a Python ``OverflowError`` becomes a hint that says what overflowed.
    """
    f = as_callable(f, what)
    values = []
    for x in xs:
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
        expect_number(answer, 3.0, rtol=1e-6, mistakes=mistakes)
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
    ])


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


@exercise("1.3", "how fast a saturated sigmoid's slope vanishes")
def sigmoid_slope_ratio_at_infinity(answer):
    # lim_{x->inf} sigma'(x) / sigma'(x + 1) = e: each extra unit of input divides the slope by e
    value = _peek(answer)
    if value is not None and math.isnan(value):
        raise Hint("your answer is NaN: for very large x (beyond about 745) both slopes "
                   "underflow to 0 and 0/0 gives NaN — use large but moderate x (say tens, not "
                   "thousands)")
    if value == math.inf:
        raise Hint("your answer is infinite: near x = 745 the slope σ'(x + 1) underflows to 0 "
                   "(it is smaller than the smallest float) while σ'(x) does not, and dividing by "
                   "0 gives inf — use large but moderate x (say tens, not hundreds)")
    expect_number(answer, math.e, rtol=1e-6, mistakes=[
        (1.0, ("both slopes tend to 0, but 0/0 is indeterminate: their ratio need not tend "
              "to 1 — compute it for a few large x")),
        (1 / math.e, "upside down: the ratio is σ'(x) / σ'(x + 1)"),
        (0.0, ("both slopes tend to 0, but 0/0 is indeterminate: look at their ratio, "
              "not at each one")),
        (_sigmoid_slope_ratio(0.0), ("that is the ratio at x = 0; the question asks for the "
                                    "limit as x → ∞")),
        *_moderate_x_mistakes(),
    ])


# --- 1.4 ----------------------------------------------------------------------------------

CANDIDATES_1_4 = ("step", "relu", "softplus", "sign", "sinc", "hole", "wiggle")


@exercise("1.4", "which functions are continuous at 0")
def continuous_at_zero(answer):
    # continuous at 0: relu, softplus, sinc (sin x / x, 1 at 0), wiggle (x sin(1/x), 0 at 0)
    expect_names(
        answer, {"relu", "softplus", "sinc", "wiggle"}, CANDIDATES_1_4,
        wrong_in=[
            ({"step", "sign"}, ("a function you chose jumps at 0: its left- and right-hand "
                               "limits differ, so no value at 0 could make it continuous")),
            ({"hole"}, ("a function you chose has a limit at 0, but its value f(0) is a "
                       "different number: continuity needs lim f(x) = f(0)")),
        ],
        wrong_out=[
            ({"wiggle"}, ("a continuous function is missing: oscillating near 0 is fine when "
                         "the oscillation is squeezed down to f(0)")),
            ({"sinc"}, ("a continuous function is missing: a formula that is 0/0 at x = 0 can "
                       "still be continuous there, if f(0) is defined as the limit")),
            ({"relu"}, ("a continuous function is missing: a kink (a corner) is not a jump — "
                       "the graph is unbroken")),
            ({"softplus"}, ("a continuous function is missing: a smooth function — no jump, no "
                           "corner, defined everywhere — is continuous at every point")),
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
def stable_softplus(answer):
    what = "your softplus"
    if _is_calcml_softplus(answer):
        raise Hint("that is calcml's own softplus, which this exercise asks you not to use: "
                   "write the formula yourself from exp and log (NumPy's or math's)")
    expect_function(answer, softplus, [-5.0, -2.0, -0.5, 0.0, 0.5, 2.0, 5.0],
                    rtol=1e-9, atol=0.0, what=what, factor_hint=_SOFTPLUS_FACTOR, mistakes=[
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
    expect_function(answer, softplus, big, rtol=1e-9, atol=0.0, what=what,
                    factor_hint=_SOFTPLUS_FACTOR)
    tail = [-20.0, -40.0, -50.0, -300.0]
    got, want = values_of(answer, tail, what), np.asarray(softplus(tail))
    lost = (got == 0) & (want > 0)
    if lost.any():
        x = tail[int(np.argmax(lost))]
        raise Hint(f"{what} returns 0 at x = {fmt(x)}, but the softplus there is a tiny "
                   f"positive number: 1 + exp({fmt(x)}) rounds to exactly 1, so log(1 + …) "
                   "loses it. NumPy has a function that computes log(1 + t) without forming "
                   "1 + t")
    expect_function(answer, softplus, tail, rtol=1e-9, atol=0.0, what=what,
                    factor_hint=_SOFTPLUS_FACTOR)


# --- 1.6 ----------------------------------------------------------------------------------

def _sqrt_quotient(x: float) -> float:
    # (sqrt(1 + x) - 1) / x, evaluated without cancellation
    return 1 / (math.sqrt(1 + x) + 1)


@exercise("1.6", "a cancellation-free (√(1+x) − 1)/x")
def stable_sqrt_quotient(answer):
    what = "your function"
    expect_function(answer, _sqrt_quotient, [-0.75, -0.3, 0.2, 0.5, 1.0, 3.0, 8.0, 1e6, 1e12],
                    rtol=1e-9, atol=0.0, what=what, factor_hint=(
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
    if err[worst] <= 1e-9:
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
    note = ("; a patch near 0 does not help, since just outside it the cancellation is still "
            "there" if patch else "")
    raise Hint(f"at x = {fmt(tiny[worst])} {what} is off by a relative error of "
               f"{err[worst]:.1g}: √(1+x) and 1 agree in almost all their digits there, so "
               f"their difference is mostly rounding error (catastrophic cancellation){note}. "
               "Rewrite the formula so that no two nearly equal numbers are subtracted, as "
               "the lesson did for (1 − cos x)/x²")
