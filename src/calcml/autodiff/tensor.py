"""Reverse-mode automatic differentiation: a NumPy array that remembers how it was made.

Lesson 06 (``notebooks/06-chain-rule``) builds it. Each operation on a :class:`Tensor`
that requires a gradient records a node: the operation's name, its inputs and the values
the derivative rule needs. :meth:`Tensor.backward` then walks the nodes from the output
back to the inputs and applies the chain rule with the rules of
:mod:`calcml.autodiff.rules`:

    ∂L/∂x = Σ over the nodes y that use x of  ∂L/∂y · ∂y/∂x      (sum over paths)

The walk is a loop over a topological order, not a recursion, so a chain of any length
works. Gradients accumulate: a second ``backward()`` adds to ``.grad``; call
:meth:`Tensor.zero_grad` (or set ``.grad = None``) between training steps.
"""

from __future__ import annotations

import ctypes
import itertools
import numbers
import operator
import sys
import weakref
from contextlib import contextmanager

import numpy as np

from calcml.autodiff.dual import Dual
from calcml.autodiff.rules import ELEMENTWISE, UFUNC_VALUES, VJP, Traced, unbroadcast

__all__ = ["Tensor", "binary_cross_entropy_with_logits", "cross_entropy", "enable_grad", "linear",
           "log_softmax", "no_grad", "retain_grads", "topological_order", "where"]

_creation = itertools.count()  # each node's number: inputs are always numbered before outputs
_last_change = -1  # the number drawn when some tensor's .data was last assigned
_grad_enabled = True
_new = object.__new__


@contextmanager
def no_grad():
    """Evaluate without recording nodes (for evaluation and parameter updates).

    Examples
    --------
    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = (w * 3).sum()
    >>> y.requires_grad
    False
    """
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, False
    try:
        yield
    finally:
        _grad_enabled = previous


@contextmanager
def enable_grad():
    """Record nodes again inside an outer :func:`no_grad` (PyTorch's ``torch.enable_grad``).

    The gradient transforms (:func:`calcml.autodiff.grad`, ``value_and_grad``, ``vjp``,
    ``jacrev``) run ``f`` inside it, as ``torch.func.grad`` ignores an outer ``no_grad``.
    """
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, True
    try:
        yield
    finally:
        _grad_enabled = previous


# the intermediate nodes that keep their .grad (retain_grad), by id: each entry leaves with
# its node (a WeakSet would compare Tensors with ==, which is elementwise here)
_RETAINED = {}
_PREVIOUS = {}  # during a walk: id -> (retained node, the gradient it held before)


def _retain(node):
    key = id(node)
    if key not in _RETAINED:
        _RETAINED[key] = weakref.ref(node, lambda _, key=key: _RETAINED.pop(key, None))


def retain_grads(root):
    """Ask every intermediate node of ``root``'s graph to keep its gradient (for pictures).

    The same as calling :meth:`Tensor.retain_grad` on each node ``root`` depends on; call it
    before ``root.backward()``. Returns ``root``.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"retain_grads needs the Tensor whose graph to keep, got "
                        f"{type(root).__name__} {root!r:.40}")
    for node in topological_order(root, leaves=False):
        _retain(node)
    return root


_retain_all = False  # set by retaining(): every backward() keeps its graph


@contextmanager
def retaining():
    """Every ``backward()`` inside keeps its graph, as with ``retain_graph=True``.

    For :func:`calcml.autodiff.jacrev`, which walks one graph once per output; it calls
    plain ``backward(seed)`` so that a spy on ``Tensor.backward`` sees ordinary calls.
    """
    global _retain_all
    previous, _retain_all = _retain_all, True
    try:
        yield
    finally:
        _retain_all = previous


_FORWARD_MODE = (
    "{what} got a Dual (forward mode: jvp/jacfwd) where it needs Tensors (reverse mode): "
    "{what} is reverse-mode only. Differentiate this function with grad/jacrev/vjp, or write "
    "it for jvp with arithmetic, the functions of calcml.autodiff (ad.exp, ad.where, ...) and "
    "np.exp, np.maximum, ... that Duals support")


def _refuse_dual(value, what):
    """TypeError if ``value`` is a Dual: a reverse-mode operation cannot take it."""
    if isinstance(value, Dual):
        raise TypeError(_FORWARD_MODE.format(what=what))


def _constant(value):
    """A non-Tensor operand as a number or a numeric array (TypeError otherwise)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf":
            return value
    elif isinstance(value, numbers.Real):
        return value
    else:
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):
            arr = None
        if arr is not None and arr.dtype.kind in "biuf":
            return arr
    _refuse_dual(value, "a Tensor operation")
    raise TypeError(f"cannot combine a Tensor with {type(value).__name__} {value!r:.60}; "
                    "expected a number, a numeric array or a Tensor")


def _node(op, data, parents, args):
    """A new Tensor made by ``op`` from ``parents`` (None for inputs needing no gradient)."""
    if type(data) is not _ndarray:  # NumPy returns scalars for 0-d results
        data = np.asarray(data)
    out = _new(Tensor)
    out._data = data
    out.grad = None
    out.requires_grad = True
    out.name = None
    out._op = op
    out._parents = parents
    out._args = args
    out._id = next(_creation)
    return out


def _leaf(data):
    """A Tensor that needs no gradient (the result of operations on constants)."""
    if type(data) is not _ndarray:
        data = np.asarray(data)
    out = _new(Tensor)
    out._data = data
    out.grad = None
    out.requires_grad = False
    out.name = None
    out._op = None
    out._parents = ()
    out._args = ()
    out._id = next(_creation)
    return out


_SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "matmul": "@",
           "maximum": "maximum", "minimum": "minimum"}
_FUNCTION = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
             "div": operator.truediv, "pow": operator.pow, "matmul": operator.matmul,
             "maximum": np.maximum, "minimum": np.minimum}


def _binary_operation(op):
    """The function (x, y) ↦ x op y that records a node: ``Tensor.__add__`` and the like.

    One body for all the binary operators, specialised by a closure (no table lookups
    on the way: this is the engine's most frequent step).
    """
    fn = _FUNCTION[op]
    adds = op == "add"

    def apply(x, y):
        x_is_tensor = type(x) is Tensor or isinstance(x, Tensor)
        if x_is_tensor:
            return method(x, y)
        if type(y) is Tensor or isinstance(y, Tensor):  # a constant on the left (2 * t)
            return reflected_apply(x, y)
        return _leaf(fn(_constant(x), _constant(y)))  # (no Tensor: a constant result)

    def method(x, y):  # x is the Tensor whose method this is (t + y)
        if type(y) is Tensor or isinstance(y, Tensor):
            yd = y._data
            py = y if y.requires_grad else None
        else:
            yd = _constant(y)
            py = None
        xd = x._data
        if adds and _FUSE:  # x @ W + b: one linear node (see _fused)
            if x._op == "matmul":
                if _refcount(x) <= _TEMPORARY and (out := _fused(x, xd, yd, py)) is not None:
                    return out
            elif py is not None and y._op == "matmul" and _refcount(y) <= _TEMPORARY + 1:
                # (+ 1: py is y)
                out = _fused(y, yd, xd, x if x.requires_grad else None)
                if out is not None:
                    return out
        try:
            data = fn(xd, yd)
        except ValueError:
            raise _binary_error(op, xd, yd) from None
        px = x if x.requires_grad else None
        if (px is None and py is None) or not _grad_enabled:
            return _leaf(data)
        if type(data) is not _ndarray:  # NumPy returns scalars for 0-d results
            data = np.asarray(data)
        out = _new(Tensor)  # _node, written out
        out._data = data
        out.grad = None
        out.requires_grad = True
        out.name = None
        out._op = op
        out._parents = (px, py)
        out._args = (xd, yd)
        out._id = next(_creation)
        return out

    def reflected_apply(x, y):  # x a constant, y a Tensor (2 * t calls t.__rmul__(2))
        xd = _constant(x)
        yd = y._data
        try:
            data = fn(xd, yd)
        except ValueError:
            raise _binary_error(op, xd, yd) from None
        if not (y.requires_grad and _grad_enabled):
            return _leaf(data)
        return _node(op, data, (None, y), (xd, yd))

    def reflected(self, other):  # self.__rop__(other): other op self
        if type(other) is Tensor or isinstance(other, Tensor):
            return method(other, self)
        return reflected_apply(other, self)

    apply.__name__ = apply.__qualname__ = f"binary_{op}"
    method.__name__ = method.__qualname__ = f"Tensor.{op}"
    reflected.__name__ = reflected.__qualname__ = f"reflected_{op}"
    apply.method, apply.reflected = method, reflected
    return apply


