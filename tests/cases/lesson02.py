"""Right and wrong answers for lesson 02's exercises."""

import math
import time

import numpy as np
import sympy as sp

from calcml.exercises.lesson02 import _cancer

X, Y, NAMES, X_RAW = _cancer()
K = NAMES.index("mean texture")
PARTIALS = X.T @ (0.5 - Y) / len(Y)  # ∂L/∂w at w = 0, b = 0


def _loss_along(t, k=K):
    z = X[:, k] * t
    return float(np.mean(np.logaddexp(0.0, z) - Y * z))


def _three_point_errors(steps):
    est = (-3 * np.exp(0.0) + 4 * np.exp(steps) - np.exp(2 * steps)) / (2 * steps)
    return np.abs(est - 1.0)


STEPS = np.logspace(-1, -3, 9)
_W, _H = sp.Symbol("w", real=True), sp.Symbol("h")


def _slow_dL(w):  # a dL that does not return in time
    time.sleep(30)
    return 2 * (w - 3)


def _params_test_partial():  # ∂L/∂w_k at the lesson's gradient-check point params_test
    params = np.random.default_rng(0).normal(0, 0.1, size=31)
    z = X @ params[:-1] + params[-1]
    return float(X[:, K] @ (1 / (1 + np.exp(-z)) - Y) / len(Y))

