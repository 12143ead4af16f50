"""Derivatives explained step by step, the way a teacher writes them on the board.

Lesson 03 (``notebooks/03-rules-of-differentiation``) states the rules of
differentiation one by one; :func:`derivative_steps` applies them to any expression
and shows its work: which rule acts on which sub-expression, what each part gives,
and the simplified answer.

>>> steps = derivative_steps("x^2*sin(x)")
>>> steps.result
x**2*cos(x) + 2*x*sin(x)
>>> [step.rule for step in steps.steps]
['product', 'power', 'trig']

How a rule is chosen: by the structure of the SymPy expression, outermost operation
first, exactly as a person reads a formula.

====================  ======================================================
expression            rule (a key of :data:`RULES`)
====================  ======================================================
no ``x`` in it        ``constant``: the derivative is 0
``x``                 ``variable``: 1
``u + v + ...``       ``sum``
``c * u``             ``constant multiple`` (``c`` free of ``x``)
``u * v / w``         ``quotient`` when a factor has a negative constant power,
                      else ``product``
``u**n``              ``power`` (``n`` free of ``x``)
``a**u``              ``exp`` (``a`` free of ``x``)
``f**g``              ``general power``: logarithmic differentiation
``f(u)``              the rule of ``f`` in :data:`DERIVATIVE_TABLE` (``exp``,
                      ``log``, ``trig``, ...) when ``u`` is ``x``; the ``chain``
                      rule when it is not
piecewise             ``piecewise``: each piece on its own
unknown ``f(u)``      ``function``: ``f'`` stays symbolic
other ``F(u)``        ``chain`` with SymPy's ``F'`` if SymPy knows it at a
                      complex argument (``gamma``, ``LambertW``)
anything else         ``other``: SymPy's derivative of the whole expression
                      (``re(f(x))``, ``sign(x)``, ``Max``)
====================  ======================================================

No chain rule is applied where it does not hold. ``f'(u) u'`` needs the outer function
complex-differentiable or the inner one real: ``|u|' = sign(u) u'`` and ``f(u)'`` for an
unknown ``f`` are used only for a real-valued ``u`` (a function of a real ``x``, read on
the real line, with no ``I`` in it); ``re``, ``im``, ``conjugate``, ``arg``, ``sign`` get
SymPy's own derivative of the whole expression. Where that does not exist — such a
function of a complex variable (a SymPy ``Symbol("z")`` without ``real=True``), or a
function SymPy has no derivative for (``floor``) — :func:`derivative_steps` raises a
``ValueError`` that says so, rather than write a step that is not true.

Every step is a true equation on its own. A rule first writes the derivative with the
derivatives of the parts left undone — the product rule writes
``Derivative(u, x)*v + u*Derivative(v, x)`` — then each part is explained in turn
(the same dispatch, one level down) and its derivative is put in. So for every step
``diff(step.expr, x) == step.derivative``, and the tests check it on hundreds of
random expressions.

An explanation lists, at its end, the rules and table lines it used
(:meth:`DerivativeSteps.statements`). Lesson 03 draws the product rule as areas with
:func:`calcml.figures.rules.plot_product_rule`.

The variable is real: this is calculus on the real line. A string is parsed by
:func:`calcml.parsing.parse_expression` (every token checked, nothing executed) into a
real variable; for a SymPy expression the variable's own assumptions are kept.
``|u|' = sign(u) u'``, the real-line formula, holds wherever ``u != 0``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

__all__ = [
    "DERIVATIVE_TABLE",
    "RULES",
    "DerivativeSteps",
    "Rule",
    "Step",
    "TableEntry",
    "derivative_steps",
    "table_markdown",
]


# --- the vocabulary of rules -------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """A rule of differentiation: its name in an explanation, in LaTeX and in plain text."""

    title: str
    latex: str
    text: str


#: every rule a step can name, with its statement (u, v: functions of x; c, n, a: constants)
RULES: dict[str, Rule] = {
    "constant": Rule("constant rule", r"(c)' = 0", "(c)' = 0"),
    "variable": Rule("variable", r"(x)' = 1", "(x)' = 1"),
    "sum": Rule("sum rule", r"(u + v)' = u' + v'", "(u + v)' = u' + v'"),
    "constant multiple": Rule("constant multiple rule", r"(c\,u)' = c\,u'", "(c u)' = c u'"),
    "product": Rule("product rule", r"(u\,v)' = u'\,v + u\,v'", "(u v)' = u' v + u v'"),
    "quotient": Rule(
        "quotient rule",
        r"\left(\frac{u}{v}\right)' = \frac{u'\,v - u\,v'}{v^{2}}",
        "(u/v)' = (u' v - u v')/v^2",
    ),
    "power": Rule("power rule", r"(x^{n})' = n\,x^{n-1}", "(x^n)' = n x^(n-1)"),
    "exp": Rule(
        "exponential",
        r"(e^{x})' = e^{x}, \quad (a^{x})' = a^{x} \ln a",
        "(e^x)' = e^x, (a^x)' = a^x ln(a)",
    ),
    "log": Rule("logarithm", r"(\ln x)' = \frac{1}{x}", "(ln x)' = 1/x"),
    "trig": Rule(
        "trigonometric function",
        r"(\sin x)' = \cos x, \quad (\cos x)' = -\sin x",
        "(sin x)' = cos x, (cos x)' = -sin x",
    ),
    "inverse trig": Rule(
        "inverse trigonometric function",
        r"(\arctan x)' = \frac{1}{1 + x^{2}}",
        "(atan x)' = 1/(1 + x^2)",
    ),
    "hyperbolic": Rule(
        "hyperbolic function", r"(\tanh x)' = 1 - \tanh^{2} x", "(tanh x)' = 1 - tanh(x)^2"
    ),
    "inverse hyperbolic": Rule(
        "inverse hyperbolic function",
        r"(\operatorname{asinh} x)' = \frac{1}{\sqrt{x^{2} + 1}}",
        "(asinh x)' = 1/sqrt(x^2 + 1)",
    ),
    "abs": Rule(
        "absolute value", r"|x|' = \operatorname{sign} x \quad (x \ne 0)", "|x|' = sign(x) (x != 0)"
    ),
    "special function": Rule(
        "special function",
        r"\operatorname{erf}'(x) = \frac{2}{\sqrt{\pi}} e^{-x^{2}}",
        "erf'(x) = 2/sqrt(pi) e^(-x^2)",
    ),
    "general power": Rule(
        "general power (logarithmic differentiation)",
        r"(f^{g})' = f^{g} \left(g' \ln f + g \frac{f'}{f}\right)",
        "(f^g)' = f^g (g' ln(f) + g f'/f), from ln y = g ln f",
    ),
    "chain": Rule("chain rule", r"\frac{d}{dx} f(u) = f'(u)\, u'", "(f(u))' = f'(u) u'"),
    "piecewise": Rule(
        "piecewise",
        r"\text{differentiate each piece (not at the joins)}",
        "differentiate each piece (not at the joins)",
    ),
    "function": Rule("unknown function", r"\frac{d}{dx} f(x) = f'(x)", "(f(x))' = f'(x)"),
    "other": Rule(
        "SymPy's derivative", r"\text{a function outside the table}", "a function outside the table"
    ),
}


# --- the table at the back of the book: one line per function ------------------------------
@dataclass(frozen=True)
class TableEntry:
    """One line of the derivative table: a function of ``u`` and its derivative.

    Attributes
    ----------
    name : str
        How the lesson calls the function (``"sin"``, ``"power"``).
    rule : str
        The key of :data:`RULES` a step names when it uses this line.
    function, derivative : callable
        ``u, *params -> f(u)`` and ``u, *params -> f'(u)`` (SymPy expressions).
    params : tuple of str
        Names of the constants the line depends on (``("n",)`` for ``u**n``).
    where : str
        Where the formula holds, as text in ``x`` (empty: for every real ``x``).
    points : tuple of float
        Points inside that domain, where the tests check the line numerically.
    head : sympy function class or None
        The SymPy class the line is looked up by (``None`` for powers, which SymPy
        writes as ``Pow``).
    """

    name: str
    rule: str
    function: Callable
    derivative: Callable
    params: tuple[str, ...] = ()
    where: str = ""
    points: tuple[float, ...] = (-2.0, -0.7, 0.3, 1.1, 2.5)
    head: type | None = None


def _line(name, rule, head, derivative, *, where="", points=None):
    """A table line looked up by its SymPy class ``head``."""
    extra = {"points": points} if points else {}
    return TableEntry(name, rule, head, derivative, where=where, head=head, **extra)


_POSITIVE = (0.2, 0.7, 1.3, 2.9)
_UNIT = (-0.8, -0.3, 0.25, 0.9)
_NO_POLES = (0.15, 0.6, 1.0, 1.4)  # inside (0, pi/2): no tan, cot, sec or csc pole

#: the derivative of each function of the course, written as a textbook writes it
DERIVATIVE_TABLE: dict[str, TableEntry] = {
    "power": TableEntry(
        "power",
        "power",
        lambda u, n: u**n,
        lambda u, n: n * u ** (n - 1),  # (u^n)' = n u^(n-1)
        params=("n",),
        where="x > 0; all x for n = 0, 1, 2, …; x ≠ 0 for n = −1, −2, …",
        points=_POSITIVE,
    ),
    "sqrt": TableEntry(
        "sqrt", "power", sp.sqrt, lambda u: 1 / (2 * sp.sqrt(u)), where="x > 0", points=_POSITIVE
    ),
    "exp": _line("exp", "exp", sp.exp, sp.exp),  # (e^u)' = e^u: its own slope
    "exponential": TableEntry(
        "exponential",
        "exp",
        lambda u, a: a**u,
        lambda u, a: a**u * sp.log(a),  # a^u = e^(u ln a)
        params=("a",),
        where="a > 0",
    ),
    "log": _line("log", "log", sp.log, lambda u: 1 / u, where="x > 0", points=_POSITIVE),
    "sin": _line("sin", "trig", sp.sin, sp.cos),
    "cos": _line("cos", "trig", sp.cos, lambda u: -sp.sin(u)),
    "tan": _line(
        "tan",
        "trig",
        sp.tan,
        lambda u: sp.sec(u) ** 2,  # = 1 + tan^2
        where="cos x ≠ 0",
        points=_NO_POLES,
    ),
    "cot": _line(
        "cot", "trig", sp.cot, lambda u: -(sp.csc(u) ** 2), where="sin x ≠ 0", points=_NO_POLES
    ),
    "sec": _line(
        "sec",
        "trig",
        sp.sec,
        lambda u: sp.sec(u) * sp.tan(u),
        where="cos x ≠ 0",
        points=_NO_POLES,
    ),
    "csc": _line(
        "csc",
        "trig",
        sp.csc,
        lambda u: -sp.csc(u) * sp.cot(u),
        where="sin x ≠ 0",
        points=_NO_POLES,
    ),
    "asin": _line(
        "asin",
        "inverse trig",
        sp.asin,
        lambda u: 1 / sp.sqrt(1 - u**2),
        where="|x| < 1",
        points=_UNIT,
    ),
    "acos": _line(
        "acos",
        "inverse trig",
        sp.acos,
        lambda u: -1 / sp.sqrt(1 - u**2),
        where="|x| < 1",
        points=_UNIT,
    ),
    "atan": _line("atan", "inverse trig", sp.atan, lambda u: 1 / (1 + u**2)),
    "sinh": _line("sinh", "hyperbolic", sp.sinh, sp.cosh),
    "cosh": _line("cosh", "hyperbolic", sp.cosh, sp.sinh),
    "tanh": _line("tanh", "hyperbolic", sp.tanh, lambda u: 1 - sp.tanh(u) ** 2),
    "asinh": _line("asinh", "inverse hyperbolic", sp.asinh, lambda u: 1 / sp.sqrt(u**2 + 1)),
    "acosh": _line(
        "acosh",
        "inverse hyperbolic",
        sp.acosh,
        # = 1/sqrt(u^2 - 1) for u > 1; this form is also right for complex u (SymPy's)
        lambda u: 1 / (sp.sqrt(u - 1) * sp.sqrt(u + 1)),
        where="x > 1",
        points=(1.1, 1.7, 2.4, 3.5),
    ),
    "atanh": _line(
        "atanh",
        "inverse hyperbolic",
        sp.atanh,
        lambda u: 1 / (1 - u**2),
        where="|x| < 1",
        points=_UNIT,
    ),
    "abs": _line("abs", "abs", sp.Abs, sp.sign, where="x ≠ 0"),
    "erf": _line(
        "erf", "special function", sp.erf, lambda u: 2 / sp.sqrt(sp.pi) * sp.exp(-(u**2))
    ),  # Gauss's bell, scaled
}

_BY_HEAD = {entry.head: entry for entry in DERIVATIVE_TABLE.values() if entry.head}
#: rules that name a line of the table rather than a way of combining parts
_FUNCTION_RULES = {entry.rule for entry in DERIVATIVE_TABLE.values()}


def _table_line(entry: TableEntry) -> tuple[str, str, str]:
    """(name, LaTeX, text) of a table line, for a function ``u`` of x."""
    u = sp.Symbol("u")
    params = [sp.Symbol(p) for p in entry.params]
    f, df = entry.function(u, *params), entry.derivative(u, *params)
    latex, text = rf"\left({_latex(f)}\right)' = {_latex(df)}", f"({_text(f)})' = {_text(df)}"
    if entry.where:  # stated for x in the table; here for u
        where = re.sub(r"\bx\b", "u", entry.where)
        latex += rf" \quad (\text{{{where}}})"
        text += f" ({where})"
    return entry.name, latex, text


def table_markdown(var: str = "x") -> str:
    """The derivative table as a Markdown table (the lesson displays it).

    Parameters
    ----------
    var : str
        The name of the variable in the rendered formulas.

    Returns
    -------
    str
        One row per entry of :data:`DERIVATIVE_TABLE`: the function, its derivative,
        where the formula holds, and the rule's name.
    """
    x = sp.Symbol(_check_var_name(var), real=True)
    v = _latex(x)
    rows = [f"| $f({v})$ | $f'({v})$ | where | rule |", "|---|---|---|---|"]
    for entry in DERIVATIVE_TABLE.values():
        params = [sp.Symbol(p) for p in entry.params]
        f, df = entry.function(x, *params), entry.derivative(x, *params)
        where = re.sub(r"\bx\b", var, entry.where).replace("|", r"\|") or f"all {var}"
        rows.append(f"| ${_cell(_latex(f))}$ | ${_cell(_latex(df))}$ | {where} | {entry.rule} |")
    return "\n".join(rows)


def _cell(latex: str) -> str:
    """LaTeX safe inside a Markdown table cell, where ``|`` would end the cell."""
    return latex.replace("|", r"\vert ")


# --- one step of an explanation ------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One line on the board: a rule applied to one sub-expression.

    Attributes
    ----------
    label : str
        Position in the explanation: ``"1"`` for the whole expression, ``"1.2"`` for
        the second part of it, and so on.
    rule : str
        The rule used, a key of :data:`RULES`.
    expr : sympy.Expr
        The sub-expression differentiated.
    applied : sympy.Expr
        The rule written out, with the derivatives of the parts still undone
        (``Derivative`` objects), e.g. ``cos(x**2)*Derivative(x**2, x)``.
    derivative : sympy.Expr
        ``applied`` with the parts' derivatives put in: ``d expr / dx``.
    outer : str or None
        For the chain rule, the rule of the outer function (``"trig"`` for ``sin(u)``).
    inner : sympy.Expr or None
        For the chain rule, the inner function ``u``.
    line : str or None
        The key of the :data:`DERIVATIVE_TABLE` line used (``"sin"``, ``"power"``),
        if the step uses one.
    """

    label: str
    rule: str
    expr: sp.Expr
    applied: sp.Expr
    derivative: sp.Expr
    outer: str | None = None
    inner: sp.Expr | None = None
    line: str | None = None

    @property
    def depth(self) -> int:
        """How deep inside the expression the step is (0 for the whole expression)."""
        return self.label.count(".")

    @property
    def title(self) -> str:
        """The rule's name as an explanation says it, e.g. ``"chain rule (outer: trig...)"``."""
        title = RULES[self.rule].title
        if self.outer is not None:
            title += f" (outer: {RULES[self.outer].title})"
        return title


