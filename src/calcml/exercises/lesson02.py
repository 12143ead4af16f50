"""Checkers for lesson 02 — derivatives: the basics (``notebooks/02-derivatives-basics``)."""

from __future__ import annotations

import functools
import math
import time

import numpy as np

from calcml.exercises.answers import (
    MAX_EXPRESSION_OPS,
    as_number,
    domain_points,
    expect_array,
    expect_function,
    expect_number,
    fmt,
    in_time,
    is_unevaluated,
)
from calcml.exercises.core import Hint, NotAttempted, exercise

_FINITE_H = (
    "is close, but it is a difference quotient with a finite h, not its limit: a step that is "
    "too large keeps a term in h, and one far below about 1e-8 loses its digits to round-off "
    "(How small should h be?) — do the algebra and let h → 0"
)


def _close_but_finite_h(value: float, expected: float, what: str = "your answer") -> None:
    """A value within a few per cent of the limit is a difference quotient with h > 0."""
    if 1e-6 * abs(expected) < abs(value - expected) <= 0.05 * abs(expected):
        raise Hint(f"{what} ({value:.8g}) {_FINITE_H}")


# --- 2.1: r(x) = 1/x at x = 2: (1/(2+h) - 1/2)/h = -1/(2(2+h)) -> -1/4 ----------------------


def _reciprocal(t: float) -> float:
    return 1 / t


#: the difference quotients of r(x) = 1/x at x = 2 a learner may stop at: one-sided or
#: central, with a step that is still finite
_QUOTIENTS = {
    "forward": ("(r(2 + h) − r(2))/h", lambda h: (_reciprocal(2 + h) - _reciprocal(2)) / h),
    "backward": ("(r(2) − r(2 − h))/h", lambda h: (_reciprocal(2) - _reciprocal(2 - h)) / h),
    "central": ("(r(2 + h) − r(2 − h))/(2h)",
                lambda h: (_reciprocal(2 + h) - _reciprocal(2 - h)) / (2 * h)),
}  # fmt: skip

_RECIPROCAL_MISTAKES = [
    (
        -0.5,
        (
            "that is −1/x at x = 2: redo the algebra of (1/(x+h) − 1/x)/h over one denominator "
            "before letting h → 0"
        ),
    ),
    (0.5, "that is r(2) = 1/2, the value of the function, not its slope"),
    (-1.0, "that is the slope at x = 1; the exercise asks for x = 2"),
    *[
        (
            quotient(h),
            (
                f"that is the {kind} difference quotient {formula} with h = {h:g}, not its "
                "limit: shrink h (or do the algebra and let h → 0)"
            ),
        )
        for h in (1.0, 0.5, 0.2, 0.1, 0.05)
        for kind, (formula, quotient) in _QUOTIENTS.items()
        if not (kind == "backward" and h == 1.0)  # (r(2) − r(1))/1 = −1/2, named above
    ],
]


@exercise("2.1", "a derivative from the limit of difference quotients")
def derivative_of_reciprocal(answer):
    value = as_number(answer)
    if not any(math.isclose(value, wrong, rel_tol=1e-6) for wrong, _ in _RECIPROCAL_MISTAKES):
        _close_but_finite_h(value, -0.25)
    expect_number(value, -0.25, rtol=1e-6, mistakes=_RECIPROCAL_MISTAKES, factor_hint=(
        "redo the algebra: put 1/(2 + h) − 1/2 over one denominator, divide by h, then let "
        "h → 0"))


# --- 2.2: L(w) = (w - 3)²  ->  L'(w) = 2(w - 3) ------------------------------------------------

#: what a constant-factor slip in 2.2 means: the chain rule is not taught yet (lesson 03),
#: so the hint points at the algebra of the definition
_EXPAND_HINT = (
    "expand (w + h − 3)² − (w − 3)² term by term (the square of a sum has a cross term), "
    "then divide by h and let h → 0"
)


def _forward_quotient(h: float):
    return lambda w: 2 * (w - 3) + h  # ((w + h - 3)² - (w - 3)²)/h = 2(w − 3) + h


