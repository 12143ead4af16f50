"""Numerical derivatives: difference quotients, complex step, Richardson extrapolation.

Lesson 02 (``notebooks/02-derivatives-basics``) builds these methods from the
difference quotient ``(f(x + h) - f(x)) / h`` and measures their errors; this module is
the tested version the later lessons use.

One variable, vectorised over ``x``:

:func:`derivative`        f'(x) by one of :data:`METHODS`
:func:`step_size`         the step each method chooses by itself
:func:`richardson_table`  the table of extrapolated central differences
:func:`best_step`         the step with the smallest typical error in a measured curve

Several variables (``x`` of any shape, flattened inside and reshaped back):

:func:`gradient`          ∇f(x) for f: Rⁿ → R
:func:`jacobian`          J(x) for f: Rⁿ → Rᵐ
:func:`hessian`           ∇²f(x) for f: Rⁿ → R
:func:`check_grad`        compare a hand-written gradient with :func:`gradient`

Functions of this module differentiate *real-valued* functions. A complex value of f at a
real point is refused with one message everywhere (:func:`derivative`, :func:`gradient`,
:func:`jacobian`, :func:`hessian`), never cut silently to its real part: the complex
step, ``Im f(x + ih) / h``, is the derivative only for an f that is real on the real line,
and a complex value at a real x usually means x is outside f's real domain
(``np.emath.sqrt(-1)``). Differentiate a complex-valued f by its real and imaginary parts.
Where f stops being finite (the edge of its domain) the automatic steps shrink to fit; a
given step that leaves the domain is an error (see :func:`derivative`).

Every difference quotient makes two errors: *truncation* (the Taylor terms the
formula drops, shrinking like a power ``h**p`` of the step) and *round-off* (the digits
lost in ``f(x + h) - f(x)``, growing like ``eps / h``). The default steps of the
difference quotients balance the two: ``h ≈ eps**(1 / (p + 1)) * max(1, |x|)`` for a
quotient of order ``p``. The complex step has no subtraction and so no round-off floor;
Richardson's table starts from a large step and lets its error estimate choose.
"""

from __future__ import annotations

import contextlib
import html
import numbers
import warnings
from dataclasses import dataclass

import numpy as np

__all__ = [
    "EPS",
    "METHODS",
    "GradientCheck",
    "best_step",
    "check_grad",
    "derivative",
    "gradient",
    "hessian",
    "jacobian",
    "richardson_table",
    "step_size",
    "typical_errors",
]

#: machine epsilon of float64: the gap between 1 and the next float, about 2.2e-16
EPS = float(np.finfo(np.float64).eps)

#: the methods :func:`derivative` knows, with the order p of their truncation error O(h**p)
#: (for Richardson: of the table's most extrapolated entry, six central differences deep)
METHODS = {"forward": 1, "backward": 1, "central": 2, "complex": 2, "richardson": 12}

#: default step h = factor * max(1, |x|), one factor per method
_STEP_FACTOR = {
    "forward": EPS ** (1 / 2),  # error ~ eps/h + h     is smallest at h ~ eps^(1/2)
    "backward": EPS ** (1 / 2),
    "central": EPS ** (1 / 3),  # error ~ eps/h + h**2  is smallest at h ~ eps^(1/3)
    "complex": 1e-20,  # no subtraction, so no round-off floor: as small as we like
    "richardson": 2.0**-4,  # largest step of the table; the error estimate picks the rest
}
_ComplexWarning = getattr(getattr(np, "exceptions", np), "ComplexWarning", Warning)
_HESSIAN_FACTOR = EPS ** (1 / 6)  # error ~ eps/h**2 + h**4 is smallest at h ~ eps^(1/6)
_RICHARDSON_LEVELS = 6  # central differences at h, h/2, ..., h/32: 12 evaluations of f


# --- checking what the caller passes -------------------------------------------------------


def _check_callable(f, name: str = "f") -> None:
    if not callable(f):
        raise TypeError(f"{name} must be a function (def or lambda), got {type(f).__name__} {f!r}")


def _check_method(method) -> None:
    if not isinstance(method, str) or method not in METHODS:
        valid = ", ".join(repr(m) for m in METHODS)
        raise ValueError(f"unknown method {method!r}; valid methods are {valid}")


def _real_array(x, name: str = "x") -> np.ndarray:
    """``x`` as a float64 array of finite real numbers, or an error naming the problem."""
    if x is None or isinstance(x, (str, bytes)) or callable(x):
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, "
            f"got {type(x).__name__} {x!r}"
        )
    try:
        arr = np.asarray(x)
    except ValueError:  # ragged nested lists
        raise TypeError(
            f"{name} must be a regular array of real numbers, got a ragged {type(x).__name__}"
        ) from None
    if arr.dtype.kind == "c":
        raise TypeError(
            f"{name} must be real, got complex {x!r}; the complex step adds the "
            "imaginary part itself"
        )
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, "
            f"got {type(x).__name__} with dtype {arr.dtype}"
        )
    arr = arr.astype(np.float64)
    if np.isnan(arr).any():
        where = (
            ""
            if arr.ndim == 0
            else f" at index {tuple(int(i) for i in np.argwhere(np.isnan(arr))[0])}"
        )
        raise ValueError(f"{name} is NaN{where}; a derivative needs a point to work at")
    if np.isinf(arr).any():
        raise ValueError(f"{name} must be finite, got {x!r}")
    return arr


def _steps(h, x: np.ndarray, factor: float) -> np.ndarray:
    """The step(s): ``factor * max(1, |x|)`` when ``h`` is None, else ``h`` after checking."""
    if h is None:
        return factor * np.maximum(1.0, np.abs(x))
    if isinstance(h, (bool, np.bool_)) or not isinstance(
        h, (numbers.Real, list, tuple, np.ndarray)
    ):
        raise TypeError(
            f"h must be a positive number (or None for an automatic step), "
            f"got {type(h).__name__} {h!r}"
        )
    try:
        steps = np.asarray(h, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"h must be a positive number or an array of them, got {h!r}") from None
    if not (np.isfinite(steps) & (steps > 0)).all():
        raise ValueError(f"h must be positive and finite, got {h!r}")
    try:
        return np.broadcast_to(steps, np.broadcast_shapes(steps.shape, x.shape))
    except ValueError:
        raise ValueError(f"h of shape {steps.shape} does not fit x of shape {x.shape}") from None


def _as_input(points: np.ndarray):
    """What ``f`` is called with: a NumPy scalar for one point (so math.sin works), else the array."""
    return points[()] if points.ndim == 0 else points


