"""Integrals of oscillating integrands: a tail to infinity, or an end where f oscillates.

∫_0^∞ sin x/(1 + x²) dx converges only because the areas of successive arches cancel: the
integrand is of one sign on no tail, and a quadrature that halves panels never sees the
error settle (calcml's :func:`calcml.integrate.quad` and SciPy's default routine both give
up). The method for it is QUADPACK's Fourier-integral routine QAWF
(``scipy.integrate.quad(..., weight="sin" | "cos", wvar=ω)``): it integrates g(x)·sin(ωx)
over one cycle after another and sums the series by extrapolation.

That routine gives a number even where the integral has none (∫_0^∞ sin x dx comes out as
2.0, with a tiny error estimate), so it is used only where the integral is known to exist.
The integrand is written as

    h(x) + Σ_k g_k(x)·sin(ω_k x) + Σ_k G_k(x)·cos(ω_k x)

(products and powers of sines and cosines turned into sums, SymPy's ``TR8``), where h and
the amplitudes g_k, G_k are built from powers, exponentials and logarithms only. Such
functions are eventually monotone (they form a Hardy field), so by Dirichlet's test each
wave's integral converges exactly when its amplitude tends to 0, and when an amplitude
tends to a finite nonzero limit (and h is integrable) the integral keeps oscillating and
has **no value**. Anything else (sin(x²), an amplitude with a sine in it, x·sin x) is not
decided here.

A finite end p where f oscillates without end (sin(1/x) at 0) becomes such a tail by
x = p + 1/u; −∞ becomes +∞ by x = −u.

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass

import sympy as sp

__all__ = ["Oscillating", "oscillating_integral"]

_TOLERANCE = 1e-7  # relative error asked of every piece (and of the sum)
_AMPLITUDE_FUNCTIONS = (sp.exp, sp.log)  # (with powers and sums: a Hardy field)


@dataclass(frozen=True)
class Oscillating:
    """The outcome: ``value`` and ``error`` when the integral converges; ``value`` NaN with
    ``converges`` False when it has no value; ``how`` says which method decided."""

    value: float
    error: float
    converges: bool
    how: str


def _waves(F, u):
    """(h, {("sin" | "cos", ω): amplitude}) with F = h + Σ amplitude·trig(ω u), ω > 0,
    h and every amplitude free of oscillation (powers, exp, log); None otherwise."""
    from sympy.simplify.fu import TR8

    expr = sp.expand(TR8(F))
    smooth, waves = sp.S.Zero, {}
    for term in sp.Add.make_args(expr):
        factors = sp.Mul.make_args(term)
        trig = [f for f in factors if f.has(u) and isinstance(f, (sp.sin, sp.cos))]
        rest = sp.Mul(*(f for f in factors if not (f.has(u) and isinstance(f, (sp.sin,
                                                                                  sp.cos)))))
        if len(trig) > 1 or rest.has(sp.I) or any(
                not isinstance(fn, _AMPLITUDE_FUNCTIONS) for fn in rest.atoms(sp.Function)
                if fn.has(u)):
            return None
        if not trig:
            smooth += rest
            continue
        (wave,) = trig
        poly = sp.Poly(wave.args[0], u) if wave.args[0].is_polynomial(u) else None
        if poly is None or poly.degree() != 1:
            return None
        omega, phase = (sp.nsimplify(c) if c.is_Float else c for c in poly.all_coeffs())
        if not (omega.is_real and phase.is_real and omega.is_nonzero):
            return None
        direction = 1 if omega.is_positive else -1
        omega = abs(omega)
        # sin(ωu + φ) = cos φ·sin(ωu) + sin φ·cos(ωu); cos(ωu + φ) = cos φ·cos(ωu) − sin φ·sin(ωu)
        if isinstance(wave, sp.sin):
            parts = (("sin", direction * sp.cos(phase)), ("cos", sp.sin(phase)))
        else:
            parts = (("cos", sp.cos(phase)), ("sin", -direction * sp.sin(phase)))
        for kind, weight in parts:
            if weight != 0:
                key = (kind, omega)
                waves[key] = waves.get(key, sp.S.Zero) + weight * rest
    return smooth, waves


def _scipy(g, lo, **weight):
    """(value, error) of scipy.integrate.quad of ``g`` on [lo, ∞), or None unless it reports
    success with a finite value and an error under the tolerance."""
    import numpy as np
    from scipy import integrate

    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = integrate.quad(lambda t: float(g(t)), lo, math.inf, limit=200,
                                 full_output=1, **weight)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
        return None
    if len(out) > 3 or not (math.isfinite(out[0]) and math.isfinite(out[1])):
        return None  # (a fourth item is SciPy's warning: not converged)
    if out[1] > _TOLERANCE * max(1.0, abs(out[0])):
        return None
    return out[0], out[1]


def _tail(F, u, start):
    """∫_start^∞ F(u) du as an :class:`Oscillating`, or None when it is not decided here."""
    found = _waves(F, u)
    if found is None:
        return None
    smooth, waves = found
    if not waves:
        return None  # nothing oscillates: not this module's case
    value, error = 0.0, 0.0
    if smooth != 0:
        part = _scipy(sp.lambdify(u, smooth, "math"), start)
        if part is None:
            return None
        value, error = part
    limits = {}
    for key, amplitude in waves.items():
        limit = sp.limit(amplitude, u, sp.oo)
        if not ((limit.is_extended_real and limit.is_comparable) or limit.is_zero):
            return None  # (an unevaluated limit, or one with no value)
        limits[key] = limit
    if any(not limit.is_zero for limit in limits.values()):
        if all(limit.is_finite for limit in limits.values()):
            # Σ L_k·trig(ω_k u) is periodic or almost periodic and not 0, so its integral to
            # U oscillates for ever; the rest (amplitudes − limits) converges: no value
            return Oscillating(math.nan, math.nan, False,
                               "an amplitude tends to a nonzero limit")
        return None
    for (kind, omega), amplitude in waves.items():
        part = _scipy(sp.lambdify(u, amplitude, "math"), start, weight=kind,
                      wvar=float(omega))
        if part is None:
            return None
        value, error = value + part[0], error + part[1]
    return Oscillating(value, error, True, "QAWF")


def _finite(f, x, lo, hi):
    """(value, error) of ∫_lo^hi f by SciPy's quad, or None when it does not converge."""
    import numpy as np
    from scipy import integrate

    g = sp.lambdify(x, f, "math")
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = integrate.quad(lambda t: float(g(t)), float(lo), float(hi), limit=200,
                                 full_output=1)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
        return None
    if len(out) > 3 or not math.isfinite(out[0]) or out[1] > _TOLERANCE * max(1.0,
                                                                              abs(out[0])):
        return None
    return out[0], out[1]