_LOSS_MISTAKES = [
    (lambda w: (w - 3) ** 2, "that is the loss L(w) itself, not its rate of change L'(w)"),
    *[
        (
            _forward_quotient(h),
            (f"off by the constant h = {h:g}: that is the forward difference quotient; let h → 0"),
        )
        for h in (0.1, 0.01, 0.001)
    ],
]


#: where 2.2 is judged first: a few weights, then the whole dense set below
_SPARSE_W = [-2.0, 0.0, 0.5, 3.0, 4.0, 10.0]

#: every weight from −50 to 50 in steps of 0.1, 250 seeded random weights between them (a
#: rounded formula or a table agrees on the grid alone), and far out: a formula that is
#: right only on part of the line (a patch, a table lookup) cannot pass
_DENSE_W = np.concatenate([domain_points(-50.0, 50.0, 1001), [-1e6, -1e3, 1e3, 1e6]])

#: "a relative error below 1e-9 at every w", as the exercise says
_RTOL_2_2, _ATOL_2_2 = 1e-9, 1e-12

#: how long 2.2 may spend calling a learner's dL before it says the function is too slow
_BUDGET_2_2 = 3.0


def _right_loss_slope(w: float) -> float:
    return 2 * (w - 3)


def _finite_step_hint(answer, what: str) -> None:
    """A learner's dL that is off by one small constant c everywhere: a quotient with h = |c|.

    The forward quotient ((w + h − 3)² − (w − 3)²)/h keeps a term +h, the backward one −h,
    for every h (not only those a list of mistakes names); a value close at every weight
    but not to 9 figures is a numerical estimate. Anything else is left to expect_function.
    """
    try:
        got = np.array([float(answer(w)) for w in _SPARSE_W])
    except Exception:  # noqa: BLE001 — expect_function explains what is wrong with it
        return
    want = np.array([_right_loss_slope(w) for w in _SPARSE_W])
    if not np.all(np.isfinite(got)):
        return
    diff = got - want
    if np.all(np.abs(diff) <= _ATOL_2_2 + _RTOL_2_2 * np.abs(want)):
        return
    c = float(np.median(diff))
    if 1e-12 < abs(c) <= 0.2 and np.all(np.abs(diff - c) <= 0.05 * abs(c)):
        kind = "forward" if c > 0 else "backward"
        raise Hint(f"{what} is off by the same small constant, {c:+.2g}, at every w: that is "
                   f"what the {kind} difference quotient with h = {abs(c):.2g} keeps — do the "
                   "algebra of the definition and let h → 0")
    if np.all(np.abs(diff) <= 1e-3 * np.abs(want) + 1e-6):
        raise Hint(f"{what} is close to the derivative at every w, but off by up to "
                   f"{np.max(np.abs(diff)):.1e}: a difference quotient with a finite step, or "
                   "a rounded formula? The exact derivative is asked, to a relative error below "
                   "1e-9 — do the algebra of the definition and let h → 0")


def _as_function_of_w(answer, what: str):
    """A SymPy expression in w, or a string such as "2(w - 3)", as a function of one float.

    The lesson finds derivatives with SymPy (expand, cancel, limit), so a learner may hand
    in the expression rather than wrap it in a def; it is read by the safe parser (nothing
    typed is executed) and must depend on w alone.
    """
    import sympy

    from calcml.parsing import ExpressionError, parse_expression

    if isinstance(answer, sympy.Basic) and not isinstance(answer, sympy.Expr):
        raise Hint(f"{what} should be a function (def or lambda) or an expression in w, got "
                   f"{type(answer).__name__}")
    try:
        expr = parse_expression(answer, variables=("w",))
    except ExpressionError as exc:
        raise Hint(f"{what} could not be read as an expression in w: {exc}; or define it as "
                   "a function with def or lambda") from None
    unevaluated = is_unevaluated(expr)
    if unevaluated:
        raise Hint(f"{what} is an unevaluated SymPy {unevaluated} — the question itself, not "
                   "its answer: work it out (by hand, or check with .doit() afterwards)")
    names = sorted({str(s) for s in expr.free_symbols} - {"w"})
    if names:
        raise Hint(f"{what} contains {', '.join(names)}, but should depend on w only"
                   + (" — let h → 0 (the limit removes h)" if names == ["h"] else ""))
    if sympy.count_ops(expr) > MAX_EXPRESSION_OPS:
        raise Hint(f"{what} is too large to check: simplify it first")
    w = sympy.Symbol("w")
    return sympy.lambdify(w, expr.subs(dict.fromkeys(expr.free_symbols, w)), "math")