def _values(f, points: np.ndarray, *, allow_complex: bool = False) -> np.ndarray:
    """``f`` applied elementwise to ``points``, checked to be numbers of the same shape."""
    out = f(_as_input(points))
    if out is None:
        raise TypeError("f returned None — did you forget `return`?")
    try:
        values = np.asarray(out)
    except ValueError:
        raise TypeError(f"f must return numbers, got {type(out).__name__}") from None
    if values.dtype.kind not in "biufc":
        raise TypeError(f"f must return numbers, got {type(out).__name__} {out!r:.60}")
    if values.shape != points.shape:
        if points.ndim == 0 and values.size == 1:
            values = values.reshape(())
        else:
            raise ValueError(
                f"f must act elementwise: for x of shape {points.shape} it returned shape "
                f"{values.shape} (for a function of several variables use gradient or jacobian)"
            )
    _check_kind(values)
    if values.dtype.kind == "c" and not allow_complex:
        values = _real_part(values)
    return values


def _check_kind(values: np.ndarray) -> None:
    """TypeError for booleans (differences of True/False are no slopes) and for float32
    (or float16) values, whose rounding, about 1e-7, swamps a step meant for float64:
    sin in float32 at 1.0 gave the derivative 0."""
    if values.dtype.kind == "b":
        raise TypeError("f returns booleans (True/False), not numbers: a comparison such as "
                        "t > 0 has no derivative to estimate; return numbers, e.g. "
                        "np.where(t > 0, 1.0, 0.0)")
    if values.dtype.kind in "fc" and np.finfo(values.dtype).eps > 1e-15:
        raise TypeError(
            f"f returns {values.dtype} values, which keep about "
            f"{np.finfo(values.dtype).precision} digits: a difference quotient divides their "
            "rounding by a small step and gets noise (PyTorch's gradcheck asks for double "
            "precision too); compute f in float64, e.g. f(t).astype(np.float64)"
        )


#: why a complex value at a real point is refused, the same in every function of this module
_COMPLEX_OUTPUT = (
    "f returned a complex value at a real point; numdiff differentiates real-valued "
    "functions (the complex step itself needs f real on the real line). For a "
    "complex-valued f, differentiate its real and imaginary parts separately: "
    "lambda x: f(x).real and lambda x: f(x).imag"
)


def _real_part(values: np.ndarray) -> np.ndarray:
    """A complex array whose imaginary part is 0 as a real array; otherwise an error."""
    if np.any(values.imag != 0):
        raise ValueError(_COMPLEX_OUTPUT)
    return values.real


def _output(values: np.ndarray):
    """A Python float for one point, an array otherwise."""
    return float(values) if values.ndim == 0 else values


# --- one variable --------------------------------------------------------------------------


def step_size(x, method: str = "central"):
    """The step :func:`derivative` takes when ``h`` is not given.

    Parameters
    ----------
    x : float or array_like
        The point(s).
    method : str
        One of :data:`METHODS`.

    Returns
    -------
    float or ndarray
        ``c * max(1, |x|)`` with ``c = eps**(1/2)`` (forward, backward),
        ``eps**(1/3)`` (central), ``1e-20`` (complex) or ``1/16`` (the largest step of
        the Richardson table). A method whose error is ``eps/h + h**p`` is most accurate
        near ``h = eps**(1/(p+1))``; lesson 02 derives this and measures it. The factor
        ``max(1, |x|)`` keeps ``x + h`` different from ``x`` when ``|x|`` is large.
        Near an edge of f's domain :func:`derivative` takes a smaller step than this
        (see its *Domain edges*).

    Examples
    --------
    >>> print(f"{step_size(1.0, 'forward'):.2e}, {step_size(1.0, 'central'):.2e}")
    1.49e-08, 6.06e-06
    >>> step_size([0.5, 100.0], "central") / step_size(1.0, "central")
    array([  1., 100.])
    """
    _check_method(method)
    x = _real_array(x)
    return _output(_steps(None, x, _STEP_FACTOR[method]))


