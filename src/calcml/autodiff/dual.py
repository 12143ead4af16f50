"""Forward-mode automatic differentiation with dual numbers a + b·ε, where ε² = 0.

Lesson 06 (``notebooks/06-chain-rule``) introduces them. Expanding f(a + bε) to first
order is exact because ε² = 0:

    f(a + bε) = f(a) + f'(a)·b·ε

so evaluating f on a dual number carries the value ``a`` and the derivative along the
direction ``b`` through every step, each step applying the chain rule once. One
evaluation gives one directional derivative (a Jacobian-vector product): a gradient of
n inputs needs n evaluations, which is why ML prefers reverse mode
(:mod:`calcml.autodiff.tensor`).

The rules used are those of :mod:`calcml.autodiff.rules` (``ELEMENTWISE`` and ``JVP``).
"""

from __future__ import annotations

import numbers

import numpy as np

from calcml.autodiff.rules import ELEMENTWISE, JVP

__all__ = ["Dual", "jacfwd", "jvp"]


def _lift(value):
    """A Dual as is; a number or numeric array as a constant (tangent 0)."""
    if isinstance(value, Dual):
        return value
    if isinstance(value, numbers.Real) or (
            isinstance(value, np.ndarray) and value.dtype.kind in "biuf"):
        return Dual(value, 0.0)
    raise TypeError(f"cannot combine a Dual with {type(value).__name__} {value!r:.60}; "
                    "expected a number, a numeric array or a Dual")