@exercise("2.2", "the derivative of a loss, as a function")
def loss_derivative(answer):
    """2.2 within about 3 s whatever is handed in: a dL that never returns is told so."""
    return in_time("your dL", _BUDGET_2_2, "look for a loop that never ends")(
        lambda a: _check_loss_derivative(a, "your dL"))(answer)


def _check_loss_derivative(answer, what: str):
    import sympy

    if isinstance(answer, (str, sympy.Basic)):
        answer = _as_function_of_w(answer, what)
    if callable(answer):
        _finite_step_hint(answer, what)
    expect_function(answer, _right_loss_slope, _SPARSE_W, rtol=_RTOL_2_2, atol=_ATOL_2_2,
                    mistakes=_LOSS_MISTAKES, what=what, var="w",
                    factor_hint=_EXPAND_HINT)  # fmt: skip
    got = []
    start = time.perf_counter()
    for k, w in enumerate(_DENSE_W):
        if time.perf_counter() - start > _BUDGET_2_2:
            raise Hint(f"{what} is too slow to check: {k} of the {len(_DENSE_W)} weights took "
                       f"more than {_BUDGET_2_2:g} s — a formula for one number should take "
                       "microseconds")
        try:
            got.append(as_number(answer(float(w)), f"{what} at w = {fmt(w)}"))
        except Hint:
            raise
        except Exception as exc:  # noqa: BLE001 — the learner's function may raise anything
            raise Hint(f"{what} raised {type(exc).__name__} at w = {fmt(w)}: {exc}") from None
    got = np.array(got)
    want = np.array([_right_loss_slope(w) for w in _DENSE_W])
    bad = np.abs(got - want) > _ATOL_2_2 + _RTOL_2_2 * np.abs(want)
    if bad.any():
        i = int(np.argmax(bad))
        direction = "too large" if got[i] > want[i] else "too small"
        rel = abs(got[i] - want[i]) / abs(want[i]) if want[i] != 0 else math.inf
        by = f", {direction} by a relative error of {rel:.1e}" if rel < 1e-2 else \
            f", which is {direction}"
        raise Hint(f"at w = {fmt(_DENSE_W[i])} {what} gives {got[i]:.12g}{by} — it agrees with "
                   "the derivative at some weights but not at all of them: the formula from "
                   "the definition holds for every w, to a relative error below 1e-9, so "
                   "one expression, without cases or rounding, is expected")


# --- 2.3: central difference of sin at 1 with error below 1e-10 ---------------------------------

#: the steps around the learner's h whose median error is judged: round-off makes the error
#: jagged, and a single step can be lucky (its rounding errors cancel)
_NEARBY = np.geomspace(0.8, 1.25, 5)


@exercise("2.3", "a step size for the central difference")
def central_step(answer):
    from calcml.numdiff import EPS, derivative

    h = as_number(answer, "your h")
    if not (math.isfinite(h) and h > 0):
        raise Hint(f"your h ({fmt(h)}) must be a positive, finite step")
    if abs(h - math.cos(1.0)) <= 1e-2:
        raise Hint(f"your h ({fmt(h)}) is about cos 1, the derivative itself: the answer is the "
                   "step h you pass to derivative(np.sin, 1.0, h=h), a small positive number")
    try:
        errors = np.abs(derivative(np.sin, 1.0, h=h * _NEARBY, method="central") - math.cos(1.0))
    except ValueError:  # h below the float spacing at 1: x + h == x
        raise Hint(f"h = {h:.1e} is too small to change x = 1 at all in floating point") from None
    typical = float(np.median(errors))
    if typical < 1e-10:
        return f"correct: near h = {h:.1e} the typical error is {typical:.1e}"
    single = abs(derivative(np.sin, 1.0, h=h, method="central") - math.cos(1.0))
    # error ≈ eps·|sin 1|/h + h²·|cos 1|/6: which side of its minimum is h on?
    h_best = (3 * EPS * abs(math.sin(1.0)) / abs(math.cos(1.0))) ** (1 / 3)
    if h > h_best:
        side = "truncation error (∝ h²) dominates — take h smaller"
    else:
        side = ("round-off error (∝ ε_mach/h) dominates — f(1 + h) − f(1 − h) has lost its digits; "
                "take h larger")  # fmt: skip
    if single < 1e-10:
        raise Hint(f"at h = {h:.1e} itself the error is {single:.1e}, but that is luck: at steps "
                   f"within 25 % of it the typical error is {typical:.1e}; {side}")  # fmt: skip
    raise Hint(f"near h = {h:.1e} the typical error is {typical:.1e}: {side}")


