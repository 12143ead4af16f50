"""Right and wrong answers for lesson 06's exercises (the chain rule and backpropagation)."""

import math

import numpy as np

from calcml.exercises.lesson06 import problem_6_3

X, W, C = problem_6_3()
H = np.tanh(X @ W)
DW = X.T @ (C * (1 - H ** 2))


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def stacked(depth, combine=math.prod, x=0.0):
    rates = []
    for _ in range(depth):
        rates.append(sigmoid(x) * (1 - sigmoid(x)))
        x = sigmoid(x)
    return combine(rates)


CASES = {
    "6.1": {
        "right": [math.exp(math.sin(1.2)) * math.cos(1.2) * 3, 2.76082],
        "wrong": [
            (math.exp(math.sin(1.2)) * math.cos(1.2), "innermost step"),
            (math.exp(math.sin(1.2)) * 3, "middle step"),
            (math.exp(1.2) * math.cos(1.2) * 3, "wrong input"),
            (math.exp(math.sin(1.2)), "value of f"),
            (-math.exp(math.sin(1.2)) * math.cos(1.2) * 3, "wrong sign"),
        ],
    },
    "6.2": {
        "right": [math.sin(1.2) * 2.4 + 1.44 * math.cos(1.2)],
        "wrong": [
            (math.sin(1.2) * 2.4, "only the path through u"),
            (1.44 * math.cos(1.2), "only the path through v"),
            (math.sin(1.2) * 2.4 * 1.44 * math.cos(1.2), "paths add up"),
            (2.4 * math.cos(1.2), "∂f/∂u and ∂f/∂v are missing"),
        ],
    },
    "6.3": {
        "right": [DW, DW.tolist()],
        "wrong": [
            (X.T @ C, "local derivative of tanh is missing"),
            (X.T @ (C * (1 - H)), "not 1 − tanh"),
            (X.T @ (C * H * (1 - H)), "sigmoid's derivative"),
            (X.T @ (1 - H ** 2), "weights C of the loss are missing"),
            (DW.T, "transposed"),
            (-DW, "wrong sign"),
            (DW.ravel(), "reshape"),
            (DW + 0.1, "differs from the expected values"),
        ],
    },
    "6.4": {
        "right": [stacked(10)],
        "wrong": [
            (0.25 ** 10, "that layer's own input"),
            (0.25, "rate of one sigmoid"),
            (stacked(10, combine=sum), "rates along a chain multiply"),
            (stacked(9), "one layer is missing"),
        ],
    },
    "6.5": {
        "right": [36, 36.0, np.float64(36.0), np.array(36.0)],
        "wrong": [
            (12.0, "backward adds to .grad"),
            (0.0, "nothing resets .grad"),
            (24.0, "count the backward calls"),
            (108.0, "nothing is multiplied"),
        ],
    },
    "6.6": {
        "right": [10_000, 10_000.0],
        "wrong": [
            (1, "reverse mode needs for one output"),
            (2, "counts reverse mode"),
            (20_000, "value and one tangent together"),
            (100, "too small"),
        ],
    },
}
