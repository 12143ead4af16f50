"""Right and wrong answers for lesson 01's exercises (realistic learner attempts)."""

import itertools
import math

import numpy as np

from calcml.functions import leaky_relu, relu, sigmoid, sigmoid_derivative, softplus
from calcml.limits import numeric_limit


def _leaky_slope(h):
    return (leaky_relu(h, alpha=0.1) - leaky_relu(0.0, alpha=0.1)) / h


def _ratio(x):
    with np.errstate(all="ignore"):
        return float(sigmoid_derivative(x) / sigmoid_derivative(x + 1))

def _literal_ratio(x):
    s, t = 1 / (1 + math.exp(-x)), 1 / (1 + math.exp(-x - 1))
    return s * (1 - s) / (t * (1 - t))


CASES = {
    "1.1": {
        "right": [3.0, 3, 2.9999999, float(np.sin(3e-6) / 1e-6)],
        "wrong": [
            (1.0, "angle is 3x"),
            (1 / 3, "upside down"),
            (math.sin(3.0), "value at x = 1"),
            (-3.0, "wrong sign"),
            (float(np.sin(3e-3) / 1e-3), "still moving"),  # the h = 1e-3 row of limit_table
            (float(np.sin(3 * 0.1) / 0.1), "still moving"),  # the first row
            (float(np.sin(3 * 2**-6) / 2**-6), "still moving"),  # a halving, as in the plot
            (2.9999, "slightly too small"),
        ],
    },
    "1.2": {
        "right": [0.1, float((leaky_relu(-1e-8, alpha=0.1) - leaky_relu(0.0, alpha=0.1)) / -1e-8)],
        "wrong": [
            (1.0, "from the right"),
            (float((leaky_relu(1e-8, alpha=0.1) - 0.0) / 1e-8), "from the right"),
            (0.55, "average"),
            (0.0, "plain relu"),
            (float((leaky_relu(-1e-8) - leaky_relu(0.0)) / -1e-8), "default alpha"),
            (-0.1, "wrong sign"),
            (float("nan"), "ask numeric_limit for one side"),
            (10.0, "upside down"),  # h / (change in output)
            (numeric_limit(_leaky_slope, 0.0).value, "two-sided limit does not exist"),
            (numeric_limit(_leaky_slope, 0.0), "ask numeric_limit for one side"),
        ],
    },
    "1.3": {
        "right": [math.e, float(sigmoid_derivative(20.0) / sigmoid_derivative(21.0)), 2.718282],
        "wrong": [
            (1.0, "indeterminate"),
            (1 / math.e, "upside down"),
            (float(sigmoid_derivative(0.0) / sigmoid_derivative(1.0)), "ratio at x = 0"),
            (0.0, "indeterminate"),
            (float("nan"), "underflow"),
            (2.7, "too small"),
            (_ratio(10.0), "not far enough out"),  # the lesson's own "saturated" example
            (_ratio(5.0), "not far enough out"),
            (_ratio(740.0), "underflow"),
            (_ratio(745.0), "infinite"),
            (_ratio(1000.0), "0/0"),
            (2.718, "don't round"),
            (_literal_ratio(25.0), "1 − σ cancels"),  # σ' computed as σ(1 − σ) by the learner
            (_literal_ratio(30.0), "use sigmoid_derivative"),
            (2 * math.e, "which one is on top"),
            (2.71, "σ(1 − σ) yourself"),
            # typed whole numbers are no ratio at one x (3 ≈ the cancellation's 2.99…98)
            (3, "(3) is too large"),
            (2, "(2) is too small"),
            (float(sigmoid(20.0) / sigmoid(21.0)), "sigmoid's own values"),  # σ, not σ'
            (_ratio(-30.0), "towards −∞"),  # the limit taken at −∞: the reciprocal
            (2.71827, "close but slightly too small"),  # a typo, not a cancellation ratio
        ],
    },
    "1.4": {
        "right": [
            {"relu", "softplus", "sinc", "wiggle"},
            ["wiggle", "sinc", "softplus", "relu"],
            ("ReLU", "Softplus", "sinc ", "wiggle"),
            np.array(["relu", "softplus", "sinc", "wiggle"]),
            {"relu": relu, "softplus": softplus, "sinc": None, "wiggle": None}.keys(),
            (name for name in ("relu", "softplus", "sinc", "wiggle")),
        ],
        "wrong": [
            ({"relu", "softplus", "sinc", "wiggle", "step"}, "1 of your choices does not belong"),
            ({"relu", "softplus", "sinc", "wiggle", "sign"}, "left, the limit from the right"),
            ({"relu", "softplus", "sinc", "wiggle", "hole"}, "the value f(0)"),
            ({"relu", "softplus", "sinc"}, "1 right choice is missing"),
            ({"softplus", "sinc", "wiggle"}, "lim f(x) exists and equals f(0)"),
            ({"relu", "softplus", "hole", "step"}, "2 of your choices do not belong and 2 right"),
            # the hints must not point at a particular candidate
            ({"relu", "softplus", "sinc"}, "continuity asks nothing about the shape"),
            (np.array(["relu", "step"]), "does not belong"),
            ({"relu": relu, "softplus": softplus}.keys(), "missing"),
            ("relu, softplus", "single string"),
            ({"relu", "sigmoid"}, "unknown name"),
            ([1, 2], "as strings"),
        ],
    },
    "1.5": {
        "right": [
            lambda x: max(x, 0.0) + math.log1p(math.exp(-abs(x))),
            lambda x: np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))),
            lambda x: x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x)),
            lambda x: np.logaddexp(0.0, x),  # NumPy's log(e^0 + e^x)
            lambda x: x if x > 40 else np.log1p(np.exp(x)),  # a shortcut accurate where used
        ],
        "wrong": [
            (lambda x: np.log(1 + np.exp(x)), "exp(710) overflows"),
            (lambda x: math.log(1 + math.exp(x)), "overflows at x = 710"),
            (lambda x: np.log1p(np.exp(x)), "overflows"),
            (lambda x: max(x, 0.0) + math.log(1 + math.exp(-abs(x))), "log(1 + t)"),
            # the large-x rewrite used everywhere: log1p is there, the cancellation is not named
            (lambda x: x + math.log1p(math.exp(-x)), "x + log(1 + e^(−x))"),
            (lambda x: x + np.log1p(np.exp(-x)), "catastrophic cancellation"),
            (lambda x: max(x, 0.0), "is the relu"),
            # a loop that never ends is cut off after about 3 s, not the framework's 8 s
            (lambda x: next(k for k in itertools.count() if k < 0), "did not return within"),
            (lambda x: math.log1p(math.exp(-abs(x))), "add the max(x, 0) part"),
            (lambda x: -(max(x, 0.0) + math.log1p(math.exp(-abs(x)))), "wrong sign"),
            (softplus, "calcml's own softplus"),  # forbidden by the exercise
            (lambda x: math.log10(1 + math.exp(x)), "natural log"),
            (lambda x: softplus(x), "write the formula yourself"),
            # piecewise shortcuts that are not accurate to 9 digits just past their threshold
            (lambda x: x if x > 5.5 else np.log1p(np.exp(x)), "returns x itself"),
            (lambda x: x if x > 0 else np.log1p(np.exp(x)), "a shortcut for part of the range"),
            (lambda x: x if x > 12 else float(np.log1p(np.exp(x))), "relative error"),
            (lambda x: math.exp(x) if x < -10 else max(x, 0.0) + math.log1p(math.exp(-abs(x))),
             "returns e^x"),
            (lambda x: max(x, 0.0) + math.log1p(math.exp(-abs(x))) * (1 + 1e-7), "9 digits"),
            # wrong only between 100 and 200: the far grid (60.5 to 1e300) had no point there
            (lambda x: x * (1 + 1e-8) if 100 < x < 200 else np.logaddexp(0.0, x),
             "relative error of 1e-08"),
        ],
    },
    "1.6": {
        "right": [
            lambda x: 1 / (math.sqrt(1 + x) + 1),
            lambda x: 1 / (np.sqrt(1 + x) + 1),
            lambda x: x / (x * (math.sqrt(1 + x) + 1)),
            lambda x: math.expm1(0.5 * math.log1p(x)) / x,
            # a patch that is accurate on both sides of its threshold is fine
            lambda x: 0.5 - x / 8 if abs(x) < 1e-4 else (math.sqrt(1 + x) - 1) / x,
        ],
        "wrong": [
            (lambda x: (math.sqrt(1 + x) - 1) / x, "catastrophic cancellation"),
            (lambda x: (np.sqrt(1 + x) - 1) / x, "no two nearly equal numbers"),
            (lambda x: math.sqrt(1 + x) - 1, "numerator only"),
            (lambda x: 1 / (math.sqrt(1 + x) - 1), "sum, not a difference"),
            (lambda x: 2 / (math.sqrt(1 + x) + 1), "constant factor"),
            (lambda x: 2 / (math.sqrt(1 + x) + 1), "redo the product in the numerator"),
            (lambda x: 1 / math.sqrt(1 + x) + 1, "at x ="),
            # a constant patch whose threshold is too small: cancellation just outside it
            (lambda x: 0.5 if abs(x) < 1e-8 else (math.sqrt(1 + x) - 1) / x, "a patch near 0"),
            # ... or too large: the constant is not the value there
            (lambda x: 0.5 if abs(x) < 1e-6 else (math.sqrt(1 + x) - 1) / x, "constant patch"),
            # a truncated series used too far out
            (lambda x: 0.5 - x / 8 + x * x / 16 if abs(x) < 0.1 else (math.sqrt(1 + x) - 1) / x,
             "a series or a patch"),
            (lambda x: 0.5 - x / 8 if abs(x) < 1e-2 else 1 / (math.sqrt(1 + x) + 1), "9 digits"),
            # wrong only far from 0 (a "simplification" that holds for small x only)
            (lambda x: 1 / (math.sqrt(1 + x) + 1) if x < 5 else 1 / math.sqrt(x), "at x ="),
        ],
    },
}