# --- 2.4: (−3f(x) + 4f(x+h) − f(x+2h)) / (2h) = f'(x) − h² f'''(x)/3 + ...: order 2 -------------

#: "the nearest whole number is what we want": every value that rounds to the order passes
_ORDER_RANGE = (1.5, 2.5)

_INVERTED_FIT = (
    "a slope near 1/2: either you fitted log h against log error (put log h on the x axis: "
    "np.polyfit(np.log(steps), np.log(errors), 1)), or your steps go down so far that "
    "round-off, where the error grows again as h shrinks, flattens the fit — fit only the "
    "part that is a straight line (steps such as 1e-1 to 1e-4)"
)

_NEAR_ZERO = (
    "a slope near 0 means that what you fitted hardly changes from step to step. The usual "
    "causes: you fitted the values themselves, or took the logarithm of only one of them (the "
    "order is the slope of log(error) against log(h): "
    "np.polyfit(np.log(steps), np.log(errors), 1)[0]); "
    "you fitted the estimates rather than their errors |estimate − f'(0)|, with f'(0) = 1; "
    "your formula is mistyped, so that the estimates do not approach 1 at all (print them: "
    "they should tend to 1 as h shrinks); "
    "or your steps reach so far into round-off that its rise cancels the fall — fit only the "
    "part that is a straight line (steps such as 1e-1 to 1e-4)"
)

_MIXED_LOGS = (
    "were the two axes logged in different bases (np.log10 for one, np.log for the other)? "
    "That changes the slope — use the same logarithm for both, "
    "np.polyfit(np.log(steps), np.log(errors), 1)[0]"
)

_TOO_LOW = (
    "plot log(error) against log(h) and fit only the part where the error falls along a "
    "straight line as h shrinks (larger steps, such as 1e-1 to 1e-4)"
)

_TOO_HIGH = (
    "a slope above the order comes from steps so large that the higher powers of h in the "
    "error (h³, h⁴, ...) still matter — plot log(error) against log(h) and fit only the part "
    "that is a straight line (steps such as 1e-1 to 1e-4); and fit |estimate − f'(0)|, "
    "with f'(0) = 1"
)

_NOT_LOGGED = (
    "the order is the slope of log(error) against log(h): a power law error = C·h^p is a "
    "straight line only after taking the logarithm of both (log error = p·log h + log C). "
    "It looks like you fitted the values themselves, or logged only one of them — use "
    "np.polyfit(np.log(steps), np.log(errors), 1)[0]"
)


def _is_pair_of_numbers(answer) -> bool:
    try:
        return np.asarray(answer, dtype=float).shape == (2,)
    except (TypeError, ValueError):
        return False


