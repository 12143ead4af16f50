"""Right and wrong answers for lesson 06's exercises (the chain rule and backpropagation)."""

import math

import numpy as np

from calcml.autodiff import Dual, Tensor
from calcml.exercises.lesson06 import problem_6_3

X, W, C = problem_6_3()
H = np.tanh(X @ W)
DW = X.T @ (C * (1 - H ** 2))


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def stacked(depth, combine=math.prod, x=0.0, at_output=False):
    """The slope through ``depth`` sigmoids; ``at_output`` takes each σ' at the layer's output."""
    rates = []
    for _ in range(depth):
        a = sigmoid(x) if at_output else x
        rates.append(sigmoid(a) * (1 - sigmoid(a)))
        x = sigmoid(x)
    return combine(rates)


def _outputs(depth, x=0.0):
    """σ(x), σ(σ(x)), … : the outputs of ``depth`` stacked sigmoids."""
    outs = []
    for _ in range(depth):
        x = sigmoid(x)
        outs.append(x)
    return outs


def round_sig(value, digits):
    return float(f"{value:.{digits}g}")


F1 = math.exp(math.sin(1.2)) * math.cos(1.2) * 3  # the answer of 6.1
F2 = math.sin(1.2) * 2.4 + 1.44 * math.cos(1.2)  # the answer of 6.2