# --- a parameter's value on a cache line of its own ---------------------------------------
# A matrix product runs at its full speed only when its operands start on a 64-byte
# boundary (the width of a cache line and of an AVX-512 register): measured here, x @ W for
# a (64, 64) batch and a (64, 128) W took 12 µs with W aligned, 15-17 µs with W at each of
# the other offsets malloc gives (16, 32, 48). A parameter is created once and used in
# every step, so its copy is aligned (PyTorch's allocator aligns every tensor to 64 bytes);
# a value of under 4 KB, or of an input made each step, is copied as NumPy copies.
_ALIGNED_FROM = 4096  # bytes
_addressof = ctypes.addressof
_c_char = ctypes.c_char


def _aligned_copy(data):
    """A C-ordered copy of ``data`` (an ndarray) whose first entry is on a 64-byte boundary."""
    nbytes = data.nbytes
    buf = np.empty(nbytes + 64, np.uint8)
    start = -_addressof(_c_char.from_buffer(buf)) % 64
    arr = buf[start:start + nbytes].view(data.dtype).reshape(data.shape)
    arr[...] = data
    return arr


# --- x @ W + b recorded as one node ------------------------------------------------------
# A learner writes ``x @ W + b``; the product is a temporary that nothing but the sum will
# ever see. The sum then records one ``linear`` node (the rule of :func:`linear`) in place of
# two: the same function and gradients, one node fewer to create, walk and free. A product
# anyone holds (a name, a list, retain_grad) is never fused: the engine tells a temporary
# from a held tensor by its reference count, as NumPy's temporary elision does, where the
# interpreter lets it (see _probe_temporary); elsewhere nothing is fused. The sum is written
# over the product's array when that array's own count shows that nothing else holds it
# either (see _probe_unshared): no one can see the product's value change.
_FUSE = True  # (a switch for benchmarks and tests: False records the two nodes)
_refcount = sys.getrefcount


def _probe_temporary():
    """The reference count a binary method sees on an operand that is a temporary (the
    value of ``x @ W`` in ``x @ W + b``), or 0 where a named operand shows the same count
    (then a temporary cannot be told apart, and nothing is fused)."""
    if sys.implementation.name != "cpython" or not getattr(sys, "_is_gil_enabled",
                                                               lambda: True)():
        return 0

    def probe(x, y):
        return _refcount(x), _refcount(y)

    class Probe:
        __slots__ = ()
        __add__ = probe

    temporary = Probe() + Probe()
    a, b = Probe(), Probe()
    named = a + b
    held = [Probe()]
    in_list = held[0] + b
    if max(temporary) < min(named) and temporary[0] < in_list[0]:
        return max(temporary)
    return 0


_TEMPORARY = _probe_temporary()
_UNSHARED = 0  # the count _fused sees on a product's array that nothing else holds (below)


def _fused(m, md, bd, pb):
    """The node ``m + b`` for a product ``m = x @ W`` that nothing else holds, recorded as
    one ``linear`` node xW + b (the product's node is never seen again, so the graph is the
    same function with one node fewer). None when the operands are not a product of two
    matrices and a bias row of its dtype, or the product is to keep its gradient.

    The sum is written over the product's array when its reference count shows that
    nothing but ``m`` (about to be freed) holds it (see :func:`_probe_unshared`);
    otherwise it is a new array, and the product's value is left as it was.

    (A 2-D product comes from two matrices: a vector or a stack gives 1 or 3+ axes. A
    product recorded under no_grad() is no node, so its ``_op`` is None and it never
    gets here.)"""
    if (type(bd) is not _ndarray or bd.ndim != 1 or md.ndim != 2 or bd.dtype is not md.dtype
            or bd.shape[0] != md.shape[1] or _last_change > m._id):
        return None
    args = m._args
    if args is None or (_RETAINED and id(m) in _RETAINED):
        return None
    parents = m._parents
    out = _new(Tensor)
    if _refcount(md) <= _UNSHARED and md.flags.writeable:  # nothing but the dying product
        md += bd  # holds its array: the sum is written over it (one array fewer to make)
        out._data = md
    else:  # (its array is held elsewhere, or this interpreter cannot tell: a new one)
        out._data = md + bd
    out.grad = None
    out.requires_grad = True
    out.name = None
    out._op = "linear"
    out._parents = (parents[0], parents[1], pb)
    out._args = (args[0], args[1], bd)
    out._id = next(_creation)
    return out


def _binary_error(op, xd, yd):
    """The ValueError for operands whose shapes do not fit together."""
    if op == "matmul" and 0 in (np.ndim(xd), np.ndim(yd)):
        scalar = xd if np.ndim(xd) == 0 else yd
        return ValueError(f"matmul (@) needs arrays of at least one axis on both sides, got "
                          f"the scalar {scalar!r}: use * to scale by a number")
    if op == "matmul":
        return ValueError(f"matmul shape mismatch: {np.shape(xd)} @ {np.shape(yd)} — the last "
                          "axis of the left operand must match the second-to-last axis "
                          "(the only axis of a vector) of the right one")
    return ValueError(f"shapes {np.shape(xd)} and {np.shape(yd)} cannot be broadcast "
                      f"together in '{_SYMBOL[op]}'")


_APPLY = {op: _binary_operation(op) for op in _FUNCTION}


def _binary(op, x, y):
    """Apply the binary ``op`` to x and y (Tensors or constants) and record a node."""
    return _APPLY[op](x, y)


def _reflected(op):
    return _APPLY[op].reflected


def _unary(op, x, data, *settings):
    """Record the node of a one-input operation whose result is ``data``."""
    if not (x.requires_grad and _grad_enabled):
        return _leaf(data)
    if type(data) is not _ndarray:
        data = np.asarray(data)
    out = _new(Tensor)  # _node, written out
    out._data = data
    out.grad = None
    out.requires_grad = True
    out.name = None
    out._op = op
    out._parents = (x,)
    out._args = (x._data, *settings) if settings else (x._data,)
    out._id = next(_creation)
    return out