def _d(part, x):
    """The placeholder for a part's derivative, written and not yet done."""
    return sp.Derivative(part, x, evaluate=False)


def _times(*factors):
    """A product kept in the order written (f'(u) before u', as on the board)."""
    flat = []
    for f in map(sp.sympify, factors):
        flat.extend(f.as_ordered_factors() if f.is_Mul else [f])
    return sp.Mul(*flat, evaluate=False)


def _over(numerator, denominator, power=1):
    """``numerator / denominator**power``, kept as written."""
    return _times(numerator, sp.Pow(denominator, -power, evaluate=False))


class _Choice(NamedTuple):
    """What a rule writes for one sub-expression (see :func:`_apply_rule`)."""

    rule: str
    applied: sp.Expr  # the rule written out, Derivative(part, x) for each part
    parts: tuple = ()
    outer: str | None = None  # chain rule: the outer function's rule
    inner: sp.Expr | None = None  # chain rule: u
    line: str | None = None  # the DERIVATIVE_TABLE line used, if any


def _outer_function(expr, x):
    """(rule, f'(u), table line) for a function application f(u) with one argument.

    The chain rule ``f'(u) u'`` is used only where it holds: for the functions of the
    table that are complex-differentiable (all but ``abs``) and for SymPy functions whose
    derivative SymPy knows at a complex argument, with any ``u``; for ``abs`` and an
    unknown ``f`` only when ``u`` is real-valued (:func:`_real_valued`). Anything else
    returns None: the caller asks SymPy for the derivative of the whole expression.
    """
    (u,) = expr.args
    real = _real_valued(u, x)
    entry = _BY_HEAD.get(expr.func)
    if entry is not None:
        if entry.head in _REAL_VARIABLE_ONLY and not (real and _real_for_every_real_x(u, x)):
            return None
        return entry.rule, entry.derivative(u), entry.name
    t = sp.Dummy("u")
    if isinstance(expr, AppliedUndef):
        if not real:
            return None
        return "function", expr.func(t).diff(t).subs(t, u), None  # f'(t) at t = u
    outer = expr.func(t).diff(t)
    if _gave_up(outer):  # not complex-differentiable as far as SymPy knows (re, sign, ...)
        return None
    return "other", outer.subs(t, u), None


