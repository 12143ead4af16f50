"""Right and wrong answers for lesson 01's exercises (realistic learner attempts)."""

import math

import numpy as np

from calcml.functions import leaky_relu, sigmoid_derivative

CASES = {
    "1.1": {
        "right": [3.0, 3, 2.9999999, float(np.sin(3e-6) / 1e-6)],
        "wrong": [
            (1.0, "angle is 3x"),
            (1 / 3, "upside down"),
            (math.sin(3.0), "value at x = 1"),
            (-3.0, "wrong sign"),
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
        ],
    },
    "1.4": {
        "right": [
            {"relu", "softplus", "sinc", "wiggle"},
            ["wiggle", "sinc", "softplus", "relu"],
            ("ReLU", "Softplus", "sinc ", "wiggle"),
        ],
        "wrong": [
            ({"relu", "softplus", "sinc", "wiggle", "step"}, "jumps at 0"),
            ({"relu", "softplus", "sinc", "wiggle", "sign"}, "jumps at 0"),
            ({"relu", "softplus", "sinc", "wiggle", "hole"}, "lim f(x) = f(0)"),
            ({"relu", "softplus", "sinc"}, "squeezed"),
            ({"softplus", "sinc", "wiggle"}, "a kink"),
            ({"relu", "softplus", "wiggle"}, "0/0"),
            ({"relu", "softplus", "sinc", "hole", "step"}, "squeezed"),
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
        ],
        "wrong": [
            (lambda x: np.log(1 + np.exp(x)), "exp(710) overflows"),
            (lambda x: math.log(1 + math.exp(x)), "overflows at x = 710"),
            (lambda x: np.log1p(np.exp(x)), "overflows"),
            (lambda x: max(x, 0.0) + math.log(1 + math.exp(-abs(x))), "log(1 + t)"),
            (lambda x: max(x, 0.0), "is the relu"),
            (lambda x: math.log1p(math.exp(-abs(x))), "add the max(x, 0) part"),
            (lambda x: -(max(x, 0.0) + math.log1p(math.exp(-abs(x)))), "wrong sign"),
        ],
    },
    "1.6": {
        "right": [
            lambda x: 1 / (math.sqrt(1 + x) + 1),
            lambda x: 1 / (np.sqrt(1 + x) + 1),
            lambda x: x / (x * (math.sqrt(1 + x) + 1)),
            lambda x: math.expm1(0.5 * math.log1p(x)) / x,
        ],
        "wrong": [
            (lambda x: (math.sqrt(1 + x) - 1) / x, "catastrophic cancellation"),
            (lambda x: (np.sqrt(1 + x) - 1) / x, "no two nearly equal numbers"),
            (lambda x: math.sqrt(1 + x) - 1, "numerator only"),
            (lambda x: 1 / (math.sqrt(1 + x) - 1), "sum, not a difference"),
            (lambda x: 2 / (math.sqrt(1 + x) + 1), "constant factor of 2"),
            (lambda x: 1 / math.sqrt(1 + x) + 1, "at x ="),
        ],
    },
}
