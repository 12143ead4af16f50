"""Checkers for lesson 11 — calculus in machine learning, end to end
(``notebooks/11-calculus-in-ml``)."""

from __future__ import annotations

import math

import numpy as np

from calcml.exercises.answers import expect_array, expect_number, known_array_mistake
from calcml.exercises.answers import finite_array as _array
from calcml.exercises.core import exercise

__all__ = ["problem_11_1", "problem_11_2", "problem_11_4", "problem_11_5", "problem_11_6"]


# --- the data of the exercises --------------------------------------------------------------
def problem_11_1():
    """Exercise 11.1: ``X`` (8, 3), ``y`` (8,), ``w`` (3,) and ``lam`` for the ridge loss
    L(w) = (1/n)|Xw − y|² + λ|w|² (no bias)."""
    rng = np.random.default_rng(111)
    X = rng.normal(size=(8, 3))
    y = rng.normal(size=8)
    w = rng.normal(size=3)
    return X, y, w, 0.5


def problem_11_2():
    """Exercise 11.2: ``X`` (40, 3) with columns of different scales, for the loss
    L(w) = (1/n)|Xw − y|² (its Hessian does not depend on y)."""
    rng = np.random.default_rng(112)
    return rng.normal(size=(40, 3)) * np.array([1.0, 2.0, 0.5]) + np.array([0.5, 0.0, 1.0])


def problem_11_4():
    """Exercise 11.4: the start θ₀, the three gradients Adam sees, and its settings."""
    return 1.0, [0.4, -0.1, 0.3], {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8}


def problem_11_5():
    """Exercise 11.5: a logistic-regression model p = σ(w·x + b) and one input x."""
    return np.array([1.5, -2.0, 0.5, 0.0]), -0.3, np.array([0.2, 0.4, -1.0, 2.0])