@exercise("2.4", "the order of a difference formula")
def three_point_order(answer):
    if isinstance(answer, (np.ndarray, list, tuple)) and _is_pair_of_numbers(answer):
        raise Hint("your order is a pair of numbers — np.polyfit(u, v, 1) returns "
                   "[slope, intercept]; the order is the slope, its first entry [0]")
    value = as_number(answer, "your order")
    lo, hi = _ORDER_RANGE
    if lo <= value < hi:
        if value != round(value):
            return f"correct: {fmt(value)} rounds to the order — a fitted slope is never exact"
        return None
    if not math.isfinite(value):
        raise Hint(f"your order is {fmt(value)}: an error of exactly 0 has no logarithm — "
                   "leave such steps out of the fit")
    # np.log10 on one axis and np.log on the other scale the slope by ln 10 or 1/ln 10
    mixed_logs = any(abs(value / factor - 2) <= 0.15
                     for factor in (math.log(10.0), 1 / math.log(10.0)))
    if mixed_logs and value > hi:
        raise Hint(f"a slope of {fmt(value)} is too high: {_MIXED_LOGS}")
    if abs(value - 0.5) <= 0.15:
        raise Hint(_INVERTED_FIT)
    if abs(value) < 0.25:
        raise Hint(_NEAR_ZERO)
    if value >= 10:
        raise Hint(_NOT_LOGGED)
    if value < 0:
        also = ""
        if -1.3 <= value <= -0.7:
            also = (" (Or did you take polyfit's second entry? np.polyfit returns "
                    "[slope, intercept]; the intercept is log C, the order is the slope.)")
        raise Hint(f"a negative slope ({fmt(value)}): over your steps the error grows as h "
                   f"shrinks, which is round-off, not truncation — {_TOO_LOW}.{also}")
    if value < lo:
        also = ""
        if abs(value - 1.0) <= 0.15:
            also = (" If the straight part still has slope 1, check the formula: 1 is "
                    "the order of the two-point forward difference (f(x + h) − f(x))/h.")
        if mixed_logs:
            also += f" Or {_MIXED_LOGS}."
        raise Hint(f"a slope of {fmt(value)} is lower than the straight part of the curve "
                   "gives: your smallest steps probably reach round-off, where the error "
                   f"stops falling — {_TOO_LOW}.{also}")
    raise Hint(f"a slope of {fmt(value)} is too high: {_TOO_HIGH}")


# --- 2.5: f(x) = |x − 1| + x at x = 1: left −1 + 1 = 0, right 1 + 1 = 2 ------------------------

_KINK_MISTAKES = {
    (2.0, 0.0): "the two slopes are swapped: give [left, right]",
    (-1.0, 1.0): "those are the one-sided slopes of |x − 1| alone; f has a second term, whose "
    "slope counts on both sides",
    (1.0, 1.0): "[1, 1] is what a central difference suggests: it averages the two sides and "
    "hides the kink — use one-sided quotients",
    (0.0, 0.0): "both zero? compute (f(1 + h) − f(1))/h for small h > 0, and (f(1) − f(1 − h))/h",
}  # fmt: skip


@exercise("2.5", "one-sided derivatives at a kink")
def one_sided_slopes(answer):
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if isinstance(answer, (list, tuple)) and any(v is None for v in answer):
        raise Hint("your pair [left, right] has None in it — put a number in each place "
                   "(a function that forgets to `return` gives None)")  # fmt: skip
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        arr = None  # expect_array explains what is wrong with it
    if arr is not None and arr.shape == (2,):
        for wrong, hint in _KINK_MISTAKES.items():
            if np.allclose(arr, wrong, rtol=0, atol=1e-6):
                raise Hint(hint)
    expect_array(answer, np.array([0.0, 2.0]), rtol=0, atol=1e-4, what="your pair [left, right]",
                 factor_hint=None)


# --- 2.6: ∂L/∂w_k of the breast-cancer loss at w = 0, b = 0, k = "mean texture" ---------------

@functools.lru_cache(maxsize=1)
def _cancer():
    """The lesson's breast-cancer data: standardised X (569, 30), labels y, feature names."""
    from calcml.datasets import breast_cancer, standardize

    data = breast_cancer()
    return standardize(data.X), data.y.astype(float), data.feature_names, data.X


_FEATURE_2_6 = "mean texture"


def _partials_at_zero(X, y):
    """∂L/∂w at w = 0, b = 0: X^T (σ(0) − y)/n = mean over tumours of (1/2 − y_i) x_ij."""
    return X.T @ (0.5 - y) / len(y)


