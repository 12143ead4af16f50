"""Critical points of a function of several variables, classified by the second-derivative test.

A critical point is where every partial derivative vanishes, ∇f = 0. The Hessian there
decides what it is (lesson 08, ``notebooks/08-hessian-matrix``): all eigenvalues positive
— a minimum; all negative — a maximum; some of each — a saddle; otherwise (a zero
eigenvalue and no sign change) the test is *inconclusive* (x⁴ + y⁴, the monkey saddle
x³ − 3xy²).

SymPy solves ∇f = 0. For a polynomial system (after dropping factors such as e^(…)
that never vanish) its answer is checked against the real roots of the elimination
polynomials (Gröbner bases). Where the list cannot be trusted — periodic functions with
infinitely many critical points, a curve of critical points, a system SymPy cannot solve or
solves only in part (a quintic, a LambertW branch) — :func:`critical_points` raises :class:`CriticalPointsError` saying so, instead of
returning a partial list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["CriticalPoint", "CriticalPointsError", "classify", "critical_points"]

KINDS = ("minimum", "maximum", "saddle", "inconclusive")


class CriticalPointsError(ValueError):
    """SymPy could not give the complete list of solutions (or there are infinitely many)."""


@dataclass(frozen=True)
class CriticalPoint:
    """One real critical point.

    Attributes
    ----------
    point : tuple of sympy.Expr
        The coordinates, in the order of ``vars`` (exact where SymPy found them exactly).
    kind : str
        ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"inconclusive"``.
    eigenvalues : tuple of float
        The Hessian's eigenvalues there, ascending.
    hessian : sympy.Matrix
        The Hessian there.
    value : sympy.Expr
        f at the point.
    """

    point: tuple
    kind: str
    eigenvalues: tuple
    hessian: object
    value: object

    @property
    def numeric(self) -> tuple[float, ...]:
        """The point as floats."""
        return tuple(float(c) for c in self.point)


def _symbols(vars, name: str = "vars") -> tuple:
    import sympy

    if isinstance(vars, (str, sympy.Symbol)):
        vars = [vars]
    if not isinstance(vars, Sequence) or isinstance(vars, (bytes, bytearray)) or not vars:
        raise TypeError(f"{name} must be a non-empty sequence of variables (names or SymPy "
                        f"symbols), got {vars!r}")
    symbols = []
    for v in vars:
        if isinstance(v, sympy.Symbol):
            symbols.append(sympy.Symbol(v.name))  # plain: no assumptions, like the parser's
        elif isinstance(v, str) and v.isidentifier():
            symbols.append(sympy.Symbol(v))
        else:
            raise TypeError(f"each of {name} must be a variable name or a SymPy symbol, got {v!r}")
    if len(set(symbols)) != len(symbols):
        raise ValueError(f"{name} names a variable twice: {[s.name for s in symbols]}")
    return tuple(symbols)


def _plain(expr, keep=()):
    """``expr`` with its symbols made plain (no assumptions), except the parameters ``keep``."""
    import sympy

    kept = set(keep)
    return expr.subs({s: sympy.Symbol(s.name) for s in expr.free_symbols if s not in kept})


def _expression(f, symbols, name: str = "f", params=()):
    """f as a SymPy expression in exactly the given variables (strings via the safe parser);
    the SymPy symbols ``params`` may occur too, as parameters, with their assumptions."""
    import sympy

    from calcml.parsing import ExpressionError, parse_expression

    if isinstance(f, sympy.Basic) and not isinstance(f, sympy.Expr):
        raise TypeError(f"{name} must be an expression, got the {type(f).__name__} {f}")
    try:
        expr = parse_expression(f, variables=[s.name for s in (*symbols, *params)])
    except ExpressionError as exc:
        raise ValueError(f"{name} could not be read: {exc}") from None
    except TypeError:
        raise TypeError(f"{name} must be a SymPy expression or a string, got "
                        f"{type(f).__name__} {f!r}") from None
    if isinstance(f, str):  # the parser made plain symbols: give the parameters back
        expr = expr.subs({sympy.Symbol(p.name): p for p in params})
    expr = _plain(sympy.sympify(expr), params)
    unknown = expr.free_symbols - set(symbols) - set(params)
    if unknown:
        raise ValueError(f"{name} = {expr} contains {sorted(s.name for s in unknown)}, which "
                         f"are not among the variables {[s.name for s in symbols]}")
    return expr


def _check_occur(expr, symbols, name: str = "f") -> None:
    missing = [s.name for s in symbols if s not in expr.free_symbols]
    if missing:
        raise ValueError(f"the variable(s) {missing} do not occur in {name} = {expr}")


_PERIODIC = ("sin", "cos", "tan", "cot", "sec", "csc")


def _reduce(eq, symbols):
    """An equation eq = 0 with its never-vanishing factors (e^(…), positive constants) removed."""
    import sympy

    factors = sympy.factor_terms(sympy.together(eq)).as_numer_denom()[0]
    kept = []
    for factor in sympy.Mul.make_args(sympy.factor(factors)):
        base = factor.base if isinstance(factor, sympy.Pow) and factor.exp.is_positive else factor
        if not (base.free_symbols & set(symbols)):
            continue  # a nonzero constant
        if isinstance(base, sympy.exp) or (isinstance(base, sympy.Pow) and base.base.is_positive
                                            and base.base.is_number):
            continue  # e^(…) and a^(…) with a > 0 are never 0
        kept.append(factor)
    return sympy.Mul(*kept)


def solve_system(equations, symbols, what: str):
    """All real solutions of ``equations = 0`` as dicts, or a :class:`CriticalPointsError`.

    Polynomial systems (after removing factors that never vanish) are checked for
    completeness: for each variable, every real root of its elimination polynomial (the
    univariate member of a lexicographic Gröbner basis) must be a coordinate of a solution
    SymPy returned — SymPy silently returns nothing for, e.g., a quintic without radical