#: lines of the table that hold for a real-valued inner function only: |u|' = sign(u) u'
_REAL_VARIABLE_ONLY = {sp.Abs}


def _real_valued(u, x) -> bool:
    """Read on the real line: ``x`` is real and ``u`` is not known to be complex.

    A function of a real ``x`` (a string is always read so) is taken to be real wherever
    it is defined, as in a calculus course: ``sqrt(x)``, ``log(x)``, an unknown ``f(x)``.
    Not so an expression with ``I`` in it, one SymPy knows is not real, or anything in
    a variable that may be complex (a SymPy ``Symbol("x")`` without ``real=True``).
    """
    return bool(x.is_extended_real) and u.is_extended_real is not False and not u.has(sp.I)


#: functions that are real at every real argument (where they are defined at all)
_REAL_ON_THE_REAL_LINE = (
    sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.exp, sp.sinh, sp.cosh, sp.tanh,
    sp.atan, sp.acot, sp.asinh, sp.Abs, sp.sign, sp.erf,
)


def _real_for_every_real_x(u, x) -> bool:
    """True if ``u`` has a real value at every real ``x`` where SymPy gives it one.

    ``|u|' = sign(u) u'`` needs ``u`` real. ``acosh(x)``, ``log(x)``, ``sqrt(x)`` and
    ``asin(x)`` are real only on part of the line, and outside it SymPy gives them
    complex values at which ``sign(u) u'`` is not the derivative of ``|u|`` — yet can
    still be real (``abs(acosh(x))`` at ``x = 1/2``: +1.1547 where the slope is
    −1.1547). Such a ``u`` gets SymPy's derivative, which holds everywhere. An unknown
    function of real arguments counts as real, as in a calculus course.
    """
    if u.is_extended_real:
        return True
    if u.is_Symbol or u.is_number:
        return bool(u.is_extended_real)
    if isinstance(u, AppliedUndef) or u.is_Add or u.is_Mul or isinstance(
            u, _REAL_ON_THE_REAL_LINE):
        return all(_real_for_every_real_x(a, x) for a in u.args)
    if u.is_Pow:
        base, exponent = u.as_base_exp()
        return bool(exponent.is_integer) and _real_for_every_real_x(base, x)
    return False