def _exact_step(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """The step that is really taken: ``(x + h) - x`` (``x + h`` is rounded to a float)."""
    taken = (x + h) - x
    if np.any(taken == 0):
        i = np.argwhere(np.broadcast_to(taken == 0, taken.shape))[0]
        xi, hi = (
            np.broadcast_to(x, taken.shape)[tuple(i)],
            np.broadcast_to(h, taken.shape)[tuple(i)],
        )
        raise ValueError(
            f"h = {abs(hi):g} is too small to move x = {xi:g}: x + h == x in floating "
            f"point; take h larger than {np.spacing(abs(xi)):.1e}"
        )
    return taken


def _forward(f, x, h):
    h = _exact_step(x, h)
    return (_values(f, x + h) - _values(f, x)) / h  # error O(h)


def _backward(f, x, h):
    h = -_exact_step(x, -h)  # the step taken to the left, x - (x - h)
    return (_values(f, x) - _values(f, x - h)) / h  # error O(h)


def _central(f, x, h):
    _exact_step(x, h)
    x_plus, x_minus = x + h, x - h
    return (_values(f, x_plus) - _values(f, x_minus)) / (x_plus - x_minus)  # error O(h**2)


_DROPS_IMAGINARY = (
    "it drops the imaginary part (abs, max, comparisons, .real, float(...), math.sin), so "
    "the complex step cannot see the derivative. The complex step needs a function that is "
    "analytic in complex arithmetic; use method='central' for this f"
)


def _complex(f, x, h):
    z = x + 1j * h
    # one call of f on the complex points and on the real points x + 0i: Im f(x) must be 0,
    # or Im f(x + ih) / h is not f'(x) (f complex-valued, or x off f's real domain)
    both = np.stack([z, x + 0j])
    try:
        with warnings.catch_warnings():  # complex -> float conversions warn: make them fail
            warnings.simplefilter("error", _ComplexWarning)
            try:
                values = _values(f, both, allow_complex=True)
            except (TypeError, ValueError):  # f takes one complex number at a time
                if x.ndim:
                    raise
                values = np.stack([_values(f, p[()], allow_complex=True) for p in both])
    except _ComplexWarning as exc:
        raise ValueError(
            f"f turned the complex input into a real number: {_DROPS_IMAGINARY}"
        ) from exc
    except TypeError as exc:
        raise ValueError(
            f"the complex step calls f with a complex number and f failed "
            f"({exc}); it needs f written with NumPy functions that accept "
            "complex input (np.sin, np.exp, ...)"
        ) from exc
    if values.dtype.kind != "c":
        raise ValueError(f"f returned a real result for a complex input: {_DROPS_IMAGINARY}")
    on_axis = values[1]
    if np.any(on_axis.imag != 0):
        i = tuple(np.argwhere(np.broadcast_to(on_axis.imag != 0, on_axis.shape))[0])
        raise ValueError(
            f"f({x[i]:g}) = {complex(on_axis[i]):g} is not real: x is outside f's real "
            f"domain, or {_COMPLEX_OUTPUT[0].lower()}{_COMPLEX_OUTPUT[1:]}"
        )
    return values[0].imag / h  # Im f(x + ih) / h = f'(x) + O(h**2), no subtraction


# --- domain edges: where f stops being finite ----------------------------------------------
#: halvings of a step before giving up on finding points where f is finite
_MAX_HALVINGS = 200
#: the points each rule evaluates f at, as multiples of the step (besides x itself)
_SIDES = {"forward": (1,), "backward": (-1,), "central": (1, -1), "richardson": (1, -1)}


class _Watch:
    """``f``, recording where (in x's shape) its values are NaN or infinite.

    An arithmetic error raised by ``f`` (``math.log(-1)``, ``1 / 0``) counts as a value
    that is not finite at every point of that call.
    """

    def __init__(self, f, shape):
        self.f, self.bad, self.error = f, np.zeros(shape, dtype=bool), None

    def __call__(self, points):
        try:
            with np.errstate(all="ignore"):
                out = self.f(points)
        except (ValueError, ArithmeticError) as exc:
            self.error = self.error or exc
            self.bad[...] = True
            return np.full(np.shape(points), np.nan)
        try:
            values = np.asarray(out)
            if values.dtype.kind in "iufc":
                self.bad |= ~np.isfinite(np.broadcast_to(values, self.bad.shape))
        except ValueError:  # ragged or the wrong shape: _values says so
            pass
        return out


def _not_finite(f, x: np.ndarray) -> np.ndarray:
    """Where f(x) is NaN or infinite (or f raised an arithmetic error)."""
    return _watched(f, x).bad


def _watched(f, x: np.ndarray) -> _Watch:
    watch = _Watch(f, x.shape)
    _values(watch, x)
    return watch


def _cause(error) -> str:
    return f" (f raised {type(error).__name__}: {error})" if error else ""


def _first(mask: np.ndarray, *arrays):
    """The entries of ``arrays`` at the first True of ``mask``, as floats."""
    i = tuple(np.argwhere(mask)[0]) if mask.ndim else ()
    return [float(np.broadcast_to(a, mask.shape)[i]) for a in arrays]


def _outside(f, x: np.ndarray, bad: np.ndarray) -> None:
    """Raise if f is not finite at x itself: then no step can help."""
    watch = _watched(f, x)
    at_x = watch.bad & bad
    if at_x.any():
        (xi,) = _first(at_x, x)
        raise ValueError(
            f"f is not finite at x = {xi:g}{_cause(watch.error)}: x is outside f's "
            "domain, so f has no derivative there"
        )


def _distance_to_edge(f, x, h, bad, sides):
    """For the points in ``bad``: the largest ``h / 2**k`` with f finite at ``x + s*h``.

    f is finite at distance ``t`` on the sides probed and not at ``2t``: the edge of f's
    domain (where f stops being finite) is between ``t`` and ``2t`` from x.
    """
    t, todo = np.array(h, dtype=np.float64), bad.copy()
    for _ in range(_MAX_HALVINGS):
        t = np.where(todo, t / 2, t)
        if np.any(todo & ((x + t) - x == 0)):
            (xi,) = _first(todo & ((x + t) - x == 0), x)
            raise ValueError(
                f"f is not finite at points arbitrarily close to x = {xi:g}: x is at the "
                "edge of f's domain, where a difference quotient cannot be taken"
            )
        still = np.zeros_like(todo)
        for side in sides:
            still |= _not_finite(f, x + side * t)
        todo &= still
        if not todo.any():
            return t
    (xi,) = _first(todo, x)
    raise ValueError(
        f"f is not finite at any point within {float(np.max(t)):.1e} of x = {xi:g}: x is at "
        "the edge of f's domain, where a difference quotient cannot be taken"
    )


def _leaves_domain(watch, x, h, sides, what: str = "h") -> ValueError:
    xi, hi = _first(watch.bad, x, h)
    points = " and ".join(f"x {'+' if s > 0 else '-'} {what}" for s in sides)
    cause = _cause(watch.error)
    return ValueError(
        f"f is not finite at {points} for x = {xi:g}, {what} = {hi:g}{cause}: the step "
        "leaves f's domain; take a smaller h, or h=None to let the step adapt to the "
        "domain's edge"
    )


def _near_edges(f, x, h, method, compute, *, automatic: bool, table: bool = False):
    """``compute(f, x, h)``, with the step fitted to f's domain where f is not finite.

    With an automatic step, a point whose stencil meets a value of f that is not finite
    gets the step ``factor * d`` instead of ``factor * max(1, |x|)``, where ``d`` is the
    distance to the edge of f's domain found by halving; a given step that leaves the
    domain is an error. Never a silent NaN.
    """
    sides = _SIDES[method]
    watch = _Watch(f, x.shape)
    with np.errstate(all="ignore"):  # inf - inf, overflow: every result is checked below
        result = compute(watch, x, h)
    if not watch.bad.any():
        return result if table else _finite_result(result, x)
    _outside(f, x, watch.bad)
    if not automatic:
        raise _leaves_domain(watch, x, h, sides)
    t = _distance_to_edge(f, x, h, watch.bad, sides)
    # factor * t, but not below a few float spacings of x (then x is so near the edge that
    # its own rounding limits the accuracy), and never beyond the distance found
    fitted = np.minimum(t, np.maximum(_STEP_FACTOR[method] * t, 4 * np.spacing(np.abs(x))))
    h = np.where(watch.bad, fitted, h)
    watch = _Watch(f, x.shape)
    with np.errstate(all="ignore"):
        result = compute(watch, x, h)
    if watch.bad.any():  # f is not finite somewhere inside the distance found
        raise _leaves_domain(watch, x, h, sides)
    return result if table else _finite_result(result, x)


def _finite_result(result, x):
    bad = ~np.isfinite(result)
    if bad.any():
        (xi,) = _first(bad, x)
        raise ValueError(
            f"the difference quotient at x = {xi:g} is not finite although f is: the "
            "values of f overflow when subtracted; scale f down"
        )
    return result


def richardson_table(f, x, h=None, *, levels: int = 4):
    """Richardson's table of extrapolated central differences.

    Row ``k`` starts with the central difference ``D(h_k)``, ``h_k = h / 2**k``, whose
    error is a series in even powers: ``D(h) = f'(x) + c2 h² + c4 h⁴ + c6 h⁶ + ...``.
    Each further column removes the next term by combining two neighbouring rows
    (Neville's scheme)::

        T[k, j] = T[k, j-1] + (T[k, j-1] - T[k-1, j-1]) / (4**j - 1)

    so ``T[k, j]`` has error O(h_k^(2j+2)): column 1 removes h², column 2 h⁴, column 3 h⁶.

    Parameters
    ----------
    f : callable
        Elementwise function of a real variable.
    x : float or array_like
        The point(s).
    h : float or array_like, optional
        The largest step (default ``step_size(x, "richardson")``, smaller near an edge of
        f's domain as in :func:`derivative`; a given ``h`` whose points leave the domain
        is an error).
    levels : int
        Number of rows (steps ``h, h/2, ..., h/2**(levels-1)``); ``2 * levels``
        evaluations of ``f``.

    Returns
    -------
    ndarray of shape (levels, levels, *x.shape)
        ``T[k, j]`` for ``j <= k``; NaN above the diagonal.

    See Also
    --------
    derivative : ``method="richardson"`` picks the entry with the smallest error estimate.

    Examples
    --------
    The corner ``T[3, 3]`` is exact to O(h⁸):

    >>> T = richardson_table(np.sin, 1.0, h=0.5)
    >>> errors = np.abs(np.diagonal(T) - np.cos(1.0))
    >>> bool(errors[0] > 1e-2 and errors[3] < 1e-10)
    True
    """
    _check_callable(f)
    if isinstance(levels, (bool, np.bool_)) or not isinstance(levels, numbers.Integral):
        raise TypeError(f"levels must be a whole number, got {levels!r}")
    if levels < 1:
        raise ValueError(f"levels must be at least 1, got {levels}")
    x = _real_array(x)
    automatic = h is None
    h = _steps(h, x, _STEP_FACTOR["richardson"])
    x = np.array(np.broadcast_to(x, h.shape))

    def compute(g, x, h):
        return _table(g, x, h, levels)

    return _near_edges(f, x, h, "richardson", compute, automatic=automatic, table=True)


def _table(f, x, h, levels):
    table = np.full((levels, levels, *x.shape), np.nan)
    for k in range(levels):
        table[k, 0] = _central(f, x, h / 2**k)
        for j in range(1, k + 1):  # remove the error term h**(2j): the step ratio is 2
            table[k, j] = table[k, j - 1] + (table[k, j - 1] - table[k - 1, j - 1]) / (4**j - 1)
    return table


def best_step(hs, errors, *, window: int = 5) -> float:
    """The step with the smallest *typical* error in a measured error-vs-step curve.

    Round-off makes such a curve jagged: at a few steps the rounding errors of
    ``f(x + h)`` and ``f(x)`` happen to cancel and the error is far below its typical
    size (even exactly 0), so the plain minimum is partly luck. This takes the median
    of ``log(error)`` over ``window`` neighbouring steps first, which ignores isolated
    lucky steps, then the minimum. Lesson 02 compares it with the step the error model
    predicts; the agreement is only up to a small factor, and a curve with many lucky
    steps close together can still mislead it.

    Parameters
    ----------
    hs : array_like
        Steps, sorted (increasing or decreasing), e.g. ``np.logspace(0, -15, 91)``.
    errors : array_like
        ``|estimate - exact|`` at each step; zeros count as ``EPS / 2`` (no visible error).
    window : int
        Odd number of neighbouring steps in each median; 1 gives the plain minimum.

    Returns
    -------
    float
        The step at the centre of the best window (at the ends, the window is padded
        with the end value).

    Examples
    --------
    >>> hs = np.logspace(0, -12, 121)
    >>> errors = hs + 1e-12 / hs  # truncation + round-off, smallest at h = 1e-6
    >>> errors[100] = 1e-20  # one lucky step, at h = 1e-10
    >>> print(f"{best_step(hs, errors, window=1):.0e}, {best_step(hs, errors):.0e}")
    1e-10, 1e-06
    """
    hs = np.asarray(hs, dtype=np.float64)
    errors = np.asarray(errors, dtype=np.float64)
    if hs.ndim != 1 or errors.shape != hs.shape:
        raise ValueError(
            f"hs and errors must be 1-D arrays of one length, got shapes "
            f"{hs.shape} and {errors.shape}"
        )
    if isinstance(window, (bool, np.bool_)) or not isinstance(window, numbers.Integral):
        raise TypeError(f"window must be an odd whole number, got {window!r}")
    if window < 1 or window % 2 == 0 or window > hs.size:
        raise ValueError(f"window must be odd, between 1 and len(hs) = {hs.size}, got {window}")
    if not (np.all(hs > 0) and np.all(np.isfinite(errors)) and np.all(errors >= 0)):
        raise ValueError("hs must be positive and errors finite and non-negative")
    return float(hs[int(np.argmin(typical_errors(errors, window)))])


def typical_errors(errors, window: int = 5) -> np.ndarray:
    r"""The typical size of each error: the median of its neighbours on a log scale.

    .. math:: \tilde e_i = \exp\bigl(\operatorname{median}_{|j - i| \le w/2} \log e_j\bigr)

    with zeros counted as ``EPS / 2`` and the ends padded with the end value. An isolated
    lucky step (an error far below its neighbours') does not move it; :func:`best_step`
    is where it is smallest.

    Parameters
    ----------
    errors : array_like, 1-D
        Non-negative errors along a sorted list of steps.
    window : int
        Odd number of neighbouring steps in each median (1: the errors themselves).

    Returns
    -------
    ndarray
        One typical error per step.
    """
    log_errors = np.log(np.maximum(np.asarray(errors, dtype=np.float64), EPS / 2))
    padded = np.pad(log_errors, window // 2, mode="edge")  # the ends repeat their value
    windows = np.lib.stride_tricks.sliding_window_view(padded, window)
    return np.exp(np.median(windows, axis=1))


def _richardson(f, x, h):
    """The entry of the table whose estimated error is smallest (Ridders' rule).

    The estimate of ``T[k, j]`` is how far it is from the two entries it was built from;
    for large steps truncation makes it large, for small steps round-off does.
    """
    table = _table(f, x, h, _RICHARDSON_LEVELS)
    best = table[0, 0].copy()
    best_error = np.full(best.shape, np.inf)
    for k in range(1, _RICHARDSON_LEVELS):
        for j in range(1, k + 1):
            error = np.maximum(
                abs(table[k, j] - table[k, j - 1]), abs(table[k, j] - table[k - 1, j - 1])
            )
            better = error < best_error
            best = np.where(better, table[k, j], best)
            best_error = np.where(better, error, best_error)
    return best


_RULES = {
    "forward": _forward,  # (f(x+h) - f(x)) / h
    "backward": _backward,  # (f(x) - f(x-h)) / h
    "central": _central,  # (f(x+h) - f(x-h)) / 2h
    "complex": _complex,  # Im f(x+ih) / h
    "richardson": _richardson,  # central differences at h, h/2, ... extrapolated to h = 0
}


def derivative(f, x, *, method: str = "central", h=None):
    r"""The derivative f'(x) by a difference quotient, the complex step or Richardson.

    The derivative is the limit of the difference quotient as the step ``h`` shrinks;
    lesson 02 builds each method from it and measures its error.

    Parameters
    ----------
    f : callable
        A function of one real variable that acts elementwise: ``f(array)`` returns an
        array of the same shape. For a scalar ``x`` it is called with scalars, so
        plain-Python functions (``math.sin``, ``if x > 0``) work too, except with the
        complex step.
    x : float or array_like
        The point(s); real and finite.
    method : {"central", "forward", "backward", "complex", "richardson"}
        ============  =============================================  =========  ==========
        method        formula                                        error      f calls
        ============  =============================================  =========  ==========
        forward       (f(x + h) - f(x)) / h                          O(h)       2
        backward      (f(x) - f(x - h)) / h                          O(h)       2
        central       (f(x + h) - f(x - h)) / (2h)                   O(h²)      2
        complex       Im f(x + ih) / h                               O(h²)      1 (2 pts)
        richardson    central differences at h, h/2, ..., h/32,      O(h¹²)     12
                      extrapolated to h → 0 (:func:`richardson_table`)
        ============  =============================================  =========  ==========

        The complex step has no subtraction, hence no round-off error, and is exact to
        machine precision, but only for ``f`` analytic in complex arithmetic (no
        ``abs``, ``max``, comparisons) and real on the real line: in the same call f is
        also evaluated at ``x + 0i`` (two points, one call; two calls for a function
        that takes one complex number at a time), and a non-zero imaginary part there
        is an error.
    h : float or array_like, optional
        The step (the largest step for Richardson), positive. By default
        :func:`step_size`, which balances truncation error against round-off:
        ``h ≈ eps**(1/(p+1)) * max(1, |x|)`` for a method of order ``p``.

    Returns
    -------
    float or ndarray
        f'(x): a float for a scalar ``x``, else an array of the broadcast shape of
        ``x`` and ``h``.

    Raises
    ------
    TypeError
        ``f`` is not callable, ``x`` or ``h`` are not real numbers, ``f`` returns
        something that is not a number.
    ValueError
        Unknown method, ``h <= 0`` or NaN, ``x`` NaN or infinite, ``h`` so small that
        ``x + h == x``, ``f`` returning the wrong shape or a complex value (module
        docstring), a complex step through a function that drops the imaginary part,
        ``f`` not finite at ``x`` (outside its domain), or a given ``h`` whose points
        leave f's domain (see *Domain edges*).

    Domain edges
    ------------
    Where f stops being finite (``log`` and ``sqrt`` left of 0, ``arcsin`` outside
    [-1, 1]; NaN, ±inf, or an arithmetic error such as ``math.log``'s), no point of a
    difference quotient may lie. When a point of the automatic step's stencil meets such a
    value, the step is halved until f is finite there, at a distance ``d`` (the edge lies
    between ``d`` and ``2d``), and the method restarts with the step ``factor * d`` in
    place of ``factor * max(1, |x|)``: Richardson's table then starts at ``d/16``, so
    ``derivative(np.log, 0.001, method="richardson")`` is 1000 to 13 digits. Only the
    sides a method uses are probed (forward: the right, backward: the left). The extra
    evaluations happen only near an edge. A step given as ``h`` is never changed: if it
    leaves the domain, the error says so; f not finite at ``x`` itself is an error
    too. Never a silent NaN. A quotient whose whole stencil is inside the domain but
    wider than the distance to the edge (``central`` for ``sqrt`` at 1e-5) is not
    detected and is inaccurate: near an edge use Richardson, whose table starts small
    enough.

    Notes
    -----
    With a relative error ε in each value of f, the forward difference's total error is
    about :math:`2\varepsilon|f|/h + h|f''|/2`, smallest at
    :math:`h^* = 2\sqrt{\varepsilon |f| / |f''|}`; the central difference's is
    :math:`\varepsilon|f|/h + h^2|f'''|/6`, smallest at
    :math:`h^* = (3\varepsilon|f| / |f'''|)^{1/3}`. The step actually taken is
    ``(x + h) - x``, the difference of two floats, so no error comes from ``x + h``
    being rounded. Richardson's method returns the entry of the table with the
    smallest error estimate (Ridders' rule), so a too large base step costs accuracy
    only when f changes on a scale much shorter than 1/16.

    The default steps assume ``f`` computes in float64. A function that rounds to
    float32 inside has ε ≈ 1.2e-7 and needs a larger step: for the central difference
    ε^(1/3) ≈ 5e-3 with float32's ε.

    Examples
    --------
    >>> float(np.cos(1.0))
    0.5403023058681398
    >>> print(f"{derivative(np.sin, 1.0):.10f}")
    0.5403023059
    >>> derivative(np.sin, 1.0, method="complex")
    0.5403023058681398
    >>> derivative(np.exp, [0.0, 1.0], method="richardson")
    array([1.        , 2.71828183])
    >>> derivative(abs, 1.0, method="complex")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: f returned a real result for a complex input: ...
    """
    _check_callable(f)
    _check_method(method)
    x = _real_array(x)
    automatic = h is None
    h = _steps(h, x, _STEP_FACTOR[method])
    x = np.array(np.broadcast_to(x, h.shape))  # one x per step when h is an array
    if method == "complex":
        return _output(_complex(f, x, h))
    return _output(_near_edges(f, x, h, method, _RULES[method], automatic=automatic))


# --- several variables ---------------------------------------------------------------------


def _point(x) -> np.ndarray:
    return _real_array(x, "x")


def _call_at(f, flat: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``f`` at the point whose entries are ``flat``, in the caller's shape."""
    return _real_output(f(_as_input(flat.reshape(shape))))


def _real_output(out) -> np.ndarray:
    """What f returned, as a float64 array; a complex or non-numeric value is an error."""
    if out is None:
        raise TypeError("f returned None — did you forget `return`?")
    try:
        values = np.asarray(out)
    except ValueError:  # ragged
        values = np.asarray(None)
    if values.dtype.kind == "O":  # numbers NumPy does not know (mpmath, Fraction): float()
        with contextlib.suppress(TypeError, ValueError):  # else: the TypeError below
            values = np.asarray(out, dtype=np.float64)
    if values.dtype.kind in "bfc":
        _check_kind(values)
    if values.dtype.kind == "c":
        values = _real_part(values)  # a complex value is refused, not silently cut to .real
    if values.dtype.kind not in "iuf":
        raise TypeError(f"f must return real numbers, got {type(out).__name__} {out!r:.60}")
    return values.astype(np.float64)


def _scalar_at(f, flat, shape) -> float:
    return _one_number(_call_at(f, flat, shape))


def _one_number(value: np.ndarray) -> float:
    if value.size != 1:
        raise ValueError(
            f"f must return one number (f: Rⁿ → R), got an array of shape "
            f"{value.shape}; for a vector-valued f use jacobian"
        )
    return float(value.reshape(()))


def _coordinate_steps(h, x: np.ndarray, factor: float) -> np.ndarray:
    """One step per coordinate, flattened, each really representable at its coordinate."""
    steps = np.broadcast_to(_steps(h, x, factor), x.shape).ravel()
    return _exact_step(x.ravel(), steps)


class _Points:
    """f at ``x`` moved along coordinates, recording the coordinates of values that are not
    finite (NaN, infinite, or an arithmetic error raised by f)."""

    def __init__(self, f, x: np.ndarray, scalar: bool):
        self.f, self.x, self.flat, self.scalar = f, x, x.ravel(), scalar
        self.bad: set[int] = set()
        self.error = None
        self.centre_bad = False

    def __call__(self, *moves: tuple[int, float]):
        point = self.flat.copy()
        for i, step in moves:
            point[i] += step
        try:  # (NumPy's warnings are off: _at_coordinate_steps checks every value)
            out = self.f(_as_input(point.reshape(self.x.shape)))
        except (ValueError, ArithmeticError) as exc:  # math.log(-1), 1 / 0: outside the domain
            self.error = self.error or exc
            out = np.nan
        value = _real_output(out)
        if self.scalar:
            value = _one_number(value)
        if not np.all(np.isfinite(value)):
            self.bad.update(i for i, _ in moves)
            self.centre_bad = self.centre_bad or not moves
        return value


def _at_coordinate_steps(f, x, h, factor: float, build, *, scalar: bool, what: str):
    """``build(at, steps)`` with ``at(*moves)`` evaluating f; steps fitted to f's domain.

    As in :func:`derivative`: an automatic step along coordinate i whose stencil meets a
    value of f that is not finite becomes ``factor * d_i``, with ``d_i`` the distance
    along coordinate i to where f stops being finite (found by halving); a given step
    that leaves the domain is an error.
    """
    steps = _coordinate_steps(h, x, factor).copy()
    flat = x.ravel()
    for _ in range(_MAX_HALVINGS):
        at = _Points(f, x, scalar)
        with np.errstate(all="ignore"):  # log(-1), inf - inf: every value is checked
            result = build(at, steps)
        if not at.bad and not at.centre_bad:
            return result
        centre = _Points(f, x, scalar)
        with np.errstate(all="ignore"):
            centre()
        if centre.bad or centre.centre_bad:
            raise ValueError(
                f"f is not finite at x{_cause(centre.error)}: x is outside f's domain, "
                f"so f has no {what} there"
            )
        cause = _cause(at.error)
        if h is not None:
            raise ValueError(
                f"f is not finite at x ± h along coordinate {_index(x, min(at.bad))} (h = "
                f"{steps[min(at.bad)]:g}){cause}: the step leaves f's domain; take a smaller "
                "h, or h=None to let the step adapt to the domain's edge"
            )
        # the coordinates along which f itself stops being finite within the step ...
        sides = [i for i in sorted(at.bad) if not _finite_along(f, x, scalar, i, steps[i])]
        for i in sides:
            t = steps[i]
            while not _finite_along(f, x, scalar, i, t):
                t /= 2
                if flat[i] + t == flat[i]:
                    raise ValueError(
                        f"f is not finite at points arbitrarily close to x along coordinate "
                        f"{_index(x, i)}: x is at the edge of f's domain{cause}"
                    )
            fitted = min(t, max(factor * t, 4 * np.spacing(abs(flat[i]))))  # as in derivative
            steps[i] = _exact_step(flat[i : i + 1], np.array([fitted]))[0]
        if not sides:  # ... or only a corner of the stencil is outside: halve those steps
            for i in at.bad:
                steps[i] = _exact_step(flat[i : i + 1], np.array([steps[i] / 2]))[0]
    raise ValueError(
        f"f is not finite at some points near x although it is along each coordinate: "
        f"f's domain has an edge close to x; no {what} by differences there"
    )


def _finite_along(f, x, scalar, i, t) -> bool:
    probe = _Points(f, x, scalar)
    with np.errstate(all="ignore"):
        probe((i, t))
        probe((i, -t))
    return not probe.bad


def _index(x: np.ndarray, i: int):
    return tuple(int(k) for k in np.unravel_index(i, x.shape)) if x.ndim != 1 else i


def gradient(f, x, *, h=None):
    """The gradient ∇f(x) of f: Rⁿ → R by central differences, one coordinate at a time.

    ``∂f/∂x_i ≈ (f(x + h_i e_i) - f(x - h_i e_i)) / (2 h_i)`` with error O(h²); 2n calls
    of ``f``. Lesson 02 introduces the central difference; lesson 06 uses this to check
    backpropagation (:func:`check_grad`).

    Parameters
    ----------
    f : callable
        ``f(x)`` returns one number for a point ``x`` shaped like ``x``.
    x : float or array_like
        The point, of any shape (a weight matrix, say).
    h : float or array_like, optional
        Step(s), broadcast to ``x``'s shape; default ``eps**(1/3) * max(1, |x_i|)``.

    Returns
    -------
    ndarray
        ∇f(x), the same shape as ``x``.

    Examples
    --------
    >>> g = gradient(lambda v: v[0] ** 2 * v[1], [3.0, 2.0])  # (2xy, x²)
    >>> np.round(g, 6)
    array([12.,  9.])
    """
    _check_callable(f)
    x = _point(x)
    flat = x.ravel()

    def build(at, steps):
        grad = np.empty(flat.size)
        for i, h_i in enumerate(steps):
            taken = (flat[i] + h_i) - (flat[i] - h_i)
            grad[i] = (at((i, h_i)) - at((i, -h_i))) / taken
        return grad.reshape(x.shape)

    return _at_coordinate_steps(
        f, x, h, _STEP_FACTOR["central"], build, scalar=True, what="gradient"
    )


def jacobian(f, x, *, h=None):
    """The Jacobian of f: Rⁿ → Rᵐ by central differences, one column per coordinate.

    ``J[i, j] = ∂f_i/∂x_j ≈ (f_i(x + h_j e_j) - f_i(x - h_j e_j)) / (2 h_j)``, error O(h²),
    2n calls of ``f``.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns an array (of any fixed shape) for a point ``x``.
    x : float or array_like
        The point, of any shape.
    h : float or array_like, optional
        Step(s), as in :func:`gradient`.

    Returns
    -------
    ndarray of shape ``f(x).shape + x.shape``
        For vectors, the m × n matrix whose row i is ∇f_i.

    Examples
    --------
    >>> J = jacobian(lambda v: np.array([v[0] * v[1], np.sin(v[0])]), [0.0, 2.0])
    >>> np.round(J, 6)
    array([[2., 0.],
           [1., 0.]])
    """
    _check_callable(f)
    x = _point(x)
    flat = x.ravel()
    if flat.size == 0:  # x has no entries: f is called once, for the output's shape
        return np.zeros(_call_at(f, flat, x.shape).shape + x.shape)

    def build(at, steps):
        columns, out_shape = [], None
        for i, h_i in enumerate(steps):
            f_plus, f_minus = np.asarray(at((i, h_i))), np.asarray(at((i, -h_i)))
            if out_shape is None:
                out_shape = f_plus.shape
            if f_plus.shape != out_shape or f_minus.shape != out_shape:
                raise ValueError(
                    f"f must return arrays of one shape, got {out_shape} and "
                    f"{f_minus.shape if f_plus.shape == out_shape else f_plus.shape}"
                )
            columns.append((f_plus - f_minus) / ((flat[i] + h_i) - (flat[i] - h_i)))
        return np.stack(columns, axis=-1).reshape(out_shape + x.shape)

    return _at_coordinate_steps(
        f, x, h, _STEP_FACTOR["central"], build, scalar=False, what="Jacobian"
    )


def hessian(f, x, *, h=None):
    """The Hessian ∇²f(x) of f: Rⁿ → R by second differences, extrapolated (Richardson).

    With steps ``h_i`` along the coordinate vectors ``e_i``, the second differences::

        D_ii(h) = (f(x + h_i e_i) - 2 f(x) + f(x - h_i e_i)) / h_i²
        D_ij(h) = (f(x + h_i e_i + h_j e_j) - f(x + h_i e_i - h_j e_j)
                   - f(x - h_i e_i + h_j e_j) + f(x - h_i e_i - h_j e_j)) / (4 h_i h_j)

    have errors that are series in even powers of the steps: ``D(h) = H + c h² + O(h⁴)``.
    One step of Richardson's extrapolation (lesson 02) removes the ``h²`` term::

        H ≈ (4 D(h/2) - D(h)) / 3        error O(h⁴)

    Round-off in a second difference grows like ``eps |f| / h²``; against a truncation
    error ``h⁴`` the balance is at ``h ≈ eps**(1/6)``, so the default step is
    ``eps**(1/6) * max(1, |x_i|)`` (about 2.4e-3) and the result keeps about two thirds of
    a float's digits: relative error about 1e-10 on smooth, well-scaled functions, below
    1e-6 on the test set of ``tests/test_numdiff.py`` (Rosenbrock, products of exp and
    sin, a logistic loss, quadratic forms from 1e-3 to 1e3 in size and position), where
    the plain second difference at ``eps**(1/4)`` reached 1e-5. ``4n² + 1`` calls of ``f``.

    Near an edge of f's domain (where f stops being finite: ``log`` near 0) an automatic
    step shrinks as in :func:`derivative`; a given ``h`` that leaves the domain is an error.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns one real number for a point ``x`` shaped like ``x``.
    x : float or array_like
        The point, of any shape.
    h : float or array_like, optional
        The larger step(s) ``h`` (the second is ``h/2``), broadcast to ``x``'s shape.

    Returns
    -------
    ndarray of shape ``x.shape + x.shape``
        Symmetric: ``H[i, j] == H[j, i]``.

    Raises
    ------
    ValueError
        f returns a complex value (as in :func:`gradient`), is not finite at ``x``, or a
        given step leaves its domain.

    Examples
    --------
    >>> H = hessian(lambda v: v[0] ** 2 * v[1], [3.0, 2.0])  # [[2y, 2x], [2x, 0]]
    >>> np.round(H, 8)
    array([[4., 6.],
           [6., 0.]])
    """
    _check_callable(f)
    x = _point(x)
    flat = x.ravel()
    n = flat.size

    def second_differences(at, steps, f_x):
        hess = np.empty((n, n))
        for i, h_i in enumerate(steps):
            hess[i, i] = (at((i, h_i)) - 2 * f_x + at((i, -h_i))) / h_i**2
            for j in range(i):
                h_j = steps[j]
                hess[i, j] = hess[j, i] = (
                    at((i, h_i), (j, h_j))
                    - at((i, h_i), (j, -h_j))
                    - at((i, -h_i), (j, h_j))
                    + at((i, -h_i), (j, -h_j))
                ) / (4 * h_i * h_j)
        return hess

    def build(at, steps):
        f_x = at()
        half = _exact_step(flat, steps / 2)
        coarse, fine = second_differences(at, steps, f_x), second_differences(at, half, f_x)
        return ((4 * fine - coarse) / 3).reshape(x.shape + x.shape)  # the h² term removed

    return _at_coordinate_steps(f, x, h, _HESSIAN_FACTOR, build, scalar=True, what="Hessian")


# --- gradient checking ---------------------------------------------------------------------


@dataclass(frozen=True)
class GradientCheck:
    """The verdict of :func:`check_grad`: a hand-written gradient against a numerical one.

    Attributes
    ----------
    analytic, numerical : ndarray
        The two gradients, in the shape of ``x``.
    relative_error : float
        ``‖analytic - numerical‖ / max(‖analytic‖, ‖numerical‖)`` (0 when both are 0).
    tol : float
        The tolerance ``ok`` compares with.
    """

    analytic: np.ndarray
    numerical: np.ndarray
    relative_error: float
    tol: float

    @property
    def ok(self) -> bool:
        """True when ``relative_error <= tol``."""
        return bool(self.relative_error <= self.tol)

    @property
    def absolute_errors(self) -> np.ndarray:
        """``|analytic - numerical|`` per component, in the shape of ``x``."""
        return np.abs(self.analytic - self.numerical)

    @property
    def component_errors(self) -> np.ndarray:
        """Per component, ``|a - n| / max(|a|, |n|)`` (0 where both are 0).

        Large for a component that is wrong, but also for one that should be 0 and
        carries the numerical gradient's noise: judge with :attr:`relative_error`,
        locate with :attr:`worst_index`.
        """
        scale = np.maximum(np.abs(self.analytic), np.abs(self.numerical))
        return np.divide(self.absolute_errors, scale, out=np.zeros_like(scale), where=scale > 0)

    @property
    def worst_index(self) -> tuple[int, ...]:
        """The index (in ``x``'s shape) where the two gradients differ most."""
        return tuple(
            int(i) for i in np.unravel_index(np.argmax(self.absolute_errors), self.analytic.shape)
        )

    def rows(self, limit: int = 8) -> list[tuple[tuple[int, ...], float, float, float]]:
        """``(index, analytic, numerical, component error)`` of the worst components first."""
        order = np.argsort(-self.absolute_errors.ravel(), kind="stable")[:limit]
        return [
            (
                tuple(int(i) for i in np.unravel_index(k, self.analytic.shape)),
                float(self.analytic.ravel()[k]),
                float(self.numerical.ravel()[k]),
                float(self.component_errors.ravel()[k]),
            )
            for k in order
        ]

    def _headline(self) -> str:
        verdict = "OK" if self.ok else "MISMATCH"
        return (
            f"gradient check {verdict}: relative error {self.relative_error:.2e} "
            f"(tolerance {self.tol:.0e}), {self.analytic.size} component(s)"
        )

    def __str__(self) -> str:
        lines = [self._headline()]
        if not self.ok:
            lines.append(f"  largest difference at index {self.worst_index}")
        lines.append(f"  {'index':<12} {'analytic':>14} {'numerical':>14} {'rel. error':>10}")
        for index, a, n, e in self.rows():
            lines.append(f"  {index!s:<12} {a:>14.7g} {n:>14.7g} {e:>10.1e}")
        if self.analytic.size > len(self.rows()):
            lines.append(
                f"  ... ({self.analytic.size - len(self.rows())} more, sorted by difference)"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"GradientCheck(ok={self.ok}, relative_error={self.relative_error:.3g}, "
            f"tol={self.tol:g}, shape={self.analytic.shape})"
        )

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.ok else "#b42318"
        body = "".join(
            f"<tr><td>{html.escape(str(index))}</td><td>{a:.7g}</td><td>{n:.7g}</td>"
            f"<td style='color:{'#b42318' if e > self.tol else 'inherit'}'>{e:.1e}</td></tr>"
            for index, a, n, e in self.rows()
        )
        return (
            f"<div class='calcml-gradcheck'><p style='color:{colour}'>"
            f"{html.escape(self._headline())}</p><table><thead><tr><th>index</th>"
            "<th>analytic</th><th>numerical</th><th>rel. error</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
        )


def check_grad(f, grad_f, x, *, tol: float = 1e-6, h=None) -> GradientCheck:
    """Compare a hand-written gradient with a numerical one (gradient checking).

    The numerical gradient is :func:`gradient` (central differences, relative error
    about 1e-10 for a smooth, well-scaled f). A correct ``grad_f`` agrees to far better
    than ``tol = 1e-6``; a wrong one (a missing factor, a sign, a transposed matrix)
    usually misses by more than 1e-2. Lesson 06 uses this to test backpropagation.

    Parameters
    ----------
    f : callable
        The function f: Rⁿ → R (a loss), ``f(x)`` one number.
    grad_f : callable or array_like
        The gradient to check: a function returning ∇f(x), or ∇f(x) already computed.
        Its shape must be ``x``'s (or hold the same number of entries).
    x : float or array_like
        The point, of any shape (e.g. a weight matrix).
    tol : float
        Largest relative error still reported as ``ok``.
    h : float or array_like, optional
        Step(s) of the numerical gradient.

    Returns
    -------
    GradientCheck
        ``.relative_error``, ``.ok``, the two gradients, per-component errors; prints
        as a table of the components that differ most.

    Examples
    --------
    >>> f = lambda w: np.sum(w ** 3)
    >>> check_grad(f, lambda w: 3 * w ** 2, np.array([[1.0, -2.0], [0.5, 3.0]])).ok
    True
    >>> bad = check_grad(f, lambda w: 2 * w ** 2, np.array([[1.0, -2.0], [0.5, 3.0]]))
    >>> bad.ok, bad.worst_index
    (False, (1, 1))
    """
    _check_callable(f)
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, numbers.Real):
        raise TypeError(f"tol must be a positive number, got {tol!r}")
    if not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be positive and finite, got {tol}")
    x = _point(x)
    claimed = grad_f(_as_input(x.copy())) if callable(grad_f) else grad_f
    if claimed is None:
        raise TypeError("grad_f returned None — did you forget `return`?")
    try:
        analytic = np.asarray(claimed, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"grad_f must give an array of real numbers, got {type(claimed).__name__}"
        ) from None
    if analytic.shape != x.shape:
        if analytic.size != x.size:
            raise ValueError(
                f"the gradient must have x's shape {x.shape}, got shape {analytic.shape}"
            )
        analytic = analytic.reshape(x.shape)
    if not np.isfinite(analytic).all():
        raise ValueError("the gradient to check contains NaN or infinite entries")
    numerical = gradient(f, x, h=h)
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numerical))
    error = float(np.linalg.norm(analytic - numerical) / scale) if scale > 0 else 0.0
    return GradientCheck(analytic, numerical, error, float(tol))
