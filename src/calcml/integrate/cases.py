"""Definite integrals whose value depends on a parameter, case by case.

:math:`\\int_0^1 dx/(x^2 + a^2)` is :math:`\\arctan(1/|a|)/|a|` for :math:`a \\ne 0` and
:math:`+\\infty` for :math:`a = 0`; :math:`\\int_0^1 x^a\\,dx` is :math:`1/(a + 1)` for
:math:`a > -1` and :math:`+\\infty` for :math:`a \\le -1`. An antiderivative with a
parameter comes as a ``Piecewise`` whose conditions are on the parameter
(``x^(a+1)/(a+1)`` where ``a ≠ −1``, ``ln x`` where ``a = −1``), and the limits of
``F(b) − F(a)`` often turn on the parameter's sign. Taken as one formula, SymPy's limit
of such an ``F`` picks one branch for every value of the parameter (it once gave
``∞ + atan(1/|a|)/|a|`` for the first integral above). So the value is found case by
case, for one real parameter ``p``:

* the branches of ``F``, each on the set of values of ``p`` where it is taken
  (SymPy's ``as_set`` of its condition, less those of the branches before it);
* a set of finitely many values: each is put into ``f`` and the integral of that
  ``f`` (no parameter left) found as any other;
* an interval: ``p`` is written ``c + t`` above its lower end ``c`` (``d − t`` below an
  upper end ``d``, ``±t`` either side of 0 on the whole line), with ``t`` a positive
  symbol, so that SymPy's limits know the sign of every power and exponential;
* equal values on neighbouring sets are merged, and the answer is a ``Piecewise`` over
  the values of ``p`` (a single formula when one holds for every ``p``).

:func:`spot_check` then compares a value with a parameter against quadrature at a few
values of the parameter, so that a formula that fails somewhere is never given as the
answer. Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from __future__ import annotations

import itertools
import math

import sympy as sp

__all__ = ["by_cases", "spot_check"]

#: values of the parameters at which a value with parameters is compared with quadrature
SAMPLES = (0.7, -1.3, 2.6, -0.4, 1.15)


def _pieces(F, p):
    """[(F_i, set of p where F_i is the antiderivative)], or None when F's conditions
    involve more than the parameter (or SymPy cannot turn them into sets)."""
    reals = sp.S.Reals
    if not isinstance(F, sp.Piecewise):
        return [(F, reals)]
    out, taken = [], sp.S.EmptySet
    for expr, cond in F.args:
        if cond.free_symbols - {p}:
            return None
        try:
            where = reals if cond is sp.true else cond.as_set()
        except (NotImplementedError, TypeError, ValueError):
            return None
        where = sp.Intersection(where, reals) - taken
        if where is not sp.S.EmptySet:
            out.append((expr, where))
        taken = sp.Union(taken, where)
    return out


def _parts(where):
    """A set of real values of the parameter as points and open intervals, or None."""
    parts = list(where.args) if isinstance(where, sp.Union) else [where]
    points, intervals = [], []
    for part in parts:
        if isinstance(part, sp.FiniteSet):
            points.extend(part.args)
        elif isinstance(part, sp.Interval):
            lo, hi = part.start, part.end
            if part.start in part and lo.is_finite:
                points.append(lo)
            if part.end in part and hi.is_finite:
                points.append(hi)
            if lo == -sp.oo and hi == sp.oo:  # the whole line: each sign on its own
                intervals += [sp.Interval.open(-sp.oo, 0), sp.Interval.open(0, sp.oo)]
                points.append(sp.S.Zero)
            elif lo != hi:
                intervals.append(sp.Interval.open(lo, hi))
        else:
            return None
    if any(not (v.is_real and v.is_finite) for v in points):
        return None
    return points, intervals


def _as_positive(interval, t):
    """p written with a positive t on ``interval``: c + t above a finite lower end c,
    d − t below a finite upper end d (the whole line is split at 0 before)."""
    lo, hi = interval.start, interval.end
    return lo + t if lo.is_finite else hi - t


def _critical(f, x, a, b, p):
    """Values of p at which a singular point of f (as SymPy's ``singularities`` finds
    them, in terms of p) reaches a finite bound: 1/(x + p) on [0, 1] at p = 0 and p = −1.
    Between them a singular point stays inside (a, b) or stays outside."""
    from sympy.calculus.singularities import singularities

    try:
        found = singularities(f, x)
    except (NotImplementedError, TypeError, ValueError):
        return []
    if isinstance(found, sp.Intersection):
        found = next((s for s in found.args if isinstance(s, sp.FiniteSet)), sp.S.EmptySet)
    if not isinstance(found, sp.FiniteSet):
        return []
    values = set()
    for where in found.args:
        if p not in where.free_symbols:
            continue
        for bound in (a, b):
            if bound.is_finite:
                try:
                    roots = sp.solve(sp.Eq(where, bound), p)
                except (NotImplementedError, TypeError, ValueError):
                    continue
                values |= {r for r in roots if r.is_real and r.is_finite}
    return sorted(values, key=float)


def _split(intervals, at):
    """The open intervals cut at the points ``at`` inside them; the points themselves."""
    out, points = [], []
    for interval in intervals:
        inside = [c for c in at if interval.contains(c) is sp.true]
        ends = [interval.start, *inside, interval.end]
        out += [sp.Interval.open(lo, hi) for lo, hi in itertools.pairwise(ends)]
        points += inside
    return out, points


def _inside(interval):
    """A rational point of an open interval, away from its ends and from 0."""
    lo, hi = interval.start, interval.end
    if lo.is_finite and hi.is_finite:
        return (lo + hi) / 2 if (lo + hi) != 0 else (lo + 3 * hi) / 4
    return lo + sp.Rational(137, 100) if lo.is_finite else hi - sp.Rational(137, 100)


def by_cases(f, x, a, b, F, p, value_of, integral_of):
    """The value of ∫_a^b f dx case by case in the real parameter ``p``: a ``Piecewise``
    (or one formula), and the cases as [(condition, value)]; None when a case is not
    decided.

    ``value_of(g, G)`` gives ∫_a^b g for an integrand ``g`` with the antiderivative ``G``
    (an IntegralSteps); ``integral_of(g)`` the same with no antiderivative given (for
    ``g`` without a parameter). Each interval's formula is checked at a point of it
    against the integral there (``integral_of``); where that integral diverges, as it
    does when a singular point of f sits inside (a, b) (1/(x + p) on [0, 1] for
    −1 < p < 0), it diverges on the whole interval, which the values of p at which a
    singular point crosses a bound delimit."""
    pieces = _pieces(F, p)
    if pieces is None:
        return None
    cuts = _critical(f, x, a, b, p)
    t = sp.Dummy("t", positive=True)
    found = []  # (set, value)
    for G, where in pieces:
        parts = _parts(where)
        if parts is None:
            return None
        points, intervals = parts
        intervals, more = _split(intervals, cuts)
        for v in [*points, *more]:
            r = integral_of(f.subs(p, v))
            if not _decided(r):
                return None
            found.append((sp.FiniteSet(v), r.result))
        for interval in intervals:
            value = _on_interval(f, p, t, G, interval, value_of, integral_of)
            if value is None:
                return None
            found.append((interval, value))
    return _merged(found, p)


def _on_interval(f, p, t, G, interval, value_of, integral_of):
    """The value for p in an open interval: the formula of F there, if it agrees with the
    integral at a point inside; the divergence found there, if there is one."""
    shift = _as_positive(interval, t)
    r = value_of(f.subs(p, shift), None if G is None else G.subs(p, shift))
    formula = None
    if _decided(r) and not r.result.has(sp.Limit, sp.Integral):
        formula = r.result.subs(t, sp.solve(sp.Eq(shift, p), t)[0])
    point = _inside(interval)
    there = integral_of(f.subs(p, point))
    if not _decided(there):
        return None
    if there.result is sp.nan or there.result.is_infinite:  # diverges at this point
        return there.result
    if formula is None:
        return None
    try:
        at = complex(sp.N(formula.subs(p, point)))
        exact = complex(sp.N(there.result))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not abs(at - exact) <= 1e-9 * max(1.0, abs(exact)):
        return None
    return formula


def _decided(r) -> bool:
    """A value (a number, ±∞, a formula in the parameter), or nan from a divergence that
    was found; not a search that ran out of time or quadrature that could not run."""
    if r.result is None:
        return False
    if r.result is sp.nan:
        return "diverges" in r.message
    return not r.result.has(sp.nan, sp.zoo)


def _merged(found, p):
    """Sets with equal values joined, then a Piecewise over p."""
    found = [(where, _short(value)) for where, value in found]
    found.sort(key=lambda item: float(item[0].inf))
    merged = []
    for where, value in found:
        for k, (other, known) in enumerate(merged):
            if _same(known, value, where, p):
                merged[k] = (sp.Union(other, where), known)
                break
        else:
            merged.append((where, value))
    if len(merged) == 1:
        return merged[0][1], [(sp.true, merged[0][1])]
    cases = [(where.as_relational(p), value) for where, value in merged]
    return sp.Piecewise(*[(value, cond) for cond, value in cases]), cases


def _short(value):
    """The shorter of a value and its simplified form."""
    if (value.is_number and (value.is_infinite or value is sp.nan)) or sp.count_ops(value) > 40:
        return value
    simpler = sp.simplify(value)
    return simpler if sp.count_ops(simpler) < sp.count_ops(value) else value


def _same(known, value, where, p) -> bool:
    """Whether the formula ``known`` gives ``value`` on ``where`` (a point: its value
    there; an interval: the two formulas are equal)."""
    if isinstance(where, sp.FiniteSet):
        v = where.args[0]
        try:
            at = known.subs(p, v)
        except (TypeError, ValueError, ZeroDivisionError):
            return False
        if at.has(sp.nan, sp.zoo) or value.has(sp.nan, sp.zoo):
            return False
        return bool(sp.simplify(at - value) == 0) if not (at.is_infinite or value.is_infinite) \
            else at == value
    if known.is_infinite or value.is_infinite or known is sp.nan or value is sp.nan:
        return known == value
    return bool(sp.simplify(known - value) == 0)


def spot_check(f, x, a, b, value, params, numeric):
    """The first value of the parameters (from :data:`SAMPLES`) at which ``value``
    disagrees with quadrature, as (sample, value there, quadrature's value); None when
    they agree wherever both are numbers.

    ``numeric(g)`` integrates ``g`` (no parameter left) over [a, b] and gives
    (value, converged). A value that is ±∞ where quadrature converges, or a finite
    number off by more than 1e-6 (relative), disagrees.
    """
    params = sorted(params, key=str)
    for k in range(len(SAMPLES)):
        sample = {q: sp.Float(SAMPLES[(k + i) % len(SAMPLES)]) for i, q in enumerate(params)}
        try:
            there = sp.N(value.subs(sample))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if there.has(sp.nan, sp.zoo) or there.free_symbols or not there.is_extended_real:
            continue
        q, converged = numeric(f.subs(sample))
        if not (converged and math.isfinite(q)):
            continue
        if there.is_infinite or abs(float(there) - q) > 1e-6 * max(1.0, abs(q)):
            return sample, there, q
    return None