def _gave_up(derivative) -> bool:
    """True if SymPy left a derivative undone: a ``Derivative`` of anything but an unknown
    function (``Derivative(re(u), u)``, ``Derivative(floor(x), x)``)."""
    return any(not isinstance(d.expr, AppliedUndef) for d in derivative.atoms(sp.Derivative))


def _sympy_or_refuse(expr, x) -> _Choice:
    """SymPy's derivative of the whole expression, or a clear refusal where it has none."""
    real = _real_valued(expr.args[0] if expr.args else expr, x)
    # SymPy's chain rule for an unknown f of a complex u assumes f complex-differentiable
    derivative = None if isinstance(expr, AppliedUndef) and not real else sp.diff(expr, x)
    if derivative is not None and not _gave_up(derivative):
        return _Choice("other", derivative)
    name = {"Abs": "abs"}.get(type(expr).__name__, type(expr).__name__)
    if not real:
        raise ValueError(
            f"cannot differentiate {_text(expr)} with respect to {x}: {name} is not "
            f"complex-differentiable (re, im, conjugate, abs, arg, sign and unknown "
            f"functions of a complex argument are not), so no chain rule f'(u)·u' holds. "
            f"This explainer does calculus on the real line: use a real variable "
            f"(a string, or Symbol('{x}', real=True)) and real-valued parts"
        )
    raise ValueError(
        f"cannot differentiate {_text(expr)} with respect to {x}: SymPy knows no "
        f"derivative of {name} there (a function outside the table with no derivative "
        f"formula, such as floor or sign of an unknown function)"
    )


