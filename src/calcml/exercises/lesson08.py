"""Checkers for lesson 08 — the Hessian, curvature and Newton's method
(``notebooks/08-hessian-matrix``)."""

from __future__ import annotations

import math
from enum import Enum

import numpy as np

from calcml.exercises.answers import _kind, expect_array, expect_number
from calcml.exercises.answers import finite_array as _array
from calcml.exercises.answers import known_array_mistake as _known
from calcml.exercises.core import Hint, NotAttempted, exercise

__all__ = ["problem_8_4"]


def _flat_point(answer, d: int):
    """A point typed as a column or row (a SymPy Matrix, [[x], [y]]) read as a flat vector."""
    arr = _array(answer)
    if arr is not None and arr.shape in ((d, 1), (1, d)):
        return arr.reshape(d)
    return answer if arr is None else arr


# --- 8.1: a Hessian ----------------------------------------------------------------------
def _hessian_8_1(x, y, *, mixed_product=True, chain=True, fxx_inner=2):
    e = math.exp(x * y)
    fxx = 6 * x * y + y ** fxx_inner * e
    fxy = 3 * x * x + e + (x * y * e if mixed_product else 0.0)
    fyy = (x * x if chain else x) * e
    return np.array([[fxx, fxy], [fxy, fyy]])


@exercise("8.1", "the Hessian of x³y + e^(xy)")
def hessian_at_a_point(answer):
    x, y = 2.0, 0.5
    right = _hessian_8_1(x, y)
    e = math.exp(x * y)
    arr = _array(answer)
    _known(arr, right, [
        (np.array([3 * x * x * y + y * e, x ** 3 + x * e]),
         "that is the gradient (first partials); the Hessian holds the second partials, 2 × 2"),
        (np.diag(np.diag(right)), ("the mixed partials ∂²f/∂x∂y are missing: the off-diagonal "
                                   "entries are not 0")),
        (_hessian_8_1(x, y, mixed_product=False),
         "∂/∂y of y·e^(xy) is a product: e^(xy) + y · x e^(xy)"),
        (_hessian_8_1(x, y, fxx_inner=1), ("∂²/∂x² of e^(xy): each of the two x-derivatives "
                                           "brings down the inner derivative y, not just one")),
        (_hessian_8_1(x, y, fxx_inner=0), ("∂²/∂x² of e^(xy) needs the chain rule twice: each "
                                           "x-derivative brings down the inner derivative of xy")),
        (_hessian_8_1(x, y, chain=False), ("∂/∂y of x e^(xy) needs the chain rule: the inner "
                                           "derivative of xy with respect to y is x")),
        (np.array([[right[0, 0], right[0, 1]], [0.0, right[1, 1]]]),
         "a Hessian of a smooth function is symmetric: ∂²f/∂y∂x = ∂²f/∂x∂y"),
        (_hessian_8_1(y, x), "the second partials are evaluated at the wrong point: x = 2, y = 0.5"),
        (np.array([[right[1, 1], right[0, 1]], [right[0, 1], right[0, 0]]]),
         "the diagonal is swapped: H[0, 0] is ∂²f/∂x², H[1, 1] is ∂²f/∂y²"),
    ])
    expect_array(answer, right, what="your Hessian",
                 factor_hint="each entry is one second partial derivative, with no extra factor")


# --- 8.2: the second-derivative test --------------------------------------------------------
_KINDS = {"minimum": "minimum", "min": "minimum", "local minimum": "minimum",
          "maximum": "maximum", "max": "maximum", "local maximum": "maximum",
          "saddle": "saddle", "saddle point": "saddle", "a saddle": "saddle",
          "a saddle point": "saddle", "inconclusive": "inconclusive",
          "a minimum": "minimum", "a maximum": "maximum"}


def _word(answer) -> str:
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if isinstance(answer, Enum):
        answer = answer.value
    if not isinstance(answer, str):
        raise Hint(f"your answer is {_kind(answer)}; one of the words \"minimum\", \"maximum\", "
                   "\"saddle\" or \"inconclusive\" is expected (a string, in quotes)")
    word = " ".join(answer.strip().lower().replace("-", " ").split())
    if word not in _KINDS:
        raise Hint(f"your answer is the string {answer!r}; write one of \"minimum\", \"maximum\", "
                   "\"saddle\" or \"inconclusive\"")
    return _KINDS[word]


@exercise("8.2", "classify a critical point")
def classify_point(answer):
    # f = x² + 3xy + y² at (0, 0): H = [[2, 3], [3, 2]], eigenvalues 5 and −1
    word = _word(answer)
    if word == "saddle":
        return
    raise Hint({
        "minimum": ("both diagonal entries f_xx and f_yy are positive, but that is not enough: "
                    "the test looks at the eigenvalues of H (in 2-D: the sign of det H)"),
        "maximum": "f_xx is positive, so f curves upward along x: it is not a maximum",
        "inconclusive": ("the test is inconclusive only when an eigenvalue is 0 (det H = 0) and "
                         "the others share a sign; compute det H here"),
    }[word])


