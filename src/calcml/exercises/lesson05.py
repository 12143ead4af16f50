"""Checkers for lesson 05 — gradients and directional derivatives (``notebooks/05-gradients``).

Gradients and directions are arrays (:func:`~calcml.exercises.answers.expect_array`, with
the mistakes of the lesson recognised first: swapped partials, a non-unit direction,
ascent for descent, a direction along the level set); rates and factors are numbers; 5.6
is a function of the parameter vector, called at seeded points and compared with
``(2/N) Aᵀ(Aθ − y)``.
"""

from __future__ import annotations

import math
import time

import numpy as np

from calcml.exercises.answers import as_callable, expect_array, expect_number, fmt
from calcml.exercises.core import Hint, NotAttempted, exercise, within_time

#: f(x, y) = x²y + y³ of 5.1–5.3, at the point (1, 2)
POINT51 = (1.0, 2.0)


def _grad51(x: float, y: float) -> np.ndarray:
    return np.array([2 * x * y, x**2 + 3 * y**2])


def _as_pair(answer):
    """The answer as a float array of shape (2,), or None (then expect_array explains)."""
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr if arr.shape == (2,) and np.all(np.isfinite(arr)) else None


def _known(arr, mistakes) -> None:
    if arr is None:
        return
    for wrong, hint in mistakes:
        if np.allclose(arr, wrong, rtol=1e-9, atol=1e-12):
            raise Hint(hint)


# --- 5.1: ∇(x²y + y³) at (1, 2) ------------------------------------------------------------------


@exercise("5.1", "a gradient")
def gradient_51(answer):
    x, y = POINT51
    g = _grad51(x, y)
    _known(_as_pair(answer), [
        (g[::-1], "the partial derivatives are in the wrong order: [∂f/∂x, ∂f/∂y]"),
        ([2 * x * y + x**2, x**2 + 3 * y**2 + 2 * x * y],
         "the variable held fixed was differentiated too: in ∂f/∂x, y is a constant"),
        ([2 * x, 3 * y**2], ("x²y is a product with a constant factor: ∂/∂x keeps the y, and "
                            "∂/∂y of it is not 0")),
        ([2 * x * y, 3 * y**2], "∂f/∂y is missing a term: x²y depends on y too"),
        ([2 * x, x**2 + 3 * y**2], ("in ∂f/∂x, y is a constant factor of x²y: it stays in the "
                                   "derivative")),
        ([2 * x * y, x**2 + 3 * y], ("the power rule for y³: the exponent comes down as a "
                                    "factor and drops by one")),
        ([2 * x * y, 2 * x + 3 * y**2], ("in ∂f/∂y, x is held fixed: x² is a constant factor of "
                                        "x²y, not differentiated")),
        ([x**2 * y + y**3] * 2, "that is f(1, 2) itself, not its partial derivatives"),
    ])
    expect_array(answer, g, rtol=1e-9, atol=0, what="your gradient", factor_hint=None)


# --- 5.2: the slope of x²y + y³ at (1, 2) in the direction of v = (3, 4) ------------------------

V52 = (3.0, 4.0)


@exercise("5.2", "a directional derivative")
def directional_52(answer):
    g = _grad51(*POINT51)
    v = np.array(V52)
    length = float(np.hypot(*v))
    expect_number(answer, g @ v / length, rtol=1e-9, atol=0, factor_hint=None, mistakes=[
        (g @ v, ("v = (3, 4) is not a unit vector: D_u f = ∇f·u needs a direction u of "
                "length 1")),
        (g @ v / length**2, ("divide v by its length once, to make it a unit vector — not by "
                            "the length squared")),
        (float(np.hypot(*g)), ("that is |∇f|, the slope in the steepest direction, not in the "
                              "direction of v")),
        (g @ v[::-1] / length, ("the entries are paired wrongly: ∂f/∂x goes with the x-entry "
                               "of the direction")),
        (float(np.sum(g)) / math.sqrt(2), "the direction is v = (3, 4), not (1, 1)"),
        (g @ v / float(np.sum(v)), "the length of v is √(3² + 4²), not 3 + 4"),
    ])