def _pieces(f, x, lo, hi, u):
    """∫_lo^hi f (lo < hi, f continuous inside) as a list of (kind, ...) pieces:
    ("finite", f, lo, hi) or ("tail", F, u, start)."""
    if lo == -sp.oo and hi == sp.oo:
        return _pieces(f, x, lo, sp.S.Zero, u) + _pieces(f, x, sp.S.Zero, hi, u)
    if lo == -sp.oo:  # x = −u: ∫_−∞^hi f(x) dx = ∫_−hi^∞ f(−u) du
        return _pieces(f.subs(x, -x), x, -hi, sp.oo, u)
    if hi == sp.oo:
        return [("near", f, lo, lo + 1), ("tail", f.subs(x, u), u, lo + 1)]
    middle = (lo + hi) / 2
    return [("near", f, lo, middle), ("near", f, hi, middle)]


def oscillating_integral(f, x, edges) -> Oscillating | None:
    """∫ f dx over the pieces between ``edges`` (SymPy numbers or ±∞, increasing; f
    continuous inside each piece), for an f whose integral quadrature cannot settle
    because it oscillates towards an infinite bound or a finite end; None when this
    method does not decide it. Call it under a time limit (SymPy's limits can be slow).

    Each finite piece is split at its middle; a half that SciPy's quad cannot integrate
    is taken to oscillate at its outer end p, and becomes a tail by x = p ± 1/u."""
    u = sp.Dummy("u", real=True)
    value, error, no_value = 0.0, 0.0, None
    for lo, hi in itertools.pairwise(edges):
        for piece in _pieces(f, x, sp.sympify(lo), sp.sympify(hi), u):
            if piece[0] == "tail":
                part = _tail(*piece[1:])
            else:
                _, g, end, middle = piece
                part = _finite(g, x, min(end, middle), max(end, middle))
                if part is not None:
                    part = Oscillating(part[0], part[1], True, "quad")
                else:  # x = end ± 1/u maps the half next to ``end`` onto [1/|middle − end|, ∞)
                    side = 1 if middle > end else -1
                    F = g.subs(x, end + side / u) / u**2
                    part = _tail(F, u, 1 / abs(middle - end))
            if part is None:
                return None
            if not part.converges:  # (no value, unless another piece diverges: go on)
                no_value = part
                continue
            value, error = value + part.value, error + part.error
    if no_value is not None:
        return no_value
    if error > _TOLERANCE * max(1.0, abs(value)):
        return None
    return Oscillating(value, error, True, "QAWF")
