"""Checkers for the primer on notation (``notebooks/00-primer``): vectors, matrices, shapes,
matrix products, broadcasting and sums with Σ. Its exercises are numbered 0.1, 0.2, …"""

from __future__ import annotations

import math

import numpy as np

from calcml.datasets import diabetes
from calcml.exercises.answers import as_number, expect_array, expect_number
from calcml.exercises.core import Hint, NotAttempted, exercise

__all__ = ["primer_data"]

U = np.array([2.0, -1.0, 3.0])
V = np.array([4.0, 0.5, -2.0])
A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
W_EX = np.array([0.5, -2.0])
B_EX = 1.0


def primer_data():
    """The diabetes matrix ``X`` (442, 10) and targets ``y`` the primer works on."""
    data = diabetes()
    return data.X, data.y


def _array_or_none(answer):
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if isinstance(answer, (str, bytes)) or answer is None or callable(answer):
        return None
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int such as 10**400
        return None
    return arr if np.isfinite(arr).all() else None


# --- 0.1: a dot product ------------------------------------------------------------------
@exercise("0.1", "a dot product")
def dot_product(answer):
    arr = _array_or_none(answer)
    if arr is not None and arr.shape == (3,):
        if np.allclose(arr, U * V):
            raise Hint("that is the entry-by-entry product u * v, a vector; the dot product "
                       "adds those products up into one number")
        raise Hint("your answer is a vector of three numbers; the dot product is one number")
    expect_number(answer, float(U @ V), mistakes=[
        (float(U.sum() * V.sum()), ("that is the product of the two sums; the dot product "
                                    "multiplies entries in the same position first, then adds")),
        (float(U.sum() + V.sum()), ("that adds every entry; multiply entries in the same "
                                   "position first, then add the products")),
        (float(np.abs(U * V).sum()), "a sign is lost: (−1)·0.5 and 3·(−2) are negative"),
    ], factor_hint=None)


# --- 0.2: the shape of a product -----------------------------------------------------------
@exercise("0.2", "the shape of a product")
def product_shape(answer):
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if isinstance(answer, str):
        raise Hint("your answer is a string; write the shape as a tuple of two whole numbers, "
                   "e.g. (2, 5), without quotes")
    if isinstance(answer, (set, frozenset)):
        raise Hint("a set has no order, but a shape does (rows first, then columns): write it "
                   "as a tuple in round brackets, e.g. (2, 5)")
    if isinstance(answer, np.ndarray) and answer.ndim == 2 and answer.size > 2:
        raise Hint(f"that is an array of shape {answer.shape}; the answer is its shape, a tuple "
                   "of two whole numbers (arr.shape gives it)")
    try:
        parts = [as_number(p, "each entry of your shape") for p in answer]
    except TypeError:
        raise Hint("write the shape as a tuple of two whole numbers, e.g. (2, 5); got "
                   f"{type(answer).__name__}") from None
    if len(parts) != 2:
        raise Hint(f"the product of two matrices is a matrix: its shape has two numbers, "
                   f"yours has {len(parts)}")
    if any(p != int(p) or p < 1 for p in parts):
        raise Hint("a shape holds whole numbers of rows and columns (1 or more)")
    got = tuple(int(p) for p in parts)
    if got == (569, 8):
        return
    if got == (8, 569):
        raise Hint("rows and columns are swapped: the rows of XW are the rows of X")
    if got == (30, 30) or 30 in got:
        raise Hint("the inner lengths (30 and 30) must match and then disappear; only the "
                   "outer lengths remain")
    raise Hint(f"{got} is not the shape of XW: use the rule (m, n) @ (n, p) → (m, p)")


# --- 0.3: predictions of a linear model ----------------------------------------------------
@exercise("0.3", "predictions of a linear model")
def linear_predictions(answer):
    right = A @ W_EX + B_EX
    arr = _array_or_none(answer)
    if arr is not None:
        if arr.shape == A.shape and np.allclose(arr, A * W_EX + B_EX):
            raise Hint("A * w multiplies entry by entry (shape (3, 2)); the prediction of a "
                       "row is a dot product: use @")
        if arr.shape == A.shape and np.allclose(arr, A * W_EX):
            raise Hint("A * w multiplies entry by entry (shape (3, 2)); the prediction of a "
                       "row is a dot product: use @, and add the bias")
        if arr.shape == right.shape and np.allclose(arr, A @ W_EX):
            raise Hint("the bias b is missing: every prediction is the dot product plus b")
        if arr.shape == right.shape and np.allclose(arr, A @ W_EX - B_EX):
            raise Hint("the bias is added to every prediction (+ b), not subtracted")
        if arr.shape == right.shape and np.allclose(arr, A @ W_EX[::-1] + B_EX):
            raise Hint("the weights are paired with the wrong columns: w₁ goes with the first "
                       "column")
        if arr.shape == (2,):
            raise Hint("your answer has one entry per column; the model predicts one number "
                       "per row (per example): shape (3,)")
    expect_array(answer, right, rtol=1e-6, atol=1e-9, what="your predictions", factor_hint=None)