def _power(expr, x):
    """(rule, f'(u), u, table line) for u**c and a**u; None when both vary."""
    base, exponent = expr.as_base_exp()
    if not exponent.has(x):
        if exponent == sp.S.Half:
            return "power", DERIVATIVE_TABLE["sqrt"].derivative(base), base, "sqrt"
        return "power", DERIVATIVE_TABLE["power"].derivative(base, exponent), base, "power"
    if not base.has(x):
        entry = DERIVATIVE_TABLE["exponential"]
        return "exp", entry.derivative(exponent, base), exponent, entry.name
    return None


def _split_quotient(factors, x):
    """Numerator and denominator factors: a negative constant power goes below the line."""
    above, below = [], []
    for f in factors:
        base, exponent = f.as_base_exp()
        if f.is_Pow and not exponent.has(x) and exponent.could_extract_minus_sign():
            below.append(base ** (-exponent))
        else:
            above.append(f)
    return sp.Mul(*above), sp.Mul(*below), bool(below)


def _apply_rule(expr, x) -> _Choice:
    """Choose the rule for ``expr`` by its outermost operation, and write it out."""
    if not expr.has(x):
        return _Choice("constant", sp.S.Zero)
    if expr == x:
        return _Choice("variable", sp.S.One)
    if expr.is_Add:
        parts = tuple(expr.as_ordered_terms())  # in the order they are printed
        return _Choice("sum", sp.Add(*[_d(p, x) for p in parts], evaluate=False), parts)
    if expr.is_Mul:
        return _product_or_quotient(expr, x)
    if expr.is_Pow:
        found = _power(expr, x)
        if found is None:  # y = f^g: ln y = g ln f, so y'/y = g' ln f + g f'/f
            f, g = expr.as_base_exp()
            rate = sp.Add(
                _times(_d(g, x), sp.log(f)), _over(_times(g, _d(f, x)), f), evaluate=False
            )
            return _Choice("general power", _times(expr, rate), (f, g))
        rule, outer_derivative, u, line = found
    elif isinstance(expr, sp.Piecewise):
        pieces = [(_d(e, x) if e.has(x) else sp.S.Zero, c) for e, c in expr.args]
        parts = tuple(e for e, _ in expr.args if e.has(x))
        return _Choice("piecewise", sp.Piecewise(*pieces), parts)
    elif isinstance(expr, sp.Function) and len(expr.args) == 1:
        (u,) = expr.args
        if isinstance(expr, AppliedUndef) and u == x:  # f(x): f'(x) stays as it is
            return _Choice("function", sp.Derivative(expr, x))
        found = _outer_function(expr, x)
        if found is None:  # no chain rule holds: SymPy's derivative of the whole, or refuse
            return _sympy_or_refuse(expr, x)
        rule, outer_derivative, line = found
    else:  # several arguments (Max, Min), or not a function at all (Integral, ...)
        return _sympy_or_refuse(expr, x)
    if u == x:
        return _Choice(rule, outer_derivative, line=line)
    applied = _times(outer_derivative, _d(u, x))  # f'(u) u'
    return _Choice("chain", applied, (u,), outer=rule, inner=u, line=line)


def _product_or_quotient(expr, x) -> _Choice:
    """A constant factor first; then a quotient if a factor is below the line."""
    c, u = expr.as_independent(x, as_Add=False)
    if c != 1:
        return _Choice("constant multiple", c * _d(u, x), (u,))
    u, v, is_quotient = _split_quotient(expr.as_ordered_factors(), x)
    if is_quotient:
        if not u.has(x):  # c / v: the quotient rule with u' = 0
            return _Choice("quotient", _over(_times(-u, _d(v, x)), v, 2), (v,))
        numerator = sp.Add(_times(_d(u, x), v), _times(-1, u, _d(v, x)), evaluate=False)
        return _Choice("quotient", _over(numerator, v, 2), (u, v))
    parts = tuple(expr.as_ordered_factors())
    terms = [
        sp.Mul(*parts[:i], _d(p, x), *parts[i + 1 :], evaluate=False) for i, p in enumerate(parts)
    ]  # u' v w + u v' w + u v w'
    return _Choice("product", sp.Add(*terms, evaluate=False), parts)


