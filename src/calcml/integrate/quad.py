"""Adaptive Gauss–Kronrod quadrature that knows its error (lesson 10, *Numerical integration*).

``quad(f, a, b)`` estimates :math:`\\int_a^b f(x)\\,dx` and says how far off the estimate
may be. The method is the one of QUADPACK (and so of ``scipy.integrate.quad``), written
to be read:

1. **One panel.** On an interval, the 10-point Gauss rule and the 21-point Kronrod rule
   share 10 nodes; 21 evaluations of ``f`` give two estimates, ``G10`` (exact for
   polynomials of degree 19) and ``K21`` (degree 31). ``K21`` is the estimate; their
   difference, turned into an error estimate by QUADPACK's empirical formula, is the
   error bound of the panel. (After the change of variables of an infinite limit, the
   pair G7/K15, as in QUADPACK.)
2. **Adapt.** While the summed error is above the goal, the panels with the largest
   errors are halved — all panels of one round in **one** call of ``f`` on an array
   (the batch is vectorised), the fewest panels whose halving can reach the goal. On
   smooth integrands this uses as many evaluations as ``scipy.integrate.quad`` at the
   same tolerance (``benchmarks/bench_integrate.py``); SciPy's extrapolation makes it
   cheaper on endpoint singularities, where this method relies on a graded mesh, summed
   to the end as a geometric series where f behaves like a power there (x^-0.9 at 0,
   1/sqrt(1 − x²) at ±1; :func:`_geometric_tail`).
3. **Infinite limits** by a change of variables (lesson 10, *Improper integrals*):
   :math:`x = a + t/(1-t)` maps :math:`t \\in [0, 1)` onto :math:`[a, \\infty)`, with
   :math:`dx = dt/(1-t)^2`; :math:`x = t/(1-t^2)` maps :math:`(-1, 1)` onto the whole line.
4. **Endpoint singularities** need nothing special: the nodes are inside the panel, so
   ``f`` is never called at an endpoint, and halving concentrates panels where the
   error is, e.g. near the 0 of :math:`1/\\sqrt{x}`. Where ``f`` is infinite at a node
   *inside* the interval (:math:`1/\\sqrt{|x|}` on :math:`[-1, 1]`), the integral is split
   there into two with an endpoint singularity each.

The goal is a **relative** error ``tol``: the estimate is accepted when the summed error
estimate is at most ``max(tol * |value|, atol)`` (and never asks for less than
round-off allows). When the goal cannot be reached — a divergent integral such as
:math:`\\int_0^1 dx/x`, a wild integrand, too many panels — the result says so:
``converged`` is False, ``message`` says why, and an :class:`IntegrationWarning` is
issued. A number is never silently wrong.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["IntegrationWarning", "QuadResult", "quad"]

# Gauss–Kronrod G7/K15 on [-1, 1] (QUADPACK's qk15): the nodes of the Kronrod rule in
# [0, 1), from the largest; the odd-indexed ones (1, 3, 5) and 0 are the Gauss nodes.
_XK = np.array([
    0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
    0.207784955007898467600689403773245, 0.0])
_WK = np.array([
    0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
    0.204432940075298892414161999234649, 0.209482141084727828012999174891714])
_WG = np.array([
    0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
    0.381830050505118944950369775488975, 0.417959183673469387755102040816327])


# G10/K21 (QUADPACK's qk21), the rule of finite intervals
_XK21 = np.array([
    0.995657163025808080735527280689003, 0.973906528517171720077964012084452,
    0.930157491355708226001207180059508, 0.865063366688984510732096688423493,
    0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
    0.562757134668604683339000099272694, 0.433395394129247190799265943165784,
    0.294392862701460198131126603103866, 0.148874338981631210884826001129720, 0.0])
_WK21 = np.array([
    0.011694638867371874278064396062192, 0.032558162307964727478818972459390,
    0.054755896574351996031381300244580, 0.075039674810919952767043140916190,
    0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
    0.123491976262065851077841705087096, 0.134709217311473325928054001771707,
    0.142775938577060080797094273138717, 0.147739104901338491374841515972068,
    0.149445554002916905664936468389821])
_WG21 = np.array([
    0.066671344308688137593568809893332, 0.149451349150580593145776339657697,
    0.219086362515982043995534934228163, 0.269266719309996355091226921569469,
    0.295524224714752870173892994651338])


def _rule(xk, wk, wg):
    """Nodes on [-1, 1] from -1 to 1, Kronrod weights, Gauss weights (0 off the Gauss nodes)."""
    nodes = np.concatenate([-xk[:-1], xk[::-1]])
    kronrod = np.concatenate([wk[:-1], wk[::-1]])
    gauss = np.zeros(nodes.size)
    half = xk.size - 1  # the Gauss nodes are xk[1], xk[3], ... (and 0 when there are 2m+1)
    gauss_half = np.zeros(xk.size)
    gauss_half[1::2] = wg[: len(gauss_half[1::2])]
    if xk.size % 2 == 0:  # 0 is a Gauss node (G7): its weight is the last one
        gauss_half[-1] = wg[-1]
    gauss[:half] = gauss_half[:-1]
    gauss[half:] = gauss_half[::-1]
    return nodes, kronrod, gauss


#: (nodes, Kronrod weights, Gauss weights) of the two pairs
K15 = _rule(_XK, _WK, _WG)
K21 = _rule(_XK21, _WK21, _WG21)

_EPS = np.finfo(float).eps


class IntegrationWarning(UserWarning):
    """The integral did not reach its error goal: read the result's ``message``."""