CASES = {
    "6.1": {
        # the prose: relative error below 1e-5, 6 significant figures always enough
        "right": [math.exp(math.sin(1.2)) * math.cos(1.2) * 3, 2.76082, round_sig(F1, 6)],
        "wrong": [
            (math.exp(math.sin(1.2)) * math.cos(1.2), "innermost step"),
            (math.exp(math.sin(1.2)) * 3, "middle step"),
            (math.exp(1.2) * math.cos(1.2) * 3, "wrong input"),
            (math.exp(math.sin(1.2)), "value of f"),
            (-math.exp(math.sin(1.2)) * math.cos(1.2) * 3, "wrong sign"),
            (math.exp(math.sin(1.2)) * math.cos(0.4) * 3, "sin's rate cos(·) is evaluated at the wrong"),
            (math.exp(math.sin(0.4)) * math.cos(1.2) * 3, "exp's rate is evaluated at the wrong"),
            (round_sig(F1, 4), "don't round"),  # 2.761
            (round_sig(F1, 3), "close but slightly"),
            (round_sig(F1, 4), "at least 6 significant figures"),
            (F1 * 1.5, "too large"),
            (Dual(0.4, 1.0), "`.deriv` holds the derivative"),  # f(Dual(...)) itself
            (Tensor(np.ones((2, 2))), "`t.item()`"),
        ],
    },
    "6.2": {
        # the prose: relative error below 1e-6, 7 significant figures always enough
        "right": [math.sin(1.2) * 2.4 + 1.44 * math.cos(1.2), round_sig(F2, 7)],
        "wrong": [
            (math.sin(1.2) * 2.4, "only the path through u"),
            (1.44 * math.cos(1.2), "only the path through v"),
            (math.sin(1.2) * 2.4 * 1.44 * math.cos(1.2), "paths add up"),
            (2.4 * math.cos(1.2), "not those from u and v to f"),
            (math.sin(1.2) * 1.2 + 1.44 * math.cos(1.2), "rate du/dx"),
            (math.sin(1.2) * 2.4 - 1.44 * math.cos(1.2), "path through v has the wrong sign"),
            (1.44 * math.sin(1.2), "value f(1.2) itself"),
            (round_sig(F2, 5), "don't round"),
            # the two first-step rates added: 2.762, within 0.2 % of the answer, not a rounding
            (2.4 + math.cos(1.2), "first steps only"),
            (math.sin(1.2) * 2 + 1.44 * math.cos(1.2), "rate du/dx"),
            # the two paths' rates handed in as a pair, in either order
            ((math.sin(1.2) * 2.4, 1.44 * math.cos(1.2)), "rates along the two paths"),
            ([1.44 * math.cos(1.2), math.sin(1.2) * 2.4], "rates along the two paths"),
            (np.array([1.0, 2.0]), "a single number is expected"),
        ],
    },
    "6.3": {
        "right": [DW, DW.tolist(), np.vectorize(lambda v: round_sig(v, 7))(DW)],
        "wrong": [
            (X.T @ C, "local derivative of tanh is missing"),
            (X.T @ (C * (1 - H)), "not 1 − tanh"),
            (X.T @ (C * (1 - (X @ W) ** 2)), "squared Z = XW itself"),  # 1 − Z², not 1 − tanh²
            (X.T @ (C * H * (1 - H)), "sigmoid's derivative"),
            (X.T @ (1 - H ** 2), "weights C of the loss are missing"),
            (X.T @ (C * H), "tanh itself where its derivative belongs"),
            (2 * DW, "constant factor everywhere"),
            (DW / 8, "constant factor everywhere"),
            (np.round(DW, 3), "close to the expected values everywhere"),
            (DW.T, "transposed"),
            (-DW, "wrong sign"),
            (DW.ravel(), "reshape"),
            (DW + 0.1, "differs from the expected values"),
        ],
    },
    "6.4": {
        "right": [stacked(10), round_sig(stacked(10), 7)],
        "wrong": [
            (0.25 ** 10, "that layer's own input"),
            (0.25, "rate of one sigmoid"),
            (stacked(10, combine=sum), "rates along a chain multiply"),
            (stacked(9), "one layer is missing"),
            (stacked(10, at_output=True), "not the value leaving it"),
            (math.prod(1 - s * s for s in _outputs(10)), "tanh's derivative"),  # 1 − σ²
            # tanh's rate 1 − tanh²(a) at each sigmoid's own input a
            (math.prod(1 - math.tanh(a) ** 2 for a in [0.0, *_outputs(9)]), "tanh's derivative"),
            (_outputs(10)[-1], "value of the ten stacked sigmoids"),
            (round_sig(stacked(10), 3), "don't round"),
        ],
    },
    "6.5": {
        "right": [7, 7.0, np.float64(7.0), np.array(7.0)],
        "wrong": [
            (2 * 6.75 + 7, "no longer counts"),
            (3.0, "adds to .grad instead of replacing it"),
            (4.0, "the last backward call"),
            (0.0, "they add gradients after it"),
            (13.5, "accumulated before zero_grad"),
            (6.75, "one of the calls before zero_grad"),
            (6.75 + 4 + 3, "not only the last call"),  # zero_grad read as dropping one call
            (6.0, "gradient of w² is 2w"),
            (4 * 1.5 + 1.5 ** 2, "values of the functions"),
            (14.0, "count which backward calls"),
            (7.5, "too large"),
            # exact, as the prose says: a near miss is not within a relative tolerance
            (7.000001, "this one is exact"),
            (6.9999999, "this one is exact"),
            (7.0001, "give the value exactly"),
        ],
    },
    "6.6": {
        "right": [10_000, 10_000.0, "10 000", "10,000"],
        "wrong": [
            (1, "reverse mode needs for one output"),
            (2, "counts reverse mode"),
            (20_000, "value and one tangent together"),
            (100, "too small"),
            (30_000, "one directional derivative"),
            (5_000, "how many of those a full gradient needs"),
            (9_990, "too small"),
            (10_001, "too large"),  # a miscount, not a rounding: no "don't round"
            ("10 001", "too large"),
            (10_000.4, "not a whole number"),  # within 0.5 of the count, still not a count
            (10_000.0000001, "(10000.0000001) is not a whole"),  # shown with all its digits
        ],
    },
    "6.7": {
        "right": [
            lambda g, a, b: (g / b, -g * a / b**2),
            lambda g, a, b: [g * b**-1, -g * a * b**-2],
            lambda g, a, b: np.array([g / b, -(g / b) * (a / b)]),
        ],
        "wrong": [
            (lambda g, a, b: (1 / b, -a / b**2), "multiply them by grad_out"),
            (lambda g, a, b: (-g * a / b**2, g / b), "swapped"),
            (lambda g, a, b: (g / b, g * a / b**2), "sign of ∂L/∂b"),
            (lambda g, a, b: (g / b, -g * a / b), "power rule"),
            (lambda g, a, b: (g / b, -g / b**2), "lost the factor a"),
            (lambda g, a, b: (g / b, 0.0), "b gets a gradient too"),
            (lambda g, a, b: g / b, "must return two numbers"),
            (lambda g, a, b: (g / b, -g * a / b**2) if a < 2.5 else (g / b, 0.0),
             "seed="),  # right at the first points, wrong for a larger numerator: the hint
            # names the seed that random_graph_gradients(div_backward, seed) reproduces
            (lambda g, a, b: (g / b, -g * a / b**3), "second number"),
        ],
    },
}