def _evaluate(expr):
    """Let SymPy evaluate every node of a rule's written form (bottom up)."""
    if not expr.args or isinstance(expr, sp.Derivative):
        return expr
    return expr.func(*map(_evaluate, expr.args))


def _explain(expr, x, label, steps):
    """Append the steps for ``expr`` (pre-order: a rule before its parts); return d/dx."""
    position = len(steps)
    steps.append(None)  # this step's place: it is complete only after its parts
    choice = _apply_rule(expr, x)
    done = {
        _d(p, x): _explain(p, x, f"{label}.{i}", steps) for i, p in enumerate(choice.parts, start=1)
    }
    derivative = _evaluate(choice.applied.xreplace(done))
    steps[position] = Step(
        label,
        choice.rule,
        expr,
        choice.applied,
        derivative,
        choice.outer,
        choice.inner,
        choice.line,
    )
    return derivative


# --- the simplified answer -----------------------------------------------------------------
_TIDY_MAX_OPS = 150  # beyond this size only the cheapest rewriting is tried
_FACTOR_MAX_OPS = 60  # polynomial factoring grows fast with size
_WORTH_A_REWRITE = 3  # operations a simpler form must save to replace the rules' form


def _functions(expr) -> set:
    return {type(f) for f in expr.atoms(sp.Function)}


def _tidy(expr):
    """The shortest of a few equivalent forms, without bringing in new functions.

    The forms are those a person tries: pull out common factors, put everything over
    one denominator, factor. ``sympy.simplify`` is not used: it can take seconds, and
    it writes the sigmoid's slope as ``1/(4 cosh(x/2)**2)`` where a teacher keeps the
    exponentials — so forms with functions that were not there are dropped too.
    """
    candidates = [expr, sp.factor_terms(expr)]
    if sp.count_ops(expr) <= _TIDY_MAX_OPS:
        together = sp.cancel(sp.together(expr))
        candidates += [sp.factor_terms(together), sp.powsimp(candidates[1])]
        if sp.count_ops(together) <= _FACTOR_MAX_OPS:
            candidates.append(sp.factor(together))
    allowed = _functions(expr)
    kept = [c for c in candidates if _functions(c) <= allowed]
    best = min(kept, key=lambda e: (sp.count_ops(e), len(sp.srepr(e))))
    # a rewrite must earn its place: the rules' own form reads best unless clearly longer
    return best if sp.count_ops(expr) - sp.count_ops(best) >= _WORTH_A_REWRITE else expr


# --- printing ------------------------------------------------------------------------------
def _as_sympy_writes_it(expr) -> bool:
    """False for a sum or product a rule wrote out: it holds an undone derivative."""
    return not expr.has(sp.Derivative)


class _KeepWrittenOrder:
    """Print a rule's written form in its own order, and everything else as usual.

    Used with ``order="none"``: sums and products a rule wrote out keep their order
    (``f'(u) * u'``, ``u' v - u v'``); those SymPy built print in SymPy's usual order.
    ``partial`` prints an undone derivative as ∂/∂x (other variables held fixed).
    """

    partial = False

    def _usual_order(self, method, expr, **kwargs):
        if self._settings.get("order") != "none" or not _as_sympy_writes_it(expr):
            return method(self, expr, **kwargs)
        self._settings["order"] = None
        try:
            return method(self, expr, **kwargs)
        finally:
            self._settings["order"] = "none"


class _Latex(_KeepWrittenOrder, LatexPrinter):
    """LaTeX with d/dx[...] brackets, so that the derivative's reach is visible."""

    def _print_Add(self, expr, order=None):
        return self._usual_order(LatexPrinter._print_Add, expr, order=order)

    def _print_Mul(self, expr):
        return self._usual_order(LatexPrinter._print_Mul, expr)

    def _print_Derivative(self, expr):
        if len(expr.variable_count) == 1 and expr.variable_count[0][1] == 1:
            ((v, _),) = expr.variable_count
            if v.is_Symbol:
                d = r"\partial " if self.partial else "d"
                return (
                    rf"\frac{{{d.strip()}}}{{{d}{self._print(v)}}}\left[{self._print(expr.expr)}"
                    r"\right]"
                )
        return super()._print_Derivative(expr)


class _Text(_KeepWrittenOrder, StrPrinter):
    """Plain text as a learner types it: ``x^2``, ``d/dx[...]``."""

    def _print_Add(self, expr, order=None):
        return self._usual_order(StrPrinter._print_Add, expr, order=order)

    def _print_Mul(self, expr):
        return self._usual_order(StrPrinter._print_Mul, expr)

    def _print_Derivative(self, expr):
        if len(expr.variable_count) == 1 and expr.variable_count[0][1] == 1:
            ((v, _),) = expr.variable_count
            d = "∂" if self.partial else "d"
            return f"{d}/{d}{self._print(v)}[{self._print(expr.expr)}]"
        return super()._print_Derivative(expr)

    def _print_Abs(self, expr):
        return f"abs({self._print(expr.args[0])})"  # as a learner types it


def _escape(text: str) -> str:
    """HTML-safe text; apostrophes stay (f'(u) reads better in the page source)."""
    return html.escape(text, quote=False)