class Tensor(Traced):
    """A NumPy array with a gradient: the value of one node of a computational graph.

    Parameters
    ----------
    data : array_like
        The value. Integers and booleans become float64; floating dtypes are kept.
    requires_grad : bool
        Whether :meth:`backward` should compute ∂output/∂(this tensor) into ``.grad``.
    name : str, optional
        A label for pictures of the graph (:func:`calcml.autodiff.graph.draw_graph`).

    Attributes
    ----------
    data : ndarray
        The value.
    grad : ndarray or None
        The accumulated gradient of the differentiated output with respect to this tensor,
        after :meth:`backward`; None before. An input's gradient is its own array (change it
        in place freely). As in PyTorch, an intermediate node (the result of an operation)
        keeps its gradient only when asked with :meth:`retain_grad` (or
        :func:`retain_grads` for every node of a graph) before ``backward()``; it may then be
        shared with the node that passed it on (∂(x + y)/∂(x + y) and ∂(x + y)/∂x are one
        array), and is read-only.

    Examples
    --------
    >>> x = Tensor(3.0, requires_grad=True)
    >>> y = x * x + 2 * x          # y = x² + 2x
    >>> y.backward()
    >>> float(x.grad)              # dy/dx = 2x + 2 = 8 at x = 3
    8.0
    """

    __slots__ = ("__weakref__", "_args", "_data", "_id", "_modified_at", "_op", "_parents",
                 "grad", "name", "requires_grad")

    def __init__(self, data, requires_grad=False, name=None):
        if type(data) is np.ndarray and data.dtype.kind == "f":  # the usual case: a copy
            arr = (_aligned_copy(data) if requires_grad and data.nbytes >= _ALIGNED_FROM
                   else data.copy())
        else:
            if isinstance(data, Tensor):
                raise TypeError("data is already a Tensor; use its .data to copy the value")
            _refuse_dual(data, "Tensor()")
            arr = np.array(data, copy=True) if isinstance(data, np.ndarray) else np.asarray(
                data)
            if arr.dtype.kind in "biu":
                arr = arr.astype(np.float64)
            elif arr.dtype.kind != "f":
                raise TypeError(f"Tensor data must be numeric, got dtype {arr.dtype} from "
                                f"{type(data).__name__}")
        self._data = arr
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.name = name
        self._op = None
        self._parents = ()
        self._args = ()
        self._id = next(_creation)

    # --- the value, and when it was last changed ----------------------------------------
    def _set_data(self, value):
        global _last_change
        if value is not self._data:  # t.data = new: a new value (t.data -= ... passes itself)
            if isinstance(value, Tensor):
                raise TypeError("t.data must be an array, not a Tensor; use other.data")
            arr = np.asarray(value)
            if arr.dtype.kind in "biu":
                arr = arr.astype(np.float64)
            elif arr.dtype.kind != "f":
                raise TypeError(f"Tensor data must be numeric, got dtype {arr.dtype}")
            self._data = arr
            self._modified_at = _last_change = next(_creation)
            return
        # either way the value may have changed: a graph recorded before cannot use it
        self._modified_at = _last_change = next(_creation)
        if not self.requires_grad:  # a constant changed in place: graphs hold its array
            _changed_in_place(self._data, _last_change)

    data = property(operator.attrgetter("_data"), _set_data, doc="""The value, an ndarray.

        Assigning to it (``t.data = ...`` or in place, ``t.data -= lr * t.grad``) is how
        parameters are updated. A graph recorded before the change used the old value:
        :meth:`backward` through it raises a RuntimeError instead of mixing old and new
        values (PyTorch keeps a version counter for the same reason). The same holds for a
        constant (a tensor that does not require grad) changed in place (``c *= 10``,
        ``c.data *= 10``); giving a constant a new array (``c.data = a``) leaves the graph
        the old one, which it uses consistently. Writes through an index
        (``t.data[0] = 1``) are not seen; make them before the forward pass.

        A plain ndarray operand (``x * a`` with ``a`` an ndarray, not a Tensor) is used as
        it is, not copied, as ``torch.from_numpy`` shares memory: changing ``a`` in place
        between the forward pass and :meth:`backward` is not seen and changes the
        gradient. Make it a constant ``Tensor(a)`` (a copy, and changes are detected), or
        change it after the backward pass.""")

    # --- description -------------------------------------------------------------------
    shape = property(lambda self: self._data.shape, doc="Shape of the value.")
    ndim = property(lambda self: self._data.ndim, doc="Number of axes of the value.")
    size = property(lambda self: self._data.size, doc="Number of entries of the value.")
    dtype = property(lambda self: self._data.dtype, doc="dtype of the value.")
    op = property(lambda self: self._op, doc="Name of the operation that made it (None: input).")
    parents = property(lambda self: tuple(p for p in self._parents if p is not None),
                       doc="The inputs of its operation that require a gradient.")

    def __repr__(self):
        value = np.array2string(self._data, precision=4, separator=", ", threshold=20)
        how = f", op={self._op!r}" if self._op else (", requires_grad=True"
                                                   if self.requires_grad else "")
        label = f", name={self.name!r}" if self.name else ""
        return f"Tensor({value}{how}{label})"

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor: it has no axis to count; use .item() "
                            "for its value")
        return len(self._data)

    def __iter__(self):  # the rows, as PyTorch; a 0-d tensor has none (not an empty list)
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor: use .item() for its value")
        return (self[i] for i in range(len(self._data)))

    def item(self):
        """The value of a one-entry tensor as a Python float."""
        if self._data.size != 1:
            raise ValueError(f"item() needs a one-entry tensor, got shape {self.shape}; "
                             "use .data for the whole array")
        return self._data.item()

    # --- a value as Python sees it: numbers, truth, text, comparisons (no graph) ----------
    def _one_entry(self, what):
        if self._data.size != 1:
            raise TypeError(f"{what} needs a one-entry tensor, got shape {self.shape}; use "
                            ".data for the array (or reduce it first, e.g. .sum())")
        return self._data.item()

    def __float__(self):
        return float(self._one_entry("float(t)"))

    def __int__(self):
        return int(self._one_entry("int(t)"))

    def __bool__(self):
        if self._data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                             "use (t > 0).all() or .any() on the comparison")
        return bool(self._data)

    def __format__(self, spec):
        if not spec:
            return str(self)
        if self._data.size != 1:
            raise TypeError(f"format spec {spec!r} needs a one-entry tensor, got shape "
                            f"{self.shape}; format t.data's entries instead")
        return format(self._data.item(), spec)

    # comparisons compare values and return booleans (arrays, or np.bool_ for one entry):
    # no graph, as PyTorch's comparisons carry no gradient
    def _compare(self, other, compare):
        od = other._data if isinstance(other, Tensor) else _constant(other)
        try:
            return compare(self._data, od)
        except ValueError:
            raise ValueError(f"shapes {self.shape} and {np.shape(od)} cannot be compared "
                             "entry by entry") from None

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    __hash__ = object.__hash__  # a tensor is a node: hashed by identity, like PyTorch's

    # --- arithmetic: each a node of the graph -------------------------------------------
    __add__, __radd__ = _APPLY["add"].method, _reflected("add")
    __sub__, __rsub__ = _APPLY["sub"].method, _reflected("sub")
    __mul__, __rmul__ = _APPLY["mul"].method, _reflected("mul")
    __truediv__, __rtruediv__ = _APPLY["div"].method, _reflected("div")
    __pow__, __rpow__ = _APPLY["pow"].method, _reflected("pow")
    __matmul__, __rmatmul__ = _APPLY["matmul"].method, _reflected("matmul")

    def __neg__(self):
        return _unary("neg", self, -self._data)

    def __abs__(self):  # abs(t): the engine's |x| (a node)
        return self._elementwise("abs")

    def __round__(self, ndigits=None):
        """round(t) of a one-entry tensor: its value rounded, as round(float(t)) (no graph)."""
        return round(self._one_entry("round(t)"), ndigits)

    # --- in place: the parameter update w -= lr * w.grad, as in PyTorch -----------------
    def _in_place(self, other, ufunc, symbol):
        """Under no_grad (or on a tensor without a gradient): change the value in place.
        While recording, ``c += x`` on a computed value is the new node ``c + x`` (as in
        micrograd; NotImplemented makes Python fall back to ``__add__``), and on a weight
        (an input that requires grad) it is refused, as PyTorch refuses it."""
        if self.requires_grad and _grad_enabled:
            if self._parents:
                return NotImplemented
            raise RuntimeError(
                f"w {symbol}= ... on an input that requires grad (a weight) would change it "
                "outside the graph while the graph is recording (PyTorch refuses it too): "
                f"update parameters inside `with no_grad(): w {symbol}= lr * w.grad`, or "
                f"through .data: `w.data {symbol}= lr * w.grad`")
        value = other._data if isinstance(other, Tensor) else other
        try:
            ufunc(self._data, value, out=self._data)
        except (TypeError, ValueError) as exc:
            shape = getattr(value, "shape", None)
            raise ValueError(f"t {symbol}= value needs a value that broadcasts to t's shape "
                             f"{self.shape} (got {type(value).__name__}"
                             f"{'' if shape is None else f' of shape {shape}'}): {exc}"
                             ) from None
        self.data = self._data  # in place: a graph recorded before sees the change
        return self

    def __iadd__(self, other):
        return self._in_place(other, np.add, "+")

    def __isub__(self, other):
        return self._in_place(other, np.subtract, "-")

    def __imul__(self, other):
        return self._in_place(other, np.multiply, "*")

    def __itruediv__(self, other):
        return self._in_place(other, np.true_divide, "/")

    # --- elementwise functions (rules in rules.ELEMENTWISE) -----------------------------
    def _elementwise(self, name):
        return _unary(name, self, ELEMENTWISE[name][0](self._data))

    def exp(self):
        """eˣ entry by entry."""
        return self._elementwise("exp")

    def log(self):
        """ln x entry by entry; ValueError if an entry is not positive."""
        return self._elementwise("log")

    def sin(self):
        """sin x entry by entry."""
        return self._elementwise("sin")

    def cos(self):
        """cos x entry by entry."""
        return self._elementwise("cos")

    def tanh(self):
        """tanh x entry by entry."""
        return _unary("tanh", self, np.tanh(self._data))

    def sigmoid(self):
        """σ(x) = 1 / (1 + e^(−x)) entry by entry (stable for large |x|)."""
        return self._elementwise("sigmoid")

    def relu(self):
        """max(x, 0) entry by entry; its derivative at the kink x = 0 is taken as 0."""
        return self._elementwise("relu")

    def softplus(self):
        """log(1 + eˣ) entry by entry (stable for large |x|)."""
        return self._elementwise("softplus")

    def sqrt(self):
        """√x entry by entry; ValueError if an entry is negative."""
        return self._elementwise("sqrt")

    def abs(self):
        """|x| entry by entry; its derivative at the kink x = 0 is taken as 0."""
        return self._elementwise("abs")

    # --- reductions and shape -----------------------------------------------------------
    def _reduce(self, op, axis, keepdims):
        try:
            data = getattr(self._data, op)(axis=axis, keepdims=keepdims)
        except np.exceptions.AxisError:
            raise ValueError(f"axis {axis!r} is out of range for a tensor of shape {self.shape} "
                             f"({self.ndim} axes: use 0..{self.ndim - 1} or negative)") from None
        except ValueError as exc:  # the max of no entries
            raise ValueError(f"{op} over axis {axis!r} of a tensor of shape {self.shape}: "
                             f"{exc}") from None
        except TypeError:
            raise TypeError(f"axis must be None, an int or a tuple of ints, got {axis!r}") from None
        return _unary(op, self, data, axis, keepdims)

    def sum(self, axis=None, keepdims=False):
        """Σ of the entries, over ``axis`` (all by default)."""
        return self._reduce("sum", axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        """Mean of the entries, over ``axis`` (all by default)."""
        return self._reduce("mean", axis, keepdims)

    def max(self, axis=None, keepdims=False):
        """Largest entry over ``axis``; ties share the gradient equally."""
        return self._reduce("max", axis, keepdims)

    def reshape(self, *shape):
        """The same entries in a new shape (``reshape(2, 3)`` or ``reshape((2, 3))``)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            data = self._data.reshape(shape)
        except ValueError:
            raise ValueError(f"cannot reshape a tensor of shape {self.shape} "
                             f"({self.size} entries) into shape {shape}") from None
        return _unary("reshape", self, data, shape)

    def transpose(self, *axes):
        """Axes permuted (reversed by default, as ``.T``)."""
        axes = tuple(axes[0]) if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        axes = axes or None
        return _unary("transpose", self, np.transpose(self._data, axes), axes)

    T = property(transpose, doc="The transpose (axes reversed).")

    def __getitem__(self, index):
        if isinstance(index, Tensor):
            index = _tensor_index(index)
        elif isinstance(index, tuple):
            index = tuple(_tensor_index(i) if isinstance(i, Tensor) else i for i in index)
        try:
            data = self._data[index]
        except IndexError as exc:
            if "out of bounds" in str(exc):
                raise IndexError(f"index {index!r} is out of range for a tensor of shape "
                                 f"{self.shape}: {exc}") from None
            raise IndexError(f"{index!r} is not a valid index for a tensor of shape "
                             f"{self.shape}: {exc}") from None
        return _unary("getitem", self, np.asarray(data), index)

    def _scatter(self, index, shape):
        """A zero tensor of ``shape`` with this one added at ``index`` (getitem's reverse)."""
        data = np.zeros(shape, dtype=self._data.dtype)
        np.add.at(data, index, self._data)
        return _unary("scatter", self, data, index, shape)

    def broadcast_to(self, shape):
        """The value repeated to ``shape`` by NumPy's broadcasting (a node: sums back)."""
        try:
            data = np.broadcast_to(self._data, shape)
        except ValueError:
            raise ValueError(f"cannot broadcast a tensor of shape {self.shape} to shape "
                             f"{tuple(shape)}") from None
        return _unary("broadcast_to", self, data, tuple(shape))

    # --- NumPy's functions on Tensors: through the engine where there is a rule ----------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__" or kwargs:
            extra = f" with {', '.join(kwargs)}=" if kwargs else f".{method}"
            raise TypeError(f"np.{ufunc.__name__}{extra} on a Tensor is not supported; call "
                            f"np.{ufunc.__name__}(t) plainly, or use the Tensor's methods "
                            "(t.sum(), t.max(), ...)")
        if ufunc in _UFUNC_BINARY:
            return _binary(_UFUNC_BINARY[ufunc], *inputs)
        if ufunc in _UFUNC_UNARY:
            return _UFUNC_UNARY[ufunc](_as_tensor(inputs[0]))
        if ufunc in UFUNC_VALUES:  # piecewise constant: a value with no gradient to carry
            return ufunc(*(i._data if isinstance(i, Tensor) else i for i in inputs))
        raise TypeError(f"np.{ufunc.__name__} has no derivative rule in calcml.autodiff; use "
                        f"the Tensor methods ({_METHODS}) or the functions of calcml.autodiff, "
                        f"or np.{ufunc.__name__}(t.data) for a value without gradient")

    def __array_function__(self, func, types, args, kwargs):
        handler = _ARRAY_FUNCTIONS.get(func)
        if handler is None:
            name = getattr(func, "__name__", str(func))
            raise TypeError(f"np.{name} is not supported on a Tensor by calcml.autodiff; use "
                            f"the Tensor methods ({_METHODS}) or np.{name}(t.data) for a "
                            "value without gradient")
        return handler(*args, **kwargs)

    def __array__(self, dtype=None, copy=None):
        if self.requires_grad:
            raise TypeError("converting a Tensor that requires grad to a NumPy array would "
                            "drop its gradient; use t.data for its value")
        if copy is False and dtype is not None and np.dtype(dtype) != self._data.dtype:
            raise ValueError("a copy is needed to change the dtype")
        data = self._data if dtype is None else self._data.astype(dtype, copy=False)
        return data.copy() if copy else data

    # --- the backward pass --------------------------------------------------------------
    def backward(self, grad=None, retain_graph=False, create_graph=False, inputs=None, *,
                 gradient=None):
        """Compute ∂self/∂x for every tensor x it depends on, adding it to ``x.grad``.

        Parameters
        ----------
        grad : array_like, optional
            The seed ∂L/∂self. Optional for a one-entry tensor (seed 1); required otherwise,
            with the shape of this tensor: then the result is the vector-Jacobian product.
        retain_graph : bool
            Keep the values the rules need, so that the same graph can be walked again.
        create_graph : bool
            Run the rules on Tensors, so that the gradients are Tensors with a graph of their
            own: a gradient can then be differentiated again (second derivatives, Hessians).
            Implies ``retain_graph``.
        inputs : sequence of Tensor, optional
            Compute the gradient with respect to these only (the walk is pruned to the paths
            that reach them) and add it to their ``.grad``; no other tensor's ``.grad`` is
            touched. :func:`calcml.autodiff.grad` uses this.
        gradient : array_like, optional
            PyTorch's name for ``grad`` (``t.backward(gradient=v)``); give one or the other.

        Notes
        -----
        The nodes are visited in topological order (each before its inputs) by a loop,
        so the depth of the graph is not limited by Python's recursion limit.

        Gradients accumulate: each call *adds* into the inputs' ``.grad`` (reset them with
        :meth:`zero_grad`), which is what lets one training step sum several losses, each
        with its own graph. One graph is walked once: after the walk the values its rules
        need are freed, and a second ``backward()`` through it raises a RuntimeError, as in
        PyTorch, instead of silently doubling the gradients; pass ``retain_graph=True`` to
        walk it again (e.g. one pass per output row of a Jacobian).

        As in PyTorch, only the inputs keep their ``.grad``: an intermediate node's gradient
        is let go of as soon as the walk has passed it on (memory is reused within the pass,
        not held until the graph dies), unless :meth:`retain_grad` asked for it; a retained
        node's gradient is its own array and accumulates over calls, as an input's does.
        """
        if (grad is None and gradient is None and inputs is None and not create_graph
                and _request is None and self._parents):  # loss.backward() in a training loop
            data = self._data
            if data.ndim == 0 and data.dtype is _FLOAT64:
                order = _walk_order(self)  # (resets each node's .grad: this call's own)
                self.grad = _ONE
                _walk(order, not (retain_graph or _retain_all))
                return
        if gradient is not None:
            if grad is not None:
                raise TypeError("backward() got both grad= and gradient= (the same seed under "
                                "its two names); give one")
            grad = gradient
        if not self.requires_grad:
            raise ValueError("backward() called on a tensor that does not require a gradient: "
                             "no input was created with requires_grad=True (or it was computed "
                             "under no_grad())")
        if grad is None:
            if self._data.size != 1:
                raise ValueError(f"backward() without a seed gradient needs a one-entry output, "
                                 f"got shape {self.shape}; reduce it first (e.g. .sum()) or pass "
                                 f"grad= an array of shape {self.shape}")
            data = self._data
            grad = (_ONE if data.dtype is _FLOAT64 and data.ndim == 0
                    else _seed(data.dtype, data.shape))
        else:
            grad = np.array(grad, dtype=self._data.dtype)  # a copy: the caller keeps theirs
            if grad.shape != self.shape:
                raise ValueError(f"the seed gradient has shape {grad.shape}, but the tensor has "
                                 f"shape {self.shape}")
        if _request is not None and inputs is None:  # set by calcml.autodiff.grad
            inputs, create_graph = _request
        if inputs is not None or create_graph:
            if inputs is None:  # all the inputs (leaves) it depends on
                inputs = [t for t in topological_order(self) if not t._parents]
            _backward_to(self, grad, inputs, create_graph,
                         retain_graph or create_graph or _retain_all)
            return
        if not self._parents:  # an input: d self/d self = 1
            self.grad = grad.copy() if self.grad is None else _total(self.grad, grad)
            return
        order = _walk_order(self)  # (resets each node's .grad: this call's, not a running sum)
        self.grad = grad
        _walk(order, not (retain_graph or _retain_all))

    def zero_grad(self):
        """Forget the accumulated gradient (``.grad = None``), e.g. before the next step."""
        self.grad = None

    def retain_grad(self):
        """Keep this intermediate node's gradient after ``backward()``, as in PyTorch.

        An input (a tensor not made by an operation) always keeps its gradient; the result
        of an operation keeps it only when asked, before the backward pass.

        Examples
        --------
        >>> x = Tensor(2.0, requires_grad=True)
        >>> y = x * x
        >>> y.retain_grad()
        >>> (3 * y).backward()
        >>> float(y.grad), float(x.grad)     # ∂(3y)/∂y = 3, ∂(3x²)/∂x = 6x = 12
        (3.0, 12.0)
        """
        if not self.requires_grad:
            raise RuntimeError("retain_grad() on a tensor that does not require grad: no "
                               "gradient reaches it (as PyTorch, which refuses it too)")
        if self._parents:
            _retain(self)

    def detach(self):
        """The value as a new tensor outside the graph (no gradient flows back through it).

        As PyTorch's ``detach()``, except that the value is copied: changing one never
        changes the other."""
        return Tensor(self._data)


# --- NumPy's protocols: which NumPy function is which engine operation ---------------------
_METHODS = "t.exp(), t.log(), t.tanh(), t.sum(), t.mean(), t.reshape(), t.T, ..."
_UFUNC_BINARY = {np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "div",
                 np.power: "pow", np.matmul: "matmul", np.maximum: "maximum",
                 np.minimum: "minimum"}
_UFUNC_UNARY = {np.negative: Tensor.__neg__, np.positive: lambda t: t,
                np.square: lambda t: t * t, np.reciprocal: lambda t: 1.0 / t,
                np.exp: Tensor.exp, np.log: Tensor.log, np.sin: Tensor.sin, np.cos: Tensor.cos,
                np.tanh: Tensor.tanh, np.sqrt: Tensor.sqrt, np.absolute: Tensor.abs}


def _no_extras(name, extras):
    given = [k for k, v in extras.items() if v is not None and v is not np._NoValue]
    if given:
        raise TypeError(f"np.{name} on a Tensor takes no {', '.join(given)}= here; the result "
                        "is a new Tensor")


def _np_reduce(op):
    def reduce(a, axis=None, dtype=None, out=None, keepdims=False, **extras):
        _no_extras(op, {"dtype": dtype, "out": out, **extras})
        return getattr(_as_tensor(a), op)(axis=axis, keepdims=bool(keepdims))
    return reduce


def _np_reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    if order != "C":
        raise TypeError(f"np.reshape on a Tensor reads entries in C order only, got {order!r}")
    return _as_tensor(a).reshape(newshape if shape is None else shape)


def _np_where(condition, x=None, y=None):
    if x is None or y is None:
        raise TypeError("np.where(condition) with one argument on a Tensor is not supported; "
                        "use np.nonzero(condition) on values")
    c = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    return where(c, x, y)


def _np_swapaxes(a, axis1, axis2):
    a = _as_tensor(a)
    axes = list(range(a.ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return a.transpose(axes)


def _np_expand_dims(a, axis):
    a = _as_tensor(a)
    axis = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    ndim = a.ndim + len(axis)
    new = {int(i) % ndim for i in axis}
    sizes = iter(a.shape)
    return a.reshape(tuple(1 if i in new else next(sizes) for i in range(ndim)))


def _np_dot(a, b, out=None):
    _no_extras("dot", {"out": out})
    if 0 in (np.ndim(a), np.ndim(b)):
        return _binary("mul", a, b)
    if max(np.ndim(a), np.ndim(b)) > 2:
        raise TypeError("np.dot of arrays with more than two axes on a Tensor is not supported; "
                        "use @ (matmul)")
    return _binary("matmul", a, b)


def _value(a):
    return a._data if isinstance(a, Tensor) else a


def _on_values(func):
    """A NumPy function applied to the values (no gradient: comparisons, shapes, indices)."""
    def apply(*args, **kwargs):
        return func(*(_value(a) for a in args), **{k: _value(v) for k, v in kwargs.items()})
    return apply


_ARRAY_FUNCTIONS = {
    np.sum: _np_reduce("sum"), np.mean: _np_reduce("mean"), np.max: _np_reduce("max"),
    np.amax: _np_reduce("max"), np.reshape: _np_reshape,
    np.transpose: lambda a, axes=None: _as_tensor(a).transpose(
        () if axes is None else tuple(int(i) for i in axes)),
    np.swapaxes: _np_swapaxes, np.expand_dims: _np_expand_dims,
    np.broadcast_to: lambda array, shape, subok=False: _as_tensor(array).broadcast_to(shape),
    np.where: _np_where, np.dot: _np_dot,
    np.shape: lambda a: np.shape(_value(a)), np.ndim: lambda a: np.ndim(_value(a)),
    np.size: lambda a, axis=None: np.size(_value(a), axis),
    **{f: _on_values(f) for f in (np.allclose, np.isclose, np.array_equal, np.argmax,
                                  np.argmin, np.zeros_like, np.ones_like, np.result_type,
                                  np.shares_memory)},
}


def where(condition, x, y):
    """x where ``condition`` holds, else y, entry by entry (a node: g goes to the one chosen).

    ``condition`` is a boolean array (or Tensor of booleans, read as a value).
    """
    c = condition._data if isinstance(condition, Tensor) else np.asarray(condition, dtype=bool)
    x_is_tensor, y_is_tensor = isinstance(x, Tensor), isinstance(y, Tensor)
    if not (x_is_tensor or y_is_tensor) and (isinstance(x, Dual) or isinstance(y, Dual)):
        return _dual_where(c, x, y)  # forward mode (jvp): the tangent is chosen the same way
    xd = x._data if x_is_tensor else _constant(x)
    yd = y._data if y_is_tensor else _constant(y)
    try:
        data = np.where(c, xd, yd)
    except ValueError:
        raise ValueError(f"shapes {np.shape(c)}, {np.shape(xd)} and {np.shape(yd)} cannot be "
                         "broadcast together in where") from None
    px = x if x_is_tensor and x.requires_grad else None
    py = y if y_is_tensor and y.requires_grad else None
    if (px is None and py is None) or not _grad_enabled:
        return _leaf(data)
    return _node("where", data, (px, py), (xd, yd, c))


def _dual_where(c, x, y):
    x, y = (v if isinstance(v, Dual) else Dual(_constant(v), 0.0) for v in (x, y))
    try:
        return Dual(np.where(c, x.value, y.value), np.where(c, x.deriv, y.deriv))
    except ValueError:
        raise ValueError(f"shapes {np.shape(c)}, {x.shape} and {y.shape} cannot be broadcast "
                         "together in where") from None


def _check_walkable(order, reset=True):
    """RuntimeError if the graph was walked (and freed) already, or its values changed.

    Also sets each node's ``.grad`` to None on the way (one loop, not two): before a walk,
    an intermediate node's gradient is forgotten.
    """
    for node in order:
        if reset:
            node.grad = None
        if node._args is None:
            raise RuntimeError(
                "backward() through a graph that was already walked: its saved values "
                "were freed by the first backward(). Compute the output again (the usual "
                "step: forward, backward, update), or call backward(retain_graph=True) "
                "the first time to walk it again")
    if order and _last_change > order[-1]._id:  # some .data changed since the first node
        _check_unchanged(order)


_request = None  # (inputs, create_graph) while calcml.autodiff.grad runs a backward pass


@contextmanager
def gradient_request(inputs, create_graph):
    """``backward(seed)`` inside computes the gradient for ``inputs`` only (see backward)."""
    global _request
    previous, _request = _request, (tuple(inputs), bool(create_graph))
    try:
        yield
    finally:
        _request = previous


def _graph_vjp_cross_entropy(g, ans, z, y, e, s, picks):
    """cross_entropy's rule on Tensors: (softmax(z) − onehot(y)) · g/n, softmax recomputed."""
    n, num_classes = z.shape
    onehot = np.zeros((n, num_classes))
    onehot.reshape(-1)[picks] = 1.0
    return (log_softmax(z).exp() - onehot) * (g / n)


def _graph_vjp_bce(g, ans, z, y):
    """binary_cross_entropy_with_logits' rule on Tensors: (σ(z) − y) · g/N."""
    return (z.sigmoid() - y) * (g / z.size)


_GRAPH_VJP = {"cross_entropy": (_graph_vjp_cross_entropy,),
              "bce_with_logits": (_graph_vjp_bce,)}


def _backward_to(root, seed, inputs, create_graph, retain):
    """The gradient of ``root`` for ``inputs`` only, added to their ``.grad``.

    The nodes walked are those on a path from ``root`` to an input; an input's gradient
    is complete when it is reached (nodes come in topological order), so the walk does not
    continue past it. With ``create_graph`` the rules run on Tensors (the values each node
    kept are replaced by the nodes themselves), recording the graph of the gradient.
    """
    inputs = tuple(inputs)
    for t in inputs:
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise TypeError(f"inputs must be tensors that require grad, got {t!r:.60}")
    targets = set(inputs)
    nodes = [root]
    seen = {root}
    stack = [] if root in targets else [root]
    while stack:  # everything reachable without passing through an input
        for parent in stack.pop()._parents:
            if parent is not None and parent not in seen:
                seen.add(parent)
                nodes.append(parent)
                if parent._parents and parent not in targets:
                    stack.append(parent)
    nodes.sort(key=_creation_number)
    leads = set(targets)  # the nodes with a path to an input
    for node in nodes:
        if node not in targets and any(p in leads for p in node._parents if p is not None):
            leads.add(node)
    walk = [n for n in reversed(nodes) if n in leads and n not in targets and n._parents]
    _check_walkable(walk, reset=False)
    grads = {root: Tensor(seed) if create_graph else seed}
    fill = _RETAINED and _request is None  # (calcml.autodiff.grad touches no .grad)
    for node in walk:
        g = grads.pop(node, None)
        if g is None:
            continue
        if fill and id(node) in _RETAINED:
            node.grad = _kept(g, node.grad)
        parents = node._parents
        args = node._args
        if create_graph:
            vjps = _GRAPH_VJP.get(node._op, VJP[node._op])
            k = len(parents)
            args = tuple(p if p is not None else a for p, a in zip(parents, args[:k], strict=True)
                         ) + args[k:]
            ans = node
        else:
            vjps, ans = VJP[node._op], node._data
        for parent, vjp in zip(parents, vjps, strict=True):
            if parent is None or parent not in leads:
                continue
            gp = vjp(g, ans, *args)
            if not isinstance(gp, Tensor):
                gp = np.asarray(gp)
            if gp.shape != parent.shape:
                gp = unbroadcast(gp, parent.shape)
            if not isinstance(gp, Tensor) and gp.dtype != parent.dtype:
                gp = gp.astype(parent.dtype)  # a gradient has its input's dtype
            old = grads.get(parent)
            grads[parent] = gp if old is None else old + gp
    for t in inputs:
        g = grads.get(t)
        if g is None:
            continue
        if not isinstance(g, Tensor) and (g is seed or g.base is not None):
            g = np.array(g)  # an input owns its gradient
        t.grad = g if t.grad is None else t.grad + g
    if not retain:
        for node in walk:
            node._args = None


# the arrays of constants (tensors that need no gradient) changed in place, by id: a graph
# keeps a constant's array, not the Tensor, so a backward pass looks its arrays up here
_CHANGED = {}


def _changed_in_place(arr, number):
    """Note that ``arr`` (and the array it is a view of) was changed at ``number``."""
    for a in (arr, arr.base):
        if isinstance(a, np.ndarray):
            key = id(a)
            old = _CHANGED.get(key)
            if old is not None and old[0]() is a:
                _CHANGED[key] = (old[0], number)
            else:
                _CHANGED[key] = (weakref.ref(a, lambda _, key=key: _CHANGED.pop(key, None)),
                                 number)


def _changed_after(a, number):
    """Whether the array ``a`` (or the one it views) was changed in place after ``number``."""
    for b in (a, a.base):
        if isinstance(b, np.ndarray):
            entry = _CHANGED.get(id(b))
            if entry is not None and entry[1] > number and entry[0]() is b:
                return True
    return False


def _whole_numbers(t, what):
    """The values of a Tensor (always floats) as integers, when they are whole numbers:
    the engine has no integer tensors, so Tensor([0, 2]) stands for the labels 0 and 2."""
    d = t._data
    if d.size and not np.all(np.isfinite(d) & (d == np.round(d))):
        bad = d[~(np.isfinite(d) & (d == np.round(d)))]
        raise TypeError(f"{what} must be whole numbers, got {bad[:5].tolist()}")
    return d.astype(np.int64)


def _tensor_index(t):
    """A Tensor used as an index: its whole-number values as integers (booleans stay so)."""
    if t.requires_grad:
        raise TypeError("a tensor that requires grad cannot be an index (an index has no "
                        "gradient); use a constant Tensor or an integer array")
    return _whole_numbers(t, "the entries of a Tensor used as an index")


def _describe(t):
    label = f" {t.name!r}" if t.name else ""
    kind = f"the result of {t._op!r}" if t._op else "an input"
    return f"tensor{label} of shape {t.shape} ({kind})"


def _check_unchanged(order):
    """RuntimeError if a value the graph used was assigned after the graph recorded it."""
    for node in order:
        for t in (node, *node._parents):
            if t is not None and getattr(t, "_modified_at", -1) > node._id:
                raise RuntimeError(
                    f"the .data of a {_describe(t)} was changed after the forward pass used "
                    f"it (in {node._op!r}), so this graph's gradient would mix old and new "
                    "values; run the forward pass again after changing .data (or change it "
                    "after backward)")
        if _CHANGED and node._args:
            for a in node._args:
                if type(a) is _ndarray and _changed_after(a, node._id):
                    raise RuntimeError(
                        f"a constant (a tensor that does not require grad) of shape {a.shape} "
                        f"was changed in place after the forward pass used it (in "
                        f"{node._op!r}), so this graph's gradient would mix old and new values; "
                        "run the forward pass again after changing it (or change it after "
                        "backward)")


def topological_order(root, leaves=True):
    """The nodes ``root`` depends on, each listed before all of its inputs.

    Every node is created after its inputs, so sorting the reachable nodes by decreasing
    creation number is a topological order. Collecting them is a loop with a stack
    (depth-first), not a recursion.

    Parameters
    ----------
    root : Tensor
    leaves : bool
        Include the inputs (tensors not made by an operation). The backward pass leaves
        them out: they only receive gradients.

    Returns
    -------
    list of Tensor
        ``root`` first, each node before its inputs.
    """
    nodes = [root]
    seen = {root}
    stack = [root]
    while stack:
        for parent in stack.pop()._parents:
            if parent is not None and parent not in seen:
                seen.add(parent)
                if parent._parents:
                    nodes.append(parent)
                    stack.append(parent)
                elif leaves:
                    nodes.append(parent)
    nodes.sort(key=_creation_number, reverse=True)
    return nodes


_creation_number = operator.attrgetter("_id")
_SEEDS = {}


def _seed(dtype, shape):
    """A read-only 1 of the given dtype and one-entry shape, reused across calls."""
    key = (dtype, shape)
    if key not in _SEEDS:
        one = np.ones(shape, dtype)
        one.flags.writeable = False
        _SEEDS[key] = one
    return _SEEDS[key]


_WALKED = ("backward() through a graph that was already walked: its saved values were freed "
           "by the first backward(). Compute the output again (the usual step: forward, "
           "backward, update), or call backward(retain_graph=True) the first time to walk it "
           "again")


def _walk_order(root):
    """``topological_order(root, leaves=False)``, checked and reset for a backward pass.

    One loop does three things: collects the nodes made by an operation (root first, each
    before its inputs), sets each one's ``.grad`` to None (an intermediate gradient is this
    call's, not a running sum), and raises a RuntimeError if the graph was walked and freed
    already, or if a value it used was assigned after the forward pass.
    """
    if root._args is None:
        raise RuntimeError(_WALKED)
    nodes = [root]
    seen = {root}
    stack = [root]
    pop, push, keep, mark = stack.pop, stack.append, nodes.append, seen.add
    while stack:
        for parent in pop()._parents:
            if parent is not None and parent._parents and parent not in seen:
                if parent._args is None:
                    raise RuntimeError(_WALKED)
                mark(parent)
                keep(parent)
                push(parent)
    if len(nodes) > 1:
        nodes.sort(key=_creation_number, reverse=True)
    if _last_change > nodes[-1]._id:  # some .data changed since the first node was made
        _check_unchanged(nodes)
    if _RETAINED:  # a retained node's gradient so far, added to in the walk
        _PREVIOUS.clear()
        for node in nodes:
            if node.grad is not None and id(node) in _RETAINED:
                _PREVIOUS[id(node)] = (node, node.grad)
            node.grad = None
    else:
        for node in nodes:
            node.grad = None
    return nodes


def _give(parent, gp, shared):
    """Add the gradient ``gp`` (of the parent's shape) into ``parent.grad``.

    ``shared``: gp is, or is a view of, an array that another node holds (the rule passed
    its g on, as x + y does). An intermediate node then shares it, read-only for both
    (no copy); an input gets its own copy, so that ``a.grad *= 0`` changes nothing else.
    A fresh array (the usual case) is taken as it is.
    """
    old = parent.grad
    if old is not None:  # a node that feeds several others gets the sum over those paths
        total = old + gp  # (a NumPy scalar for 0-d arrays: kept an array)
        parent.grad = np.asarray(total) if isinstance(total, np.generic) else total
    elif not shared:
        parent.grad = gp
    elif parent._parents:
        gp.setflags(False)  # (positionally: write=False; the keyword costs twice as much)
        parent.grad = gp
    else:
        parent.grad = gp.copy()


def _apply_vjps(node, g, args, vjps):
    """The general step of the walk: one rule of ``VJP`` per input that requires grad."""
    ans = node._data
    for parent, vjp in zip(node._parents, vjps, strict=False):
        if parent is None:
            continue
        gp = vjp(g, ans, *args)
        if type(gp) is not _ndarray:  # a NumPy scalar from a 0-d rule
            gp = np.asarray(gp)
        pd = parent._data
        shape = pd.shape
        if gp.shape != shape:
            gp = unbroadcast(gp, shape)
        if gp.dtype is not pd.dtype and gp.dtype != pd.dtype:
            gp = gp.astype(pd.dtype)  # a gradient has its input's dtype, as in PyTorch
        if gp is g or gp.base is not None:  # the rule passed g on (x + y, reshape)
            if gp is not g and parent.grad is None and parent._parents:
                g.setflags(False)  # a view of g: read-only for both
            _give(parent, gp, True)
        else:
            _give(parent, gp, False)


# --- the walk: the rules of VJP, written out for the operations of a training loop -------
# For add, matmul, linear, tanh and cross_entropy the walk applies the rule of VJP written
# out in its loop (every input at once, no call per input or per node), and gives each
# input that requires grad its gradient there. It does so only while VJP holds the rules
# those lines were written from (a replaced rule is used as it is); tests check that both
# give the same gradients.
_ndarray = np.ndarray
_reduce_add = np.add.reduce
_FLOAT64 = np.dtype(np.float64)
_ONE = np.ones((), np.float64)
_ONE.setflags(write=False)
_subtract = np.subtract
_WRITTEN_OUT = ("add", "matmul", "linear", "tanh", "cross_entropy")
_written_rules = {op: VJP[op] for op in _WRITTEN_OUT}
_fast = [frozenset(_WRITTEN_OUT), VJP.version]  # ops whose rule is unchanged, as of version


def _fast_ops():
    """The ops of _WRITTEN_OUT whose rule in VJP is still the one the walk writes out."""
    if _fast[1] != VJP.version:
        _fast[0] = frozenset(op for op, rule in _written_rules.items() if VJP.get(op) is rule)
        _fast[1] = VJP.version
    return _fast[0]


def _kept(g, previous):
    """A retained node's gradient: a copy of this call's (writable, shared with no other
    node), added to what it held before, as PyTorch's retain_grad accumulates."""
    own = g.copy() if isinstance(g, np.ndarray) else g
    return own if previous is None else previous + own


def _walk(order, free):
    """Apply the chain rule node by node, in ``order`` (each node before its inputs).

    Each node's ``.grad`` is complete when it is reached; its rule gives each input that
    requires grad its share, added into the input's ``.grad`` (the sum over paths). With
    ``free`` each node lets go of the values its rule kept (the graph is then walked).

    A gradient passed on unchanged (the ``g`` of x + y) is shared, read-only, between the
    node and an intermediate input; an input (leaf) gets a copy of its own, so that
    ``a.grad *= 0`` changes nothing else. Any other gradient is a fresh array, taken as it is.
    """
    fast = _fast_ops()
    keep = _RETAINED  # the nodes whose gradient is asked for (retain_grad)
    for node in order:
        args = node._args
        if free:
            node._args = None  # free what the rules kept; marks the graph as walked
        g = node.grad
        if g is None:
            continue
        if keep and id(node) in keep:  # asked for (retain_grad): its own array, accumulated
            node.grad = _kept(g, _PREVIOUS.pop(id(node), (None, None))[1])
        else:  # an intermediate gradient, used: let go of
            node.grad = None
        op = node._op
        if op not in fast:
            _apply_vjps(node, g, args, VJP[op])
        elif op == "add":  # ∂(x + y)/∂x = ∂(x + y)/∂y = 1: g passed on, summed if broadcast
            px, py = node._parents
            if px is not None:
                _pass_on(px, g, args[0].shape)
            if py is not None:
                _pass_on(py, g, args[1].shape)
        elif op == "matmul" or op == "linear":  # x @ y (+ b for linear)
            x, y = args[0], args[1]
            parents = node._parents
            px, py = parents[0], parents[1]
            if (x.ndim != 2 or y.ndim != 2 or x.dtype is not g.dtype or y.dtype is not g.dtype
                    or (op == "linear" and args[2].dtype is not g.dtype)):
                # vectors, stacks of matrices, mixed dtypes (each input's gradient is cast
                # to its own dtype there): the rules
                _apply_vjps(node, g, args, VJP[op])
                continue
            if px is not None:
                gp = g @ y.T  # G Yᵀ
                old = px.grad
                px.grad = gp if old is None else _total(old, gp)
            if py is not None:
                gp = x.T @ g  # Xᵀ G
                old = py.grad
                py.grad = gp if old is None else _total(old, gp)
            if op == "linear" and parents[2] is not None:
                gp = _reduce_add(g, 0)  # Σ over the rows of G, for the bias
                old = parents[2].grad
                parents[2].grad = gp if old is None else _total(old, gp)
        elif op == "tanh":
            ans = node._data
            gp = ans * ans
            if type(gp) is _ndarray and gp.dtype is g.dtype:  # one array, not three
                _subtract(1.0, gp, gp)
                gp *= g  # g · (1 − tanh²)
            else:  # (a NumPy scalar for a 0-d node; g of another dtype: NumPy's promotion)
                gp = np.asarray(g * (1.0 - gp))
            parent = node._parents[0]
            old = parent.grad
            parent.grad = gp if old is None else _total(old, gp)
        elif op == "cross_entropy":
            _, _, e, s, picks = args
            scale = float(g) / len(picks)
            gp = e * scale  # softmax(z) · g/n, a fresh array ...
            gp /= s
            gp.reshape(-1)[picks] -= scale  # ... − onehot(y) · g/n
            parent = node._parents[0]
            old = parent.grad
            parent.grad = gp if old is None else _total(old, gp)
    if _PREVIOUS:  # retained nodes this walk did not reach
        _restore_previous()


def _restore_previous():
    """Retained nodes this walk gave no gradient keep the one they had."""
    for node, previous in _PREVIOUS.values():
        node.grad = previous
    _PREVIOUS.clear()


def _pass_on(parent, g, shape):
    """Give ``parent`` (of ``shape``) the gradient ``g`` of a node that passes it on as it
    is (x + y), summed down to ``shape`` where the node broadcast it (and cast to the
    parent's dtype where the sum promoted it: float32 + float64)."""
    dtype = parent._data.dtype
    if g.dtype is not dtype and g.dtype != dtype:
        g = g.astype(dtype)
    if g.shape != shape:
        _give_summed(parent, g, shape)
    elif parent.grad is not None:
        parent.grad = _total(parent.grad, g)
    elif parent._parents:
        g.setflags(False)  # shared with an intermediate node: read-only for both
        parent.grad = g
    else:
        parent.grad = g.copy()  # an input's gradient is its own


def _give_summed(parent, g, shape):
    """Give ``parent`` the gradient ``g`` summed down to its ``shape`` (undo broadcasting)."""
    if g.ndim == len(shape) + 1 and g.shape[1:] == shape:  # a bias added to every row
        gp = _reduce_add(g, 0)
        old = parent.grad
        parent.grad = gp if old is None else _total(old, gp)
    else:
        gp = unbroadcast(g, shape)
        _give(parent, gp, gp.base is not None)


def _total(old, gp):
    """old + gp, kept an array (NumPy gives a scalar for 0-d arrays)."""
    total = old + gp
    return np.asarray(total) if type(total) is not _ndarray else total


# --- fused primitives: one node each, with a simple rule ---------------------------------
def _as_tensor(x):
    """A Tensor as is; anything else as a constant Tensor (TypeError if not numeric)."""
    return x if isinstance(x, Tensor) else Tensor(x)


def linear(x, w, b):
    """The affine layer xW + b as one node.

    ``x @ w + b`` written out is recorded as this same node when the product is a
    temporary (used by nothing but the sum); a product kept in a name stays a node of its
    own, followed by an ``add`` node.

    Parameters
    ----------
    x : Tensor or ndarray, shape (n, d_in)
    w : Tensor, shape (d_in, d_out)
    b : Tensor, shape (d_out,)

    Returns
    -------
    Tensor, shape (n, d_out)
        ∂/∂x = G Wᵀ, ∂/∂W = xᵀ G, ∂/∂b = Σ over rows of G (G the gradient of the output).
        Given a Dual (inside jvp), the same xW + b in forward mode (a Dual).
    """
    if not (type(w) is Tensor and type(b) is Tensor) and Dual in (type(x), type(w), type(b)):
        if any(isinstance(v, Tensor) for v in (x, w, b)):
            raise TypeError("linear cannot mix a Dual (forward mode) with a Tensor (reverse "
                            "mode); give it Duals and arrays inside jvp, Tensors inside grad")
        return x @ w + b
    if isinstance(x, Tensor):
        xd, px = x._data, (x if x.requires_grad else None)
    else:
        xd, px = np.asarray(_constant(x)), None
    if isinstance(w, Tensor):
        wd, pw = w._data, (w if w.requires_grad else None)
    else:
        wd, pw = np.asarray(_constant(w)), None
    if isinstance(b, Tensor):
        bd, pb = b._data, (b if b.requires_grad else None)
    else:
        bd, pb = np.asarray(_constant(b)), None
    if (xd.ndim != 2 or wd.ndim != 2 or bd.ndim != 1 or xd.shape[1] != wd.shape[0]
            or wd.shape[1] != bd.shape[0]):
        raise ValueError(f"linear needs x (n, d_in), W (d_in, d_out), b (d_out,); got shapes "
                         f"{xd.shape}, {wd.shape}, {bd.shape}")
    data = xd @ wd
    data += bd  # in place: the product is a fresh array that only this node owns
    if (px is None and pw is None and pb is None) or not _grad_enabled:
        return _leaf(data)
    return _node("linear", data, (px, pw, pb), (xd, wd, bd))


def log_softmax(x, axis=-1):
    """log softmax(x) = x − log Σ eˣ along ``axis``, computed stably (max subtracted first).

    Parameters
    ----------
    x : Tensor
    axis : int

    Returns
    -------
    Tensor
        Same shape as ``x``; exp of it sums to 1 along ``axis``.
    """
    _refuse_dual(x, "log_softmax")
    x = _as_tensor(x)
    try:
        top = x._data.max(axis=axis, keepdims=True)
    except np.exceptions.AxisError:
        raise ValueError(f"axis {axis!r} is out of range for a tensor of shape {x.shape} "
                         f"({x.ndim} axes: use 0..{x.ndim - 1} or negative)") from None
    except TypeError:
        raise TypeError(f"axis must be an int, got {axis!r}") from None
    except ValueError:
        raise ValueError(f"log_softmax over axis {axis!r} of a tensor of shape {x.shape}: "
                         "no entries") from None
    shifted = x._data - top
    data = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return _unary("log_softmax", x, data, axis)


_UNSIGNED = {np.dtype(f"i{k}"): np.dtype(f"u{k}") for k in (1, 2, 4, 8)}


def _check_targets(z, y):
    """Integer class labels of shape (n,) in [0, C) for logits of shape (n, C)."""
    if z.ndim != 2:
        raise ValueError(f"cross_entropy needs logits of shape (n, C), got shape {z.shape}")
    if not isinstance(y, np.ndarray):
        y = (_whole_numbers(y, "targets (integer class labels)") if isinstance(y, Tensor)
             else np.asarray(y))
    if y.dtype.kind not in "iu":
        raise TypeError(f"targets must be integer class labels, got dtype {y.dtype}")
    n, num_classes = z.shape
    if num_classes == 0:
        raise ValueError(f"cross_entropy needs logits with at least one class, got shape "
                         f"{z.shape}")
    if y.shape != (n,):
        raise ValueError(f"targets must have shape ({n},) to match logits of shape {z.shape}, "
                         f"got shape {y.shape}")
    if n == 0:
        raise ValueError("cross_entropy of an empty batch (0 rows) is undefined: the mean "
                         "loss needs at least one row")
    # one look at the largest checks both ends: seen as unsigned, a negative label is huge
    # (argmax and one entry cost a third of np.max's reduction on a short array)
    u = y.view(_UNSIGNED.get(y.dtype, y.dtype))
    if n and u[u.argmax()] >= num_classes:
        bad = y[(y < 0) | (y >= num_classes)]
        raise ValueError(f"targets must lie in 0..{num_classes - 1} for {num_classes} classes, "
                         f"got {bad[:5].tolist()}")
    return y


def cross_entropy(logits, targets):
    """Mean negative log-likelihood of integer targets under softmax(logits), one fused node.

    Parameters
    ----------
    logits : Tensor, shape (n, C)
        Unnormalised class scores.
    targets : array_like of int, shape (n,)
        Class labels in 0..C−1.

    Returns
    -------
    Tensor, shape ()
        L = (1/n) Σᵢ [log Σ_c e^(z_ic) − z_i,yᵢ], computed with the max subtracted so that
        no exponent is positive. Its gradient is (softmax(z) − onehot(y)) / n.

    Raises
    ------
    TypeError
        Targets that are not integers.
    ValueError
        Targets of the wrong shape or outside 0..C−1.
    """
    if not isinstance(logits, Tensor):
        _refuse_dual(logits, "cross_entropy")
        logits = Tensor(logits)
    z = logits._data
    y = _check_targets(z, targets)
    # (np.maximum.reduce and np.add.reduce are ndarray.max and .sum without their wrappers)
    shifted = z - np.maximum.reduce(z, axis=1, keepdims=True)
    e = np.exp(shifted)
    s = np.add.reduce(e, axis=1, keepdims=True)
    n, num_classes = z.shape
    picks = _row_starts(n, num_classes) + y  # flat index of z[i, y_i]
    data = np.asarray((np.add.reduce(np.log(s), axis=None)
                       - np.add.reduce(shifted.take(picks))) / n)
    if not (logits.requires_grad and _grad_enabled):
        return _leaf(data)
    out = _new(Tensor)  # _node, written out
    out._data = data
    out.grad = None
    out.requires_grad = True
    out.name = None
    out._op = "cross_entropy"
    out._parents = (logits,)
    out._args = (z, y, e, s, picks)
    out._id = next(_creation)
    return out


_ROW_STARTS = {}


def _row_starts(n, num_classes):
    """0, C, 2C, ... (n entries), read-only, kept per shape: the flat index of each row."""
    key = (n, num_classes)
    starts = _ROW_STARTS.get(key)
    if starts is None:
        if len(_ROW_STARTS) >= 32:  # a few batch sizes in a session; never a growing cache
            _ROW_STARTS.clear()
        starts = np.arange(0, n * num_classes, num_classes)
        starts.setflags(write=False)
        _ROW_STARTS[key] = starts
    return starts


def binary_cross_entropy_with_logits(logits, targets):
    """Mean binary cross-entropy of targets in [0, 1] under σ(logits), one stable fused node.

    Parameters
    ----------
    logits : Tensor
        Scores z, any shape; the predicted probability is σ(z).
    targets : array_like
        Labels y in [0, 1] (usually 0 or 1), the shape of ``logits``.

    Returns
    -------
    Tensor, shape ()
        L = mean of −[y log σ(z) + (1 − y) log(1 − σ(z))] = mean of softplus(z) − y·z,
        the second form evaluated without overflow for any z (so unscaled features do not
        end in ``log`` of 0). Its gradient is (σ(z) − y) / N, N the number of entries.

    Raises
    ------
    ValueError
        Targets of another shape, outside [0, 1], or not finite.
    """
    _refuse_dual(logits, "binary_cross_entropy_with_logits")
    logits = _as_tensor(logits)
    z = logits._data
    y = targets._data if isinstance(targets, Tensor) else np.asarray(_constant(targets),
                                                                       dtype=z.dtype)
    if y.shape != z.shape:
        raise ValueError(f"targets must have the shape of the logits, {z.shape}, got shape "
                         f"{y.shape}")
    if y.size and not (np.all(np.isfinite(y)) and y.min() >= 0 and y.max() <= 1):
        finite = y[np.isfinite(y)]
        span = (f"values from {float(finite.min()):g} to {float(finite.max()):g}" if finite.size
                else "no finite values")
        raise ValueError(f"targets must lie in [0, 1], got {span}"
                         + ("" if finite.size == y.size else " and NaN or infinity"))
    if z.size == 0:
        raise ValueError("binary_cross_entropy_with_logits needs at least one logit")
    data = (np.logaddexp(0.0, z) - y * z).mean()
    return _unary("bce_with_logits", logits, data, y)


def _probe_unshared():
    """The reference count :func:`_fused` sees on the array of a product that nothing else
    holds, found by running ``x @ W + b`` and ``b + x @ W`` for each candidate count; 0
    (never write in place) unless one count tells a free array from a held one on both
    paths. The product's array is written over only when nothing can see it: a held
    array (a name kept from ``m.data``, a view, a list) shows more references."""
    global _UNSHARED
    if not _TEMPORARY:
        return 0
    found = _UNSHARED

    def in_place(hold, reflected):
        x = Tensor(np.ones((2, 3)))
        w = Tensor(np.ones((3, 2)), requires_grad=True)
        b = Tensor(np.ones(2), requires_grad=True)
        seen = []

        def tap(m):  # sees the product's array without holding it, or holds it too
            seen.append(weakref.ref(m._data))
            if hold:
                seen.append(m._data)
            return m

        out = b + tap(x @ w) if reflected else tap(x @ w) + b
        return out._op == "linear" and out._data is seen[0]()

    try:
        for count in range(1, 16):
            _UNSHARED = count
            free = [in_place(False, r) for r in (False, True)]
            held = [in_place(True, r) for r in (False, True)]
            if any(free) or any(held):
                return count if all(free) and not any(held) else 0
        return 0
    finally:
        _UNSHARED = found  # (what it was: the probe leaves the engine as it found it)


_UNSHARED = _probe_unshared()