# --- 8.3: one Newton step -----------------------------------------------------------------
@exercise("8.3", "one Newton step")
def newton_step(answer):
    # f = x⁴ + y² + xy at (1, 1): ∇f = (4x³ + y, 2y + x) = (5, 3), H = [[12x², 1], [1, 2]]
    x0 = np.array([1.0, 1.0])
    g = np.array([5.0, 3.0])
    H = np.array([[12.0, 1.0], [1.0, 2.0]])
    right = x0 - np.linalg.solve(H, g)
    answer = _flat_point(answer, 2)
    arr = _array(answer)
    _known(arr, right, [
        (x0 - g, ("that is a gradient-descent step with learning rate 1; Newton's step solves "
                  "H p = −∇f")),
        (x0 - H @ g, "Newton's step divides by the curvature: solve H p = −∇f, do not multiply"),
        (x0 + np.linalg.solve(H, g), "the step goes against the gradient: p solves H p = −∇f"),
        (x0 - g / np.diag(H), ("that divides each partial by its own curvature and ignores the "
                               "off-diagonal entries of H: solve the 2 × 2 system")),
        (-np.linalg.solve(H, g), "that is the step p itself; the new point is x₀ + p"),
        (np.linalg.solve(H, g), "that is −p, the step with the wrong sign, and x₀ is missing"),
    ])
    expect_array(answer, right, what="your new point", factor_hint=None)


# --- 8.4: the Hessian of logistic regression ----------------------------------------------
def problem_8_4():
    """X (6, 3), y (6,) and w (3,) of exercise 8.4: L(w) = mean cross-entropy."""
    rng = np.random.default_rng(8)
    X = np.column_stack([np.ones(6), rng.normal(size=(6, 2))])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
    w = np.array([0.2, -0.5, 0.8])
    return X, y, w


@exercise("8.4", "the Hessian of the logistic loss")
def logistic_hessian(answer):
    X, y, w = problem_8_4()
    n = len(y)
    p = 1 / (1 + np.exp(-X @ w))
    s = p * (1 - p)
    right = X.T @ (s[:, None] * X) / n
    arr = _array(answer)
    if arr is not None and arr.shape == (n, n):
        raise Hint(f"your matrix is {n} × {n}, one row per example; the Hessian has one row per "
                   f"weight ({len(w)} × {len(w)}): XᵀSX, not XSXᵀ")
    p0 = np.full(n, 0.5)  # σ(0)
    unpenalised = np.diag([0.0] + [1.0] * (len(w) - 1))
    _known(arr, right, [
        (X.T @ ((p0 * (1 - p0))[:, None] * X) / n,
         "the weights p(1 − p) are evaluated at w = 0; use p = σ(Xw) at the w of the exercise"),
        (right + unpenalised / n, ("that includes the lesson's penalty αP; this exercise's loss is the "
                                   "mean cross-entropy alone, with no penalty term")),
        (right + np.eye(len(w)) / n, ("that includes a penalty αI; this exercise's loss is the mean "
                                      "cross-entropy alone, with no penalty term")),
        (X.T @ X / n, "the weights S = diag(p(1 − p)) are missing: σ' enters the second derivative"),
        (X.T @ (p[:, None] * X) / n, "the weights are σ'(z) = p(1 − p), not p"),
        (X.T @ ((1 - p)[:, None] * X) / n, "the weights are σ'(z) = p(1 − p), not 1 − p"),
        (X.T @ ((y - p)[:, None] * X) / n, ("the labels y do not enter the Hessian: the gradient "
                                            "is linear in y, so its derivative drops it")),
        (X.T @ (p - y) / n, "that is the gradient; the Hessian is its Jacobian, a d × d matrix"),
    ])
    expect_array(answer, right, what="your Hessian",
                 factor_hint="the loss is a mean over the n examples, not a sum (or the reverse)")


# --- 8.5: the damping shift -----------------------------------------------------------------
@exercise("8.5", "how much to shift an indefinite Hessian")
def damping_shift(answer):
    # H = [[1, 2], [2, 1]] has eigenvalues 3 and −1; H + τI has 3 + τ and −1 + τ ≥ 0.5 ⇒ τ = 1.5
    expect_number(answer, 1.5, mistakes=[
        (0.0, ("H has a negative eigenvalue (compute them with np.linalg.eigvalsh): without a "
               "shift it is not even positive definite")),
        (1.0, ("that only removes the negative curvature — the shifted H is singular; its smallest "
               "eigenvalue must reach the margin asked for")),
        (0.5, "adding τI adds τ to every eigenvalue; start from the smallest eigenvalue of H"),
        (-1.5, "τ must be positive: it pushes the eigenvalues up"),
        (2.5, "adding τI adds τ to each eigenvalue: check the sign of the smallest one"),
        (-2.5, "τ must be positive: it pushes the eigenvalues up"),
        (3.5, "that is based on the largest eigenvalue, which is fine already; the smallest must reach 0.5"),
        (2.0, "the off-diagonal entry is not the shift: compute the eigenvalues of H"),
    ], factor_hint="find the smallest eigenvalue of H; adding τI adds τ to each eigenvalue")


# --- 8.6: minima among critical points, in high dimension -----------------------------------
@exercise("8.6", "how rare minima are in 10 dimensions")
def fraction_of_minima(answer):
    d = 10
    expect_number(answer, 0.5 ** d, rtol=1e-6, atol=0, mistakes=[
        (0.5, "every one of the ten eigenvalues must be positive, not just one"),
        (0.001, "2¹⁰ is 1024, not 1000: keep 7 significant figures"),
        (1 / d, "the ten signs are independent: their probabilities multiply"),
        (1 / (2 * d), "the ten signs are independent: their probabilities multiply"),
        (1 - 0.5 ** d, "that is the chance that at least one eigenvalue is negative — a saddle (or maximum)"),
        (2 * 0.5 ** d, "that counts minima and maxima together; a minimum needs all ten positive"),
        (0.5 ** (d - 1), "all ten eigenvalues must be positive: count ten independent halves"),
        (0.5 ** (d + 1), "all ten eigenvalues must be positive: count ten independent halves"),
    ], factor_hint="each eigenvalue is positive with probability 1/2, independently")
