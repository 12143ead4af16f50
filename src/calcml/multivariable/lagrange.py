"""Constrained optimisation with Lagrange multipliers: the candidates of f on g = 0.

At a constrained maximum or minimum the level curve of f through the point is tangent to
the constraint curve g = 0, so their normals are parallel: ∇f = λ∇g (lesson 07,
``notebooks/07-multivariable-functions``). Together with g = 0 that is n + 1 equations in
the n variables and λ. The multiplier λ is the rate at which the optimal value moves when
the constraint is loosened: for g(x) = c, d f*/dc = λ.

Several constraints g₁ = 0, …, g_k = 0 give ∇f = Σ λᵢ∇gᵢ. Where ∇g = 0 on the constraint
the condition can miss a point (the constraint has a corner or cusp there); those points
are not returned — check them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from calcml.multivariable.critical import _expression, _symbols, solve_system

__all__ = ["LagrangeCandidate", "lagrange"]


@dataclass(frozen=True)
class LagrangeCandidate:
    """One solution of ∇f = λ∇g, g = 0.

    Attributes
    ----------
    point : tuple of sympy.Expr
        The coordinates, in the order of ``vars``.
    multiplier : sympy.Expr or tuple of sympy.Expr
        λ (a tuple λ₁, …, λ_k for k constraints).
    value : sympy.Expr
        f at the point.
    """

    point: tuple
    multiplier: object
    value: object

    @property
    def numeric(self) -> tuple[float, ...]:
        return tuple(float(c) for c in self.point)


def _constraint(g, symbols, name: str, params=()):
    """A constraint as an expression that must equal 0: ``g``, ``lhs - rhs`` of an equation."""
    import sympy

    if isinstance(g, sympy.Equality):
        return _expression(g.lhs - g.rhs, symbols, name, params)
    if isinstance(g, (sympy.core.relational.Relational, sympy.logic.boolalg.Boolean)):
        raise ValueError(  # noqa: TRY004 — a wrong kind of constraint, as for the string form
            f"the constraint {name} = {g} is not an equation: Lagrange multipliers "
            "handle equality constraints g = 0 (write an inequality's boundary as an equation)")
    if isinstance(g, str):
        text = g.replace("==", "=")
        if any(op in text for op in ("<", ">", "≤", "≥")):
            raise ValueError(f"the constraint {name} = {g!r} is not an equation: Lagrange "
                             "multipliers handle equality constraints such as 'x + y = 1'")
        if text.count("=") > 1:
            raise ValueError(f"the constraint {name} = {g!r} has more than one '='")
        if "=" in text:
            lhs, rhs = text.split("=")
            if not lhs.strip() or not rhs.strip():
                raise ValueError(f"the constraint {name} = {g!r} has an empty side")
            return _expression(f"({lhs}) - ({rhs})", symbols, name, params)
    return _expression(g, symbols, name, params)


def _sort_key(candidate):
    import sympy

    try:
        return (0, float(sympy.N(candidate.value)), tuple(float(sympy.N(v)) for v in candidate.point))
    except TypeError:  # depends on parameters: no numeric order
        return (1, 0.0, ())


def lagrange(f, g, vars, *, params=()) -> list[LagrangeCandidate]:
    """The candidates for the extrema of ``f`` on the constraint ``g = 0``.

    Parameters
    ----------
    f : sympy.Expr or str
        The objective; strings are read by the safe parser.
    g : sympy.Expr, sympy.Eq, str, or a list of them
        The constraint: an expression meaning ``g = 0``, an equation ``sp.Eq(lhs, rhs)``,
        or a string such as ``"x^2 + y^2 = 1"``. A list gives several constraints.
    vars : sequence of str or sympy.Symbol
        The variables, in the order the points are given in.
    params : sequence of sympy.Symbol, optional
        Parameters that may occur in f and g (e.g. the level ``c`` of ``g = c``), kept
        with their assumptions (``sp.Symbol("c", positive=True)``).

    Returns
    -------
    list of LagrangeCandidate
        Each real solution of ∇f = λ∇g, g = 0, with ``.point``, ``.multiplier`` and
        ``.value``, sorted by value (smallest first). The largest and smallest values
        among them are the constrained maximum and minimum when the constraint set is
        closed and bounded.

    Raises
    ------
    ValueError
        For a constraint that is not an equation or that involves none of the
        variables, symbols that are not variables, an unparsable string, or a system
        SymPy cannot solve completely (:class:`~calcml.multivariable.critical.CriticalPointsError`).

    Examples
    --------
    >>> [(c.point, c.multiplier, c.value) for c in lagrange("x*y", "x + y = 2", ["x", "y"])]
    [((1, 1), 1, 1)]
    """
    import sympy

    symbols = _symbols(vars)
    params = tuple(params)
    if not all(isinstance(p, sympy.Symbol) for p in params):
        raise TypeError(f"params must be SymPy symbols, got {params!r}")
    objective = _expression(f, symbols, "f", params)
    if not (objective.free_symbols & set(symbols)):
        raise ValueError(f"f = {objective} involves none of the variables "
                         f"{[s.name for s in symbols]}")
    constraints = g if isinstance(g, (list, tuple)) else [g]
    if not constraints:
        raise ValueError("g is an empty list: at least one constraint is needed")
    exprs = []
    for i, gi in enumerate(constraints):
        name = "g" if len(constraints) == 1 else f"g[{i}]"
        expr = _constraint(gi, symbols, name, params)
        if not (expr.free_symbols & set(symbols)):
            raise ValueError(f"the constraint {name} involves none of the variables "
                             f"{[s.name for s in symbols]}: it reads {expr} = 0")
        exprs.append(expr)
    used = objective.free_symbols.union(*(e.free_symbols for e in exprs))
    missing = [s.name for s in symbols if s not in used]
    if missing:
        raise ValueError(f"the variable(s) {missing} occur neither in f = {objective} nor in "
                         "the constraint")
    taken = {s.name for s in (*symbols, *params)}
    multipliers = [sympy.Symbol(n) for n in (["lambda"] if len(exprs) == 1 else
                                              [f"lambda{i + 1}" for i in range(len(exprs))])]
    multipliers = [m if m.name not in taken else sympy.Dummy(m.name) for m in multipliers]
    equations = [sympy.diff(objective, s) - sum(m * sympy.diff(e, s)
                                                for m, e in zip(multipliers, exprs, strict=True))
                 for s in symbols] + exprs
    unknowns = (*symbols, *multipliers)
    found = []
    for values, _ in solve_system(equations, unknowns, f"∇f = λ∇g, g = 0 for f = {objective}"):
        point, lam = values[:len(symbols)], values[len(symbols):]
        value = sympy.simplify(objective.subs(dict(zip(symbols, point, strict=True))))
        found.append(LagrangeCandidate(point=tuple(point),
                                       multiplier=lam[0] if len(lam) == 1 else tuple(lam),
                                       value=value))
    found.sort(key=_sort_key)
    return found
