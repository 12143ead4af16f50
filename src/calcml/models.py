"""Linear, ridge and logistic regression written from their derivatives.

Lesson 11 (``notebooks/11-calculus-in-ml``) derives every formula here and checks the
results against scikit-learn. Rows of ``X`` are examples; the weights ``w`` multiply the
columns and the bias ``b`` is a separate number, never penalised (as in scikit-learn).

* Linear regression, the mean squared error with an L2 penalty λ (ridge; λ = 0 is
  ordinary least squares)::

      L(w, b) = (1/n) Σᵢ (xᵢ·w + b − yᵢ)² + λ |w|²
      ∂L/∂w   = (2/n) Xᵀ r + 2λ w,   ∂L/∂b = (2/n) Σᵢ rᵢ,   r = Xw + b − y

  (scikit-learn's ``Ridge(alpha)`` minimises n times this loss: ``alpha = n λ``).
  :func:`ridge_solution` solves ∇L = 0 in closed form (the normal equations) and
  :func:`ridge_weights_derivative` gives dw*/dλ by implicit differentiation.
* Logistic regression, the mean cross-entropy with an L2 penalty (α/2)|w|²::

      L(w, b) = (1/n) Σᵢ [softplus(zᵢ) − yᵢ zᵢ] + (α/2)|w|²,   z = Xw + b
      ∂L/∂w   = Xᵀ(p − y)/n + α w,   ∂L/∂b = mean(p − y),   p = σ(z)

  (scikit-learn's ``LogisticRegression(C)`` minimises nC times it: ``C = 1/(n α)``).

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["logistic_hessian", "logistic_loss", "logistic_loss_grad", "mse_loss",
           "mse_loss_grad", "ridge_solution", "ridge_weights_derivative", "sigmoid"]


def _data(X, y, *, binary: bool = False):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (examples × features), got shape {X.shape}")
    if y.shape != (len(X),):
        raise ValueError(f"y must have one entry per row of X ({len(X)}), got shape {y.shape}")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError("X and y must be finite (found NaN or infinity)")
    if binary and not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must hold the labels 0 and 1 only")
    return X, y


def _weights(w, d):
    w = np.asarray(w, dtype=np.float64)
    if w.shape != (d,):
        raise ValueError(f"w must have one weight per column of X ({d}), got shape {w.shape}")
    return w


def _penalty(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0 \
            or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number ≥ 0, got {value!r}")
    return float(value)


def mse_loss(X, y, w, b=0.0, lam=0.0) -> float:
    """``(1/n)|Xw + b − y|² + λ|w|²``."""
    X, y = _data(X, y)
    w, lam = _weights(w, X.shape[1]), _penalty(lam, "lam")
    r = X @ w + b - y
    return float(r @ r / len(y) + lam * w @ w)


def mse_loss_grad(X, y, w, b=0.0, lam=0.0):
    """The gradient of :func:`mse_loss`: ``((2/n) Xᵀr + 2λw, (2/n) Σ r)``."""
    X, y = _data(X, y)
    w, lam = _weights(w, X.shape[1]), _penalty(lam, "lam")
    r = X @ w + b - y
    return 2 / len(y) * X.T @ r + 2 * lam * w, float(2 * r.mean())


def ridge_solution(X, y, lam=0.0, *, fit_intercept: bool = True):
    """The minimiser ``(w*, b*)`` of :func:`mse_loss`, from ∇L = 0.

    With the columns centred (which takes the bias out), ∇_w L = 0 reads
    ``(XcᵀXc/n + λI) w = Xcᵀ yc / n`` — the normal equations — and ``b = ȳ − x̄·w``.
    Solved by least squares on the augmented system, which is accurate even when XᵀX is
    badly conditioned.
    """
    X, y = _data(X, y)
    lam = _penalty(lam, "lam")
    n, d = X.shape
    if fit_intercept:
        x_mean, y_mean = X.mean(axis=0), y.mean()
    else:
        x_mean, y_mean = np.zeros(d), 0.0
    Xc, yc = X - x_mean, y - y_mean
    if lam > 0:  # |Xc w − yc|² + nλ|w|² is least squares on [Xc; √(nλ) I]
        A = np.vstack([Xc, np.sqrt(n * lam) * np.eye(d)])
        rhs = np.concatenate([yc, np.zeros(d)])
    else:
        A, rhs = Xc, yc
    w = np.linalg.lstsq(A, rhs, rcond=None)[0]
    return w, float(y_mean - x_mean @ w)


def ridge_weights_derivative(X, y, lam, *, fit_intercept: bool = True):
    """dw*/dλ, the rate at which the ridge weights change with the penalty.

    Implicit differentiation of the optimality condition ``(A + λI) w* = c``
    (``A = XcᵀXc/n``, ``c = Xcᵀyc/n``) in λ: ``(A + λI) dw*/dλ + w* = 0``, so
    ``dw*/dλ = −(A + λI)⁻¹ w*``. No second solve of the training problem is needed.
    """
    X, y = _data(X, y)
    lam = _penalty(lam, "lam")
    w, _ = ridge_solution(X, y, lam, fit_intercept=fit_intercept)
    Xc = X - X.mean(axis=0) if fit_intercept else X
    A = Xc.T @ Xc / len(X) + lam * np.eye(X.shape[1])
    return -np.linalg.solve(A, w)


def sigmoid(z):
    """σ(z) = 1/(1 + e^(−z)), computed without overflow for any z."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def logistic_loss(X, y, w, b=0.0, alpha=0.0) -> float:
    """Mean cross-entropy of σ(Xw + b) against labels y ∈ {0, 1}, plus ``(α/2)|w|²``."""
    X, y = _data(X, y, binary=True)
    w, alpha = _weights(w, X.shape[1]), _penalty(alpha, "alpha")
    z = X @ w + b
    return float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * alpha * w @ w)


def logistic_loss_grad(X, y, w, b=0.0, alpha=0.0):
    """The gradient of :func:`logistic_loss`: ``(Xᵀ(p − y)/n + αw, mean(p − y))``."""
    X, y = _data(X, y, binary=True)
    w, alpha = _weights(w, X.shape[1]), _penalty(alpha, "alpha")
    r = sigmoid(X @ w + b) - y
    return X.T @ r / len(y) + alpha * w, float(r.mean())


def logistic_hessian(X, y, w, b=0.0, alpha=0.0):
    """The Hessian of :func:`logistic_loss` in ``(w, b)`` (bias last): ``AᵀSA/n + αP``
    with ``A = [X 1]``, ``S = diag(p(1 − p))`` and P the identity without its bias entry
    (lesson 08)."""
    X, y = _data(X, y, binary=True)
    w, alpha = _weights(w, X.shape[1]), _penalty(alpha, "alpha")
    A = np.hstack([X, np.ones((len(X), 1))])
    p = sigmoid(X @ w + b)
    H = A.T @ ((p * (1 - p))[:, None] * A) / len(X)
    H[:-1, :-1] += alpha * np.eye(X.shape[1])
    return H