class Dual:
    """A dual number ``value + deriv·ε`` with ε² = 0 (``value``/``deriv`` may be arrays).

    Parameters
    ----------
    value : float or array_like
        The primal value a.
    deriv : float or array_like
        The tangent b: the derivative of ``value`` along the chosen direction.

    Examples
    --------
    >>> x = Dual(3.0, 1.0)           # x = 3, dx/dx = 1
    >>> y = x * x + 2 * x            # y = x² + 2x
    >>> float(y.value), float(y.deriv)   # y(3) = 15, y'(3) = 2·3 + 2 = 8
    (15.0, 8.0)
    """

    __slots__ = ("deriv", "value")
    __array_ufunc__ = None  # NumPy defers to our reflected operators: ndarray * Dual works

    def __init__(self, value, deriv=0.0):
        if isinstance(value, Dual) or isinstance(deriv, Dual):
            raise TypeError("the parts of a Dual must be numbers or arrays, not Duals")
        # NumPy floats, not Python ones: 0.0 ** -0.5 and 1 / 0.0 are inf (with a warning), as
        # for arrays, where Python floats would raise ZeroDivisionError
        value = np.float64(value) if isinstance(value, numbers.Real) else np.asarray(
            value, dtype=float)
        deriv = np.float64(deriv) if isinstance(deriv, numbers.Real) else np.asarray(
            deriv, dtype=float)
        if np.ndim(deriv) and np.shape(deriv) != np.shape(value):
            raise ValueError(f"deriv has shape {np.shape(deriv)}, but value has shape "
                             f"{np.shape(value)}")
        if np.ndim(value) and not np.ndim(deriv):
            deriv = np.full(np.shape(value), float(deriv))
        self.value = value
        self.deriv = deriv

    def __repr__(self):
        def show(part):
            return repr(float(part)) if np.ndim(part) == 0 else np.array2string(
                np.asarray(part), precision=6, separator=", ", threshold=20)

        return f"Dual({show(self.value)}, {show(self.deriv)})"

    shape = property(lambda self: np.shape(self.value), doc="Shape of the value.")

    def _binary(self, name, other, reverse=False):
        x, y = (_lift(other), self) if reverse else (self, _lift(other))
        try:
            ans = _VALUE[name](x.value, y.value)
        except ValueError:
            raise ValueError(f"shapes {np.shape(x.value)} and {np.shape(y.value)} do not "
                             f"fit together in {name}") from None
        return Dual(ans, JVP[name](x.value, x.deriv, y.value, y.deriv, ans))

    def __add__(self, other):
        return self._binary("add", other)

    def __radd__(self, other):
        return self._binary("add", other, reverse=True)

    def __sub__(self, other):
        return self._binary("sub", other)

    def __rsub__(self, other):
        return self._binary("sub", other, reverse=True)

    def __mul__(self, other):
        return self._binary("mul", other)

    def __rmul__(self, other):
        return self._binary("mul", other, reverse=True)

    def __truediv__(self, other):
        return self._binary("div", other)

    def __rtruediv__(self, other):
        return self._binary("div", other, reverse=True)

    def __pow__(self, other):
        return self._binary("pow", other)

    def __rpow__(self, other):
        return self._binary("pow", other, reverse=True)

    def __matmul__(self, other):
        return self._binary("matmul", other)

    def __rmatmul__(self, other):
        return self._binary("matmul", other, reverse=True)

    def __neg__(self):
        return Dual(-self.value, -self.deriv)  # (−x)' = −x'

    def __pos__(self):
        return self

    # comparisons look at the value only, so `if x > 0:` works inside f
    def __lt__(self, other):
        return self.value < _lift(other).value

    def __le__(self, other):
        return self.value <= _lift(other).value

    def __gt__(self, other):
        return self.value > _lift(other).value

    def __ge__(self, other):
        return self.value >= _lift(other).value

    def apply(self, name):
        """f(a + bε) = f(a) + f'(a)·b·ε for the elementwise function ``name`` of the table."""
        f, df = ELEMENTWISE[name]
        ans = f(self.value)
        return Dual(ans, df(self.value, ans) * self.deriv)

    def exp(self):
        """eˣ, carrying the derivative: see :meth:`apply`."""
        return self.apply("exp")

    def log(self):
        """ln x (ValueError for x ≤ 0), carrying the derivative: see :meth:`apply`."""
        return self.apply("log")

    def sin(self):
        """sin x, carrying the derivative: see :meth:`apply`."""
        return self.apply("sin")

    def cos(self):
        """cos x, carrying the derivative: see :meth:`apply`."""
        return self.apply("cos")

    def tanh(self):
        """tanh x, carrying the derivative: see :meth:`apply`."""
        return self.apply("tanh")

    def sigmoid(self):
        """σ(x) = 1 / (1 + e^(−x)), carrying the derivative: see :meth:`apply`."""
        return self.apply("sigmoid")

    def relu(self):
        """max(x, 0), with derivative 0 at the kink, carrying the derivative: see :meth:`apply`."""
        return self.apply("relu")

    def softplus(self):
        """log(1 + eˣ), carrying the derivative: see :meth:`apply`."""
        return self.apply("softplus")

    def sqrt(self):
        """√x (ValueError for x < 0), carrying the derivative: see :meth:`apply`."""
        return self.apply("sqrt")

    def abs(self):
        """|x|, with derivative 0 at the kink, carrying the derivative: see :meth:`apply`."""
        return self.apply("abs")

    # --- reductions and shape: the same operations as Tensor's ------------------------
    def _check_axis(self, axis):
        try:
            np.sum(np.empty(np.shape(self.value)), axis=axis)
        except np.exceptions.AxisError:
            raise ValueError(f"axis {axis!r} is out of range for a Dual of shape {self.shape} "
                             f"({np.ndim(self.value)} axes)") from None

    def sum(self, axis=None, keepdims=False):
        """Σ of the entries: linear, so the tangent is summed the same way."""
        self._check_axis(axis)
        return Dual(np.sum(self.value, axis=axis, keepdims=keepdims),
                    np.sum(self.deriv, axis=axis, keepdims=keepdims))

    def mean(self, axis=None, keepdims=False):
        """Mean of the entries: linear, so the tangent is averaged the same way."""
        self._check_axis(axis)
        return Dual(np.mean(self.value, axis=axis, keepdims=keepdims),
                    np.mean(self.deriv, axis=axis, keepdims=keepdims))

    def max(self, axis=None, keepdims=False):
        """Largest entry; its tangent is that entry's, shared equally among ties (as Tensor)."""
        self._check_axis(axis)
        value = np.asarray(self.value)
        top = np.max(value, axis=axis, keepdims=True)
        mask = value == top
        deriv = np.sum(mask * self.deriv, axis=axis, keepdims=True) / np.sum(
            mask, axis=axis, keepdims=True)
        if not keepdims:
            top, deriv = np.squeeze(top, axis=axis), np.squeeze(deriv, axis=axis)
        return Dual(top, deriv)

    def reshape(self, *shape):
        """The same entries in a new shape (``reshape(2, 3)`` or ``reshape((2, 3))``)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            return Dual(np.reshape(self.value, shape), np.reshape(self.deriv, shape))
        except ValueError:
            raise ValueError(f"cannot reshape a Dual of shape {self.shape} into shape "
                             f"{shape}") from None

    def transpose(self, *axes):
        """Axes permuted (reversed by default, as ``.T``)."""
        axes = tuple(axes[0]) if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        axes = axes or None
        return Dual(np.transpose(self.value, axes), np.transpose(self.deriv, axes))

    T = property(transpose, doc="The transpose (axes reversed).")
    ndim = property(lambda self: np.ndim(self.value), doc="Number of axes of the value.")

    def __getitem__(self, index):
        return Dual(np.asarray(self.value)[index], np.asarray(self.deriv)[index])

    def __len__(self):
        return len(self.value)


_VALUE = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
          "pow": np.power, "matmul": np.matmul}


def jvp(f, x, v):
    """Value and directional derivative of ``f`` at ``x`` along ``v``: one forward pass.

    Parameters
    ----------
    f : callable
        Built from arithmetic and the functions of :mod:`calcml.autodiff` (``ad.sin``, ...).
    x : float or array_like
        The point.
    v : float or array_like
        The direction (tangent), same shape as ``x``.

    Returns
    -------
    (value, tangent)
        f(x) and the Jacobian-vector product J_f(x)·v.

    Examples
    --------
    >>> from calcml import autodiff as ad
    >>> value, slope = jvp(lambda x: ad.sin(x) * x, 0.0, 1.0)   # (x sin x)' = sin x + x cos x
    >>> float(value), float(slope)
    (0.0, 0.0)
    """
    if np.shape(x) != np.shape(v):
        raise ValueError(f"the direction v must have the shape of x: x has shape {np.shape(x)}, "
                         f"v has shape {np.shape(v)}")
    out = f(Dual(x, v))
    if isinstance(out, Dual):
        return out.value, out.deriv
    return out, np.zeros_like(np.asarray(out, dtype=float))  # f does not depend on x


def jacfwd(f, x):
    """The Jacobian of ``f`` at ``x`` by forward mode: one :func:`jvp` per input entry.

    Parameters
    ----------
    f : callable
        From an array of shape ``x.shape`` to an array (or a number).
    x : array_like

    Returns
    -------
    ndarray, shape ``f(x).shape + x.shape``
        ∂f_i/∂x_j. Column j costs one evaluation of ``f`` on duals, seeded with eⱼ.
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x has no entries: there is no Jacobian to compute")
    basis = np.eye(x.size)
    columns = [np.asarray(jvp(f, x, e_j.reshape(x.shape))[1], dtype=float) for e_j in basis]
    return np.stack(columns, axis=-1).reshape(columns[0].shape + x.shape)