X
    """
    import sympy

    reduced = [_reduce(e, symbols) for e in equations]
    reduced = [e for e in reduced if e != 0] or reduced
    polynomial = all(e.is_polynomial(*symbols) for e in reduced)
    if not polynomial and any(e.has(getattr(sympy, fn)) for e in reduced for fn in _PERIODIC):
        raise CriticalPointsError(
            f"{what} involves periodic functions: it may have infinitely many solutions, and "
            "SymPy's list of them would be incomplete — look for them on a bounded region "
            "numerically instead")
    if all(e == 0 for e in reduced):
        raise CriticalPointsError(f"{what} holds everywhere: the solutions are not isolated points")
    try:
        solutions = sympy.solve(reduced, symbols, dict=True)
    except (NotImplementedError, ValueError, TypeError) as exc:
        raise CriticalPointsError(f"SymPy cannot solve {what} ({type(exc).__name__}: {exc})") from None
    if not polynomial and not solutions:
        raise CriticalPointsError(f"SymPy found no solution of {what}, but the system is not "
                                  "polynomial, so that does not prove there is none")
    if polynomial:
        _check_complete(reduced, symbols, solutions, what)
    elif any(v.has(sympy.LambertW) for sol in solutions for v in sol.values()):
        raise CriticalPointsError(
            f"SymPy's solutions of {what} involve LambertW, whose second real branch SymPy "
            "drops: the list would be incomplete — find the solutions numerically instead")
    real = []
    for sol in solutions:
        if any(s not in sol for s in symbols) or any(
                v.free_symbols & set(symbols) for v in sol.values()):
            free = [s.name for s in symbols if s not in sol]
            raise CriticalPointsError(
                f"the solutions of {what} are not isolated points: they form a curve or surface "
                f"({', '.join(f'{k} = {v}' for k, v in sol.items())}, with {', '.join(free)} "
                "free)")
        values = [sympy.nsimplify(sol[s]) if sol[s].is_Float else sol[s] for s in symbols]
        if all(_is_real(v) for v in values):
            point = tuple(sympy.re(v) if v.is_real is None else v for v in values)
            if point not in [p for p, _ in real]:
                real.append((point, sol))
    return real


def _check_complete(reduced, symbols, solutions, what: str) -> None:
    """Raise when a real root of some variable's elimination polynomial is no coordinate of
    any solution SymPy returned (SymPy missed solutions it could not express)."""
    import sympy

    if any(s not in sol or sol[s].free_symbols & set(symbols) for sol in solutions
           for s in symbols):
        return  # not isolated: reported by the caller
    if any(e.free_symbols - set(symbols) for e in reduced):
        return  # symbolic parameters (lagrange's params): no numeric roots to compare
    for v in symbols:
        order = [s for s in symbols if s != v] + [v]
        try:
            basis = sympy.groebner(reduced, *order, order="lex")
            univariate = [g for g in basis.exprs if g.free_symbols <= {v} and g.has(v)]
            if not univariate:
                return  # not zero-dimensional: nothing to compare
            roots = {float(r) for r in sympy.Poly(univariate[0], v).real_roots()}
        except (sympy.PolynomialError, NotImplementedError, ValueError, TypeError):
            raise CriticalPointsError(f"SymPy cannot check that its solutions of {what} are "
                                      "complete") from None
        coords = [complex(sympy.N(sol[v], 20)) for sol in solutions]
        for r in sorted(roots):
            if not any(abs(c - r) <= 1e-9 * max(1.0, abs(r)) for c in coords):
                raise CriticalPointsError(
                    f"SymPy could not solve {what} completely: there are solutions with "
                    f"{v.name} ≈ {r:.6g} it could not express in closed form (a polynomial of "
                    "degree 5 or more?) — find them numerically instead")


def _is_real(v) -> bool:
    if v.is_real:
        return True
    if v.is_real is False:
        return False
    if v.free_symbols:  # depends on a parameter: real unless SymPy knows otherwise
        return True
    c = complex(v.evalf(30))
    return abs(c.imag) <= 1e-20 * max(1.0, abs(c.real))


def classify(H) -> tuple[str, tuple[float, ...]]:
    """The second-derivative test on a (SymPy or NumPy) symmetric matrix: kind and eigenvalues."""
    import sympy

    if isinstance(H, sympy.MatrixBase):
        singular = sympy.simplify(H.det()) == 0
        M = np.array(H.evalf(30), dtype=float)
    else:
        M = np.asarray(H, dtype=float)
        singular = None
    if M.ndim != 2 or M.shape[0] != M.shape[1]:
        raise ValueError(f"the Hessian must be a square matrix, got shape {M.shape}")
    eig = np.linalg.eigvalsh(M)
    scale = max(1.0, float(np.max(np.abs(eig))))
    small = 1e-12 * scale
    if singular is None:
        singular = bool(np.min(np.abs(eig)) <= small)
    positive, negative = bool(np.any(eig > small)), bool(np.any(eig < -small))
    if positive and negative:
        kind = "saddle"
    elif singular:
        kind = "inconclusive"
    else:
        kind = "minimum" if positive else "maximum"
    eig = np.where(np.abs(eig) <= small, 0.0, eig)
    return kind, tuple(float(e) for e in eig)


def critical_points(f, vars) -> list[CriticalPoint]:
    """Every real critical point of ``f``, classified by the second-derivative test.

    Parameters
    ----------
    f : sympy.Expr or str
        The function; a learner's string is read by :func:`calcml.parsing.parse_expression`
        (nothing in it is executed).
    vars : sequence of str or sympy.Symbol
        The variables, in the order the points are given in. Each must occur in ``f``,
        and ``f`` may contain no other symbol.

    Returns
    -------
    list of CriticalPoint
        Sorted by their coordinates, each with ``.point``, ``.kind`` ("minimum",
        "maximum", "saddle" or "inconclusive"), ``.eigenvalues`` (ascending),
        ``.hessian`` and ``.value``.

    Raises
    ------
    CriticalPointsError
        When SymPy cannot give the complete list: periodic functions (infinitely many
        critical points), a curve of critical points, a system it cannot solve.
    TypeError, ValueError
        For an unparsable string, a variable that does not occur in ``f``, or a symbol
        of ``f`` that is not a variable.

    Examples
    --------
    >>> [(p.point, p.kind) for p in critical_points("x^3 - 3x + y^2", ["x", "y"])]
    [((-1, 0), 'saddle'), ((1, 0), 'minimum')]
    """
    import sympy

    symbols = _symbols(vars)
    expr = _expression(f, symbols)
    _check_occur(expr, symbols)
    gradient = [sympy.diff(expr, s) for s in symbols]
    H = sympy.hessian(expr, symbols)
    found = []
    for point, _sol in solve_system(gradient, symbols, f"∇f = 0 for f = {expr}"):
        at = dict(zip(symbols, point, strict=True))
        H_at = H.subs(at)
        kind, eig = classify(H_at)
        found.append(CriticalPoint(point=point, kind=kind, eigenvalues=eig,
                                   hessian=sympy.simplify(H_at),
                                   value=sympy.simplify(expr.subs(at))))
    found.sort(key=lambda c: tuple(float(sympy.N(v)) for v in c.point))
    return found
