"""The functions machine-learning models are built from, vectorised and numerically stable.

A neuron computes ``activation(w * x + b)``: a linear function followed by a fixed
non-linear one. This module holds those building blocks — :func:`linear`,
:func:`polynomial`, and the activations :func:`sigmoid`, :func:`tanh`, :func:`relu`,
:func:`leaky_relu`, :func:`softplus`, :func:`gelu`, :func:`step` — and
:func:`compose` to chain them.

Every function accepts a real number or an array of real numbers (lists too) and
returns a NumPy float (for a scalar) or an array of the same shape. Floating-point
inputs keep their precision (``float32`` stays ``float32``); integers become
``float64``. Anything else (strings, ``None``, complex numbers) raises ``TypeError``.

The formulas are written so that no intermediate result overflows: e.g. the sigmoid
never evaluates ``exp`` of a large positive number, and the softplus never forms
``1 + exp(x)``. Lesson 01 (``notebooks/01-functions-and-limits``) shows why that
matters: the naive formulas give ``inf``, ``nan`` or lose every digit.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "compose",
    "gelu",
    "leaky_relu",
    "linear",
    "polynomial",
    "relu",
    "sigmoid",
    "sigmoid_derivative",
    "softplus",
    "step",
    "tanh",
]


def _real(x, name: str = "x") -> np.ndarray:
    """``x`` as an array of real floats, or ``TypeError`` naming what was given."""
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a real number or an array of real numbers, "
                        f"got {type(x).__name__} {x!r}")
    try:
        arr = np.asarray(x)
    except ValueError:  # ragged nested lists
        raise TypeError(f"{name} must be a real number or a regular array of real numbers, "
                        f"got a ragged {type(x).__name__}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real number or an array of real numbers, "
                        f"got {type(x).__name__} with dtype {arr.dtype}")
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def _out(arr: np.ndarray):
    """Return a NumPy scalar for 0-d results and the array otherwise."""
    return arr[()] if arr.ndim == 0 else arr


def _parameter(value, name: str) -> float:
    """A finite real parameter (a weight, a slope), or a clear error."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def linear(x, w=1.0, b=0.0):
    """The linear (affine) model ``w * x + b``.

    Parameters
    ----------
    x : float or array_like
        Input(s).
    w, b : float
        Weight (slope) and bias (intercept).

    Returns
    -------
    float or ndarray
        :math:`w x + b`, the same shape as ``x``.

    Examples
    --------
    >>> float(linear(2.0, w=3.0, b=1.0))
    7.0
    """
    return _out(_parameter(w, "w") * _real(x) + _parameter(b, "b"))


def polynomial(x, coeffs):
    """Evaluate the polynomial ``c0 + c1 x + c2 x**2 + ...`` (coefficients lowest first).

    Uses Horner's scheme, :math:`c_0 + x(c_1 + x(c_2 + \\dots))`, which needs one
    multiplication per coefficient and is the standard stable way to evaluate.

    Parameters
    ----------
    x : float or array_like
    coeffs : sequence of float
        :math:`c_0, c_1, \\dots, c_n`, lowest degree first (as in ``numpy.polynomial``).

    Returns
    -------
    float or ndarray
        :math:`\\sum_k c_k x^k`.

    Examples
    --------
    >>> float(polynomial(2.0, [1.0, 0.0, 3.0]))  # 1 + 3 x**2
    13.0
    """
    c = _real(coeffs, "coeffs")
    if c.ndim != 1 or c.size == 0:
        raise ValueError(f"coeffs must be a non-empty 1-D sequence, got shape {c.shape}")
    x = _real(x)
    result = np.full_like(x, c[-1], dtype=np.result_type(x, c))
    for ck in c[-2::-1]:
        result = result * x + ck
    return _out(result)