# --- 5.3: the unit direction of steepest descent at (1, 2) ---------------------------------------


@exercise("5.3", "the direction of steepest descent")
def steepest_descent_53(answer):
    g = _grad51(*POINT51)
    unit = g / np.linalg.norm(g)
    _known(_as_pair(answer), [
        (unit, "that is the direction of steepest ascent; descent goes the opposite way"),
        (-g, ("the direction is right, but a direction asked for as a unit vector must have "
             "length 1: divide by its length")),
        (g, ("uphill, and not of length 1: descent goes against ∇f, and a unit vector has "
            "length 1")),
        (np.array([-g[1], g[0]]) / np.linalg.norm(g),
         ("that direction is perpendicular to ∇f: along the level set, where f does not "
         "change at all")),
        (np.array([g[1], -g[0]]) / np.linalg.norm(g),
         ("that direction is perpendicular to ∇f: along the level set, where f does not "
         "change at all")),
        (-g[::-1] / np.linalg.norm(g), ("the partial derivatives are in the wrong order: "
                                       "[∂f/∂x, ∂f/∂y]")),
    ])
    arr = _as_pair(answer)
    if arr is not None and abs(float(np.hypot(*arr)) - 1) > 1e-2:  # (not a rounding slip)
        raise Hint(f"your direction has length {fmt(float(np.hypot(*arr)))}; a unit vector "
                   "has length 1")
    expect_array(answer, -unit, rtol=1e-6, atol=1e-9, what="your direction", factor_hint=None)


# --- 5.4 and 5.5: gradient descent on f(x, y) = 3x² + 12y² ------------------------------------------

#: the quadratic of 5.4 and 5.5: f = A54 x² + B54 y², curvatures (second derivatives) 2·A54, 2·B54
A54, B54 = 3.0, 12.0


@exercise("5.4", "the largest learning rate")
def largest_rate_54(answer):
    lam_min, lam_max = 2 * A54, 2 * B54
    expect_number(answer, 2 / lam_max, rtol=1e-9, atol=0, factor_hint=None, mistakes=[
        (2 / lam_min, ("with that rate the x-coordinate converges, but the y-coordinate "
                      "diverges: the steepest direction sets the limit")),
        (2 / B54, ("the curvature of 12y² is its second derivative, not its coefficient: "
                  "gradient descent multiplies y by 1 − lr·∂²f/∂y²")),
        (1 / lam_max, ("that rate converges, but a larger one still does: find where "
                      "|1 − lr·λ| stops being smaller than 1")),
        (1 / B54, ("that rate converges, but a larger one still does: find where "
                  "|1 − lr·λ| stops being smaller than 1")),
        (2 / (lam_min + lam_max), ("that is the best fixed rate (the fastest), not the largest "
                                  "one that still converges")),
        (lam_max / 2, "the rate is a limit on lr·λ: it is a number divided by the curvature"),
    ])


@exercise("5.5", "the contraction factor")
def contraction_55(answer):
    kappa = B54 / A54
    expect_number(answer, (kappa - 1) / (kappa + 1), rtol=1e-9, atol=0, factor_hint=None,
                  mistakes=[
        (kappa, ("that is the condition number κ itself; the factor by which the error "
                "shrinks per step is less than 1")),
        (1 / kappa, ("that is 1/κ; at the best rate both coordinates shrink by the same "
                    "factor |1 − lr·λ|")),
        (1 - 1 / kappa, ("that is the factor at lr = 1/λ_max; the best fixed rate "
                        "2/(λ_min + λ_max) does better")),
        (2 / (2 * A54 + 2 * B54), ("that is the best learning rate; the exercise asks for "
                                  "the factor 1 − lr·λ_min it gives")),
        (((kappa - 1) / (kappa + 1)) ** 2, ("that is the factor per step of f − f_min, which is "
                                            "quadratic in the distance; the exercise asks for "
                                            "the distance")),
        (1 - 2 * A54 / (2 * A54 + 2 * B54), ("that is the factor at lr = 1/(λ_min + λ_max); "
                                            "the best fixed rate is 2/(λ_min + λ_max)")),
        (1 - 2 / (2 * B54) * 2 * A54, ("that is x's factor at the threshold lr = 2/λ_max, where "
                                       "the steep coordinate y does not shrink at all; the "
                                       "best fixed rate balances the two coordinates")),
    ])


