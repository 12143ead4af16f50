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

from calcml.autodiff.rules import ELEMENTWISE, JVP, UFUNC_VALUES

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


def _part(part, name):
    """A part of a Dual as a float (np.float64) or a float array; TypeError if not numeric."""
    if isinstance(part, numbers.Real):
        return np.float64(part)
    try:
        arr = np.asarray(part)
    except (TypeError, ValueError):  # (a ragged list)
        arr = np.asarray(None)
    if arr.dtype.kind not in "biuf":
        got = "None" if part is None else f"{type(part).__name__} {part!r:.60}"
        raise TypeError(f"the {name} of a Dual must be a number or an array of numbers, got "
                        f"{got}")
    return arr.astype(float, copy=False)


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

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """NumPy's functions on Duals (np.exp(x), np.maximum(x, 0), ndarray * x) carry the
        tangent where there is a rule; any other is a TypeError naming what to use."""
        name = ufunc.__name__
        if method != "__call__" or kwargs:
            raise TypeError(f"np.{name}{'.' + method if method != '__call__' else ''} with "
                            f"{', '.join(kwargs) or 'this method'} on a Dual is not supported; "
                            f"call np.{name}(x) plainly")
        if ufunc in _UFUNC_BINARY:
            x, y = _lift(inputs[0]), _lift(inputs[1])
            return x._binary(_UFUNC_BINARY[ufunc], y)
        if ufunc in _UFUNC_UNARY:
            return _UFUNC_UNARY[ufunc](_lift(inputs[0]))
        if ufunc in (np.maximum, np.minimum):
            x, y = _lift(inputs[0]), _lift(inputs[1])
            value = ufunc(x.value, y.value)
            # the tangent of the one chosen, the mean of both at a tie (as Tensor's rule)
            tie = np.equal(x.value, y.value)
            pick_x = np.equal(x.value, value) & ~tie
            deriv = np.where(tie, (x.deriv + y.deriv) / 2, np.where(pick_x, x.deriv, y.deriv))
            return Dual(value, deriv)
        if ufunc in UFUNC_VALUES:  # comparisons and other piecewise constants: the value
            return ufunc(*(i.value if isinstance(i, Dual) else i for i in inputs))
        raise TypeError(f"np.{name} has no derivative rule for Duals in calcml.autodiff; use "
                        "the functions of calcml.autodiff (ad.exp, ad.log, ad.sin, ...), "
                        f"or np.{name}(x.value) for a value without tangent")

    def __init__(self, value, deriv=0.0):
        if isinstance(value, Dual) or isinstance(deriv, Dual):
            raise TypeError("the parts of a Dual must be numbers or arrays, not Duals")
        # NumPy floats, not Python ones: 0.0 ** -0.5 and 1 / 0.0 are inf (with a warning), as
        # for arrays, where Python floats would raise ZeroDivisionError
        value = _part(value, "value")
        deriv = _part(deriv, "deriv")
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

    def __abs__(self):  # abs(x): |x|, tangent sign(x)·x'
        return self.apply("abs")

    def __pos__(self):
        return self

    # comparisons look at the value only, so `if x > 0:` and `if x == 0:` work inside f
    def __eq__(self, other):
        try:
            other = _lift(other)
        except TypeError:
            return NotImplemented
        return np.equal(self.value, other.value)

    def __ne__(self, other):
        try:
            other = _lift(other)
        except TypeError:
            return NotImplemented
        return np.not_equal(self.value, other.value)

    __hash__ = object.__hash__  # (by identity, as a Tensor)

    def __bool__(self):
        if np.size(self.value) != 1:
            raise ValueError(f"the truth value of a Dual of shape {self.shape} is ambiguous; "
                             "use .all() or .any() on the comparison")
        return bool(self.value)

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
        if np.ndim(self.value) == 0:
            raise TypeError("len() of a 0-d Dual: it has no axis to count")
        return len(self.value)

    def __iter__(self):  # the rows; a 0-d Dual has none (not an empty list)
        if np.ndim(self.value) == 0:
            raise TypeError("iteration over a 0-d Dual: use .value for its value")
        return (self[i] for i in range(len(self.value)))


_UFUNC_BINARY = {np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "div",
                 np.power: "pow", np.matmul: "matmul"}
_UFUNC_UNARY = {np.negative: Dual.__neg__, np.positive: Dual.__pos__,
                np.square: lambda x: x * x, np.reciprocal: lambda x: 1.0 / x,
                np.exp: Dual.exp, np.log: Dual.log, np.sin: Dual.sin, np.cos: Dual.cos,
                np.tanh: Dual.tanh, np.sqrt: Dual.sqrt, np.absolute: Dual.abs}

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
    x, v = _point(x, "x"), _point(v, "v")
    if np.shape(x) != np.shape(v):
        raise ValueError(f"the direction v must have the shape of x: x has shape {np.shape(x)}, "
                         f"v has shape {np.shape(v)}")
    out = f(Dual(x, v))
    if isinstance(out, Dual):
        return out.value, out.deriv
    if out is None:
        raise TypeError("jvp: f returned None; it must return the result of its computation "
                        "(did it forget a return statement?)")
    if not (isinstance(out, (numbers.Real, np.generic, np.ndarray))
            and np.asarray(out).dtype.kind in "biuf"):
        raise TypeError(f"jvp: f must return a Dual (or a number that does not depend on x), "
                        f"got {type(out).__name__} {out!r:.60}")
    return out, np.zeros_like(np.asarray(out, dtype=float))  # f does not depend on x


def _point(value, name):
    """The point x or direction v of jvp as a number or float array (TypeError if not)."""
    if isinstance(value, numbers.Real):
        return value
    from calcml.autodiff.tensor import Tensor

    if isinstance(value, Tensor) and not value.requires_grad:  # a constant: its value
        return _part(value.data, name)
    if isinstance(value, (Dual, Tensor)):
        raise TypeError(f"jvp's {name} must be a number or an array of numbers, got a "
                        f"{type(value).__name__}: jvp/jacfwd inside jacfwd, jvp, grad or "
                        "jacrev is not supported. Second derivatives are computed in reverse "
                        "mode: grad(grad(f)), and jacrev(grad(f)) for a Hessian")
    try:
        return _part(value, name)
    except TypeError:
        got = "None" if value is None else f"{type(value).__name__} {value!r:.60}"
        raise TypeError(f"jvp's {name} must be a number or an array of numbers, got {got}"
                        ) from None


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
    x = np.asarray(_point(x, "x"), dtype=float)
    if x.size == 0:
        raise ValueError("x has no entries: there is no Jacobian to compute")
    basis = np.eye(x.size)
    columns = [np.asarray(jvp(f, x, e_j.reshape(x.shape))[1], dtype=float) for e_j in basis]
    return np.stack(columns, axis=-1).reshape(columns[0].shape + x.shape)