def sigmoid(x):
    """The logistic sigmoid, ``1 / (1 + exp(-x))``, computed without overflow.

    .. math:: \\sigma(x) = \\frac{1}{1 + e^{-x}} = \\frac{e^{x}}{1 + e^{x}}

    Both forms are the same number; the first is safe for :math:`x \\ge 0` and the
    second for :math:`x < 0`, because then the only exponential evaluated is
    :math:`e^{-|x|} \\le 1`. The naive form overflows (with a warning) for
    :math:`x \\lesssim -710`.

    Limits: :math:`\\sigma(x) \\to 1` as :math:`x \\to \\infty` and :math:`\\to 0` as
    :math:`x \\to -\\infty`; :math:`\\sigma(-x) = 1 - \\sigma(x)`.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> float(sigmoid(-1000.0))  # no overflow warning
    0.0
    """
    x = _real(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: cannot overflow
    return _out(np.where(x >= 0, 1 / (1 + e), e / (1 + e)))


def sigmoid_derivative(x):
    """The slope of the sigmoid, ``sigma(x) * (1 - sigma(x))``, accurate in the tails.

    .. math:: \\sigma'(x) = \\sigma(x)\\,(1 - \\sigma(x)) = \\sigma(x)\\,\\sigma(-x)

    The second form is used: for large :math:`x`, :math:`\\sigma(x)` rounds to 1 and
    :math:`1 - \\sigma(x)` to 0, while :math:`\\sigma(-x)` keeps its digits. Its largest
    value is :math:`\\sigma'(0) = 1/4`; it decays like :math:`e^{-|x|}` — the
    *vanishing gradient* of a saturated sigmoid unit (lesson 01).

    Examples
    --------
    >>> float(sigmoid_derivative(0.0))
    0.25
    """
    x = _real(x)
    return _out(sigmoid(x) * sigmoid(-x))


def tanh(x):
    """The hyperbolic tangent, ``(e^x - e^-x) / (e^x + e^-x)``.

    .. math:: \\tanh x = \\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\\sigma(2x) - 1

    A sigmoid stretched to the range :math:`(-1, 1)` and centred at 0. NumPy's
    ``np.tanh`` is already stable for large :math:`|x|`; this wrapper adds input
    checking.

    Examples
    --------
    >>> float(tanh(0.0))
    0.0
    """
    return _out(np.tanh(_real(x)))


def relu(x):
    """The rectified linear unit, ``max(x, 0)``.

    .. math:: \\operatorname{relu}(x) = \\max(x, 0)

    Continuous everywhere, with a kink at 0: the slope is 0 on the left and 1 on the
    right. NaN inputs stay NaN.

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 3.0]
    """
    return _out(np.maximum(_real(x), 0))  # np.maximum propagates NaN


def leaky_relu(x, alpha=0.01):
    """The leaky ReLU, ``x`` for ``x >= 0`` and ``alpha * x`` below.

    .. math:: \\operatorname{leaky\\_relu}_\\alpha(x) = \\begin{cases} x & x \\ge 0 \\\\
              \\alpha x & x < 0 \\end{cases}

    Parameters
    ----------
    alpha : float
        Slope on the negative side, ``alpha >= 0`` (0 gives the ReLU).

    Examples
    --------
    >>> leaky_relu([-2.0, 3.0], alpha=0.1).tolist()
    [-0.2, 3.0]
    """
    alpha = _parameter(alpha, "alpha")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    x = _real(x)
    return _out(np.where(x >= 0, x, alpha * x))


def softplus(x, beta=1.0):
    """The softplus, a smooth ReLU: ``log(1 + exp(beta * x)) / beta``, without overflow.

    .. math:: \\operatorname{softplus}_\\beta(x) = \\frac{1}{\\beta}\\log(1 + e^{\\beta x})
              = \\max(x, 0) + \\frac{1}{\\beta}\\log\\left(1 + e^{-\\beta |x|}\\right)

    The right-hand form is evaluated: :math:`e^{-\\beta|x|} \\le 1` cannot overflow, and
    ``log1p`` keeps the digits of :math:`\\log(1 + t)` for tiny :math:`t` (where
    ``log(1 + t)`` would round :math:`1 + t` to 1). The naive form returns ``inf`` for
    :math:`\\beta x \\gtrsim 710` and 0 instead of a tiny positive number for
    :math:`\\beta x \\lesssim -37`.

    As :math:`\\beta \\to \\infty` the softplus tends to the ReLU; the largest gap is at 0,
    :math:`\\log(2)/\\beta`.

    Parameters
    ----------
    beta : float
        Sharpness, ``beta > 0``.

    Examples
    --------
    >>> float(softplus(0.0)) == float(np.log(2))
    True
    >>> float(softplus(1000.0))  # the naive formula gives inf
    1000.0
    """
    beta = _parameter(beta, "beta")
    if beta <= 0:
        raise ValueError(f"beta must be positive, got {beta}")
    x = _real(x)
    return _out(np.maximum(x, 0) + np.log1p(np.exp(-beta * np.abs(x))) / beta)


def step(x, at_zero=1.0):
    """The Heaviside step: 0 for ``x < 0``, 1 for ``x > 0``, ``at_zero`` at 0.

    .. math:: H(x) = \\begin{cases} 0 & x < 0 \\\\ 1 & x > 0 \\end{cases}

    The activation of the original perceptron. It jumps at 0: the left-hand limit is
    0, the right-hand limit is 1, whatever value ``at_zero`` gives it at 0 itself.

    Examples
    --------
    >>> step([-1.0, 0.0, 2.0]).tolist()
    [0.0, 1.0, 1.0]
    """
    return _out(np.heaviside(_real(x), _parameter(at_zero, "at_zero")))


def gelu(x):
    """The Gaussian error linear unit, ``x * Phi(x)`` with ``Phi`` the normal CDF.

    .. math:: \\operatorname{gelu}(x) = x\\,\\Phi(x), \\qquad
              \\Phi(x) = \\tfrac12\\left(1 + \\operatorname{erf}(x/\\sqrt{2})\\right)

    The activation of transformers such as BERT and GPT. :math:`\\Phi` is evaluated
    with ``scipy.special.ndtr``, accurate in the left tail where
    :math:`1 + \\operatorname{erf}` would cancel.

    Examples
    --------
    >>> float(gelu(0.0))
    0.0
    """
    from scipy.special import ndtr

    x = _real(x)
    with np.errstate(invalid="ignore"):  # -inf * 0 at x = -inf; the limit there is 0
        y = x * ndtr(x).astype(x.dtype)
    return _out(np.where(np.isneginf(x), 0, y).astype(x.dtype))


#: the activations of the lesson's gallery, by name
ACTIVATIONS: dict[str, Callable] = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "softplus": softplus,
    "gelu": gelu,
    "step": step,
}


def compose(*functions: Callable) -> Callable:
    """Chain functions: ``compose(f, g, h)(x) == f(g(h(x)))``.

    .. math:: (f \\circ g \\circ h)(x) = f(g(h(x)))

    The order is the mathematical one: the **last** function is applied first. A
    neuron ``sigmoid(w x + b)`` is ``compose(sigmoid, lambda x: linear(x, w, b))``.

    Raises
    ------
    TypeError
        No functions, or an argument that is not callable.

    Examples
    --------
    >>> f = compose(np.sqrt, lambda x: x + 1)
    >>> float(f(3.0))
    2.0
    """
    if not functions:
        raise TypeError("compose needs at least one function")
    for position, f in enumerate(functions):
        if not callable(f):
            raise TypeError(f"argument {position} of compose is not callable: "
                            f"{type(f).__name__} {f!r}")

    def composed(x):
        for f in reversed(functions):  # the innermost (last) function acts first
            x = f(x)
        return x

    names = " ∘ ".join(getattr(f, "__name__", type(f).__name__) for f in functions)
    composed.__name__ = composed.__qualname__ = f"({names})"
    composed.__doc__ = f"The composition {names}."
    return composed
