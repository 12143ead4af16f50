"""Checkers for lesson 02 — derivatives: the basics (``notebooks/02-derivatives-basics``)."""

from __future__ import annotations

import math

import numpy as np

from calcml.exercises.answers import as_number, expect_array, expect_function, expect_number, fmt
from calcml.exercises.core import Hint, NotAttempted, exercise

_FINITE_H = (
    "is close, but it is a difference quotient with a finite h, not its limit: take h "
    "smaller, or do the algebra and let h → 0"
)


def _close_but_finite_h(value: float, expected: float, what: str = "your answer") -> None:
    """A value within a few per cent of the limit is a difference quotient with h > 0."""
    if 1e-6 * abs(expected) < abs(value - expected) <= 0.05 * abs(expected):
        raise Hint(f"{what} ({value:.8g}) {_FINITE_H}")


# --- 2.1: f(x) = 1/x at x = 2: (1/(2+h) - 1/2)/h = -1/(2(2+h)) -> -1/4 ----------------------

_RECIPROCAL_MISTAKES = [
    (
        -0.5,
        (
            "that is −1/x at x = 2: redo the algebra of (1/(x+h) − 1/x)/h over one denominator "
            "before letting h → 0"
        ),
    ),
    ((1 / 2.1 - 1 / 2) / 0.1, "that is the quotient for h = 0.1, not its limit: shrink h"),
    (0.5, "that is f(2) = 1/2, the value of the function, not its slope"),
    (-1.0, "that is the slope at x = 1; the exercise asks for x = 2"),
]


@exercise("2.1", "a derivative from the limit of difference quotients")
def derivative_of_reciprocal(answer):
    value = as_number(answer)
    if not any(math.isclose(value, wrong, rel_tol=1e-6) for wrong, _ in _RECIPROCAL_MISTAKES):
        _close_but_finite_h(value, -0.25)
    expect_number(value, -0.25, rtol=1e-6, mistakes=_RECIPROCAL_MISTAKES)


# --- 2.2: L(w) = (w - 3)²  ->  L'(w) = 2(w - 3) ------------------------------------------------


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


@exercise("2.2", "the derivative of a loss, as a function")
def loss_derivative(answer):
    expect_function(answer, lambda w: 2 * (w - 3), [-2.0, 0.0, 0.5, 3.0, 4.0, 10.0],
                    mistakes=_LOSS_MISTAKES, what="your dL")  # fmt: skip


# --- 2.3: central difference of sin at 1 with error below 1e-10 ---------------------------------


@exercise("2.3", "a step size for the central difference")
def central_step(answer):
    from calcml.numdiff import EPS, derivative

    h = as_number(answer, "your h")
    if not (math.isfinite(h) and h > 0):
        raise Hint(f"your h ({fmt(h)}) must be a positive, finite step")
    try:
        estimate = derivative(np.sin, 1.0, h=h, method="central")
    except ValueError:  # h below the float spacing at 1: x + h == x
        raise Hint(f"h = {h:.1e} is too small to change x = 1 at all in floating point") from None
    error = abs(estimate - math.cos(1.0))
    if error < 1e-10:
        return f"correct: the error at h = {h:.1e} is {error:.1e}"
    # error ≈ eps·|sin 1|/h + h²·|cos 1|/6: which side of its minimum is h on?
    h_best = (3 * EPS * abs(math.sin(1.0)) / abs(math.cos(1.0))) ** (1 / 3)
    if h > h_best:
        raise Hint(f"at h = {h:.1e} the error is {error:.1e}: truncation error (∝ h²) "
                   "dominates — take h smaller")  # fmt: skip
    raise Hint(f"at h = {h:.1e} the error is {error:.1e}: round-off error (∝ ε/h) dominates — "
               "f(1 + h) − f(1 − h) has lost its digits; take h larger")  # fmt: skip


# --- 2.4: (−3f(x) + 4f(x+h) − f(x+2h)) / (2h) = f'(x) − h² f'''(x)/3 + ...: order 2 -------------

_ORDER_MISTAKES = [
    (
        1.0,
        (
            "1 is the order of the two-point forward difference; this formula also cancels the "
            "h term — fit the slope of log(error) against log(h)"
        ),
    ),
    (
        -1.0,
        (
            "a negative slope: you fitted the round-off part, where errors grow as h shrinks "
            "— use steps between about 1e-1 and 1e-4"
        ),
    ),
    (0.5, "that is 1/p: you fitted log h against log error — put log h on the x axis"),
    *[
        (
            float(p),
            (
                f"{p} is too high: fit only steps where the error still falls steadily, well "
                "above round-off"
            ),
        )
        for p in (3, 4)
    ],
]


@exercise("2.4", "the order of a difference formula")
def three_point_order(answer):
    expect_number(answer, 2.0, rtol=0, atol=0.3, what="your order", mistakes=_ORDER_MISTAKES)
    value = as_number(answer, "your order")
    if value != round(value):
        return f"correct: {fmt(value)} rounds to the order — a fitted slope is never exact"
    return None


# --- 2.5: f(x) = |x − 1| + x at x = 1: left −1 + 1 = 0, right 1 + 1 = 2 ------------------------

_KINK_MISTAKES = {
    (2.0, 0.0): "the two slopes are swapped: give [left, right]",
    (-1.0, 1.0): "those are the one-sided slopes of |x − 1| alone; the + x adds its slope on "
    "both sides",
    (1.0, 1.0): "[1, 1] is what a central difference suggests: it averages the two sides and "
    "hides the kink — use one-sided quotients",
    (0.0, 0.0): "both zero? compute (f(1 + h) − f(1))/h for small h > 0, and (f(1) − f(1 − h))/h",
}  # fmt: skip


@exercise("2.5", "one-sided derivatives at a kink")
def one_sided_slopes(answer):
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        arr = None  # expect_array explains what is wrong with it
    if arr is not None and arr.shape == (2,):
        for wrong, hint in _KINK_MISTAKES.items():
            if np.allclose(arr, wrong, rtol=0, atol=1e-6):
                raise Hint(hint)
    expect_array(answer, np.array([0.0, 2.0]), rtol=0, atol=1e-4, what="your [left, right] slopes")