@dataclass(frozen=True)
class QuadResult:
    """What :func:`quad` returns.

    Attributes
    ----------
    value : float
        The estimate of the integral.
    error : float
        The estimated absolute error of ``value``.
    n_evals : int
        How many times ``f`` was evaluated (points, not calls: one call takes many).
    converged : bool
        Whether ``error`` met the goal. When False, ``value`` is not to be trusted.
    message : str
        Why it stopped.
    n_intervals : int
        The panels of the final subdivision.
    """

    value: float
    error: float
    n_evals: int
    converged: bool
    message: str
    n_intervals: int

    def __float__(self) -> float:
        return self.value

    def __repr__(self) -> str:
        state = "converged" if self.converged else "NOT CONVERGED"
        return (f"QuadResult(value={self.value!r}, error={self.error:.1e}, n_evals={self.n_evals}, "
                f"{state}: {self.message})")


def _panels(f: Callable, lo: np.ndarray, hi: np.ndarray, rule):
    """Kronrod estimates and QUADPACK error estimates on the panels [lo_i, hi_i], in one call."""
    nodes, wk, wg = rule
    centre, half = (hi + lo) / 2, (hi - lo) / 2
    x = centre[:, None] + half[:, None] * nodes[None, :]
    # strictly inside each panel: on a panel a few ulps wide a node can round onto its end
    # (1/sqrt(1 - x²) at x = -1.0 would be inf)
    x = np.clip(x, np.nextafter(lo, hi)[:, None], np.nextafter(hi, lo)[:, None])
    y = f(x.ravel()).reshape(x.shape)
    kronrod = y @ wk
    gauss = y @ wg
    mean = kronrod / 2
    resasc = np.abs(y - mean[:, None]) @ wk * np.abs(half)
    resabs = np.abs(y) @ wk * np.abs(half)
    err = np.abs((kronrod - gauss) * half)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = resasc * np.minimum(1.0, (200 * err / resasc) ** 1.5)
    err = np.where((resasc != 0) & (err != 0), scaled, err)
    err = np.maximum(err, 50 * _EPS * resabs)
    return kronrod * half, err, resabs


