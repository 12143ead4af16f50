"""Directional derivatives and tangent planes of a function of several variables.

Lesson 04 (``notebooks/04-partial-derivatives``) builds the tangent plane from the
partial derivatives, ``f(a) + ∇f(a)·(x − a)``; lesson 05 (``notebooks/05-gradients``)
the slope along a unit direction, ``D_u f(a) = ∇f(a)·u``. SymPy's ``sp.diff`` does the
differentiating; these helpers only assemble what a lesson states, and read a learner's
strings through :func:`calcml.parsing.parse_expression` (nothing is executed).

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import sympy as sp

__all__ = ["directional_derivative", "tangent_plane"]

#: how far from 1 the length of a floating-point direction may be
UNIT_TOL = 1e-9


def _symbols(variables) -> list[sp.Symbol]:
    """The variables as SymPy symbols: from ``"x, y"``, ``["w", "b"]`` or Symbols."""
    from calcml.symbolic import _check_var_name

    if isinstance(variables, str):
        variables = [v for v in re.split(r"[\s,]+", variables.strip()) if v]
    elif isinstance(variables, sp.Symbol):
        variables = [variables]
    if not isinstance(variables, Sequence) and not isinstance(variables, sp.Tuple):
        raise TypeError(f"vars must name the variables, e.g. ('x', 'y'), got "
                        f"{type(variables).__name__} {variables!r:.60}")
    out = []
    for v in variables:
        if isinstance(v, sp.Symbol):
            out.append(v)
        elif isinstance(v, str):
            out.append(sp.Symbol(_check_var_name(v), real=True))
        else:
            raise TypeError(f"each variable must be a name (str) or a SymPy Symbol, got "
                            f"{type(v).__name__} {v!r:.60}")
    if not out:
        raise ValueError("vars is empty: name the variables, e.g. ('x', 'y')")
    names = [s.name for s in out]
    if len(set(names)) != len(names):
        raise ValueError(f"vars names a variable twice: {names}")
    return out


def _function(f, symbols: list[sp.Symbol]) -> sp.Expr:
    """``f`` as a SymPy expression in exactly these symbols (matched by name)."""
    from calcml.parsing import parse_expression

    if isinstance(f, str):
        expr = parse_expression(f, variables=[s.name for s in symbols])
    elif isinstance(f, sp.Expr):
        expr = f
    elif isinstance(f, (int, float)) and not isinstance(f, bool):
        expr = sp.sympify(f)
    else:
        raise TypeError(f"f must be an expression (a string or a SymPy expression), got "
                        f"{type(f).__name__} {f!r:.60}")
    by_name = {s.name: s for s in symbols}
    return expr.xreplace({s: by_name[s.name] for s in expr.free_symbols
                          if isinstance(s, sp.Symbol) and s.name in by_name})


def _number(value, what: str) -> sp.Expr:
    from calcml.parsing import parse_expression

    if isinstance(value, bool):
        raise TypeError(f"{what} must be a number, got {value!r}")
    if isinstance(value, str):
        parsed = parse_expression(value, variables=())
        if parsed.free_symbols:
            raise ValueError(f"{what} must be a number, got {value!r:.60}, which has the "
                             f"variable(s) {sorted(s.name for s in parsed.free_symbols)}")
        value = parsed
    try:
        number = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError, ValueError):
        raise TypeError(f"{what} must be a number, got {type(value).__name__} "
                        f"{value!r:.60}") from None
    if not isinstance(number, sp.Expr) or number.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ValueError(f"{what} must be a finite number, got {value!r:.60}")
    return number


def _vector(values, n: int, what: str) -> list[sp.Expr]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"{what} must be a list of {n} numbers, got {type(values).__name__} "
                        f"{values!r:.60}")
    try:
        values = list(values)
    except TypeError:
        raise TypeError(f"{what} must be a list of {n} numbers") from None
    if len(values) != n:
        raise ValueError(f"{what} has {len(values)} coordinates but there "
                         f"{'is 1 variable' if n == 1 else f'are {n} variables'}")
    return [_number(v, f"{what}[{i}]") for i, v in enumerate(values)]


def _unit(u: list[sp.Expr]) -> None:
    """Refuse a zero or non-unit direction; decimals within :data:`UNIT_TOL`."""
    length_sq = sp.simplify(sum(c**2 for c in u))
    if not length_sq.is_number:
        return  # a symbolic direction: its length is the caller's business
    if length_sq == 0:
        raise ValueError("u is the zero vector, which has no direction")
    length = math.sqrt(float(length_sq))
    if (length_sq.has(sp.Float) and abs(length - 1) <= UNIT_TOL) or length_sq == 1:
        return
    raise ValueError(f"u must be a unit vector (length 1) for D_u f = ∇f·u; its length is "
                     f"{length:.6g}: divide u by its length, or pass normalize=True")


def _partials_at(expr, symbols, at: dict, point) -> list[sp.Expr]:
    """The partial derivatives at the point, refused when one is not a finite real number
    (the point is outside the domain, or on its edge, where f has no tangent plane)."""
    partials = [sp.diff(expr, s).xreplace(at) for s in symbols]
    for s, d in zip(symbols, partials, strict=True):
        if not _finite_real(d):
            raise ValueError(f"∂f/∂{s} is not a finite real number at the point "
                             f"{tuple(point)} (it is {d}): f has no tangent plane there")
    return partials


def _finite_real(value: sp.Expr) -> bool:
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return False
    return not (value.is_number and (value.is_extended_real is False or not value.is_finite))


def directional_derivative(f, vars, point, u, *, normalize: bool = False) -> sp.Expr:
    """The slope of ``f`` at ``point`` in the unit direction ``u``: ``D_u f = ∇f(point)·u``.

    Parameters
    ----------
    f : str or sympy.Expr
        The function, e.g. ``"x^2*y + sin(x*y)"`` (read by the safe parser).
    vars : str or sequence of str or sympy.Symbol
        Its variables in order, e.g. ``("x", "y")`` or ``"x, y"``.
    point : sequence of numbers
        Where, one coordinate per variable (exact SymPy numbers give an exact answer).
    u : sequence of numbers
        The direction, of length 1 (exactly, or within ``1e-9`` for decimals).
    normalize : bool
        Divide ``u`` by its length first (for a direction given as, e.g., ``(1, 1)``).

    Returns
    -------
    sympy.Expr
        The directional derivative (a SymPy number when ``point`` and ``u`` are numbers).

    Raises
    ------
    ValueError
        ``u`` is zero, or not of length 1 without ``normalize``; ``point`` or ``u`` has
        the wrong number of coordinates; a string does not parse.
    TypeError
        ``f`` is not an expression, or a coordinate is not a number.

    Examples
    --------
    >>> directional_derivative("x^2 + 3y", ("x", "y"), (1, 2), (sp.Rational(3, 5), sp.Rational(4, 5)))
    18/5
    >>> directional_derivative("x^2 + 3y", "x, y", (1, 2), (1, 1), normalize=True)
    5*sqrt(2)/2
    """
    symbols = _symbols(vars)
    expr = _function(f, symbols)
    a = _vector(point, len(symbols), "point")
    direction = _vector(u, len(symbols), "u")
    if normalize:
        length = sp.sqrt(sum(c**2 for c in direction))
        if length == 0 or (length.is_number and float(length) == 0):
            raise ValueError("u is the zero vector, which has no direction")
        direction = [c / length for c in direction]
    else:
        _unit(direction)
    at = dict(zip(symbols, a, strict=True))
    partials = _partials_at(expr, symbols, at, a)
    return sp.simplify(sum(d * c for d, c in zip(partials, direction, strict=True)))


def tangent_plane(f, vars, point) -> sp.Expr:
    """The tangent plane (linear approximation) of ``f`` at ``point``:
    ``f(a) + Σ_i ∂f/∂x_i(a) (x_i − a_i)``, an expression in the variables.

    Parameters
    ----------
    f : str or sympy.Expr
        The function, e.g. ``"x^2 + y^2"``.
    vars : str or sequence of str or sympy.Symbol
        Its variables in order.
    point : sequence of numbers
        The point ``a`` of tangency.

    Returns
    -------
    sympy.Expr
        The plane, in the same symbols (matched by name) as ``f``.

    Examples
    --------
    >>> tangent_plane("x^2 + y^2", ("x", "y"), (1, 2))
    2*x + 4*y - 5
    """
    symbols = _symbols(vars)
    expr = _function(f, symbols)
    a = _vector(point, len(symbols), "point")
    at = dict(zip(symbols, a, strict=True))
    value = expr.xreplace(at)
    if not _finite_real(value):
        raise ValueError(f"f is not defined at the point {tuple(a)} (its value there is "
                         f"{value}, not a finite real number)")
    partials = _partials_at(expr, symbols, at, a)
    plane = value + sum(d * (s - c) for d, s, c in zip(partials, symbols, a, strict=True))
    return sp.expand(plane)