def problem_11_6():
    """Exercise 11.6: ``X`` (30, 3), ``y`` (30,) and ``lam`` for the ridge loss
    L(w) = (1/n)|Xw − y|² + λ|w|² (no bias)."""
    rng = np.random.default_rng(116)
    X = rng.normal(size=(30, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=30)
    return X, y, 0.3


# --- helpers ----------------------------------------------------------------------------------
def _known(answer, right, mistakes, rtol=1e-6, atol=1e-9):
    """Raise the hint of the first known wrong array the answer equals."""
    known_array_mistake(_array(answer), right, mistakes, rtol=rtol, atol=atol)


# --- 11.1: the gradient of the ridge loss ----------------------------------------------------
@exercise("11.1", "the gradient of the ridge loss")
def ridge_gradient(answer):
    X, y, w, lam = problem_11_1()
    n = len(y)
    r = X @ w - y
    data = 2 / n * X.T @ r
    right = data + 2 * lam * w
    _known(answer, right, [
        (data - 2 * lam * w, ("the penalty's part has the wrong sign: λ|w|² grows with |w|, so "
                              "its gradient points along w")),
        (data + lam * w, "the derivative of λw² is not λw: check the power rule on the penalty"),
        (data, "the penalty λ|w|² has a gradient too: it is part of the loss"),
        (data / 2 + 2 * lam * w, ("the data term's gradient lost a factor: differentiate the "
                                  "square (·)² by the chain rule")),
        (n * data + 2 * lam * w, ("the data term is a mean over the n examples: its gradient "
                                  "keeps the 1/n")),
        (-data + 2 * lam * w, ("the data term has the wrong sign: with r = Xw − y, ∂r/∂w is "
                               "+X, not −X")),
        (data / 2 + lam * w, "both parts lost the factor that the derivative of a square brings"),
    ])
    expect_array(answer, right, rtol=1e-6, atol=1e-9, what="your ∇L(w)")


# --- 11.2: the divergence threshold ---------------------------------------------------------
@exercise("11.2", "the largest learning rate for the mean squared error")
def divergence_threshold(answer):
    X = problem_11_2()
    n = len(X)
    eig = np.linalg.eigvalsh(X.T @ X)
    hess = 2 / n * eig  # the curvatures: eigenvalues of the Hessian (2/n) XᵀX
    right = 2 / hess[-1]
    with_ones = np.hstack([X, np.ones((n, 1))])  # the lesson's [X 1], for a model with a bias
    centred = X - X.mean(axis=0)
    expect_number(answer, right, rtol=1e-4, mistakes=[
        (2 / (2 / n * np.linalg.eigvalsh(with_ones.T @ with_ones)[-1]),
         ("this loss has no bias b: its Hessian is built from X alone, without a column of "
          "ones")),
        (2 / (2 / n * np.linalg.eigvalsh(centred.T @ centred)[-1]),
         ("with no bias in the model, nothing is centred: use the columns of X as they are "
          "(their means change the curvature)")),
        (1 / hess[-1], ("1/λ_max is the rate that removes the steepest direction in one step; "
                        "gradient descent still converges above it — up to where?")),
        (2 / (eig[-1] / n), ("the curvatures are the eigenvalues of the Hessian of L; L has a "
                             "factor the matrix XᵀX/n alone does not show")),
        (2 / hess[0], ("every direction must shrink, and the steepest one (the largest "
                       "curvature) fails first")),
        (2 / eig[-1], ("L is a mean over the n rows: its Hessian carries that 1/n, the matrix "
                       "XᵀX alone does not")),
        (2 / (hess[0] + hess[-1]), ("that is the best fixed rate (fastest convergence), not "
                                    "the largest rate that still converges")),
        (1 / eig[-1], ("find the Hessian of L first, then the rate at which the steepest "
                      "direction's factor |1 − lr·λ| reaches 1")),
        (2 / float(np.max(np.diag(2 / n * X.T @ X))), ("a diagonal entry of the Hessian is the "
                                                       "curvature along an axis; the steepest "
                                                       "direction is an eigenvector")),
    ], factor_hint="write the Hessian of L (with all its constants) and take its largest "
                   "eigenvalue")


# --- 11.3: momentum's effective step ---------------------------------------------------------
@exercise("11.3", "momentum's effective step")
def momentum_step(answer):
    lr, mu, g = 0.02, 0.8, 1.5
    right = lr * g / (1 - mu)
    expect_number(answer, right, rtol=1e-6, mistakes=[
        (lr * g / mu, ("the buffer is g(1 + μ + μ² + …): a geometric series with ratio μ, whose "
                       "sum is not 1/μ")),
        (lr * g, ("that is a step without momentum; the buffer keeps adding μ times its old "
                  "value")),
        (lr * g * mu / (1 - mu), ("the series starts at the current gradient, the term μ⁰ = 1: "
                                  "count it")),
        (lr * g * (1 - mu), "the geometric series sums to 1/(1 − μ), a division, not a product"),
        (lr * g / (1 - mu) ** 2, "the geometric series 1 + μ + μ² + … sums to 1/(1 − μ)"),
        (g / (1 - mu), "the step is lr times the buffer"),
        (lr * g * (1 - mu ** 3) / (1 - mu), ("that is the buffer after three steps; the long-run "
                                             "step is the sum of the whole series")),
        (lr * g / (1 + mu), ("1 − μ + μ² − … is the sum for a gradient that flips sign every "
                             "step; here the gradient is the same at every step")),
        (1 / (1 - mu), ("that is the factor by which momentum multiplies the step; the step "
                        "itself is lr times the buffer")),
        (lr / (1 - mu), "the buffer sums gradients: the gradient 1.5 is in every term"),
    ], factor_hint="sum the series the buffer builds, b = g + μg + μ²g + …")


# --- 11.4: three steps of Adam ---------------------------------------------------------------
def _adam(theta, grads, lr, betas, eps, *, correct_m=True, correct_v=True):
    b1, b2 = betas
    m = v = 0.0
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1 ** t) if correct_m else m
        v_hat = v / (1 - b2 ** t) if correct_v else v
        theta = theta - lr * m_hat / (math.sqrt(v_hat) + eps)
    return theta


@exercise("11.4", "three steps of Adam")
def adam_steps(answer):
    theta0, grads, s = problem_11_4()
    right = _adam(theta0, grads, **s)
    b1, b2 = s["betas"]
    expect_number(answer, right, rtol=1e-6, mistakes=[
        (_adam(theta0, grads, **s, correct_m=False, correct_v=False),
         ("both running averages start at 0 and are biased towards it early on: Adam divides "
          "them by 1 − βᵗ")),
        (_adam(theta0, grads, **s, correct_m=False),
         "the first moment m needs its bias correction too, 1/(1 − β₁ᵗ)"),
        (_adam(theta0, grads, **s, correct_v=False),
         "the second moment v needs its bias correction too, 1/(1 − β₂ᵗ)"),
        (_adam(theta0, grads, s["lr"], (b2, b1), s["eps"]),
         "β₁ = 0.9 belongs to the gradient's average m, β₂ = 0.999 to the squares' average v"),
        (theta0 - s["lr"] * sum(grads), ("that is plain gradient descent; Adam steps by "
                                          "m̂/(√v̂ + ε)")),
        (2 * theta0 - right, "Adam steps against the gradient: θ − lr·m̂/(√v̂ + ε)"),
        (_adam(theta0, grads[:2], **s), "all three gradients are used: one step each"),
        (_adam(theta0, grads[:1], **s), ("that is θ₁, after the first step; three gradients "
                                          "make three steps")),
        (theta0 - right, ("that is how far θ moved, θ₀ − θ₃; the question asks for θ₃ "
                          "itself")),
        (theta0 - s["lr"] * 3, ("with a gradient that changes sign, Adam's steps are not all "
                                "lr long: compute m̂ and v̂ at each step")),
    ], factor_hint=None)