CASES = {
    "2.1": {
        "right": [-0.25, -1 / 4, np.float64(-0.25), -0.2500000001],
        "wrong": [
            (0.25, "wrong sign"),
            (-0.5, "one denominator"),
            ((1 / 2.1 - 1 / 2) / 0.1, "forward difference quotient"),
            ((1 / 2 - 1 / 1.9) / 0.1, "backward difference quotient"),  # −0.263
            ((1 / 3 - 1 / 2) / 1, "with h = 1,"),  # −0.167
            ((1 / 2.1 - 1 / 1.9) / 0.2, "central difference quotient"),
            ((1 / 2.001 - 1 / 2) / 0.001, "finite h"),
            (0.5, "value of the function"),
            (-1.0, "slope at x = 1"),
            # a step far too small: round-off, not truncation — "take h smaller" would mislead
            ((1 / (2 + 1e-13) - 1 / 2) / 1e-13, "round-off"),
        ],
    },
    "2.2": {
        "right": [lambda w: 2 * (w - 3), lambda w: 2 * w - 6, np.vectorize(lambda w: 2 * w - 6),
                  # the SymPy route of the lesson, and the expression typed as on paper
                  sp.limit(sp.expand(((_W + _H - 3) ** 2 - (_W - 3) ** 2) / _H), _H, 0),
                  "2(w - 3)", "2w - 6"],
        "wrong": [
            (lambda w: (w - 3) ** 2, "loss L(w) itself"),
            (lambda w: 2 * (w - 3) + 0.01, "h = 0.01"),
            (lambda w: w - 3, "expand (w + h − 3)² − (w − 3)²"),
            (lambda w: 2 * (3 - w), "wrong sign"),
            (lambda w: 2 * w, "off by a constant"),
            (2 * (1.0 - 3), "should be a function"),
            (lambda w: 2 * (w - 3) ** 2, "at w = "),  # a point where it differs, named by w
            # right only near the points a sparse check would try
            (lambda w: 2 * (w - 3) if abs(w) <= 10 else 0.0, "without cases"),
            (lambda w: 2 * w - 6 + (1e-6 if w > 20 else 0.0), "at w = 20.1"),
            (np.vectorize(lambda w: 2 * (w - 3) if w < 30 else 2 * w), "one expression"),
            # exact on the grid of tenths only: the random weights between catch it
            (lambda w: round(2 * (w - 3), 1), "without cases or rounding"),
            # quotients with steps no list of mistakes names, and numerical estimates
            (lambda w: ((w + 1e-5 - 3) ** 2 - (w - 3) ** 2) / 1e-5, "h = 1e-05"),
            (lambda w: ((w - 3) ** 2 - (w - 1e-4 - 3) ** 2) / 1e-4, "backward difference"),
            (lambda w: ((w + 1e-8 - 3) ** 2 - (w - 3) ** 2) / 1e-8, "relative error below 1e-9"),
            (lambda w: 2 * (w - 3) * (1 + 1e-8), "relative error below 1e-9"),
            # an expression in the wrong variable, the quotient before the limit, the question
            ("2(x - 3)", "depend on w only"),
            (sp.expand(((_W + _H - 3) ** 2 - (_W - 3) ** 2) / _H), "let h → 0"),
            (sp.Derivative((_W - 3) ** 2, _W), "unevaluated"),
            ("(w - 3)^2", "loss L(w) itself"),
            (_slow_dL, "too slow"),
        ],
    },
    "2.3": {
        "right": [1e-5, 1e-6, 5e-6, 2e-5],
        "wrong": [
            (1e-2, "truncation"),
            (1e-3, "take h smaller"),
            (3e-8, "luck"),  # the error at 3e-8 itself is below 1e-10, typical errors are not
            (1e-9, "round-off"),
            (1e-13, "take h larger"),
            (1e-17, "too small to change x"),
            (-1e-5, "positive"),
            (0.0, "positive"),
            (math.cos(1.0), "derivative itself"),  # the estimate handed in instead of h
        ],
    },
    "2.4": {
        "right": [2, 2.0, 1.98, 2.03, 2.4, 1.6,  # the nearest whole number is what counts
                  float(np.polyfit(np.log(STEPS), np.log(_three_point_errors(STEPS)), 1)[0]),
                  float(np.polyfit(np.log10(STEPS), np.log10(_three_point_errors(STEPS)), 1)[0])],
        "wrong": [
            (1, "two-point forward"),
            (1, "reach round-off"),
            (0.90, "reach round-off"),  # steps 1e-1 … 1e-8 with the right formula
            (-0.32, "round-off"),  # steps 1e-1 … 1e-15
            (-1.0, "negative slope"),
            (-1.0, "round-off"),
            (0.5, "fitted log h against log error"),
            # steps from 1e-1 down to 1e-9: round-off flattens the fit to about 0.6
            (float(np.polyfit(np.log(np.logspace(-1, -9, 20)),
                              np.log(_three_point_errors(np.logspace(-1, -9, 20))), 1)[0]),
             "round-off"),
            # steps down to 1e-12: a slope near 0
            (float(np.polyfit(np.log(np.logspace(-1, -12, 20)),
                              np.log(_three_point_errors(np.logspace(-1, -12, 20))), 1)[0]),
             "round-off"),
            # the estimates fitted instead of their errors
            (float(np.polyfit(np.log(STEPS), np.log(1.0 - _three_point_errors(STEPS)), 1)[0]),
             "rather than their errors"),  # the estimates lie below f'(0) = 1
            (3, "higher powers of h"),
            (2.6, "too high"),
            # a fit of the values themselves, or of only one of them logged
            (float(np.polyfit(STEPS, _three_point_errors(STEPS), 1)[0]), "fitted the values"),
            (float(np.polyfit(np.log(STEPS), _three_point_errors(STEPS), 1)[0]), "logarithm"),
            (float(np.polyfit(STEPS, np.log(_three_point_errors(STEPS)), 1)[0]), "np.log(errors)"),
            # polyfit's whole answer [slope, intercept]
            (np.polyfit(np.log(STEPS), np.log(_three_point_errors(STEPS)), 1), "[slope, intercept]"),
            # np.log10 on one axis, np.log on the other
            (float(np.polyfit(np.log10(STEPS), np.log(_three_point_errors(STEPS)), 1)[0]),
             "different bases"),
            (float(np.polyfit(np.log(STEPS), np.log10(_three_point_errors(STEPS)), 1)[0]),
             "different bases"),
            # a mistyped formula (a sign): the estimates tend to −3, not 1
            (float(np.polyfit(np.log(STEPS), np.log(np.abs((3 * np.exp(0.0) - 4 * np.exp(STEPS)
                                                             + np.exp(2 * STEPS)) / (2 * STEPS)
                                                            - 1.0)), 1)[0]), "mistyped"),
            # polyfit's second entry, the intercept log C
            (float(np.polyfit(np.log(STEPS), np.log(_three_point_errors(STEPS)), 1)[1]),
             "intercept"),
        ],
    },
    "2.5": {
        "right": [[0.0, 2.0], np.array([0, 2]), (0.0, 2.0), [1e-6, 2.0]],
        "wrong": [
            ([2.0, 0.0], "swapped"),
            ([-1.0, 1.0], "|x − 1| alone"),
            ([1.0, 1.0], "central difference"),
            ([0.0, 0.0], "both zero"),
            ([[0.0], [2.0]], "shape"),
            ([0.0, 1.0], "your pair [left, right]"),
            ([0.0, None], "None"),
        ],
    },
    "2.6": {
        "right": [float(PARTIALS[K]), (_loss_along(1e-6) - _loss_along(-1e-6)) / 2e-6,
                  float(f"{PARTIALS[K]:.7g}")],
        "wrong": [
            (-float(PARTIALS[K]), "wrong sign"),
            (-round(float(PARTIALS[K]), 4), "wrong sign"),
            (float(PARTIALS[NAMES.index("worst radius")]), "lesson's example"),
            (float(PARTIALS[0]), "'mean radius'"),  # another column
            (float(PARTIALS[K]) * len(Y), "n times"),
            (float(np.mean(0.5 - Y)), "bias"),
            (math.log(2), "value of the loss"),
            (float(X_RAW[:, K] @ (0.5 - Y) / len(Y)), "raw measurements"),
            # standardised by hand with the sample standard deviation (pandas' .std())
            (float((X_RAW[:, K] - X_RAW[:, K].mean()) / X_RAW[:, K].std(ddof=1) @ (0.5 - Y)
                   / len(Y)), "ddof=1"),
            ((_loss_along(0.1) - _loss_along(0.0)) / 0.1, "forward difference quotient with h = 0.1"),
            ((_loss_along(0.0) - _loss_along(-0.01)) / 0.01, "backward difference"),
            (round(float(PARTIALS[K]), 3), "don't round"),
            (_params_test_partial(), "params_test"),  # the gradient check's point, not params0
            # central differences with steps far too small: round-off, not "go further"
            ((_loss_along(1e-12) - _loss_along(-1e-12)) / 2e-12, "round-off"),
            ((_loss_along(1e-13) - _loss_along(-1e-13)) / 2e-13, "round-off"),
            (round(float(PARTIALS[K]), 4), "don't round"),
        ],
    },
}