# --- 5.6: the gradient of the ten-feature regression loss -------------------------------------------


def problem_5_6():
    """Lesson 05's regression: ``A_std`` (the ten standardised features and a column of
    ones, for the intercept) and the targets ``y``; also the raw ``A_raw``."""
    from calcml.datasets import diabetes, standardize

    data = diabetes()
    ones = np.ones((len(data.y), 1))
    return np.hstack([standardize(data.X), ones]), data.y, np.hstack([data.X, ones])


#: seconds a learner's grad_L may take over all the points of 5.6
_TIME_BUDGET56 = 3.0
_TOO_SLOW = object()


def _points56(d: int) -> list[np.ndarray]:
    rng = np.random.default_rng(56)
    return [np.zeros(d)] + [rng.normal(0, 30, size=d) for _ in range(3)]


@exercise("5.6", "the gradient of the regression loss")
def regression_gradient_56(answer):
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your function")
    grad_L = as_callable(answer, "your grad_L")
    A, y, A_raw = problem_5_6()
    N, d = A.shape
    start, first = time.perf_counter(), None
    for theta in _points56(d):
        left = _TIME_BUDGET56 - (time.perf_counter() - start)
        try:
            got = within_time(max(left, 1e-3), lambda theta=theta: grad_L(theta.copy()),
                              _TOO_SLOW)
        except Exception as exc:  # noqa: BLE001 — a learner's function may raise anything
            raise Hint(f"your grad_L raised {type(exc).__name__} for a θ of shape ({d},): "
                       f"{exc}") from None
        if got is _TOO_SLOW:
            raise Hint(f"your grad_L is too slow to check: it took more than "
                       f"{_TIME_BUDGET56:g} s for a few θ. One gradient of this loss takes "
                       "microseconds with NumPy — avoid long loops")
        if got is Ellipsis:
            raise NotAttempted("not attempted yet: your function still returns ...")
        r = A @ theta - y
        want = 2 / N * A.T @ r
        arr = _array_or_none(got)
        if arr is not None and arr.shape == (d,):
            if first is None:
                first = (arr, want)
            elif np.allclose(arr, first[0], rtol=1e-8, atol=1e-8) and not np.allclose(
                    want, first[1], rtol=1e-8, atol=1e-8):
                raise Hint("your grad_L gives the same values at θ = 0 and at another θ: does "
                           "it compute with its argument theta (not with a θ defined outside "
                           "the function)?")
            _known56(arr, theta, A, A_raw, y)
        expect_array(got, want, rtol=1e-8, atol=1e-8, what=f"your grad_L(θ) at θ = "
                     f"{'0' if not theta.any() else 'a random point'}",
                     factor_hint="the mean's 1/N, or the square's 2?")


def _array_or_none(value):
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _known56(arr, theta, A, A_raw, y) -> None:
    N = len(y)
    r = A @ theta - y
    mistakes = [
        (2 * A.T @ r, "L is the mean of the squared errors: the gradient has a 1/N"),
        (A.T @ r / N, "the square's derivative (u²)' = 2u gives a factor 2"),
        (2 / N * A_raw.T @ (A_raw @ theta - y), ("that uses the raw features (A_raw); the "
                                                "exercise's loss is on A_std")),
        (2 / N * A.T @ (y - A @ theta), ("the residual is prediction minus target, Aθ − y: "
                                        "your gradient points the wrong way")),
        (np.full(A.shape[1], 2 * np.mean(r)), ("every weight gets the same number: each "
                                               "partial derivative ∂L/∂θⱼ carries its own "
                                               "feature column, Aᵀ(Aθ − y)")),
    ]
    for wrong, hint in mistakes:
        if np.allclose(arr, wrong, rtol=1e-8, atol=1e-8) and not np.allclose(
                arr, 2 / N * A.T @ r, rtol=1e-8, atol=1e-8):
            raise Hint(hint)