# --- 11.5: the sensitivity of a prediction to its input ---------------------------------------
@exercise("11.5", "∂p/∂x for logistic regression")
def input_gradient(answer):
    w, b, x = problem_11_5()
    p = 1 / (1 + math.exp(-(w @ x + b)))
    right = p * (1 - p) * w
    _known(answer, right, [
        (w, ("that is the gradient of the logit z = w·x + b; p = σ(z) passes it through σ, "
             "whose slope is σ'(z)")),
        (p * w, "σ'(z) is σ(z)(1 − σ(z)), not σ(z)"),
        ((1 - p) * w, "σ'(z) is σ(z)(1 − σ(z)), not 1 − σ(z)"),
        (p * (1 - p) * x, ("that is ∂p/∂w, the gradient with respect to the weights; the "
                           "input x is the variable here")),
        (-p * (1 - p) * w, "check the sign: σ is increasing, and z grows with x along w"),
        (p * (1 - p) * w * x, ("∂z/∂xⱼ = wⱼ: the input's value is not a factor of its own "
                               "derivative")),
    ])
    expect_array(answer, right, rtol=1e-6, atol=1e-12, what="your ∂p/∂x")


# --- 11.6: the derivative of the ridge weights with respect to λ -----------------------------
@exercise("11.6", "dw*/dλ by implicit differentiation")
def ridge_implicit(answer):
    X, y, lam = problem_11_6()
    n, d = X.shape
    A = X.T @ X / n
    M = A + lam * np.eye(d)
    w = np.linalg.solve(M, X.T @ y / n)
    right = -np.linalg.solve(M, w)
    _known(answer, right, [
        (-right, ("the wrong sign: a larger penalty pulls the weights towards 0 — "
                  "differentiate (A + λI)w = c and solve for dw/dλ")),
        (-np.linalg.solve(X.T @ X + lam * np.eye(d), w),
         "the loss is a mean: its normal equations carry the 1/n in A = XᵀX/n"),
        (-np.linalg.solve(A, w), ("differentiating (A + λI)w = c keeps the λI next to A: "
                                  "(A + λI) dw/dλ + w = 0")),
        (-w, "dw/dλ solves (A + λI) dw/dλ = −w: multiply by the inverse of A + λI"),
        (-w / lam, "dw/dλ solves (A + λI) dw/dλ = −w: the matrix, not λ, is what to divide by"),
        (w, "differentiate both sides of (A + λI) w* = c in λ: the right side does not move"),
    ])
    expect_array(answer, right, rtol=1e-5, atol=1e-9, what="your dw*/dλ",
                 factor_hint="differentiate the normal equations (A + λI) w* = c in λ")


# --- 11.7: the 1/√B law -----------------------------------------------------------------------
@exercise("11.7", "the spread of a minibatch gradient")
def minibatch_spread(answer):
    s, b_small, b_large = 0.6, 16, 144
    right = s * math.sqrt(b_small / b_large)
    expect_number(answer, right, rtol=1e-6, mistakes=[
        (s * b_small / b_large, ("the variance falls like 1/B, so the standard deviation, its "
                                 "square root, falls like 1/√B")),
        (s / math.sqrt(b_large), ("0.6 is the spread at B = 16, not of one example: compare the "
                                  "two batch sizes")),
        (s / b_large, "the spread falls like 1/√B, and 0.6 was measured at B = 16"),
        (s * math.sqrt(b_large / b_small), "a larger batch averages more examples: less spread"),
        (s, ("the mean of the minibatch gradient stays the same (it is unbiased); its spread "
             "does not")),
        (s * (b_small / b_large) ** 2, "the spread falls like 1/√B"),
        ((s * math.sqrt(b_small / b_large)) ** 2, ("that is a variance, the square of the "
                                                    "spread; the question asks for the "
                                                    "standard deviation")),
    ], factor_hint="write the spread as σ/√B and compare the two batch sizes")