class _Singular(Exception):
    """f is infinite at a node inside the interval: a singularity there (quad splits at it)."""

    def __init__(self, x: float, message: str, evals: int) -> None:
        super().__init__(message)
        self.x, self.evals = x, evals


class _Diverges(Exception):
    """An improper integrand that does not decay: f·dx/dt overflowed near the infinite end."""

    def __init__(self, x: float) -> None:
        self.x = x


def _vectorised(f: Callable, to_x: Callable, improper: bool) -> Callable:
    """``f`` on a 1-D array of points: called once if it takes arrays, else point by point.

    Checks every value: a NaN or an infinity inside the interval is an error that names
    the point (the integrand is undefined there, or the integral is improper at an
    interior point, which ``quad`` does not look for).
    """
    state = {"array": True, "evals": 0}

    def call(x: np.ndarray) -> np.ndarray:
        state["evals"] += x.size
        y = None
        if state["array"]:
            try:
                with np.errstate(all="ignore"):
                    y = _real(f(x))
                if y.ndim == 0:
                    y = np.full(x.shape, float(y))
                elif y.shape != x.shape:
                    y = None
            except (TypeError, ValueError):  # math.exp on an array, say
                y = None
            if y is None:
                state["array"] = False
        if y is None:
            y = np.array([_point(f, t) for t in x])
        bad = ~np.isfinite(y)
        if bad.any():
            t = float(to_x(x[np.flatnonzero(bad)[0]]))
            if improper and not abs(t) < 1e100:
                raise _Diverges(t)
            kind = "NaN" if np.isnan(y[bad][0]) else "an infinite value"
            if kind != "NaN" and _overflows(f, float(x[np.flatnonzero(bad)[0]])):
                raise ValueError(
                    f"f's values overflow near x = {t:.6g}: they are larger than the "
                    "largest floating-point number (about 1.8e308) on a stretch of the "
                    "interval, not only at a singular point, so the integral has no "
                    "floating-point value (for e^x that happens beyond x ≈ 709.78; "
                    "integrate a rescaled f, e.g. f·e^(−c), and multiply back exactly)")
            message = (f"f returned {kind} at x = {t!r}, inside the interval of "
                       "integration: the integrand must be finite there (split the "
                       "integral at a singular point inside"
                       + ("; or, for a 0/0 such as sin(x)/x at 0, give f its limit there, "
                          "e.g. with np.sinc or np.where)" if kind == "NaN" else ")"))
            if kind == "NaN":
                raise ValueError(message)
            raise _Singular(t, message, state["evals"])
        return y

    return call


def _real(y) -> np.ndarray:
    """f's values as a float array; complex values with an imaginary part are an error
    (NumPy would drop it with only a warning: a silently wrong integral)."""
    y = np.asarray(y)
    if np.iscomplexobj(y):
        if np.any(y.imag != 0):
            raise TypeError("f returned complex values; quad integrates real functions "
                            "(integrate the real and imaginary parts separately)")
        y = y.real
    return y.astype(float)


def _overflows(f: Callable, u: float) -> bool:
    """Whether f, infinite at ``u``, is infinite on a stretch around it too (e^x beyond
    709.78: an overflow) rather than at one point (1/x at 0, which a split handles)."""
    step = 1e-6 * max(1.0, abs(u))
    probes = (u - 10 * step, u - step, u + step, u + 10 * step)
    with np.errstate(all="ignore"):
        return sum(math.isinf(_point(f, p)) for p in probes) >= 3


def _point(f: Callable, t: float) -> float:
    try:
        value = f(float(t))
        if isinstance(value, complex) or np.iscomplexobj(value):
            return float(_real(value))
        return float(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"f must return a real number for a real x; at x = {float(t)!r} it "
                        f"{'returned ' + repr(value) if 'value' in locals() else 'raised'} "
                        f"({exc})") from None
    except (ZeroDivisionError, OverflowError):
        return math.nan