def _latex(expr, order=None, partial=False) -> str:
    printer = _Latex({"order": order, "ln_notation": True, "inv_trig_style": "full"})
    printer.partial = partial
    return printer.doprint(expr)


def _text(expr, order=None, partial=False) -> str:
    printer = _Text({"order": order})
    printer.partial = partial
    return printer.doprint(expr).replace("**", "^")


# --- the whole explanation -----------------------------------------------------------------
@dataclass(frozen=True)
class DerivativeSteps:
    """A derivative explained: the steps and the simplified answer.

    Shown as a numbered explanation in Jupyter (HTML, Markdown or LaTeX) and as
    plain text by ``print``. Built by :func:`derivative_steps`.

    Attributes
    ----------
    expr : sympy.Expr
        The expression differentiated.
    var : sympy.Symbol
        The variable.
    steps : tuple of Step
        The steps, a rule before the steps for its parts.
    raw : sympy.Expr
        The derivative as the rules give it, before simplification.
    result : sympy.Expr
        The simplified derivative (equal to ``raw``).
    """

    expr: sp.Expr
    var: sp.Symbol
    steps: tuple[Step, ...]
    raw: sp.Expr
    result: sp.Expr

    @property
    def partial(self) -> bool:
        """True when ``expr`` has variables besides ``var``: a partial derivative, ∂/∂var
        (the others held fixed; lesson 04)."""
        return bool(self.expr.free_symbols - {self.var})

    def _d_text(self) -> str:
        return f"∂/∂{self.var}" if self.partial else f"d/d{self.var}"

    def _d_latex(self) -> str:
        v = _latex(self.var)
        return rf"\frac{{\partial}}{{\partial {v}}}" if self.partial else rf"\frac{{d}}{{d{v}}}"

    @property
    def rules(self) -> list[str]:
        """The rules used, each once, in order of first use (with chain rules' outer ones)."""
        names = [name for step in self.steps for name in (step.rule, step.outer) if name]
        return list(dict.fromkeys(names))

    def statements(self) -> list[tuple[str, str, str]]:
        """What the explanation used, stated: (name, LaTeX, text) in order of first use.

        The structural rules (sum, product, chain, ...) with their statement from
        :data:`RULES`, and the lines of :data:`DERIVATIVE_TABLE` used, written for a
        function ``u``: ``("sin", ..., "(sin(u))' = cos(u)")``.
        """
        found: dict[str, tuple[str, str, str]] = {}
        for step in self.steps:
            if step.rule not in _FUNCTION_RULES and step.rule not in found:
                rule = RULES[step.rule]
                found[step.rule] = (rule.title, rule.latex, rule.text)
            if step.line is not None and f"line {step.line}" not in found:
                found[f"line {step.line}"] = _table_line(DERIVATIVE_TABLE[step.line])
        return list(found.values())

    def __repr__(self) -> str:
        n = len(self.steps)
        return (
            f"DerivativeSteps({self._d_text()}[{_text(self.expr)}] = {_text(self.result)}, "
            f"{n} step{'s' if n != 1 else ''})"
        )

    def _step_text(self, step: Step) -> str:
        d = f"{self._d_text()}[{_text(step.expr)}]"
        chain = ""
        if step.inner is not None:
            chain = f" with u = {_text(step.inner)}"
        body = f"{d} = {_text(step.applied, order='none', partial=self.partial)}"
        if step.applied != step.derivative:
            body += f" = {_text(step.derivative)}"
        return f"{'  ' * step.depth}{step.label}. {step.title}{chain}: {body}"

    def __str__(self) -> str:
        lines = [f"{self._d_text()}[{_text(self.expr)}]:"]
        lines += [self._step_text(step) for step in self.steps]
        lines.append("Rules used:")
        lines += [f"  {name}: {text}" for name, _, text in self.statements()]
        lines.append(f"Answer: {self._d_text()}[{_text(self.expr)}] = {_text(self.result)}")
        return "\n".join(lines)

    def _step_latex(self, step: Step) -> tuple[str, str]:
        """(words, formula) of a step, the formula in LaTeX."""
        words = step.title
        formula = (
            rf"{self._d_latex()}\left[{_latex(step.expr)}\right] = "
            f"{_latex(step.applied, order='none', partial=self.partial)}"
        )
        if step.applied != step.derivative:
            formula += f" = {_latex(step.derivative)}"
        if step.inner is not None:
            formula = rf"u = {_latex(step.inner)}:\quad " + formula
        return words, formula

    def _answer_latex(self) -> str:
        return rf"{self._d_latex()}\left[{_latex(self.expr)}\right] = {_latex(self.result)}"

    def _repr_latex_(self) -> str:
        lines = [
            rf"&\text{{{s.label}. {s.title}:}} && {f}"
            for s, (_, f) in ((s, self._step_latex(s)) for s in self.steps)
        ]
        lines.append(rf"&\text{{Answer:}} && {self._answer_latex()}")
        return r"$\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}$"

    def _repr_markdown_(self) -> str:
        lines = [
            (f"**Differentiate** ${_latex(self.expr)}$ with respect to ${_latex(self.var)}$:"),
            "",
        ]
        for step in self.steps:
            words, formula = self._step_latex(step)
            lines.append(f"{'  ' * step.depth}- **{step.label}** *{words}*: ${formula}$")
        used = "; ".join(f"{name} ${latex}$" for name, latex, _ in self.statements())
        lines += ["", f"*Rules used:* {used}", "", f"**Answer:** ${self._answer_latex()}$"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = [
            (
                f"<p><b>Differentiate</b> \\({_escape(_latex(self.expr))}\\) with "
                f"respect to \\({_escape(_latex(self.var))}\\):</p>"
            )
        ]
        for step in self.steps:
            words, formula = self._step_latex(step)
            parts.append(
                f'<div style="margin-left:{1.5 * step.depth:.1f}em">'
                f"{step.label}. <i>{_escape(words)}</i>: "
                f"\\({_escape(formula)}\\)</div>"
            )
        used = "; ".join(
            f"{_escape(name)} \\({_escape(latex)}\\)" for name, latex, _ in self.statements()
        )
        parts.append(f"<p><i>Rules used:</i> {used}</p>")
        parts.append(f"<p><b>Answer:</b> \\({_escape(self._answer_latex())}\\)</p>")
        return (
            '<div class="calcml-steps tex2jax_process mathjax_process">' + "".join(parts) + "</div>"
        )


# --- the entry point -----------------------------------------------------------------------
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _check_var_name(var: str) -> str:
    from calcml.parsing import ALLOWED_FUNCTIONS

    if not isinstance(var, str):
        raise TypeError(f"var must be a name (str) or a SymPy Symbol, got {type(var).__name__}")
    if not _NAME.fullmatch(var):
        raise ValueError(f"var must be a variable name such as 'x' or 't', got {var!r}")
    if var in ALLOWED_FUNCTIONS or var in {"e", "E", "pi"}:
        raise ValueError(
            f"var must be a variable name, got {var!r}, which is a function or a constant"
        )
    return var


def _variable(expr, var):
    """The SymPy symbol to differentiate by: ``var`` itself, or the symbol of that name."""
    if isinstance(var, sp.Symbol):
        return var
    if isinstance(var, str):
        name = _check_var_name(var)
        same = [s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s.name == name]
        return same[0] if len(same) == 1 else sp.Symbol(name, real=True)
    raise TypeError(f"var must be a name (str) or a SymPy Symbol, got {type(var).__name__}")


def derivative_steps(expr, var="x", *, simplify: bool = True) -> DerivativeSteps:
    """Differentiate ``expr`` by the rules of a calculus course, showing each step.

    Parameters
    ----------
    expr : str, sympy.Expr or number
        What to differentiate, e.g. ``"x^2*sin(x)"``, ``"exp(-x^2/2)"``,
        ``"1/(1+e^(-x))"``, ``"ln(x)"``, ``"2x"`` (read by
        :func:`calcml.parsing.parse_expression`, which executes nothing) or a SymPy
        expression.
    var : str or sympy.Symbol
        The variable. A string names it; in a string expression it is real.
    simplify : bool
        Simplify the final answer (the steps are never simplified).

    Returns
    -------
    DerivativeSteps
        ``.result`` the derivative, :math:`\\frac{d}{dx}` ``expr``; ``.steps`` the
        rules applied, each with its sub-expression and that sub-expression's
        derivative.

    Raises
    ------
    calcml.parsing.ExpressionError
        A string that is not a mathematical expression (a ``ValueError``).
    ValueError
        ``var`` is not a variable name, or the expression has a part with no derivative
        by these rules (``re(z)`` of a complex ``z``, ``floor(x)``; module docstring).
    TypeError
        ``expr`` is not an expression (a list, an equation, ...), or ``var`` is
        neither a string nor a Symbol.

    Examples
    --------
    >>> derivative_steps("sin(x^2)").result
    2*x*cos(x**2)
    >>> print(derivative_steps("x^3"))
    d/dx[x^3]:
    1. power rule: d/dx[x^3] = 3*x^2
    Rules used:
      power: (u^n)' = n*u^(n - 1) (u > 0; all u for n = 0, 1, 2, …; u ≠ 0 for n = −1, −2, …)
    Answer: d/dx[x^3] = 3*x^2
    """
    from calcml.parsing import parse_expression

    if isinstance(expr, str):
        name = var.name if isinstance(var, sp.Symbol) else _check_var_name(var)
        parsed = parse_expression(expr, variables=(name,))
        x = var if isinstance(var, sp.Symbol) else sp.Symbol(name, real=True)
        expr = parsed.xreplace({sp.Symbol(name): x})
    elif isinstance(expr, (int, float)) and not isinstance(expr, bool):
        expr = sp.sympify(expr)
        x = _variable(expr, var)
    elif isinstance(expr, sp.Expr):
        x = _variable(expr, var)
    else:
        raise TypeError(
            f"expected an expression (a string or a SymPy expression), got "
            f"{type(expr).__name__} {str(expr)[:60]!r}"
        )
    steps: list[Step] = []
    raw = _explain(expr, x, "1", steps)
    if raw.has(sp.zoo, sp.nan):  # e.g. 0**x: its "derivative" 0**x*log(0)
        raise ValueError(
            f"cannot differentiate {_text(expr)} with respect to {x}: the rules give "
            f"{_text(raw)}, which is undefined (zoo or nan): the expression has no "
            "derivative formula on an interval"
        )
    result = _tidy(raw) if simplify else raw
    return DerivativeSteps(expr, x, tuple(steps), raw, result)