def _partial_at_params_test(X, y, k):
    """∂L/∂w_k at the lesson's gradient-check point, params_test = N(0, 0.1²) draws, seed 0."""
    params = np.random.default_rng(0).normal(0, 0.1, size=X.shape[1] + 1)
    z = X @ params[:-1] + params[-1]
    r = 1.0 / (1.0 + np.exp(-z)) - y
    return float(X[:, k] @ r / len(y))


@exercise("2.6", "one partial derivative of the breast-cancer loss")
def cancer_partial(answer):
    X, y, names, X_raw = _cancer()
    k = names.index(_FEATURE_2_6)
    partials = _partials_at_zero(X, y)
    right = float(partials[k])
    n = len(y)
    others = [(float(partials[j]), (f"that is the partial derivative in the weight of "
                                    f"'{names[j]}'; this exercise asks for "
                                    f"'{_FEATURE_2_6}' — check the index you change"))
              for j in range(len(names)) if j != k and names[j] != "worst radius"]
    def loss_along(t):
        z = X[:, k] * t
        return float(np.mean(np.logaddexp(0.0, z) - y * z))

    quotients = []
    for h in (1.0, 0.5, 0.2, 0.1, 0.05, 0.01, 0.001):
        for kind, q in (("forward", (loss_along(h) - loss_along(0.0)) / h),
                        ("backward", (loss_along(0.0) - loss_along(-h)) / h),
                        ("central", (loss_along(h) - loss_along(-h)) / (2 * h))):
            if abs(q - right) > 1e-6 * abs(right):
                quotients.append((q, (f"that is the {kind} difference quotient with h = {h:g}, "
                                      "not its limit: shrink h (or use the automatic step of "
                                      "derivative)")))
    value = as_number(answer)
    mistakes = [
        *quotients,
        (float(partials[names.index("worst radius")]),
         ("that is the lesson's example, the weight of 'worst radius'; this exercise asks "
          f"for '{_FEATURE_2_6}'")),
        (right * n, ("that is n times too large: the loss is a mean over the 569 tumours, "
                     "so its partial derivative is a mean too")),
        (float(np.mean(0.5 - y)), ("that is the partial derivative in the bias b (the last "
                                   "parameter); this exercise asks for a weight")),
        (math.log(2.0), "that is the value of the loss at params0, not its rate of change"),
        (_partial_at_params_test(X, y, k),
         ("that is the partial derivative at params_test, the random point of the lesson's "
          "gradient check; this exercise asks at the start of training, params0 (all zeros)")),
        (float(X_raw[:, k] @ (0.5 - y) / n), ("that uses the raw measurements; the lesson's "
                                              "model works on standardised features, X")),
        (right * np.std(X_raw[:, k]) / np.std(X_raw[:, k], ddof=1),
         ("that standardises with the sample standard deviation (ddof=1, pandas' default); "
          "the lesson's X divides by the population one (ddof=0, as NumPy and "
          "scikit-learn's StandardScaler do) — use the lesson's X and cancer_loss")),
        *others,
    ]
    near = 1e-6 * abs(right) < abs(value - right) <= 1e-2 * abs(right)
    if near and not any(math.isclose(value, wrong, rel_tol=1e-6) for wrong, _ in mistakes):
        # "go further toward the limit" would be wrong advice for a step spoiled by round-off
        raise Hint(f"your answer ({value:.8g}) is close, but not to 7 significant figures: if "
                   "it is a difference quotient, its step was too large (truncation) or far too "
                   "small (round-off: the two losses agree in nearly all their digits, as in "
                   "How small should h be?) — derivative's automatic step avoids both; if you "
                   "copied it by hand, don't round: keep at least 7 significant figures")
    if abs(-value - right) <= 1e-2 * abs(right) and abs(-value - right) > 1e-6 * abs(right):
        raise Hint(f"your answer ({value:.8g}) has the wrong sign (and is rounded) — check the "
                   "sign, and keep at least 7 significant figures")
    expect_number(value, right, rtol=1e-6, atol=1e-9, mistakes=mistakes, factor_hint=(
        "check the function of one variable you differentiate: only the weight "
        f"of '{_FEATURE_2_6}' changes, the other parameters stay 0"))