def _bound(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number or ±inf, got {value!r}")
    if isinstance(value, numbers.Real) or (hasattr(value, "is_number") and getattr(value, "is_number", False)):
        v = float(value)
    else:
        raise TypeError(f"{name} must be a number or ±inf (np.inf), got "
                        f"{type(value).__name__} {value!r}")
    if math.isnan(v):
        raise ValueError(f"{name} is NaN; a number or ±inf is expected")
    return v


def _times_jacobian(y, t):
    """y · dx/dt = y / t², and 0 where y is 0 (f decayed to 0 before 1/t² overflowed)."""
    y = _real(y)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(y == 0, 0.0, y / t**2)


def _on_finite_interval(f: Callable, a: float, b: float):
    """The integrand and interval after the change of variables for infinite limits."""
    if math.isfinite(a) and math.isfinite(b):
        return f, a, b, (lambda t: t)
    # x = a + (1 - t)/t maps t in (0, 1] onto [a, oo), dx = -dt/t^2; the infinite end
    # goes to t = 0, where floating-point numbers are dense (QUADPACK's qagi)
    if math.isfinite(a):
        def to_x(t):
            return a + (1 - t) / t
        return (lambda t: _times_jacobian(f(to_x(t)), t)), 0.0, 1.0, to_x
    if math.isfinite(b):  # (-oo, b]: x = b - (1 - t)/t
        def to_x(t):
            return b - (1 - t) / t
        return (lambda t: _times_jacobian(f(to_x(t)), t)), 0.0, 1.0, to_x

    # (-oo, oo): both halves at once, f(x) + f(-x) with x = (1 - t)/t
    def to_x(t):
        return (1 - t) / t

    def folded(t):
        x = to_x(t)
        return _times_jacobian(_real(f(x)) + _real(f(-x)), t)

    return folded, 0.0, 1.0, to_x


def quad(f: Callable, a, b, *, tol: float = 1e-10, atol: float = 0.0,
         limit: int = 1000) -> QuadResult:
    """Integrate ``f`` from ``a`` to ``b`` by adaptive Gauss–Kronrod quadrature.

    Parameters
    ----------
    f : callable
        The integrand. It is called on 1-D NumPy arrays of points (a function that only
        takes one number, such as ``math.exp``, is called point by point).
    a, b : float
        The limits; ``±np.inf`` (or SymPy's ``oo``) for an improper integral. For
        ``a > b`` the result is ``-quad(f, b, a)``, as :math:`\\int_a^b = -\\int_b^a`.
    tol : float
        Relative error goal, ``1e-10`` by default.
    atol : float
        Absolute error goal, for integrals that may be 0 (the goal is the larger one).
    limit : int
        At most this many panels.

    Returns
    -------
    QuadResult
        ``.value``, ``.error``, ``.n_evals``, ``.converged`` and ``.message``. When the
        goal is not met an :class:`IntegrationWarning` is issued as well.

    Raises
    ------
    TypeError
        ``f`` is not callable, a limit is not a number, or ``f`` returns no number.
    ValueError
        A limit is NaN, ``tol`` is not positive, or ``f`` is NaN at a point inside the
        interval. (Where ``f`` is infinite at a point inside, the integral is split
        there into two with an endpoint singularity each; ``message`` says so.)

    Examples
    --------
    >>> r = quad(np.exp, 0, 1)
    >>> round(r.value, 12), r.n_evals, r.converged
    (1.718281828459, 21, True)
    >>> round(quad(lambda x: np.exp(-x**2), -np.inf, np.inf).value ** 2, 12)  # pi
    3.14159265359
    """
    if not callable(f):
        raise TypeError(f"f must be a function of x, got {type(f).__name__} {f!r}")
    a, b = _bound(a, "a"), _bound(b, "b")
    if not (isinstance(tol, numbers.Real) and tol > 0 and math.isfinite(tol)):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    if not (isinstance(atol, numbers.Real) and atol >= 0):
        raise ValueError(f"atol must be a number >= 0, got {atol!r}")
    if not (isinstance(limit, numbers.Integral) and limit >= 1):
        raise ValueError(f"limit must be a whole number >= 1, got {limit!r}")
    if a == b:
        return QuadResult(0.0, 0.0, 0, True, "empty interval (a == b)", 0)
    if a > b:
        r = quad(f, b, a, tol=tol, atol=atol, limit=limit)
        return QuadResult(-r.value, r.error, r.n_evals, r.converged,
                          r.message + " (a > b: the sign is reversed)", r.n_intervals)
    return _split_at_singularities(f, a, b, tol, atol, limit, depth=0)


def _split_at_singularities(f, a, b, tol, atol, limit, depth: int) -> QuadResult:
    """``_adapt`` on [a, b]; where f is infinite at a node inside, the two sides separately.

    A node that hits an interior singularity exactly (1/sqrt|x| on [-1, 1] at its centre
    node 0) makes it an endpoint singularity of two integrals, which ``_adapt`` handles.
    """
    g, lo, hi, to_x = _on_finite_interval(f, a, b)
    improper = not (math.isfinite(a) and math.isfinite(b))
    rule = K15 if improper else K21  # QUADPACK's choice: qk15 for qagi, qk21 for qags
    try:
        return _adapt(_vectorised(g, to_x, improper), lo, hi, tol, atol, limit, to_x, rule)
    except _Singular as exc:
        c, spent = exc.x, exc.evals
        if depth >= 8 or not (a < c < b and math.isfinite(c)):
            raise ValueError(str(exc)) from None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        left = _split_at_singularities(f, a, c, tol, atol, limit, depth + 1)
        right = _split_at_singularities(f, c, b, tol, atol, limit, depth + 1)
    converged = left.converged and right.converged
    if converged:
        message = (f"f is infinite at x = {c:.6g}: split there, {left.message} on the left, "
                   f"{right.message} on the right")
    else:
        bad = left if not left.converged else right
        message = f"f is infinite at x = {c:.6g}, split there: {bad.message}"
    for w in caught:
        if not issubclass(w.category, IntegrationWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if not converged:
        warnings.warn(message, IntegrationWarning, stacklevel=3)
    return QuadResult(left.value + right.value, left.error + right.error,
                      spent + left.n_evals + right.n_evals, converged, message,
                      left.n_intervals + right.n_intervals)


def _first_panels(lo: float, hi: float) -> np.ndarray:
    """Where the first panels of a finite [lo, hi] end: lo, hi, and, on an interval wider
    than 100, the points 0, ±1, ±10, ±100, ... inside it. On one panel as wide as
    [0, 10⁶] every node can see e^(−x) ≈ 0: the estimate and its error are both 0, and
    "converged" (QUADPACK says 0.0 as well); a panel per decade sees each scale."""
    if not (hi - lo > 100 and math.isfinite(lo) and math.isfinite(hi)):
        return np.array([lo, hi])
    top = math.floor(math.log10(max(abs(lo), abs(hi))))
    decades = [0.0, *(s * 10.0**k for k in range(top + 1) for s in (1, -1))]
    inside = sorted(p for p in decades if lo < p < hi)
    return np.array([lo, *inside, hi])


def _adapt(f, lo, hi, tol, atol, limit, to_x, rule) -> QuadResult:
    edges = _first_panels(lo, hi)
    los, his = edges[:-1], edges[1:]
    vals, errs, absvals = _panels(f, los, his, rule)
    m = rule[0].size
    n_evals = m * los.size
    tried = 1e-8  # the geometric tail is tried when a panel is narrower than this share
    while True:
        value, error = float(vals.sum()), float(errs.sum())
        # the goal, and what round-off allows: 50 eps per panel's integral of |f|
        goal = max(tol * abs(value), atol, 100 * _EPS * float(absvals.sum()))
        if error <= goal:
            return QuadResult(value, error, n_evals, True,
                              f"error estimate {error:.1e} within the goal {goal:.1e}", los.size)
        tail = None
        narrowest = float(np.min(his - los))
        if narrowest < tried * (hi - lo):  # a graded mesh at an end: try the tail
            tried = narrowest / (hi - lo) / 1e3
            tail, spent = _geometric_tail(f, los, his, vals, errs, lo, hi, goal, rule)
            n_evals += spent
        if tail is not None:
            value, error, ends = tail
            with np.errstate(divide="ignore"):
                where = " and ".join(f"{float(to_x(np.float64(t))):.6g}" for t in ends)
            return QuadResult(value, error, n_evals, True,
                              f"error estimate {error:.1e} within the goal {goal:.1e} (near "
                              f"the singular end x = {where} the graded panels are summed to "
                              "the end as a geometric series)", los.size)
        # split the largest-error panels, the fewest whose splitting can bring the rest
        # of the error within the goal
        order = np.argsort(errs)[::-1]
        rest = error - np.cumsum(errs[order])
        k = int(np.searchsorted(-rest, -goal)) + 1
        split = order[:k]
        width = his[split] - los[split]
        scale = np.maximum(np.abs(los[split]), np.abs(his[split]))
        # a panel narrower than that is round-off (or 1e-100 of the interval: a panel at a
        # singularity that has been split down to there will not converge)
        splittable = (width > 1e3 * _EPS * scale) & (width > 1e-100 * (hi - lo))
        split = split[splittable]
        if split.size == 0 or los.size + split.size > limit:
            return _not_converged(value, error, goal, n_evals, los, his, errs, limit,
                                  split.size == 0, to_x)
        mids = _cut_points(los[split], his[split], lo, hi)
        new_lo = np.concatenate([los[split], mids])
        new_hi = np.concatenate([mids, his[split]])
        try:
            v, e, s = _panels(f, new_lo, new_hi, rule)
        except _Diverges as exc:
            message = (f"did not converge: f·dx/dt overflows near x = {exc.x:.3g}, so f does "
                       "not decay fast enough at infinity: the integral diverges")
            warnings.warn(message, IntegrationWarning, stacklevel=3)
            return QuadResult(value, math.inf, n_evals, False, message, los.size)
        n_evals += m * new_lo.size
        keep = np.ones(los.size, bool)
        keep[split] = False
        los, his = np.concatenate([los[keep], new_lo]), np.concatenate([his[keep], new_hi])
        vals, errs = np.concatenate([vals[keep], v]), np.concatenate([errs[keep], e])
        absvals = np.concatenate([absvals[keep], s])


_Q = 2.0  # the ratio of the panels' distances from a singular end in _geometric_tail


def _geometric_tail(f, los, his, vals, errs, lo, hi, goal, rule):
    """Sum the panels at singular ends as a geometric series: ``(result, evaluations)``.

    ``result`` is ``(value, error, ends)``, or None where this does not reach the goal.
    Near an end a where f behaves like a power, f ≈ C·|x − a|^α with α > −1 (x^-0.9 at
    0, or 1/sqrt(1 − x²) at ±1), the integrals T_k over the panels between distances
    D/2^(k+1) and D/2^k of a shrink by a constant ratio r = 2^−(α+1) < 1, so what is
    closer to a than the last panel K is the geometric tail T_K·r/(1 − r). Its error
    estimate adds ten times the change of that tail when r is read one panel earlier (0
    for an exact power), so a sequence that is not geometric — a divergent 1/x (r = 1), an
    oscillating sin(1/x) — is not accepted. No panel closer to a than a million ulps is
    used (f there may have lost its digits, as 1 − x² does near x = −1).
    """
    replaced = np.zeros(los.size, bool)
    values, errors, ends, evals = 0.0, 0.0, [], 0
    for end, sign in ((lo, 1.0), (hi, -1.0)):
        at_end = los == end if sign > 0 else his == end
        if errs[at_end].sum() <= goal / 4:
            continue  # this end is fine as it is
        far = his - end if sign > 0 else end - los  # distance of a panel's far side
        near = los - end if sign > 0 else end - his  # and of its near side
        order = np.argsort(far)
        chain = [order[0]]  # panels next to each other away from the end
        while len(chain) < order.size and near[order[len(chain)]] == far[chain[-1]]:
            chain.append(order[len(chain)])
        floor = 1e6 * _EPS * abs(end)  # 0 at 0: nothing cancels there
        widths = np.array([far[i] for i in chain])
        usable = np.flatnonzero((widths <= (hi - lo) / 64) & (widths >= _Q**5 * floor))
        if usable.size == 0:
            return None, evals
        c = int(usable[-1])  # the region [end, end ± D] is chain panels 0..c
        D = widths[c]
        K = 30 if floor == 0 else min(int(math.log(D / floor) / math.log(_Q)), 30)
        outer = D / _Q ** np.arange(K)  # the far sides of the new panels
        inner = outer / _Q
        new_lo, new_hi = (end + inner, end + outer) if sign > 0 else (end - outer, end - inner)
        t, e, _ = _panels(f, new_lo, new_hi, rule)
        evals += rule[0].size * K
        t0, t1, t2 = t[-1], t[-2], t[-3]
        if not (t0 * t1 > 0 and t1 * t2 > 0):
            return None, evals
        r, r_before = t0 / t1, t1 / t2
        if not (0 < r < 0.98 and 0 < r_before < 0.98):
            return None, evals  # not geometric, or too slowly (the integral may diverge)
        tail = t0 * r / (1 - r)
        values += float(t.sum() + tail)
        # ten times the change of the tail: a log factor (log x at 0) makes r drift slowly
        errors += float(e.sum() + 10 * abs(tail - t0 * r_before / (1 - r_before)))
        replaced[chain[:c + 1]] = True
        ends.append(end)
    if not ends:
        return None, evals
    error = float(errs[~replaced].sum() + errors)
    if error > goal:
        return None, evals
    return (float(vals[~replaced].sum() + values), error, ends), evals


def _cut_points(los, his, lo, hi):
    """Where to split each panel: in the middle, except a narrow panel at an end.

    A panel at an end of the interval that is already narrower than 1/64 of it has been
    halved towards that end six times: the error sits at the end (a singularity such
    as 1/sqrt(x) at 0; a smooth integrand rarely gets there). It is cut at 1/16 of its
    width from the end instead, a graded mesh that reaches the singularity in fewer
    rounds than halving.
    """
    mids = (los + his) / 2
    narrow = (his - los) < (hi - lo) / 64
    at_lo, at_hi = narrow & (los == lo), narrow & (his == hi)
    mids = np.where(at_lo, los + (his - los) / 16, mids)
    return np.where(at_hi & ~at_lo, his - (his - los) / 16, mids)


def _not_converged(value, error, goal, n_evals, los, his, errs, limit, too_narrow,
                   to_x) -> QuadResult:
    worst = int(np.argmax(errs))
    with np.errstate(divide="ignore"):
        ends = sorted(float(to_x(np.float64(t))) for t in (los[worst], his[worst]))
    where = f"[{ends[0]:.6g}, {ends[1]:.6g}]"
    why = ("the panels there are as narrow as they may be" if too_narrow
           else f"the limit of {limit} panels was reached")
    message = (f"did not converge: error estimate {error:.1e} above the goal {goal:.1e}; "
               f"{why}. The largest error is on x in {where}: the integral may diverge there (a singularity that is not "
               "integrable, or an infinite limit where f does not decay fast enough)")
    warnings.warn(message, IntegrationWarning, stacklevel=3)
    return QuadResult(value, error, n_evals, False, message, los.size)
