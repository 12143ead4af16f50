"""The derivative table: one line per primitive, like the table at the back of a calculus book.

Lesson 06 (``notebooks/06-chain-rule``) builds automatic differentiation out of three tables:

``ELEMENTWISE``
    ``name -> (f, df)`` for functions applied entry by entry. ``df(x, ans)`` is the ordinary
    derivative f'(x), written with ``ans = f(x)`` when that is cheaper (``tanh' = 1 − tanh²``).
    Forward mode multiplies it by the incoming tangent, reverse mode by the incoming gradient.
``JVP``
    Forward-mode rules of the binary operations: how a tangent ``dx`` (and ``dy``) moves
    through ``x ∘ y``. These are the sum, product and quotient rules.
``VJP``
    Reverse-mode rules: ``name -> (vjp_0, vjp_1, ...)``, one function per differentiable
    argument. ``vjp_i(g, ans, *args)`` maps the gradient ``g`` of the output to the
    gradient of argument ``i``: the row vector ``g`` times the Jacobian ∂ans/∂argᵢ.
    ``args`` are the NumPy values of the arguments followed by the operation's settings
    (axis, shape, ...). Broadcasting is undone by the engine (:func:`unbroadcast`), so the
    rules read like the scalar formulas.

Nothing in a rule modifies ``g`` in place: the same array may be handed to several inputs
(``∂(x + y)/∂x = ∂(x + y)/∂y = 1``).

The reverse-mode rules are written with NumPy functions that a
:class:`~calcml.autodiff.tensor.Tensor` also understands (``np.cos``, ``np.where``,
``np.broadcast_to``, ...): run on Tensors instead of arrays, a rule records its own graph,
which is how ``backward(create_graph=True)`` and ``grad(grad(f))`` differentiate a
derivative.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ELEMENTWISE", "JVP", "UFUNC_VALUES", "VJP", "RuleTable", "Traced", "relu", "sigmoid", "softplus",
           "unbroadcast"]


class Traced:
    """Marks a value that records its own graph (a Tensor): rules call its methods."""

    __slots__ = ()


def sigmoid(x):
    """σ(x) = 1 / (1 + e^(−x)), evaluated without overflow for any x.

    For x ≥ 0 it uses 1 / (1 + e^(−x)); for x < 0 the equal form e^x / (1 + e^x);
    both only ever exponentiate −|x| ≤ 0.
    """
    if isinstance(x, Traced):  # in a rule run on Tensors: one node with σ' = σ(1 − σ)
        return x.sigmoid()
    e = np.exp(-np.abs(x))
    return np.where(np.greater_equal(x, 0), 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(x):
    """softplus(x) = log(1 + e^x), evaluated as ``logaddexp(0, x)`` (no overflow)."""
    return np.logaddexp(0.0, x)


def relu(x):
    """relu(x) = max(x, 0)."""
    return np.maximum(x, 0.0)


def _first_bad(x, ok):
    """Describe the first entry of ``x`` where the boolean array ``ok`` is False."""
    bad = ~np.asarray(ok)
    count = int(bad.sum())
    if np.ndim(x) == 0:
        return f"got {float(x)!r}"
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    return f"got {count} such value(s), e.g. {float(np.asarray(x)[index])!r} at index {index}"


def log(x):
    """ln x, refusing x ≤ 0 with a ValueError that names the bad value."""
    ok = np.greater(x, 0)
    if not np.all(ok):
        raise ValueError(f"log needs positive input, {_first_bad(x, ok)}")
    return np.log(x)


def sqrt(x):
    """√x, refusing x < 0 with a ValueError that names the bad value."""
    ok = np.greater_equal(x, 0)
    if not np.all(ok):
        raise ValueError(f"sqrt needs non-negative input, {_first_bad(x, ok)}")
    return np.sqrt(x)


# fmt: off
ELEMENTWISE = {
    # name       f            f'(x), with ans = f(x)
    "exp":      (np.exp,     lambda x, ans: ans),                           # (eˣ)' = eˣ
    "log":      (log,        lambda x, ans: 1.0 / x),                       # (ln x)' = 1/x
    "sin":      (np.sin,     lambda x, ans: np.cos(x)),                     # (sin x)' = cos x
    "cos":      (np.cos,     lambda x, ans: -np.sin(x)),                    # (cos x)' = −sin x
    "tanh":     (np.tanh,    lambda x, ans: 1.0 - ans * ans),               # (tanh x)' = 1 − tanh²x
    "sigmoid":  (sigmoid,    lambda x, ans: ans * (1.0 - ans)),             # σ' = σ(1 − σ)
    "softplus": (softplus,   lambda x, ans: sigmoid(x)),                    # (ln(1 + eˣ))' = σ(x)
    "relu":     (relu,       lambda x, ans: np.greater(x, 0).astype(ans.dtype)),  # [x > 0]; 0 at the kink
    "sqrt":     (sqrt,       lambda x, ans: 0.5 / ans),                     # (√x)' = 1/(2√x)
    "abs":      (np.abs,     lambda x, ans: np.sign(x)),                    # |x|' = sign x; 0 at the kink
}
# fmt: on


def _pow_exponent_less_one(y):
    """y − 1, but 1 where y = 0: then y·x^(y−1) is 0, also at x = 0 (no 0·∞ = NaN)."""
    return np.where(y != 0, y - 1, 1.0)


def _log_base(x, y):
    """ln x, but 0 where x = 0 and y ≥ 0: x^y ln x → 0 as x → 0⁺ for y > 0 (no 0·(−∞) = NaN),
    and 0⁰ = 1 for all x, as PyTorch; at x = 0 with y < 0 it is ln 0 = −∞ (then
    ∂(x^y)/∂y = ∞·(−∞) = −∞, as PyTorch)."""
    out = np.log(np.where(x == 0, 1.0, x))
    negative = np.logical_and(np.equal(_value(x), 0), np.less(_value(y), 0))
    if np.any(negative):
        out = out + np.where(negative, -np.inf, 0.0)
    return out


def _value(a):
    """The value of a Tensor (Traced) or the array itself."""
    return a.data if isinstance(a, Traced) else a


def _pow_dx(x, dx, y, dy, ans):
    """Tangent of x^y: y x^(y−1) x' + x^y ln(x) y', dropping a term whose tangent is 0.

    At a zero base both terms use the limits PyTorch and HIPS autograd use: d(x⁰)/dx = 0
    and d(0^y)/dy = 0.
    """
    out = 0.0
    if np.any(dx != 0):
        out = out + y * np.power(x, _pow_exponent_less_one(y)) * dx
    if np.any(dy != 0):
        out = out + ans * _log_base(x, y) * dy
    return out


# fmt: off
JVP = {
    # name     tangent of the result from the tangents dx, dy of the arguments
    "add": lambda x, dx, y, dy, ans: dx + dy,                  # (x + y)' = x' + y'
    "sub": lambda x, dx, y, dy, ans: dx - dy,                  # (x − y)' = x' − y'
    "mul": lambda x, dx, y, dy, ans: dx * y + x * dy,          # (xy)' = x'y + xy'     (product rule)
    "div": lambda x, dx, y, dy, ans: (dx - ans * dy) / y,      # (x/y)' = (x' − (x/y) y')/y  (quotient rule)
    "pow": _pow_dx,                                            # (xʸ)' = y xʸ⁻¹ x' + xʸ ln x · y'
    "matmul": lambda x, dx, y, dy, ans: dx @ y + x @ dy,       # (XY)' = X'Y + XY'
}
# fmt: on


def unbroadcast(g, shape):
    """Sum the gradient ``g`` down to ``shape``: the reverse of broadcasting.

    A value that broadcasting used in many places receives the sum of the gradients of
    all those places (the multivariable chain rule: sum over paths).

    Parameters
    ----------
    g : ndarray
        Gradient with the broadcast shape.
    shape : tuple of int
        Shape of the input that was broadcast.

    Returns
    -------
    ndarray
        Array of shape ``shape``.

    Examples
    --------
    >>> unbroadcast(np.ones((4, 3)), (3,))
    array([4., 4., 4.])
    >>> unbroadcast(np.ones((4, 3)), (4, 1)).ravel()
    array([3., 3., 3., 3.])
    """
    ndim = g.ndim
    if ndim == len(shape) + 1 and g.shape[1:] == shape:  # a bias added to every row
        return g.sum(axis=0) if isinstance(g, Traced) else np.add.reduce(g, axis=0)
    extra = ndim - len(shape)
    if extra > 0:  # leading axes that broadcasting added
        g = g.sum(axis=tuple(range(extra)))
    axes = tuple([i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1])
    if axes:  # axes of length 1 that broadcasting stretched
        g = g.sum(axis=axes, keepdims=True)
    if g.shape != tuple(shape):  # a scalar rule result for an array input
        g = np.broadcast_to(g, shape)  # a read-only view: the engine copies it if it must
    return g


def _sum0(g):
    """Σ over the first axis (np.add.reduce skips ndarray.sum's Python wrapper)."""
    return g.sum(axis=0) if isinstance(g, Traced) else np.add.reduce(g, axis=0)


def _axes(axis, ndim):
    """``axis`` (None, an int or a tuple, possibly negative) as a sorted tuple of axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    return tuple(sorted(int(a) % ndim for a in axis)) if ndim else ()


def _expand(g, x, axis, keepdims):
    """The gradient of a reduction brought back to a shape that broadcasts against ``x``."""
    if not keepdims and np.ndim(x):
        reduced = _axes(axis, np.ndim(x))
        g = g.reshape(tuple(1 if i in reduced else n for i, n in enumerate(np.shape(x))))
    return g


def _sum_vjp(g, ans, x, axis, keepdims):
    return np.broadcast_to(_expand(g, x, axis, keepdims), np.shape(x))


def _mean_vjp(g, ans, x, axis, keepdims):
    count = np.size(x) // max(np.size(ans), 1)
    return _sum_vjp(g, ans, x, axis, keepdims) / count


def _max_vjp(g, ans, x, axis, keepdims):
    """Gradient flows to the entries equal to the maximum, shared equally among ties."""
    mask = x == _expand(ans, x, axis, keepdims)
    share = mask / mask.sum(axis=_axes(axis, np.ndim(x)), keepdims=True)
    return _expand(g, x, axis, keepdims) * share


def scatter(g, index, shape):
    """A zero array of ``shape`` with ``g`` added at ``index``; repeated indices add up."""
    if isinstance(g, Traced):
        return g._scatter(index, shape)
    out = np.zeros(shape, dtype=np.result_type(g, np.float64))
    np.add.at(out, index, g)
    return out


def _getitem_vjp(g, ans, x, index):
    """Scatter ``g`` back into a zero array; repeated indices add up (np.add.at)."""
    return scatter(g, index, np.shape(x))


def _balanced(x, ans, y):
    """1 where x gave the result of max/min(x, y), 1/2 at a tie (autograd's convention)."""
    return np.equal(x, ans) / (1.0 + np.equal(x, y))


def _as_2d(a, side):
    """Promote a vector to a matrix for the matmul rules: (n,) -> (1, n) or (n, 1)."""
    if np.ndim(a) != 1:
        return a
    return a.reshape(1, -1) if side == "left" else a.reshape(-1, 1)


def _matmul_vjp_x(g, ans, x, y):
    """∂(XY)/∂X: G Yᵀ (vectors promoted to matrices, batch axes summed back)."""
    if x.ndim == 2 == y.ndim:
        return g @ y.T
    x2, y2 = _as_2d(x, "left"), _as_2d(y, "right")
    g2 = np.reshape(g, (*np.broadcast_shapes(x2.shape[:-2], y2.shape[:-2]), x2.shape[-2], y2.shape[-1]))
    return unbroadcast(g2 @ np.swapaxes(y2, -1, -2), x2.shape).reshape(np.shape(x))


def _matmul_vjp_y(g, ans, x, y):
    """∂(XY)/∂Y: Xᵀ G (vectors promoted to matrices, batch axes summed back)."""
    if x.ndim == 2 == y.ndim:
        return x.T @ g
    x2, y2 = _as_2d(x, "left"), _as_2d(y, "right")
    g2 = np.reshape(g, (*np.broadcast_shapes(x2.shape[:-2], y2.shape[:-2]), x2.shape[-2], y2.shape[-1]))
    return unbroadcast(np.swapaxes(x2, -1, -2) @ g2, y2.shape).reshape(np.shape(y))


def _cross_entropy_vjp(g, ans, z, y, e, s, picks):
    """Fused softmax + negative log-likelihood: ∂loss/∂z = (softmax(z) − onehot(y)) / n.

    ``e / s`` is softmax(z) (e = exp(z − max z), s its row sums); ``picks`` are the flat
    indices of the entries z[i, yᵢ].
    """
    scale = float(g) / len(picks)
    d = e * scale / s  # softmax(z) · g/n, a fresh array
    d.reshape(-1)[picks] -= scale  # − onehot(y) · g/n
    return d


class RuleTable(dict):
    """A dict of rules that counts its changes (``version``), so that the engine's walk can
    tell cheaply whether a rule it writes out is still the one in the table."""

    version = 0

    def _changed(self):
        self.version += 1

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key):
        super().__delitem__(key)
        self._changed()

    def __ior__(self, other):
        super().__ior__(other)
        self._changed()
        return self

    def update(self, *args, **kwargs):
        super().update(*args, **kwargs)
        self._changed()

    def pop(self, *args):
        self._changed()
        return super().pop(*args)

    def popitem(self):
        self._changed()
        return super().popitem()

    def setdefault(self, key, default=None):
        self._changed()
        return super().setdefault(key, default)

    def clear(self):
        super().clear()
        self._changed()


# fmt: off
VJP = RuleTable({
    # name          one VJP per argument: g ↦ g · ∂ans/∂argᵢ
    "add":        (lambda g, ans, x, y: g,                     # ∂(x + y)/∂x = 1
                   lambda g, ans, x, y: g),                    # ∂(x + y)/∂y = 1
    "sub":        (lambda g, ans, x, y: g,                     # ∂(x − y)/∂x = 1
                   lambda g, ans, x, y: -g),                   # ∂(x − y)/∂y = −1
    "mul":        (lambda g, ans, x, y: g * y,                 # ∂(xy)/∂x = y
                   lambda g, ans, x, y: g * x),                # ∂(xy)/∂y = x
    "div":        (lambda g, ans, x, y: g / y,                 # ∂(x/y)/∂x = 1/y
                   lambda g, ans, x, y: -g * ans / y),         # ∂(x/y)/∂y = −x/y²
    "pow":        (lambda g, ans, x, y: g * y * x ** _pow_exponent_less_one(y),  # y xʸ⁻¹
                   lambda g, ans, x, y: g * ans * _log_base(x, y)),  # ∂xʸ/∂y = xʸ ln x
    "neg":        (lambda g, ans, x: -g,),                     # (−x)' = −1
    "matmul":     (_matmul_vjp_x,                              # ∂(XY)/∂X = G Yᵀ
                   _matmul_vjp_y),                             # ∂(XY)/∂Y = Xᵀ G
    "linear":     (lambda g, ans, x, w, b: g @ w.T,            # y = xW + b: ∂/∂x = G Wᵀ
                   lambda g, ans, x, w, b: x.T @ g,            #             ∂/∂W = xᵀ G
                   lambda g, ans, x, w, b: _sum0(g)),          #             ∂/∂b = Σ_rows G
    "sum":        (_sum_vjp,),                                 # ∂(Σ x)/∂xᵢ = 1: copy g back
    "mean":       (_mean_vjp,),                                # ∂(mean x)/∂xᵢ = 1/n
    "max":        (_max_vjp,),                                 # ∂(max x)/∂xᵢ = [xᵢ is the max]
    "reshape":    (lambda g, ans, x, shape: np.reshape(g, np.shape(x)),),   # reshape back
    "transpose":  (lambda g, ans, x, axes: np.transpose(g, None if axes is None
                                                        else np.argsort(axes)),),  # undo
    "getitem":    (_getitem_vjp,),                             # scatter back into zeros
    "scatter":    (lambda g, ans, x, index, shape: g[index],),  # and back: pick the entries
    "alias":      (lambda g, ans, x: g,),                      # the same value: pass g on
    "broadcast_to": (lambda g, ans, x, shape: unbroadcast(g, np.shape(x)),),  # sum back
    "where":      (lambda g, ans, x, y, c: np.where(c, g, 0.0),   # g where the condition
                   lambda g, ans, x, y, c: np.where(c, 0.0, g)),  # holds, else to y
    "maximum":    (lambda g, ans, x, y: g * _balanced(x, ans, y),  # to the larger one,
                   lambda g, ans, x, y: g * _balanced(y, ans, x)),  # halves at a tie
    "minimum":    (lambda g, ans, x, y: g * _balanced(x, ans, y),
                   lambda g, ans, x, y: g * _balanced(y, ans, x)),
    "log_softmax": (lambda g, ans, x, axis:                    # ∂/∂x: g − softmax · Σ g
                    g - np.exp(ans) * g.sum(axis=axis, keepdims=True),),
    "cross_entropy": (_cross_entropy_vjp,),                    # (softmax − onehot)/n
    "bce_with_logits": (lambda g, ans, z, y:                   # (σ(z) − y)/N
                        g * (sigmoid(z) - y) / np.size(z),),
})
# fmt: on



def _times_derivative(df):
    """The VJP of an elementwise function: g ↦ g · f'(x)."""
    return lambda g, ans, x: g * df(x, ans)


VJP.update({name: (_times_derivative(df),) for name, (_, df) in ELEMENTWISE.items()})
# the activations of networks, written out: one Python call per node instead of two
VJP["tanh"] = (lambda g, ans, x: g * (1.0 - ans * ans),)         # same as the table's
VJP["sigmoid"] = (lambda g, ans, x: g * (ans * (1.0 - ans)),)


#: NumPy functions that are piecewise constant (comparisons, sign, floor, ...): on a Tensor
#: or a Dual they give the value of the plain array and carry no derivative (one set for
#: both modes)
UFUNC_VALUES = frozenset({np.less, np.less_equal, np.greater, np.greater_equal, np.equal,
                          np.not_equal, np.sign, np.signbit, np.isfinite, np.isnan, np.isinf,
                          np.floor, np.ceil, np.rint, np.trunc})