# --- 0.4: a sum with Σ ----------------------------------------------------------------------
@exercise("0.4", "a sum with Σ")
def sum_of_squares(answer):
    right = sum(i**2 for i in range(1, 11))
    arr = _array_or_none(answer)
    if arr is not None and arr.ndim == 1 and arr.size > 1:
        raise Hint(f"your answer is an array of {arr.size} numbers — the terms? Σ adds them up "
                   "into one number (np.sum or sum)")
    try:
        typed = as_number(answer)
    except Hint:
        typed = None  # expect_number names what it is
    if typed is not None and math.isfinite(typed) and not typed.is_integer():
        # a whole number is checked exactly: "keep 13 significant figures" would mislead
        raise Hint(f"your answer ({typed:.12g}) is not a whole number, but every term "
                   "i² is one, and so is their sum: add the terms exactly (sum or np.sum), "
                   "without rounding or dividing")
    expect_number(answer, right, rtol=0, atol=1e-9, mistakes=[
        (sum(i**2 for i in range(10)), ("the sum stops too early: the top index 10 is "
                                        "included — range(10) stops at 9")),
        (sum(i**2 for i in range(1, 10)), ("the sum stops too early: the top index 10 is "
                                           "included — range(1, 10) stops at 9")),
        (sum(range(1, 11)) ** 2, ("square each term, then add — that is the square of the "
                                  "sum (which also equals the sum of the cubes i³); the term "
                                  "is i², each index squared")),
        (sum(range(1, 11)), "the term is i², not i: square each index before adding"),
        (sum(2 * i for i in range(1, 11)), "i² is i times i, not 2 times i"),
        (sum(i**2 for i in range(1, 12)), "the sum goes one step too far: it stops at i = 10"),
    ], factor_hint=None)


def _primer_model_mse() -> float:
    """The MSE the primer prints for its random linear model (seeded as in the notebook)."""
    X, y = primer_data()
    rng = np.random.default_rng(0)
    rng.normal(size=(10, 3))  # the layer's W, drawn first
    w = rng.normal(size=10)
    return float(np.mean((X @ w + 150.0 - y) ** 2))


# --- 0.5: the mean squared error of a baseline -------------------------------------------
@exercise("0.5", "the mean squared error of a baseline")
def baseline_mse(answer):
    _, y = primer_data()
    n = len(y)
    errors = y.mean() - y
    right = float(np.mean(errors**2))
    arr = _array_or_none(answer)
    if arr is not None and arr.shape == (n,):
        raise Hint("your answer has one number per patient; the MSE averages them into one "
                   "number")
    flat = float(np.mean((150.0 - y) ** 2))  # the figure's flat line, its MSE in the title
    try:
        typed = as_number(answer)
    except Hint:
        typed = None
    if typed is not None and np.isfinite(typed) and round(typed) == round(flat):
        raise Hint("that is the MSE of the flat line at 150 in the figure (its title shows it "
                   "rounded); the baseline predicts the mean ȳ itself")
    expect_number(answer, right, rtol=1e-6, mistakes=[
        (float(np.sum(errors**2)), ("that is the sum of the squared errors; the mean "
                                    "divides it by the number of patients")),
        (float(np.sqrt(right)), ("that is the square root of the MSE (the RMSE); the MSE "
                                 "itself is the mean of the squares")),
        (float(np.mean(errors) ** 2), "square each error first, then average"),
        (float(np.mean(errors)), "the errors must be squared before averaging"),
        (float(np.mean(np.abs(errors))), ("that is the mean absolute error; the MSE squares "
                                          "each error")),
        (float(np.sum(errors**2) / (n - 1)), ("that divides by n − 1; the mean divides by "
                                              "the number of terms, n")),
        (float(np.mean(y**2)), ("that squares the targets y themselves; each error is the "
                                "prediction minus the target, ȳ − y_i")),
        (float(np.sum(errors**2) / n**2), "that divides by n twice; the mean divides once"),
        (_primer_model_mse(), ("that is the MSE of the random linear model of the section; the "
                               "baseline predicts the same number, ȳ, for every patient")),
    ], factor_hint=None)


# --- 0.6: centre the columns -----------------------------------------------------------------
@exercise("0.6", "centre the columns")
def centre_columns(answer):
    X, _ = primer_data()
    right = X - X.mean(axis=0)
    arr = _array_or_none(answer)
    if arr is not None and arr.shape == X.shape:
        if np.allclose(arr, X - X.mean()):
            raise Hint("you subtracted one number, the mean of all entries; each column has a "
                       "mean of its own")
        if np.allclose(arr, X - X.mean(axis=1, keepdims=True)):
            raise Hint("you subtracted each row's mean (axis=1); a column's mean is taken "
                       "down its rows")
        if np.allclose(arr, right / X.std(axis=0)):
            raise Hint("you also divided by the spread (that standardises); centring only "
                       "subtracts the mean")
        if np.allclose(arr, X):
            raise Hint("that is X unchanged: subtract each column's mean")
    if arr is not None and arr.shape == (X.shape[1],):
        raise Hint("that has one number per column (the means?); the answer is the whole "
                   "matrix with those means subtracted")
    # relative accuracy, as the exercise states (no entry is near 0: the smallest is 0.003)
    expect_array(answer, right, rtol=1e-6, atol=0.0, what="your centred matrix",
                 factor_hint=None)
